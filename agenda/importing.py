"""Importing a whole minutes document into a new draft meeting.

parse_document() reads the text; this module writes what it read through
the models, matching people to the committee's roster, and keeps a report
of what it recognised, what it added and what it could not place.

It never refuses a document that has remarks. What the document does not
say, or says in a way the model cannot store, gets a stated fallback (the
date: today; the number: the next free one of that year; the times: 10:00
to 12:00; the place: "(place unknown)") and a MeetingCheck row that names
the fallback and the source line, so the draft cannot go to review before a
person has looked. Every uncertainty the parser reports (``Document.checks``)
becomes a MeetingCheck too. Text that fits nowhere goes to the meeting's
unplaced note, never away. Only a document with neither remarks nor
anything of an overview - empty, whitespace, garbage - is refused.

Values the secretary gives (``Overrides``: the upload page's preview form,
the command's flags) win over the document's. ``preview()`` runs the very
same code in a transaction it rolls back, so the preview and the import
cannot disagree.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from committees.models import Member, Person
from meetings.models import (
    Attendance,
    Meeting,
    MeetingCheck,
    NonMemberAttendee,
    ProceedingsItem,
    Signatory,
)
from minutes_site.dates import day as printed_day
from minutes_site.inputs import strip_control, validate_meeting_day

from . import parsing
from .editing import MAX_BLOCKS
from .matching import SpeakerMatcher
from .models import AgendaItem, Outcome, Resolution, SpeakerBlock, Statement

Kind = SpeakerBlock.SpeakerKind

# The placeholders put where the document is silent (each with a check).
PLACEHOLDER_STARTS = datetime.time(10, 0)
PLACEHOLDER_LENGTH = datetime.timedelta(hours=2)
# A check quotes at most this much of its source line; the line itself is
# kept whole in the record or the unplaced note.
QUOTE_LIMIT = 500


class ImportRefused(Exception):
    """The document cannot become a meeting; nothing was saved."""


@dataclass
class Overrides:
    """Values the secretary gives for the meeting; each given one wins over the document's."""

    year: int | None = None
    sequence: int | None = None
    day: datetime.date | None = None
    starts: datetime.time | None = None
    ends: datetime.time | None = None
    place: str | None = None


@dataclass
class Report:
    """What an import did (or, from preview(), would do), in lines a secretary can act on.

    ``meeting`` is the new draft; after preview() it is the unsaved meeting
    (``pk`` None) as it would have been created.
    """

    meeting: Meeting | None = None
    recognised: list = field(default_factory=list)
    added: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    blocks: int = 0  # speaker blocks: somebody's words
    statements: int = 0  # statements in those blocks
    convention: str = ""  # the parser's plug-in name: "reference", "transcript", ...
    confidence: float = 0.0
    directions: int = 0  # stage directions kept as entries of their own (not agenda headings)
    attendees: int = 0  # members marked present
    agenda_items: int = 0
    resolutions: int = 0
    checks: list = field(default_factory=list)  # (source line or None, message)
    new_people: list = field(default_factory=list)  # who is added to the roster or attendees
    document: object = None  # the parsed parsing.Document

    def lines(self):
        yield _("Convention: %(convention)s (confidence %(confidence)s%%)") % {
            "convention": convention_label(self.convention),
            "confidence": round(self.confidence * 100),
        }
        yield _(
            "%(blocks)s speaker blocks with %(statements)s statements, %(directions)s stage "
            "directions, %(attendees)s members present, %(agenda)s agenda items, "
            "%(resolutions)s resolutions"
        ) % {
            "blocks": self.blocks,
            "statements": self.statements,
            "directions": self.directions,
            "attendees": self.attendees,
            "agenda": self.agenda_items,
            "resolutions": self.resolutions,
        }
        checks = [
            (_("line %(line)s: %(message)s") % {"line": line, "message": message})
            if line
            else message
            for line, message in self.checks
        ]
        sections = [
            (_("Recognised"), self.recognised),
            (_("Added"), self.added),
            (_("To check before review"), checks),
            (_("Check"), self.flagged),
            (_("Unplaced text (kept in the meeting's unplaced note)"), self.unplaced),
        ]
        for title, entries in sections:
            if entries:
                yield f"{title}:"
                yield from (f"  - {entry}" for entry in entries)


