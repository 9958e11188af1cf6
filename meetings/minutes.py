"""The minutes as a reader sees them.

Two steps serve every rendering (the page, the PDF, a frozen version):
minutes_content() turns a meeting loaded with_minutes() into plain data, in
print order and without further queries; MinutesDocument turns such data,
internal or redacted for the public, into the sections the templates print.
"""

import datetime
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from committees.models import Member
from minutes_site import dates
from minutes_site.inputs import normalise_text

from .models import Signatory

# What the public minutes print in place of a person's name: <000위원>.
REDACTED_NAME = "000"

# The minutes print one-character weekdays, (목): one list for pages and minutes.
SHORT_WEEKDAYS = dates.SHORT_WEEKDAYS


def format_day(day):
    """'24. 4. 18.(목)"""
    return _("'%(yy)s. %(month)s. %(day)s.(%(weekday)s)") % {
        "yy": f"{day.year % 100:02d}",
        "month": day.month,
        "day": day.day,
        "weekday": SHORT_WEEKDAYS[day.weekday()],
    }


def format_meeting_time(starts_at, ends_at):
    """'24. 4. 18.(목) 15:00~17:00, the way the minutes print a meeting's time."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if end.date() == start.date():
        return f"{format_day(start)} {start:%H:%M}~{end:%H:%M}"
    return f"{format_day(start)} {start:%H:%M}~{format_day(end)} {end:%H:%M}"


def format_document_date(day):
    """2024. 4. as printed on the cover."""
    return f"{day.year}. {day.month}."


@dataclass
class OutlineNode:
    text: str
    children: list = field(default_factory=list)


def build_outline(items):
    """Nest a flat (depth, text) outline; a too-deep line hangs under the last one."""
    roots = []
    stack = []  # stack[d] is the last node seen at depth d
    for item in items:
        node = OutlineNode(item.text)
        depth = min(item.depth, len(stack))
        del stack[depth:]
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def outline_data(nodes):
    return [{"text": node.text, "children": outline_data(node.children)} for node in nodes]


# Labels naming an office rather than a person: the public minutes print them
# as they are (<위원장>, <간사>); every other label gets the 000 mask.
OFFICE_LABELS = frozenset({"위원장", "부위원장", "간사"})


def speaker_heading(name, label, *, public):
    """The text between < and >: 김준호 위원 internally, 000위원 in public."""
    if not name:
        return label
    if public:
        return label if label in OFFICE_LABELS else f"{REDACTED_NAME}{label}"
    return f"{name} {label}"


class NameMasker:
    """Replaces people's names in free text with 000 for the public minutes."""

    def __init__(self, names, mask=REDACTED_NAME):
        names = sorted({n for n in names if n}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None
        self.mask = mask

    def __call__(self, text):
        if self.pattern is None:
            return text
        return self.pattern.sub(self.mask, text)


def minutes_content(meeting):
    """The minutes of ``meeting`` as plain data: what every rendering shows.

    This is the record's printable content in print order, in the document's
    language (Korean), independent of the database: it is what a version
    freezes and hashes, what the PDF embeds, and what the page and the PDF are
    drawn from. Reads what Meeting.objects.with_minutes() prefetched, and the
    statements' texts as plain values in one query (statement_texts()).
    """
    with translation.override(settings.LANGUAGE_CODE):
        committee = meeting.committee
        signatories = sorted(
            meeting.signatories.all(),
            key=lambda s: (list(Signatory.Role.values).index(s.role), s.position, s.pk),
        )
        for signatory in signatories:
            signatory.meeting = meeting  # the committee is loaded: spare a query
        present, absent = meeting.voting_attendance()
        attendees = list(meeting.non_member_attendees.all())
        items = sorted(meeting.agenda_items.all(), key=lambda i: (i.kind_rank, i.number))
        blocks = list(meeting.speaker_blocks.all())
        texts = statement_texts(meeting)
        names = [member.person.name for member in committee.roster]
        names += [a.person.name for a in attendees if a.person_id]
        names += [s.person.name for s in signatories]
        names += [block.speaker_name for block in blocks]
        return {
            "format": CONTENT_FORMAT,
            "version": "internal",
            "committee": {
                "name": committee.name,
                "organisation": committee.organisation,
                "department": committee.department,
            },
            "meeting": {
                "year": meeting.year,
                "sequence": meeting.sequence,
                "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
                "ends_at": timezone.localtime(meeting.ends_at).isoformat(),
                "place": meeting.place,
                "document_date": meeting.document_date.isoformat(),
            },
            "signature_block": [
                {"role": s.role, "title": s.title, "name": s.person.name} for s in signatories
            ],
            "attendance": {
                "external": [m.person.name for m in present if m.kind == Member.Kind.EXTERNAL],
                "internal": [
                    {"name": m.person.name, "position": m.person.position}
                    for m in present
                    if m.kind == Member.Kind.INTERNAL
                ],
                "absent": [m.person.name for m in absent],
                "non_members": [a.display_name for a in attendees if a.included_in_id is None],
            },
            "proceedings": outline_data(build_outline(meeting.proceedings.all())),
            "agenda": [
                {
                    "kind": item.kind,
                    "kind_label": item.get_kind_display(),
                    "number": item.number,
                    "title": item.title,
                    "outcome": item.outcome,
                    "outcome_label": item.get_outcome_display() if item.outcome else "",
                }
                for item in items
            ],
            "resolutions": [
                {
                    "question": r.question,
                    "agenda_item": (
                        {"kind": r.agenda_item.kind, "number": r.agenda_item.number}
                        if r.agenda_item_id
                        else None
                    ),
                    "method": r.method,
                    "method_label": r.get_method_display(),
                    "votes": [r.votes_for, r.votes_against, r.abstentions],
                    "tally": str(r.tally),
                    "outcome": r.outcome,
                    "outcome_label": r.get_outcome_display(),
                }
                for r in meeting.resolutions.all()
            ],
            "remarks": [remark_entry(block, texts.get(block.pk, [])) for block in blocks],
            "redact": sorted({name for name in names if name}),
        }


CONTENT_FORMAT = "minutes/1"

# Remarks entries that are nobody's words: a stage direction (time mark,
# recess, reaction, chair handover) or an agenda heading, printed as written.
UNSPOKEN_KINDS = frozenset({"direction", "heading"})


def remark_entry(block, statements):
    """One speaker block as content. Only an unspoken entry carries a "kind":
    speech entries keep the shape (and so the hash) they always had, and
    frozen versions without it read as speech."""
    entry = {"speaker": block.speaker_name, "label": block.role_label, "statements": statements}
    if block.speaker_kind in UNSPOKEN_KINDS:
        entry["kind"] = block.speaker_kind
    return entry


def remark_kind(entry):
    """The kind of a content remarks entry, old or new: speech, direction or heading."""
    return entry.get("kind", "speech")


def statement_texts(meeting):
    """{speaker block id: its statements' texts, in order}: plain values in one
    query, as the content only prints them. (The model lives in the agenda
    app, which depends on this one: reached through the relation.)"""
    blocks = type(meeting)._meta.get_field("speaker_blocks").related_model
    statements = blocks._meta.get_field("statements").related_model
    texts = {}
    rows = (
        statements.objects.filter(block__meeting_id=meeting.pk)
        .order_by("block_id", "position", "id")
        .values_list("block_id", "text")
    )
    for block_id, text in rows:
        texts.setdefault(block_id, []).append(text)
    return texts


def current_content(meeting):
    """What the minutes of ``meeting`` say now: the live text while it can be
    edited, the frozen version's from confirmation on (whatever the tables
    hold, the confirmed text is the record)."""
    if not meeting.is_editable:
        version = meeting.current_version()
        if version is not None:
            return version.content_data()
    return minutes_content(meeting)


def public_content(content):
    """The public (redacted) minutes: exactly what the public version prints.

    A whitelist, not a copy: only what the templates print is taken over, so
    nothing of the internal record is left in the result (not the absent
    members, not the names to redact, not a question nobody prints).
    Headings name offices, not people (<위원장>, <000위원>); the names of
    everybody in the record are masked in statements and questions. The
    attendance list and the signature block keep their names, as published
    minutes do. The resolutions become ``decisions``, the printed lines of 의결사항.
    """
    if content["version"] == "public":
        return content
    mask = NameMasker(content["redact"])
    attendance = content["attendance"]
    return {
        "format": content["format"],
        "version": "public",
        "committee": _picked(content["committee"], "name", "organisation", "department"),
        "meeting": _picked(
            content["meeting"],
            "year",
            "sequence",
            "starts_at",
            "ends_at",
            "place",
            "document_date",
        ),
        "signature_block": [
            _picked(signatory, "role", "title", "name") for signatory in content["signature_block"]
        ],
        "attendance": {
            "external": list(attendance["external"]),
            "internal": [_picked(member, "name", "position") for member in attendance["internal"]],
            "non_members": list(attendance["non_members"]),
        },
        "proceedings": _printed_outline(content["proceedings"]),
        "agenda": [
            _picked(item, "kind", "kind_label", "number", "title") for item in content["agenda"]
        ],
        "decisions": decisions(content["agenda"], content["resolutions"], mask=mask),
        "remarks": [_public_remark(r, mask) for r in content["remarks"]],
    }


def _public_remark(entry, mask):
    """A remarks entry as the public minutes print it: names masked, in
    stage directions too (a chair handover names people)."""
    statements = [mask(statement) for statement in entry["statements"]]
    kind = remark_kind(entry)
    if kind in UNSPOKEN_KINDS:
        return {"kind": kind, "heading": "", "statements": statements}
    return {
        "heading": speaker_heading(entry["speaker"], entry["label"], public=True),
        "statements": statements,
    }


def _picked(mapping, *keys):
    return {key: mapping[key] for key in keys}


def _printed_outline(nodes):
    return [
        {"text": node["text"], "children": _printed_outline(node["children"])} for node in nodes
    ]


def decisions(agenda, resolutions, *, mask=str):
    """What the minutes print under 의결사항, one line each, nothing twice.

    The resolutions in the order they were taken: one on an agenda item is
    named by the item (【1】 title — 수정가결 (이의 없음)), adding its question
    only when the item had several; one on no agenda item (electing the
    chair) by its question. Then, in agenda order, each item's own outcome
    where no resolution on it gave that outcome already: a report received
    (보고접수), an item decided without a recorded vote, or an item's final
    word after, say, a rejected amendment. ``mask`` is applied to questions
    (the public version's NameMasker).
    """
    items = {(item["kind"], item["number"]): item for item in agenda}
    taken_on = {}
    for resolution in resolutions:
        taken_on.setdefault(_item_key(resolution), []).append(resolution)

    def subject(item):
        return f"【{item['number']}】 {item['title']}"

    lines = []
    for resolution in resolutions:
        key = _item_key(resolution)
        question = mask(resolution["question"])
        if key not in items:
            line = question
        elif len(taken_on[key]) > 1:
            line = f"{subject(items[key])}: {question}"
        else:
            line = subject(items[key])
        lines.append(
            {
                "subject": line,
                "outcome_label": resolution["outcome_label"],
                "method_label": resolution["method_label"],
                "tally": resolution["tally"],
            }
        )
    for key, item in items.items():
        given = {resolution["outcome_label"] for resolution in taken_on.get(key, [])}
        if item["outcome_label"] and item["outcome_label"] not in given:
            lines.append(
                {
                    "subject": subject(item),
                    "outcome_label": item["outcome_label"],
                    "method_label": "",
                    "tally": "",
                }
            )
    return lines


def _item_key(resolution):
    item = resolution["agenda_item"]
    return (item["kind"], item["number"]) if item else None


def canonical_json(content):
    """``content`` as deterministic bytes: sorted keys, NFC text, LF newlines.

    The same content always gives the same bytes, so their SHA-256 identifies
    a version of the minutes.
    """
    text = json.dumps(
        _normalised(content), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return text.encode("utf-8")


def content_sha256(content):
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _normalised(value):
    """``value`` with every text in it normalised (NFC, LF): see normalise_text."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


@dataclass
class AgendaGroup:
    label: str
    items: list

    @property
    def count(self):
        return len(self.items)


@dataclass
class Remark:
    """One speaker block as printed: its heading and its statements.

    A stage direction or an agenda heading (``kind``) has no heading: its
    statements print as the source printed them.
    """

    heading: str
    statements: list
    kind: str = "speech"

    @property
    def is_spoken(self):
        return self.kind not in UNSPOKEN_KINDS


class MinutesDocument:
    """Every section of the minutes, in print order, ready for the templates.

    Built from content (minutes_content() of a live meeting, or a frozen
    version's), internal or public; the formatting of dates and titles follows
    the active language.
    """

    def __init__(self, content, *, public, seal=None):
        if public:
            content = public_content(content)
        self.content = content
        self.public = public
        # The signed PDF's evidence: signatures by signer name, and the record.
        self.seal = seal
        meeting = content["meeting"]
        self.committee = content["committee"]
        parts = {
            "year": meeting["year"],
            "sequence": meeting["sequence"],
            "committee": self.committee["name"],
        }
        self.title = _("%(year)s no. %(sequence)s 「%(committee)s」 minutes") % parts
        self.cover_title = _("%(year)s no. %(sequence)s %(committee)s minutes") % parts
        self.document_date = format_document_date(
            datetime.date.fromisoformat(meeting["document_date"])
        )
        self.when = format_meeting_time(
            datetime.datetime.fromisoformat(meeting["starts_at"]),
            datetime.datetime.fromisoformat(meeting["ends_at"]),
        )
        block = content["signature_block"]
        signed = {s["name"]: s for s in seal["signatures"]} if seal else {}
        self.signers = [
            {**s, "signature": signed.get(s["name"])} for s in block if s["role"] == "signer"
        ]
        self.confirmer = next((s for s in block if s["role"] == "confirmer"), None)
        self.author = next((s for s in block if s["role"] == "author"), None)
        attendance = content["attendance"]
        self.external_members = attendance["external"]
        self.internal_members = attendance["internal"]
        self.present_count = len(self.external_members) + len(self.internal_members)
        self.non_member_attendees = attendance["non_members"]
        self.proceedings = content["proceedings"]
        groups = {}
        for item in content["agenda"]:
            groups.setdefault(item["kind"], AgendaGroup(item["kind_label"], [])).items.append(item)
        self.agenda_groups = list(groups.values())
        # 의결사항: the public content holds the printed lines already.
        self.decisions = (
            content["decisions"]
            if "decisions" in content
            else decisions(content["agenda"], content["resolutions"])
        )
        self.remarks = [
            Remark(
                heading=r["heading"]
                if "heading" in r
                else speaker_heading(r["speaker"], r["label"], public=False),
                statements=r["statements"],
                kind=remark_kind(r),
            )
            for r in content["remarks"]
        ]

    def canonical_json(self):
        """What this version of the document shows, as deterministic bytes."""
        return canonical_json(self.content)


@dataclass
class RemarkChange:
    """One difference between two texts of the remarks: before and/or after."""

    kind: str  # "changed", "added" or "removed"
    before: list
    after: list


def remark_changes(old_content, new_content):
    """What changed in the remarks from one text of the minutes to another.

    Speaker blocks are compared in order (heading and statements), the way a
    reader compares two printouts: changed, added and removed blocks. Stage
    directions and agenda headings take part as entries without a heading
    (``kind`` says which): a direction turned into speech is a change.
    """

    def blocks(content):
        return [
            (
                remark_kind(r),
                speaker_heading(r["speaker"], r["label"], public=False)
                if remark_kind(r) not in UNSPOKEN_KINDS
                else "",
                tuple(r["statements"]),
            )
            for r in content["remarks"]
        ]

    def printed(block_list):
        return [
            {"kind": kind, "heading": heading, "statements": list(lines)}
            for kind, heading, lines in block_list
        ]

    old, new = blocks(old_content), blocks(new_content)
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            changes.append(RemarkChange("changed", printed(old[i1:i2]), printed(new[j1:j2])))
        elif tag == "delete":
            changes.append(RemarkChange("removed", printed(old[i1:i2]), []))
        elif tag == "insert":
            changes.append(RemarkChange("added", [], printed(new[j1:j2])))
    return changes


@dataclass
class PrintedDocument:
    """What the minutes page prints of a document: its title and its paper, rendered.

    Small and plain, so that the page can keep it in the "pages" cache under
    paper_key() and print it again without building the document.
    """

    title: str
    html: str

    @classmethod
    def of(cls, document):
        html = render_to_string(
            "meetings/_paper.html", {"document": document, "public": document.public}
        )
        return cls(str(document.title), mark_safe(html))


def paper_key(sha256, *, public, seal=None):
    """The cache key of the printed document: content, version, language and seal."""
    version = "public" if public else "internal"
    code = ""
    if seal is not None:
        # The code alone is derived from the content, so the same text signed
        # in another database (a reloaded demo, a restored copy) has it too:
        # the signatures' chained row hashes tell those records apart.
        rows = ",".join(signature.row_sha256 for signature in seal.version.signatures.all())
        code = f"{seal.verification_code}:{hashlib.sha256(rows.encode()).hexdigest()[:32]}"
    return f"paper:{sha256}:{version}:{translation.get_language()}:{code}"
