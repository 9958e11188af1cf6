"""Importing a whole minutes document into a new draft meeting.

parse_document() reads the text; this module writes what it read through
the models, matching people to the committee's roster, and keeps a report
of what it recognised, what it added and what it could not place. Text that
fits nowhere goes to the meeting's unplaced note, never away.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Member, Person
from meetings.models import (
    Attendance,
    Meeting,
    NonMemberAttendee,
    ProceedingsItem,
    Signatory,
)

from . import parsing
from .matching import SpeakerMatcher
from .models import AgendaItem, Outcome, Resolution, SpeakerBlock, Statement


class ImportRefused(Exception):
    """The document cannot become a meeting; nothing was saved."""


@dataclass
class Report:
    """What an import did, in lines a secretary can act on."""

    meeting: Meeting | None = None
    recognised: list = field(default_factory=list)
    added: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    blocks: int = 0
    statements: int = 0

    def lines(self):
        sections = [
            (_("Recognised"), self.recognised),
            (_("Added"), self.added),
            (_("Check"), self.flagged),
            (_("Unplaced text (kept in the meeting's unplaced note)"), self.unplaced),
        ]
        for title, entries in sections:
            if entries:
                yield f"{title}:"
                yield from (f"  - {entry}" for entry in entries)


def unplaced_note(entries):
    """The unplaced note's text: one 'line N: text' per entry."""
    return "\n".join(
        _("line %(line)s: %(text)s") % {"line": entry.line, "text": entry.text} for entry in entries
    )


def import_minutes(text, committee, *, user=None):
    """A new draft meeting of ``committee`` from the minutes in ``text``.

    Raises ImportRefused (and saves nothing) when the document lacks what a
    meeting cannot do without: its year and number, date, times and place.
    """
    document = parsing.parse_document(text)
    overview = document.overview
    _require_essentials(overview, committee)
    report = Report()
    with transaction.atomic():
        meeting = _create_meeting(overview, committee, user, report)
        _record_attendance(meeting, overview, report)
        attendees = _record_non_members(meeting, overview, report)
        _record_proceedings(meeting, overview, report)
        items = _record_agenda(meeting, overview, report)
        _record_remarks(meeting, document.remarks, report)
        _record_resolutions(meeting, document.resolutions, items, report)
        _record_signatories(meeting, overview, attendees, report)
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
    report.meeting = meeting
    return report


def _require_essentials(overview, committee):
    missing = [
        label
        for label, value in [
            (_("year and number (e.g. 2024년 1차)"), overview.year and overview.sequence),
            (_("date (◆ 일 시)"), overview.day),
            (_("start and end time (◆ 일 시)"), overview.starts and overview.ends),
            (_("place (◆ 장 소)"), overview.place),
        ]
        if not value
    ]
    if missing:
        raise ImportRefused(
            _("The document does not give the meeting's %(missing)s. Nothing was imported.")
            % {"missing": ", ".join(missing)}
        )
    if overview.ends <= overview.starts:
        raise ImportRefused(_("The meeting must end after it starts. Nothing was imported."))
    if Meeting.objects.filter(
        committee=committee, year=overview.year, sequence=overview.sequence
    ).exists():
        raise ImportRefused(
            _(
                "%(committee)s already has a meeting %(year)s no. %(sequence)s. "
                "Nothing was imported."
            )
            % {"committee": committee.name, "year": overview.year, "sequence": overview.sequence}
        )