CONVENTIONS = {
    "reference": gettext_lazy("summary minutes with <speaker> headings"),
    "transcript": gettext_lazy("verbatim transcript (○speaker)"),
    "parenthesised": gettext_lazy("transcript with (speaker) in parentheses"),
    "own_line": gettext_lazy("transcript with the speaker on a line of its own"),
    "summary": gettext_lazy("summary minutes (개요식)"),
    "english": gettext_lazy("English council minutes"),
}


def convention_label(name):
    """A convention's name for people; unknown plug-ins by their code."""
    return str(CONVENTIONS.get(name, name or "-"))


# What the parser's check topics concern, in words.
TOPICS = {
    "title": gettext_lazy("the title"),
    "committee": gettext_lazy("the committee"),
    "year": gettext_lazy("the year"),
    "sequence": gettext_lazy("the meeting's number (차수)"),
    "day": gettext_lazy("the date"),
    "starts": gettext_lazy("the start time"),
    "ends": gettext_lazy("the end time"),
    "place": gettext_lazy("the place"),
    "attendees": gettext_lazy("the members present"),
    "non_members": gettext_lazy("the non-member attendees"),
    "agenda": gettext_lazy("the agenda"),
    "proceedings": gettext_lazy("the order of proceedings"),
    "speaker": gettext_lazy("who spoke"),
    "line": gettext_lazy("this line"),
    "resolution": gettext_lazy("a decision"),
}

# The parser's reason codes, in words; %(topic)s is one of TOPICS.
REASONS = {
    "missing": gettext_lazy("The document does not give %(topic)s."),
    "uncertain": gettext_lazy("%(topic)s was read with some doubt: check it."),
    "guessed": gettext_lazy("%(topic)s was guessed from the text around it: check it."),
    "names_run_together": gettext_lazy(
        "Names are written together without separators and could not be split with "
        "certainty: check %(topic)s."
    ),
    "speaker_uncertain": gettext_lazy(
        "It is not certain who speaks here: check the speaker of this passage."
    ),
    "joined_across_break": gettext_lazy(
        "A line or page break fell inside a sentence here; check the spacing where the "
        "lines were joined."
    ),
}
UNKNOWN_REASON = gettext_lazy("Check %(topic)s (%(reason)s).")


def check_message(check):
    """A parser Check in words the secretary reads."""
    topic = TOPICS.get(check.topic, check.topic)
    template = REASONS.get(check.reason, UNKNOWN_REASON)
    message = str(template) % {"topic": topic, "reason": check.reason}
    return message[:1].upper() + message[1:]


def quoted(text):
    text = text or ""
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def unplaced_note(entries):
    """The unplaced note's text: one 'line N: text' per entry."""
    return "\n".join(
        _("line %(line)s: %(text)s") % {"line": entry.line, "text": entry.text} for entry in entries
    )


class _RolledBack(Exception):
    """Ends preview()'s transaction after the report is made."""

    def __init__(self, report):
        self.report = report


def preview(text, committee, *, overrides=None):
    """The Report import_minutes() would give, with nothing saved.

    The same code path inside a transaction that is rolled back; the
    report's meeting is the unsaved meeting (pk None).
    """
    try:
        with transaction.atomic():
            raise _RolledBack(import_minutes(text, committee, overrides=overrides))
    except _RolledBack as rolled_back:
        report = rolled_back.report
    report.meeting.pk = None
    return report


