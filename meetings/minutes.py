"""The minutes as a reader sees them, built from a meeting loaded with_minutes().

One builder serves every rendering (the page now, the PDF later): it turns
the stored record into the document's sections in the reference's order, and
applies redaction for the public version. It reads only prefetched relations,
so building costs no queries beyond Meeting.objects.with_minutes().
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from committees.models import Member

from .models import Signatory

# What the public minutes print in place of a person's name: <000위원>.
REDACTED_NAME = "000"

# The minutes print one-character weekdays, (목); Django's own abbreviations
# are longer in Korean, so the document keeps its own.
SHORT_WEEKDAYS = [
    pgettext_lazy("one-character weekday", "Mon"),
    pgettext_lazy("one-character weekday", "Tue"),
    pgettext_lazy("one-character weekday", "Wed"),
    pgettext_lazy("one-character weekday", "Thu"),
    pgettext_lazy("one-character weekday", "Fri"),
    pgettext_lazy("one-character weekday", "Sat"),
    pgettext_lazy("one-character weekday", "Sun"),
]


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


@dataclass
class AgendaGroup:
    label: str
    items: list

    @property
    def count(self):
        return len(self.items)


@dataclass
class Remark:
    """One speaker block as printed: its heading and its statements."""

    block_id: int
    heading: str
    statements: list


class NameMasker:
    """Replaces people's names in free text with 000 for the public minutes."""

    def __init__(self, names, mask):
        names = sorted({n for n in names if n}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None
        self.mask = mask

    def __call__(self, text):
        if self.pattern is None:
            return text
        return self.pattern.sub(self.mask, text)


class MinutesDocument:
    """Every section of the minutes, in print order, for one meeting."""

    def __init__(self, meeting, *, public):
        self.meeting = meeting
        self.public = public
        committee = meeting.committee
        self.committee = committee
        self.title = _("%(year)s no. %(sequence)s 「%(committee)s」 minutes") % {
            "year": meeting.year,
            "sequence": meeting.sequence,
            "committee": committee.name,
        }
        self.cover_title = _("%(year)s no. %(sequence)s %(committee)s minutes") % {
            "year": meeting.year,
            "sequence": meeting.sequence,
            "committee": committee.name,
        }
        self.document_date = format_document_date(meeting.document_date)
        self.when = format_meeting_time(meeting.starts_at, meeting.ends_at)
        self._build_signature_block()
        self._build_attendance()
        self.proceedings = build_outline(meeting.proceedings.all())
        self._build_agenda()
        self._build_remarks()

    def _build_signature_block(self):
        signatories = list(self.meeting.signatories.all())
        for signatory in signatories:
            # The committee is already loaded: spare Signatory.title a query.
            signatory.meeting = self.meeting
        by_role = {role: [] for role in Signatory.Role.values}
        for signatory in signatories:
            by_role[signatory.role].append(signatory)
        self.signers = by_role[Signatory.Role.SIGNER]
        self.confirmer = next(iter(by_role[Signatory.Role.CONFIRMER]), None)
        self.author = next(iter(by_role[Signatory.Role.AUTHOR]), None)

    def _build_attendance(self):
        present, self.absent_members = self.meeting.voting_attendance()
        self.external_members = [m for m in present if m.kind == Member.Kind.EXTERNAL]
        self.internal_members = [m for m in present if m.kind == Member.Kind.INTERNAL]
        self.present_count = len(present)
        everyone = list(self.meeting.non_member_attendees.all())
        self._non_member_people = [a.person for a in everyone if a.person_id]
        self.non_member_attendees = [a for a in everyone if a.included_in_id is None]

    def _build_agenda(self):
        items = sorted(self.meeting.agenda_items.all(), key=lambda i: (i.kind_rank, i.number))
        groups = {}
        for item in items:
            groups.setdefault(item.kind, AgendaGroup(item.get_kind_display(), [])).items.append(
                item
            )
        self.agenda_groups = list(groups.values())
        self.resolutions = list(self.meeting.resolutions.all())

    def _build_remarks(self):
        mask = self._name_masker() if self.public else (lambda text: text)
        self.remarks = [
            Remark(
                block_id=block.pk,
                heading=block.heading(public=self.public),
                statements=[mask(s.text) for s in block.statements.all()],
            )
            for block in self.meeting.speaker_blocks.all()
        ]

    def _name_masker(self):
        """Everybody named anywhere in the meeting's record, roster first."""
        names = [m.person.name for m in self.meeting.committee.roster]
        names += [person.name for person in self._non_member_people]
        names += [s.person.name for s in self.meeting.signatories.all()]
        return NameMasker(names, REDACTED_NAME)

    def canonical(self):
        """Everything this version of the minutes shows, as plain data.

        The same content as the printed page, in print order, so that it can
        be embedded in the archive PDF and hashed: the public version carries
        only what the public version shows.
        """
        meeting, committee = self.meeting, self.committee

        def signatory(entry):
            return {"role": entry.role, "title": entry.title, "name": entry.person.name}

        def outline(nodes):
            return [{"text": n.text, "children": outline(n.children)} for n in nodes]

        return {
            "format": "minutes/1",
            "version": "public" if self.public else "internal",
            "committee": {
                "name": committee.name,
                "organisation": committee.organisation,
                "department": committee.department,
            },
            "meeting": {
                "year": meeting.year,
                "sequence": meeting.sequence,
                "title": self.title,
                "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
                "ends_at": timezone.localtime(meeting.ends_at).isoformat(),
                "place": meeting.place,
                "document_date": self.document_date,
            },
            "signature_block": [
                signatory(entry)
                for entry in [*self.signers, self.confirmer, self.author]
                if entry is not None
            ],
            "attendance": {
                "present": self.present_count,
                "external": [m.person.name for m in self.external_members],
                "internal": [
                    {"name": m.person.name, "position": m.person.position}
                    for m in self.internal_members
                ],
                "non_members": [a.display_name for a in self.non_member_attendees],
            },
            "proceedings": outline(self.proceedings),
            "agenda": [
                {
                    "kind": item.kind,
                    "number": item.number,
                    "title": item.title,
                    "outcome": item.outcome,
                }
                for group in self.agenda_groups
                for item in group.items
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
                    "votes": [r.votes_for, r.votes_against, r.abstentions],
                    "outcome": r.outcome,
                }
                for r in self.resolutions
            ],
            "remarks": [
                {"speaker": remark.heading, "statements": remark.statements}
                for remark in self.remarks
            ],
        }

    def canonical_json(self):
        """canonical() as deterministic bytes: sorted keys, NFC text, LF newlines."""
        text = json.dumps(
            _normalised(self.canonical()),
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        return text.encode("utf-8")


def _normalised(value):
    """Text in one Unicode form (NFC) and one newline (LF), however it was typed."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value