def _create_meeting(overview, committee, user, report):
    zone = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(overview.day, overview.starts, zone)
    ends_at = datetime.datetime.combine(overview.day, overview.ends, zone)
    year, month = overview.document_date or (overview.day.year, overview.day.month)
    meeting = Meeting(
        committee=committee,
        year=overview.year,
        sequence=overview.sequence,
        starts_at=starts_at,
        ends_at=ends_at,
        place=overview.place,
        document_date=datetime.date(year, month, 1),
        updated_by=user,
    )
    try:
        # The same checks as the editor's: dates 1948-2100, column lengths.
        meeting.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        problems = "; ".join(
            f"{Meeting._meta.get_field(field).verbose_name}: {' '.join(messages)}"
            if field != "__all__"
            else " ".join(messages)
            for field, messages in invalid.message_dict.items()
        )
        raise ImportRefused(
            _("The document's overview cannot be stored (%(problems)s). Nothing was imported.")
            % {"problems": problems}
        ) from None
    meeting.save()
    report.recognised.append(
        _("meeting %(meeting)s, %(day)s %(start)s~%(end)s, %(place)s")
        % {
            "meeting": meeting,
            "day": overview.day.isoformat(),
            "start": f"{overview.starts:%H:%M}",
            "end": f"{overview.ends:%H:%M}",
            "place": overview.place,
        }
    )
    if overview.committee and overview.committee != committee.name:
        report.flagged.append(
            _("The document is titled for %(document)s but was imported into %(committee)s.")
            % {"document": overview.committee, "committee": committee.name}
        )
    return meeting


def _record_attendance(meeting, overview, report):
    """Listed members present (added to the roster if new); the rest absent."""
    day = meeting.meeting_day
    roster = list(
        Member.objects.filter(committee=meeting.committee).serving_on(day).select_related("person")
    )
    present = []
    for kind, people in [
        (Member.Kind.EXTERNAL, overview.external),
        (Member.Kind.INTERNAL, overview.internal),
    ]:
        for listed in people:
            same_name = [m for m in roster if m.person.name == listed.name]
            if len(same_name) > 1:
                report.flagged.append(
                    _("Several roster members are named %(name)s: the first was marked present.")
                    % {"name": listed.name}
                )
            if same_name:
                member = same_name[0]
            else:
                person = Person.objects.create(name=listed.name, position=listed.position)
                member = Member.objects.create(
                    committee=meeting.committee, person=person, kind=kind, term_start=day
                )
                roster.append(member)
                report.added.append(
                    _("%(name)s added to the roster as %(kind)s (term from %(day)s)")
                    % {"name": listed.name, "kind": member.get_kind_display(), "day": day}
                )
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
    listed = len(overview.external) + len(overview.internal)
    report.recognised.append(
        _("%(count)s members present (%(external)s external, %(internal)s internal)")
        % {
            "count": listed,
            "external": len(overview.external),
            "internal": len(overview.internal),
        }
    )
    if overview.attendee_count is not None and overview.attendee_count != listed:
        report.flagged.append(
            _("The document counts %(stated)s members present but lists %(listed)s.")
            % {"stated": overview.attendee_count, "listed": listed}
        )


def _record_non_members(meeting, overview, report):
    attendees = []
    for position, entry in enumerate(overview.non_members, start=1):
        if isinstance(entry, parsing.Person):
            person, _created = Person.objects.known_or_new(entry.name, entry.position)
            attendee = NonMemberAttendee(meeting=meeting, position=position, person=person)
        else:
            attendee = NonMemberAttendee(meeting=meeting, position=position, description=entry)
        attendee.save()
        attendees.append(attendee)
    if attendees:
        report.recognised.append(
            _("non-member attendees: %(list)s")
            % {"list": ", ".join(a.display_name for a in attendees)}
        )
    return attendees


def _record_proceedings(meeting, overview, report):
    depths = []
    for depth, _text in overview.proceedings:
        depths.append(min(depth, (depths[-1] + 1) if depths else 0, ProceedingsItem.MAX_DEPTH))
    ProceedingsItem.objects.bulk_create(
        ProceedingsItem(meeting=meeting, position=position, depth=depth, text=text[:300])
        for position, (depth, (_d, text)) in enumerate(
            zip(depths, overview.proceedings, strict=True), start=1
        )
    )
    if overview.proceedings:
        report.recognised.append(
            _("order of proceedings: %(count)s lines") % {"count": len(overview.proceedings)}
        )