def import_minutes(text, committee, *, user=None, overrides=None):
    """A new draft meeting of ``committee`` from the minutes in ``text``.

    Raises ImportRefused (and saves nothing) only when the document holds no
    minutes at all: neither remarks nor anything of an overview. Values in
    ``overrides`` win over the document's; a number already taken by another
    meeting of the committee, or a year not of the date, given there, is
    refused too (the secretary asked for something impossible).
    """
    overrides = overrides or Overrides()
    text, removed = strip_control(text)
    document = parsing.parse_document(text)
    _refuse_if_empty(document)
    report = Report(document=document)
    report.convention = document.convention
    report.confidence = document.confidence
    if removed:
        report.recognised.append(
            ngettext(
                "%(count)s control character was taken out of the text.",
                "%(count)s control characters were taken out of the text.",
                removed,
            )
            % {"count": removed}
        )
    checks = _Checks(report)
    with transaction.atomic():
        meeting = _create_meeting(document, committee, overrides, user, checks, report)
        _record_attendance(meeting, document, checks, report)
        attendees = _record_non_members(meeting, document.overview, checks, report)
        _record_proceedings(meeting, document.overview, checks, report)
        items = _record_agenda(meeting, document.overview, checks, report)
        blocks = _record_remarks(meeting, document, items, checks, report)
        _record_resolutions(meeting, document.resolutions, items, blocks, checks, report)
        _record_signatories(meeting, document.overview, attendees, checks, report)
        unplaced = sorted(
            [*document.unplaced, *document.remarks.unplaced], key=lambda entry: entry.line
        )
        if unplaced:
            meeting.unplaced_text = unplaced_note(unplaced)
            meeting.save(update_fields=["unplaced_text"])
            report.unplaced.extend(unplaced_note([entry]) for entry in unplaced)
        for dropped in document.remarks.dropped:
            report.recognised.append(
                _("line %(line)s: page number or running header removed (%(text)s)")
                % {"line": dropped.line, "text": dropped.text}
            )
        checks.add_document_checks(document.checks)
        checks.save(meeting)
    report.meeting = meeting
    return report


def _refuse_if_empty(document):
    overview = document.overview
    has_overview = any(
        [
            overview.title,
            overview.committee,
            overview.year,
            overview.sequence,
            overview.day,
            overview.starts,
            overview.place,
        ]
    )
    if not document.remarks.blocks and not has_overview:
        raise ImportRefused(
            _(
                "No minutes were found in this document: it has no remarks and no meeting "
                "overview (title, date, place). Check that it is the right file and that its "
                "text can be read. Nothing was imported."
            )
        )


# Overview fields the import always settles itself: a value given, one derived
# (the year from the date; the title from the committee, year and number) or
# a fallback that comes with a check of its own. The parser's "missing" for
# them would only repeat it, or be wrong once the secretary gave the value.
SETTLED_BY_IMPORT = frozenset({"title", "year", "sequence", "day", "starts", "ends", "place"})


def _nospace(text):
    return "".join((text or "").split())


class _Checks:
    """The points to check an import collects, saved as MeetingCheck rows at the end."""

    def __init__(self, report):
        self.report = report
        self.rows = []
        self.split_runs = set()  # names run together that the roster split

    def add(self, topic, message, line=None, text="", *, whole=False):
        self.rows.append((topic, message, line, text if whole else quoted(text)))
        self.report.checks.append((line, message))

    def add_document_checks(self, document_checks):
        for check in document_checks:
            if check.reason == "missing" and check.topic in SETTLED_BY_IMPORT:
                continue  # settled above: given, derived, or a fallback with its own check
            if check.reason == "names_run_together" and _nospace(check.text) in self.split_runs:
                continue  # the roster's names split it
            self.add(check.topic, check_message(check), check.line, check.text)

    def save(self, meeting):
        MeetingCheck.objects.bulk_create(
            MeetingCheck(
                meeting=meeting, topic=topic, message=message, source_line=line, source_text=text
            )
            for topic, message, line, text in self.rows
        )
        # In source order, as the checks panel lists them.
        self.report.checks.sort(key=lambda entry: (entry[0] is None, entry[0] or 0))

    def source(self, document, topic):
        """(line, text) of the parser's first check on ``topic``, to point at it."""
        for check in document.checks:
            if check.topic == topic:
                return check.line, check.text
        return None, ""


@dataclass
class _Settled:
    year: int
    sequence: int
    day: datetime.date
    starts: datetime.time
    ends: datetime.time
    place: str
    document_date: datetime.date


def _valid_day(day):
    try:
        validate_meeting_day(day)
    except ValidationError:
        return False
    return day is not None


