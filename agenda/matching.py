"""Who spoke: speaker labels from pasted or imported text, matched to people.

The text names speakers the way minutes do (<간사>, <위원장>, <김준호 위원>,
<000팀장>). A label is matched to the meeting's roster and non-member
attendees by name, or by office or title when no name is given, and only
when exactly one person fits. Anything else is left *unidentified*, with a
note saying why: the secretary chooses who spoke, nothing is guessed.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from committees.models import Member, MemberRole

from .models import AgendaItem, SpeakerBlock
from .parsing import parse_speaker_label

Kind = SpeakerBlock.SpeakerKind

# Offices a label can name without a name: matched to whoever holds them.
OFFICES = {
    "위원장": MemberRole.Role.CHAIR,
    "부위원장": MemberRole.Role.VICE_CHAIR,
    "간사": MemberRole.Role.SECRETARY,
}
# Labels for the members speaking together: <위원> "(다같이) 없음".
COLLECTIVE_LABELS = frozenset({"위원", "위원일동", "위원 일동", "위원들", "일동", "다같이"})
# Titles too common to pick one person by: a redacted <000위원> could be anyone.
MEMBER_TITLES = frozenset({"위원", "위원회"})
FALLBACK_LABEL = "발언자"


@dataclass
class Match:
    """How one label was resolved; ``apply`` writes it onto a block."""

    speaker_kind: str
    role_label: str
    member: Member | None = None
    attendee: object = None  # NonMemberAttendee
    written_name: str = ""
    how: str = "name"  # name, office, title, collective, unidentified
    note: str = ""

    @property
    def identified(self):
        return self.speaker_kind != Kind.UNIDENTIFIED

    @property
    def key(self):
        """The editor's speaker key: m:<member>, a:<attendee>, c, or u."""
        if self.member is not None:
            return f"m:{self.member.pk}"
        if self.attendee is not None:
            return f"a:{self.attendee.pk}"
        return "c" if self.speaker_kind == Kind.COLLECTIVE else "u"

    def apply(self, block):
        block.speaker_kind = self.speaker_kind
        block.member = self.member
        block.attendee = self.attendee
        block.role_label = self.role_label
        block.written_name = self.written_name
        return block


@dataclass
class People:
    """Whom, and which agenda items, a meeting's remarks can name: loaded once
    (five queries) for matching labels, offering speakers and checking saves."""

    members: dict  # the committee's whole roster, by pk
    attendees: dict  # the meeting's non-member attendees, by pk
    items: dict  # the meeting's agenda items, by pk
    present: set  # pks of the members marked present
    day: datetime.date

    @classmethod
    def of(cls, meeting):
        members = (
            Member.objects.filter(committee_id=meeting.committee_id)
            .select_related("person")
            .prefetch_related("roles")
        )
        attendees = meeting._loaded("non_member_attendees", select=["person"])
        return cls(
            members={m.pk: m for m in members},
            attendees={a.pk: a for a in attendees},
            items={i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)},
            present=meeting.present_member_ids(),
            day=meeting.meeting_day,
        )

    def serving(self):
        """Members whose term covers the day, those present first."""
        return sorted(
            (m for m in self.members.values() if m.serves_on(self.day)),
            key=lambda m: (m.pk not in self.present, m.person.name),
        )


class SpeakerMatcher:
    """Matches labels against one meeting's people."""

    def __init__(self, meeting=None, *, people=None):
        people = people or People.of(meeting)
        self.day = people.day
        self.present = people.present
        # Members present come first: when a name or an office is shared,
        # the one who attended is the one who spoke.
        self.members = people.serving()
        self.attendees = [a for a in people.attendees.values() if a.person_id]

    def match(self, label):
        speaker = parse_speaker_label(label)
        if speaker.name and not speaker.redacted:
            return self._by_name(speaker)
        if speaker.role in OFFICES:
            return self._by_office(speaker)
        if not speaker.redacted and " ".join(speaker.label.split()) in COLLECTIVE_LABELS:
            return Match(Kind.COLLECTIVE, speaker.label, how="collective")
        if speaker.role in MEMBER_TITLES or not speaker.role:
            return unidentified(
                speaker, _("The text does not name this speaker: choose who spoke.")
            )
        return self._by_title(speaker)

    def _one(self, people):
        """The single best candidate: a present member beats absent ones."""
        present = [m for m in people if getattr(m, "pk", None) in self.present]
        if len(present) == 1:
            return present[0]
        return people[0] if len(people) == 1 else None

    def _by_name(self, speaker):
        members = [m for m in self.members if m.person.name == speaker.name]
        if members:
            member = self._one(members)
            if member is None:
                return unidentified(
                    speaker,
                    _("Several members are named %(name)s: choose who spoke.")
                    % {"name": speaker.name},
                )
            label = speaker.role or ""
            if not label or label == "위원":
                label = ""  # the member's role on the day, as printed elsewhere
            return self._member(member, label, how="name")
        attendees = [a for a in self.attendees if a.person.name == speaker.name]
        if len(attendees) == 1:
            attendee = attendees[0]
            label = speaker.role or attendee.person.position or FALLBACK_LABEL
            return Match(Kind.ATTENDEE, label, attendee=attendee, how="name")
        if attendees:
            message = _("Several attendees are named %(name)s: choose who spoke.")
        else:
            message = _("%(name)s is neither on the roster nor among the attendees.")
        return unidentified(speaker, message % {"name": speaker.name})

    def _by_office(self, speaker):
        role = OFFICES[speaker.role]
        holders = [m for m in self.members if m.role_on(self.day) == role]
        member = self._one(holders) if holders else None
        if member is None:
            if holders:
                message = _("Several members hold the office of %(office)s on the meeting day.")
            else:
                message = _(
                    "Nobody on the roster holds the office of %(office)s on the meeting day."
                )
            return unidentified(speaker, message % {"office": speaker.role})
        return self._member(member, speaker.role, how="office")

    def _by_title(self, speaker):
        """<000수석>: the one attendee (or internal member) whose title ends so."""
        candidates = [
            ("attendee", a) for a in self.attendees if a.person.position.endswith(speaker.role)
        ]
        candidates += [
            ("member", m)
            for m in self.members
            if m.pk in self.present and m.person.position.endswith(speaker.role)
        ]
        if len(candidates) != 1:
            message = (
                _("Several people present have the title %(title)s: choose who spoke.")
                if candidates
                else _("Nobody present has the title %(title)s: choose who spoke.")
            )
            return unidentified(speaker, message % {"title": speaker.role})
        what, person = candidates[0]
        note = _("Matched by title to %(person)s.") % {
            "person": f"{person.person.name} {person.person.position}"
        }
        if what == "attendee":
            return Match(Kind.ATTENDEE, speaker.role, attendee=person, how="title", note=note)
        match = self._member(person, speaker.role, how="title")
        match.note = note
        return match

    def _member(self, member, label, *, how):
        return Match(Kind.MEMBER, label or member.role_label_on(self.day), member=member, how=how)


def unidentified(speaker, note=""):
    """A speaker nobody could be matched to, kept as written: a written name
    apart (masked in the public version), else the whole label (<000위원>)."""
    if isinstance(speaker, str):
        speaker = parse_speaker_label(speaker)
    if speaker.name and not speaker.redacted:
        written_name, label = speaker.name[:50], speaker.role or FALLBACK_LABEL
    else:
        written_name, label = "", speaker.label
    return Match(Kind.UNIDENTIFIED, label, written_name=written_name, how="unidentified", note=note)