def _record_agenda(meeting, overview, report):
    items = {}
    for kind, number, title in overview.agenda:
        if (kind, number) in items:
            report.flagged.append(
                _("Agenda item %(number)s appears twice; the second was left out: %(title)s")
                % {"number": number, "title": title}
            )
            continue
        items[kind, number] = AgendaItem.objects.create(
            meeting=meeting, kind=kind, number=number, title=title[:300]
        )
    if items:
        report.recognised.append(
            _("agenda: %(list)s") % {"list": "; ".join(str(item) for item in items.values())}
        )
    return items


def _record_remarks(meeting, remarks, report):
    matcher = SpeakerMatcher(meeting)
    matches = {}
    blocks = []
    for position, parsed in enumerate(remarks.blocks, start=1):
        label = parsed.speaker.label
        if label not in matches:
            matches[label] = matcher.match(label)
        blocks.append(matches[label].apply(SpeakerBlock(meeting=meeting, position=position)))
    # A new draft of our own making: written in bulk, not one guarded save each.
    SpeakerBlock.objects.bulk_create(blocks)
    statements = [
        Statement(block=block, position=position, text=text)
        for block, parsed in zip(blocks, remarks.blocks, strict=True)
        for position, text in enumerate(parsed.statements, start=1)
    ]
    Statement.objects.bulk_create(statements, batch_size=500)
    report.blocks, report.statements = len(blocks), len(statements)
    report.recognised.append(
        _("remarks: %(blocks)s speaker blocks with %(statements)s statements")
        % {"blocks": len(blocks), "statements": len(statements)}
    )
    for label, match in matches.items():
        lines = [str(p.line) for p in remarks.blocks if p.speaker.label == label]
        where = _("lines %(lines)s") % {"lines": ", ".join(lines)}
        if not match.identified:
            report.flagged.append(f"<{label}> ({where}): {match.note}")
        elif match.note:
            report.recognised.append(f"<{label}>: {match.note}")
    for parsed in remarks.blocks:
        if not parsed.statements:
            report.flagged.append(
                _("<%(label)s> at line %(line)s has no statement.")
                % {"label": parsed.speaker.label, "line": parsed.line}
            )


def _record_resolutions(meeting, resolutions, items, report):
    for position, parsed in enumerate(resolutions, start=1):
        item = items.get((parsed.item_kind, parsed.item_number))
        votes = parsed.votes or (None, None, None)
        resolution = Resolution.objects.create(
            meeting=meeting,
            position=position,
            agenda_item=item,
            question=parsed.question[:300],
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


def _record_signatories(meeting, overview, attendees, report):
    present = {
        a.member.person.name: a.member.person
        for a in meeting.attendances.filter(status="present").select_related("member__person")
    }
    known = {a.person.name: a.person for a in attendees if a.person_id}
    positions = {}
    for role, title, name in overview.signatories:
        position = positions[role] = positions.get(role, 0) + 1
        if role == Signatory.Role.SIGNER:
            person = present.get(name)
            if person is None:
                report.flagged.append(
                    _("%(name)s is named to sign but did not attend as a member: left out.")
                    % {"name": name}
                )
                continue
            printed = "" if title == meeting.committee.signer_title else title
        else:
            person, created = known.get(name) or present.get(name), False
            if person is None:
                person, created = Person.objects.known_or_new(name, title)
            if created:
                report.added.append(
                    _("%(name)s (%(title)s) added as a person for the signature block")
                    % {"name": name, "title": title}
                )
            printed = "" if title == person.position else title
        Signatory.objects.create(
            meeting=meeting, role=role, position=position, person=person, printed_title=printed
        )
        report.recognised.append(
            _("signature block: %(role)s %(name)s")
            % {"role": Signatory.Role(role).label, "name": name}
        )