def _settle(document, committee, overrides, checks):
    """The meeting's overview: the secretary's values, else the document's, else fallbacks."""
    overview = document.overview

    def fallback(topic, message):
        line, text = checks.source(document, topic)
        checks.add(topic, message, line, text)

    day = _settle_day(overview, overrides, fallback)
    year = _settle_year(overview, overrides, day, fallback)
    starts, ends = _settle_times(overview, overrides, fallback)
    sequence = _settle_sequence(overview, overrides, committee, year, fallback)
    place = _settle_place(overview, overrides, checks, fallback)
    year_month = overview.document_date or (day.year, day.month)
    try:
        document_date = datetime.date(*year_month, 1)
    except (TypeError, ValueError):
        document_date = None
    if not _valid_day(document_date):
        document_date = datetime.date(day.year, day.month, 1)
    return _Settled(year, sequence, day, starts, ends, place, document_date)


def _settle_day(overview, overrides, fallback):
    if overrides.day is not None:
        return overrides.day
    if overview.day is not None and _valid_day(overview.day):
        return overview.day
    # A document numbered in a year keeps that year: the model wants the
    # meeting dated in the year it is numbered in.
    today = timezone.localdate()
    year = overrides.year or overview.year
    day = today if not year or year == today.year else datetime.date(year, 1, 1)
    if not _valid_day(day):
        day = today
    if overview.day is not None:
        fallback(
            "day",
            _("The document's date %(date)s cannot be a meeting's date; %(value)s was put in.")
            % {"date": printed_day(overview.day), "value": printed_day(day)},
        )
    else:
        fallback(
            "day",
            _("The document gives no date; %(value)s was put in.") % {"value": printed_day(day)},
        )
    return day


def _settle_year(overview, overrides, day, fallback):
    """The year of the date: the model's rule. The document numbering another is a check."""
    if overrides.year and overrides.year != day.year:
        raise ImportRefused(
            _(
                "The year %(year)s is not the year of the meeting's date %(day)s. "
                "Nothing was imported."
            )
            % {"year": overrides.year, "day": printed_day(day)}
        )
    if not overrides.year and overview.year and overview.year != day.year:
        fallback(
            "year",
            _(
                "The document numbers the meeting in %(document)s but dates it in %(year)s; "
                "%(year)s was used."
            )
            % {"document": overview.year, "year": day.year},
        )
    return day.year


def _settle_times(overview, overrides, fallback):
    starts = overrides.starts or overview.starts
    if starts is None:
        starts = PLACEHOLDER_STARTS
        fallback(
            "starts",
            _("The document gives no start time; %(value)s was put in.")
            % {"value": f"{starts:%H:%M}"},
        )
    latest = datetime.time(23, 59)
    if starts >= latest:  # nothing can end after it on the same day
        starts = datetime.time(23, 0)
    placeholder = datetime.datetime.combine(datetime.date.min, starts) + PLACEHOLDER_LENGTH
    placeholder = placeholder.time() if placeholder.date() == datetime.date.min else latest
    ends = overrides.ends or overview.ends
    if ends is None:
        ends = placeholder
        fallback(
            "ends",
            _("The document gives no end time; %(value)s was put in.") % {"value": f"{ends:%H:%M}"},
        )
    elif ends <= starts:
        if overrides.ends and overrides.starts:
            raise ImportRefused(_("The meeting must end after it starts. Nothing was imported."))
        fallback(
            "ends",
            _("The end time %(ends)s is not after the start %(starts)s; %(value)s was put in.")
            % {
                "ends": f"{ends:%H:%M}",
                "starts": f"{starts:%H:%M}",
                "value": f"{placeholder:%H:%M}",
            },
        )
        ends = placeholder
    return starts, ends


def _settle_sequence(overview, overrides, committee, year, fallback):
    taken = Meeting.objects.filter(committee=committee, year=year)
    if overrides.sequence:
        if taken.filter(sequence=overrides.sequence).exists():
            raise ImportRefused(
                _(
                    "%(committee)s already has a meeting %(year)s no. %(sequence)s. "
                    "Nothing was imported."
                )
                % {"committee": committee.name, "year": year, "sequence": overrides.sequence}
            )
        return overrides.sequence
    if overview.sequence and not taken.filter(sequence=overview.sequence).exists():
        return overview.sequence
    sequence = (taken.aggregate(last=Max("sequence"))["last"] or 0) + 1
    if overview.sequence:
        fallback(
            "sequence",
            _(
                "%(committee)s already has a meeting %(year)s no. %(sequence)s; the next free "
                "number, %(value)s, was used."
            )
            % {
                "committee": committee.name,
                "year": year,
                "sequence": overview.sequence,
                "value": sequence,
            },
        )
    else:
        fallback(
            "sequence",
            _(
                "The document gives no meeting number (차수); the next free one, %(value)s, "
                "was used."
            )
            % {"value": sequence},
        )
    return sequence


