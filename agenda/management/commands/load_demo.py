"""Load the demo committee, its roster, one fully entered meeting and demo logins.

Lives in the agenda app because it is the one app allowed to import all three.
Safe to run again: records are matched by their natural keys, and the demo
meeting's content is rebuilt only while it is still a draft.
"""

import datetime
import io
import math
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from agenda import demo_data as data
from agenda.models import AgendaItem, Resolution, SpeakerBlock
from agenda.services import replace_statements
from committees.models import Committee, Member, MemberRole, Person
from meetings.models import (
    Attendance,
    Meeting,
    NonMemberAttendee,
    ProceedingsItem,
    Signatory,
    Signature,
    SignedDocument,
)
from meetings.services import confirm, send_for_review, sign

DEMO_PASSWORD = "minutes-demo"
SECRETARIES_GROUP = "간사"
ARCHIVISTS_GROUP = "기록물 담당"
EDITABLE_APPS = ["committees", "meetings", "agenda"]


class Command(BaseCommand):
    help = "Create (or refresh) the demo committee, meeting and logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--signed",
            action="store_true",
            help="also carry a second demo meeting through review, confirmation and both "
            "signatures, so that a finished, verifiable example sits next to the draft",
        )

    def handle(self, *args, signed=False, **options):
        with transaction.atomic():
            committee = self.load_committee()
            people = self.load_people()
            members = self.load_roster(committee, people)
            meeting, rebuilt = self.load_meeting(committee)
            if rebuilt:
                self.load_meeting_content(meeting, people, members)
            self.load_accounts(people)
        state = "created" if rebuilt else "kept as it is (no longer a draft)"
        self.stdout.write(self.style.SUCCESS(f"Demo meeting {meeting} {state}."))
        if signed:
            self.load_signed_meeting(committee, people, members)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _person, kind in data.ACCOUNTS:
            self.stdout.write(f"  {username:<12} {kind}")

    def load_committee(self):
        committee, _ = Committee.objects.update_or_create(
            slug=data.COMMITTEE["slug"],
            defaults={k: v for k, v in data.COMMITTEE.items() if k != "slug"},
        )
        return committee

    def load_people(self):
        people = {}
        for key, fields in data.PEOPLE.items():
            people[key], _ = Person.objects.update_or_create(
                name=fields["name"],
                defaults={"position": fields["position"], "affiliation": fields["affiliation"]},
            )
        return people

    def load_roster(self, committee, people):
        term_start = datetime.date(data.MEETING["year"], 1, 1)
        meeting_day = datetime.date.fromisoformat(data.MEETING["date"])
        members = {}
        for key, kind, role in data.ROSTER:
            member, _ = Member.objects.update_or_create(
                committee=committee,
                person=people[key],
                term_start=term_start,
                defaults={"kind": kind, "term_end": datetime.date(term_start.year + 1, 12, 31)},
            )
            member.roles.all().delete()
            if role == MemberRole.Role.SECRETARY:
                member.roles.create(role=role, since=term_start)
            elif role != MemberRole.Role.MEMBER:
                # Chair and vice-chair are elected at the demo meeting itself.
                member.roles.create(role=role, since=meeting_day)
            members[key] = member
        return members

    def load_meeting(self, committee, *, sequence=None, days_later=0):
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        day = datetime.date.fromisoformat(data.MEETING["date"]) + datetime.timedelta(days_later)
        sequence = sequence or data.MEETING["sequence"]

        def at(hhmm):
            return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=tz)

        meeting = Meeting.objects.filter(
            committee=committee, year=data.MEETING["year"], sequence=sequence
        ).first()
        if meeting is not None and meeting.status != Meeting.Status.DRAFT:
            return meeting, False
        fields = {
            "starts_at": at(data.MEETING["start"]),
            "ends_at": at(data.MEETING["end"]),
            "place": data.MEETING["place"],
            "document_date": day.replace(day=1),
        }
        meeting, _ = Meeting.objects.update_or_create(
            committee=committee,
            year=data.MEETING["year"],
            sequence=sequence,
            defaults=fields,
        )
        # A draft is rebuilt from scratch so the demo always matches demo_data.
        for related in (
            "resolutions",
            "speaker_blocks",
            "agenda_items",
            "signatories",
            "non_member_attendees",
            "proceedings",
            "attendances",
        ):
            getattr(meeting, related).all().delete()
        return meeting, True

    def load_meeting_content(self, meeting, people, members):
        absent = set(data.ABSENT)
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                member=member,
                status=Attendance.Status.ABSENT if key in absent else Attendance.Status.PRESENT,
            )
            for key, member in members.items()
        )
        attendees, groups = {}, {}
        for position, (kind, value, *group) in enumerate(data.NON_MEMBER_ATTENDEES, start=1):
            if kind == "person":
                attendees[value] = NonMemberAttendee.objects.create(
                    meeting=meeting,
                    position=position,
                    person=people[value],
                    included_in=groups[group[0]] if group else None,
                )
            else:
                groups[value] = NonMemberAttendee.objects.create(
                    meeting=meeting, position=position, description=value
                )
        ProceedingsItem.objects.bulk_create(
            ProceedingsItem(meeting=meeting, position=position, depth=depth, text=text)
            for position, (depth, text) in enumerate(data.PROCEEDINGS, start=1)
        )
        items = {
            item["key"]: AgendaItem.objects.create(
                meeting=meeting,
                kind=item["kind"],
                number=item["number"],
                title=item["title"],
                outcome=item["outcome"],
            )
            for item in data.AGENDA
        }
        for position, (speaker, label, agenda_key, statements) in enumerate(data.REMARKS, start=1):
            block = SpeakerBlock(
                meeting=meeting,
                position=position,
                role_label=label,
                agenda_item=items.get(agenda_key),
            )
            if speaker is None:
                block.speaker_kind = SpeakerBlock.SpeakerKind.COLLECTIVE
            elif speaker in members:
                block.speaker_kind = SpeakerBlock.SpeakerKind.MEMBER
                block.member = members[speaker]
            else:
                block.speaker_kind = SpeakerBlock.SpeakerKind.ATTENDEE
                block.attendee = attendees[speaker]
            block.full_clean()
            block.save()
            replace_statements(block, statements)
        for position, resolution in enumerate(data.RESOLUTIONS, start=1):
            Resolution.objects.create(
                meeting=meeting,
                position=position,
                agenda_item=items.get(resolution["agenda"]),
                question=resolution["question"],
                method=resolution["method"],
                outcome=resolution["outcome"],
            )
        counters = {}
        for role, key in data.SIGNATORIES:
            counters[role] = counters.get(role, 0) + 1
            Signatory.objects.create(
                meeting=meeting, role=role, position=counters[role], person=people[key]
            )

    def load_signed_meeting(self, committee, people, members):
        """The 2nd demo meeting, reviewed, confirmed and signed by both signers."""
        with transaction.atomic():
            meeting, rebuilt = self.load_meeting(committee, sequence=2, days_later=28)
            if rebuilt:
                self.load_meeting_content(meeting, people, members)
        if meeting.status != Meeting.Status.DRAFT:
            self.stdout.write(f"Signed demo meeting {meeting} kept as it is.")
            return
        users = {kind: [] for kind in ("secretary", "signer", "confirmer")}
        for username, _person, kind in data.ACCOUNTS:
            if kind in users:
                users[kind].append(get_user_model().objects.get(username=username))
        send_for_review(
            meeting,
            by=users["secretary"][0],
            deadline=timezone.now() + datetime.timedelta(days=7),
        )
        version = confirm(meeting, by=users["confirmer"][0])
        for seed, signer in enumerate(users["signer"], start=1):
            sign(
                version,
                user=signer,
                shown_sha256=version.content_sha256,
                method=Signature.Method.DRAWN,
                image=demo_signature(seed),
                ip_address="127.0.0.1",
                user_agent="load_demo",
            )
        document = SignedDocument.objects.filter(version=version).first()
        if document is None:
            # A task queue seals it (meetings.jobs): `make run` starts its worker.
            self.stdout.write(
                self.style.SUCCESS(f"Signed demo meeting {meeting}: sealing queued for the worker.")
            )
            return
        code = document.verification_code
        self.stdout.write(
            self.style.SUCCESS(f"Signed demo meeting {meeting}: verification code {code}.")
        )

    def load_accounts(self, people):
        secretaries = self.group(SECRETARIES_GROUP, actions=("view", "add", "change", "delete"))
        archivists = self.group(ARCHIVISTS_GROUP, actions=("view",))
        User = get_user_model()
        for username, person_key, kind in data.ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            person = people.get(person_key)
            if person is not None:
                user.first_name = person.name
            user.is_staff = kind in ("secretary", "archivist", "admin")
            user.is_superuser = kind == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
            if kind == "secretary":
                user.groups.add(secretaries)
            elif kind == "archivist":
                user.groups.add(archivists)
            if person is not None and person.user_id != user.pk:
                Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
                person.user = user
                person.save(update_fields=["user"])

    def group(self, name, *, actions):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=EDITABLE_APPS,
            codename__regex=rf"^({'|'.join(actions)})_",
        )
        group.permissions.set(permissions)
        return group


def demo_signature(seed):
    """A pen-like scribble standing in for a signature drawn with the mouse."""
    image = Image.new("RGBA", (320, 110), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (18 + step * 14, 58 + round(30 * math.sin(step * (0.55 + seed * 0.21))))
        for step in range(21)
    ]
    draw.line(points, fill=(20, 30, 110, 255), width=4, joint="curve")
    draw.line([(40, 88), (280, 80)], fill=(20, 30, 110, 255), width=3)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