def _settle_place(overview, overrides, checks, fallback):
    """The place: required by the model, so a placeholder says it is unknown."""
    place = (overrides.place or "").strip() or overview.place
    limit = Meeting._meta.get_field("place").max_length
    unknown = _("(place unknown)")
    if len(place) > limit:
        checks.add(
            "place",
            _(
                "The place the document gives is longer than %(limit)s characters (quoted "
                "here); “%(value)s” was put in."
            )
            % {"limit": limit, "value": unknown},
            None,
            place,
        )
        return unknown
    if not place:
        fallback(
            "place", _("The document gives no place; “%(value)s” was put in.") % {"value": unknown}
        )
        return unknown
    return place


def _create_meeting(document, committee, overrides, user, checks, report):
    overview = document.overview
    settled = _settle(document, committee, overrides, checks)
    zone = timezone.get_current_timezone()
    meeting = Meeting(
        committee=committee,
        year=settled.year,
        sequence=settled.sequence,
        starts_at=datetime.datetime.combine(settled.day, settled.starts, zone),
        ends_at=datetime.datetime.combine(settled.day, settled.ends, zone),
        place=settled.place,
        document_date=settled.document_date,
        updated_by=user,
    )
    try:
        # The same checks as the editor's; the fallbacks above should leave
        # nothing for them, so a failure is the secretary's override.
        meeting.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        problems = "; ".join(
            f"{Meeting._meta.get_field(field).verbose_name}: {' '.join(messages)}"
            if field != "__all__"
            else " ".join(messages)
            for field, messages in invalid.message_dict.items()
        )
        raise ImportRefused(
            _("The meeting's overview cannot be stored (%(problems)s). Nothing was imported.")
            % {"problems": problems}
        ) from None
    meeting.save()
    report.recognised.append(
        _("meeting %(meeting)s, %(day)s %(start)s~%(end)s, %(place)s")
        % {
            "meeting": meeting,
            "day": printed_day(settled.day),
            "start": f"{settled.starts:%H:%M}",
            "end": f"{settled.ends:%H:%M}",
            "place": settled.place,
        }
    )
    if overview.committee and overview.committee != committee.name:
        checks.add(
            "committee",
            _("The document is titled for %(document)s but was imported into %(committee)s.")
            % {"document": overview.committee, "committee": committee.name},
        )
    return meeting


def _fitted(text, limit, topic, checks):
    """``text`` within a column of ``limit`` characters; a longer one is shortened
    with a check that quotes it whole, so that nothing is cut silently."""
    if len(text) <= limit:
        return text
    checks.add(
        topic,
        _(
            "A text longer than the %(limit)s characters its field holds was shortened "
            "(quoted here whole); check it."
        )
        % {"limit": limit},
        None,
        text,
        whole=True,
    )
    return text[: limit - 1] + "…"


def _looks_run_together(name):
    """Hangul only and longer than any Korean name: several names without separators."""
    return len(name) >= 6 and all("가" <= char <= "힣" for char in name)


def _listed_members(document, roster, checks):
    """(kind or None, parsing.Person) of every member the document lists as present.

    External and internal lists say the kind; ``overview.attendees`` does not,
    and the roster decides. Names run together that the parser could not
    split are split by the roster's names and the speakers'; a run nobody can
    split is left to its check, not added to the roster as one person.
    """
    overview = document.overview
    known = {m.person.name for m in roster}
    known |= {
        block.speaker.name
        for block in document.remarks.blocks
        if block.speaker is not None and block.speaker.name and not block.speaker.redacted
    }
    listed = []
    for kind, people in [
        (Member.Kind.EXTERNAL, overview.external),
        (Member.Kind.INTERNAL, overview.internal),
        (None, overview.attendees),
    ]:
        for person in people:
            if person.name in known or not _looks_run_together(person.name):
                listed.append((kind, person))
                continue
            names = parsing.split_names(person.name, known)
            if names:
                checks.split_runs.add(_nospace(person.name))
                listed += [(kind, parsing.Person(name, person.position)) for name in names]
            elif not any(
                check.reason == "names_run_together"
                and _nospace(check.text) == _nospace(person.name)
                for check in document.checks
            ):
                checks.add(
                    "attendees",
                    check_message(parsing.Check("attendees", "names_run_together")),
                    None,
                    person.name,
                )
    return listed


def _record_attendance(meeting, document, checks, report):
    """Listed members present (added to the roster if new); the rest absent."""
    overview = document.overview
    day = meeting.meeting_day
    roster = list(
        Member.objects.filter(committee=meeting.committee).serving_on(day).select_related("person")
    )
    present = []
    guessed_kind = []
    name_limit = Person._meta.get_field("name").max_length
    for kind, listed in _listed_members(document, roster, checks):
        if not listed.name or len(listed.name) > name_limit:
            checks.add(
                "attendees",
                _("An attendee's name could not be read (quoted here); add them by hand."),
                None,
                listed.name,
            )
            continue
        same_name = [m for m in roster if m.person.name == listed.name]
        if len(same_name) > 1:
            checks.add(
                "attendees",
                _("Several roster members are named %(name)s: the first was marked present.")
                % {"name": listed.name},
            )
        if same_name:
            member = same_name[0]
        else:
            person = Person.objects.create(
                name=listed.name, position=_fitted(listed.position, 100, "attendees", checks)
            )
            member = Member.objects.create(
                committee=meeting.committee,
                person=person,
                kind=kind or Member.Kind.EXTERNAL,
                term_start=day,
            )
            roster.append(member)
            if kind is None:
                guessed_kind.append(listed.name)
            line = _("%(name)s added to the roster as %(kind)s (term from %(day)s)") % {
                "name": listed.name,
                "kind": member.get_kind_display(),
                "day": printed_day(day),
            }
            report.added.append(line)
            report.new_people.append(line)
        if member not in present:
            present.append(member)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, status="present") for m in present]
        + [
            Attendance(meeting=meeting, member=m, status="absent")
            for m in roster
            if m not in present
        ]
    )
    report.attendees = len(present)
    report.recognised.append(_("%(count)s members present") % {"count": len(present)})
    if guessed_kind:
        checks.add(
            "attendees",
            _(
                "The document does not say whether these new members are external or "
                "internal; they were added as external: %(names)s"
            )
            % {"names": ", ".join(guessed_kind)},
        )
    if overview.attendee_count is not None and overview.attendee_count != len(present):
        checks.add(
            "attendees",
            _("The document counts %(stated)s members present but lists %(listed)s.")
            % {"stated": overview.attendee_count, "listed": len(present)},
        )


def _record_non_members(meeting, overview, checks, report):
    """The non-member attendees (배석) and the officials of closing lists, each once."""
    attendees, seen = [], set()
    entries = [*overview.non_members, *overview.officials]
    for entry in entries:
        key = (entry.name, entry.position) if isinstance(entry, parsing.Person) else entry
        if key in seen:
            continue
        seen.add(key)
        position = len(attendees) + 1
        if isinstance(entry, parsing.Person):
            person, created = Person.objects.known_or_new(
                _fitted(entry.name, 50, "non_members", checks),
                _fitted(entry.position, 100, "non_members", checks),
            )
            attendee = NonMemberAttendee(meeting=meeting, position=position, person=person)
            if created:
                report.new_people.append(
                    _("%(name)s (%(position)s) added as a non-member attendee")
                    % {"name": person.name, "position": person.position or "-"}
                )
        else:
            attendee = NonMemberAttendee(
                meeting=meeting,
                position=position,
                description=_fitted(entry, 200, "non_members", checks),
            )
        attendee.save()
        attendees.append(attendee)
    if attendees:
        report.recognised.append(
            _("non-member attendees: %(list)s")
            % {"list": ", ".join(a.display_name for a in attendees)}
        )
    return attendees


def _record_proceedings(meeting, overview, checks, report):
    depths = []
    for depth, _text in overview.proceedings:
        depths.append(min(depth, (depths[-1] + 1) if depths else 0, ProceedingsItem.MAX_DEPTH))
    ProceedingsItem.objects.bulk_create(
        ProceedingsItem(
            meeting=meeting,
            position=position,
            depth=depth,
            text=_fitted(text, 300, "proceedings", checks),
        )
        for position, (depth, (_d, text)) in enumerate(
            zip(depths, overview.proceedings, strict=True), start=1
        )
    )
    if overview.proceedings:
        report.recognised.append(
            _("order of proceedings: %(count)s lines") % {"count": len(overview.proceedings)}
        )


def _record_agenda(meeting, overview, checks, report):
    """The agenda items, as a list parallel to ``overview.agenda`` (a repeat maps to the first)."""
    by_number, items = {}, []
    for kind, number, title in overview.agenda:
        if (kind, number) in by_number:
            checks.add(
                "agenda",
                _("Agenda item %(number)s appears twice; the second was left out: %(title)s")
                % {"number": number, "title": title},
            )
        else:
            by_number[kind, number] = AgendaItem.objects.create(
                meeting=meeting,
                kind=kind,
                number=number,
                title=_fitted(title, 300, "agenda", checks),
            )
        items.append(by_number[kind, number])
    report.agenda_items = len(by_number)
    if by_number:
        report.recognised.append(
            _("agenda: %(list)s") % {"list": "; ".join(str(item) for item in by_number.values())}
        )
    return items


def _split_long(text, limit):
    """``text`` in pieces of at most ``limit`` characters, cut after a space where there is one."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind(" ", limit // 2, limit)
        cut = limit if cut == -1 else cut + 1
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def _entries(document, checks):
    """(parsed block, kind, statements) within the app's limits, nothing cut.

    A statement longer than Statement.MAX_LENGTH is split into several; a
    block with more statements than a block may hold continues in another
    block of the same speaker; each split is a check.
    """
    for parsed in document.remarks.blocks:
        kind = parsed.kind
        texts = []
        for text in parsed.statements:
            pieces = _split_long(text, Statement.MAX_LENGTH)
            if len(pieces) > 1:
                checks.add(
                    "line",
                    _(
                        "A statement longer than %(limit)s characters was split into %(count)s "
                        "statements; check where."
                    )
                    % {"limit": Statement.MAX_LENGTH, "count": len(pieces)},
                    parsed.line,
                    text,
                )
            texts += pieces
        if len(texts) > Statement.MAX_PER_BLOCK:
            checks.add(
                "line",
                _(
                    "A speaker's passage had more than %(limit)s statements and was split into "
                    "several blocks of the same speaker."
                )
                % {"limit": Statement.MAX_PER_BLOCK},
                parsed.line,
            )
        for start in range(0, max(len(texts), 1), Statement.MAX_PER_BLOCK):
            yield parsed, kind, texts[start : start + Statement.MAX_PER_BLOCK]


def _record_remarks(meeting, document, items, checks, report):
    """The remarks in order; returns the SpeakerBlock of each parsed block (by index).

    Speech blocks are matched to people; directions and headings are entries
    of their own with no speaker. A heading sets the agenda item of the
    speech after it, until the next heading.
    """
    matcher = SpeakerMatcher(meeting)
    matches = {}
    rows, texts, of_parsed = [], [], {}
    current_item = None
    for parsed, kind, statements in _entries(document, checks):
        block = SpeakerBlock(meeting=meeting, position=len(rows) + 1)
        if kind == "speech":
            label = parsed.speaker.label
            if label not in matches:
                matches[label] = matcher.match(label)
            matches[label].apply(block)
            block.agenda_item = current_item
        else:
            block.speaker_kind = Kind.HEADING if kind == "heading" else Kind.DIRECTION
            agenda = parsed.agenda
            if kind == "heading":
                current_item = items[agenda] if agenda is not None and agenda < len(items) else None
                block.agenda_item = current_item
        of_parsed.setdefault(id(parsed), block)
        rows.append(block)
        texts.append(statements)
    if len(rows) > MAX_BLOCKS:
        raise ImportRefused(
            _(
                "The document has %(count)s speaker blocks and directions; a meeting holds at "
                "most %(limit)s. Split it into several meetings. Nothing was imported."
            )
            % {"count": len(rows), "limit": MAX_BLOCKS}
        )
    # A new draft of our own making: written in bulk, not one guarded save each.
    SpeakerBlock.objects.bulk_create(rows)
    statements = [
        Statement(block=block, position=position, text=text)
        for block, block_texts in zip(rows, texts, strict=True)
        for position, text in enumerate(block_texts, start=1)
    ]
    Statement.objects.bulk_create(statements, batch_size=500)
    spoken = [block for block in rows if block.is_spoken]
    report.blocks = len(spoken)
    report.statements = sum(
        len(block_texts) for block, block_texts in zip(rows, texts, strict=True) if block.is_spoken
    )
    report.directions = sum(1 for block in rows if block.speaker_kind == Kind.DIRECTION)
    report.recognised.append(
        _(
            "remarks: %(blocks)s speaker blocks with %(statements)s statements, "
            "%(directions)s stage directions, %(headings)s agenda headings"
        )
        % {
            "blocks": report.blocks,
            "statements": report.statements,
            "directions": report.directions,
            "headings": len(rows) - len(spoken) - report.directions,
        }
    )
    speech = [p for p in document.remarks.blocks if p.kind == "speech"]
    for label, match in matches.items():
        lines = [str(p.line) for p in speech if p.speaker.label == label]
        where = _("lines %(lines)s") % {"lines": ", ".join(lines)}
        if not match.identified:
            report.flagged.append(f"<{label}> ({where}): {match.note}")
        elif match.note:
            report.recognised.append(f"<{label}>: {match.note}")
    for parsed in speech:
        if not parsed.statements:
            report.flagged.append(
                _("<%(label)s> at line %(line)s has no statement.")
                % {"label": parsed.speaker.label, "line": parsed.line}
            )
    return [of_parsed.get(id(parsed)) for parsed in document.remarks.blocks]


def _record_resolutions(meeting, resolutions, items, blocks, checks, report):
    by_number = {(item.kind, item.number): item for item in items}
    for position, parsed in enumerate(resolutions, start=1):
        agenda = parsed.agenda
        if agenda is not None and agenda < len(items):
            item = items[agenda]
        else:
            item = by_number.get((parsed.item_kind, parsed.item_number))
        after = blocks[parsed.block_index] if 0 <= parsed.block_index < len(blocks) else None
        votes = parsed.votes or (None, None, None)
        resolution = Resolution.objects.create(
            meeting=meeting,
            position=position,
            agenda_item=item,
            after_block=after,
            question=_fitted(parsed.question, 300, "resolution", checks),
            method=parsed.method,
            votes_for=votes[0],
            votes_against=votes[1],
            abstentions=votes[2],
            outcome=parsed.outcome,
        )
        if item is not None and not item.outcome and parsed.outcome in Outcome.values:
            item.outcome = parsed.outcome
            item.save(update_fields=["outcome"])
        report.recognised.append(
            _("resolution: %(question)s → %(outcome)s (%(method)s)")
            % {
                "question": resolution.question,
                "outcome": resolution.get_outcome_display(),
                "method": resolution.get_method_display(),
            }
        )
    report.resolutions = len(resolutions)


def _record_signatories(meeting, overview, attendees, checks, report):
    present = {
        a.member.person.name: a.member.person
        for a in meeting.attendances.filter(status="present").select_related("member__person")
    }
    known = {a.person.name: a.person for a in attendees if a.person_id}
    positions = {}
    for role, title, name in overview.signatories:
        if role == Signatory.Role.SIGNER:
            person = present.get(name)
            if person is None:
                checks.add(
                    "signatories",
                    _("%(name)s is named to sign but did not attend as a member: left out.")
                    % {"name": name},
                )
                continue
            printed = "" if title == meeting.committee.signer_title else title
        else:
            person, created = known.get(name) or present.get(name), False
            if person is None:
                person, created = Person.objects.known_or_new(name, title)
            if created:
                line = _("%(name)s (%(title)s) added as a person for the signature block") % {
                    "name": name,
                    "title": title,
                }
                report.added.append(line)
                report.new_people.append(line)
            printed = "" if title == person.position else title
        position = positions[role] = positions.get(role, 0) + 1
        Signatory.objects.create(
            meeting=meeting, role=role, position=position, person=person, printed_title=printed
        )
        report.recognised.append(
            _("signature block: %(role)s %(name)s")
            % {"role": Signatory.Role(role).label, "name": name}
        )
