"""The load test's data, on top of `manage.py load_demo --signed`.

    .venv/bin/python bench/load_data.py prepare   # prints the plan as JSON
    .venv/bin/python bench/load_data.py count     # prints what the load wrote, as JSON

Runs in the database DATABASE_URL names (bench/load.py makes a fresh one).
The demo has a draft (1st meeting) and a signed meeting (2nd); a real week
also has minutes under review and more people than the demo's six logins, so
`prepare` adds:

- a 3rd meeting, sent for review, for members to read and comment on;
- a 4th meeting, a second draft, so that two secretaries edit each draft
  (a lost race then shows up now and then as the editor's 409);
- a login for every roster member who attended (username = demo person key),
  and a second secretary (`secretary2`, in the secretaries' group).
"""

import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agenda import demo_data  # noqa: E402
from agenda.management.commands.load_demo import (  # noqa: E402
    DEMO_PASSWORD,
    SECRETARIES_GROUP,
    Command,
)
from agenda.models import ReviewComment  # noqa: E402
from committees.models import Committee  # noqa: E402
from meetings.models import Meeting, SignedDocument  # noqa: E402
from meetings.services import send_for_review  # noqa: E402

REVIEW_SEQUENCE = 3
SECOND_DRAFT_SEQUENCE = 4


def demo_meeting(committee, loader, people, members, sequence, weeks_later):
    meeting, rebuilt = loader.load_meeting(committee, sequence=sequence, days_later=7 * weeks_later)
    if rebuilt:
        loader.load_meeting_content(meeting, people, members)
    return meeting


def member_logins(people):
    """A login per roster member who attended and has none yet (their person key)."""
    User = get_user_model()
    absent = set(demo_data.ABSENT)
    usernames = []
    for key, _kind, _role in demo_data.ROSTER:
        person = people[key]
        if key in absent or person.user_id is not None:
            continue
        user, _ = User.objects.get_or_create(username=key, defaults={"first_name": person.name})
        user.set_password(DEMO_PASSWORD)
        user.save()
        person.user = user
        person.save(update_fields=["user"])
        usernames.append(key)
    return usernames


def second_secretary():
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="secretary2", defaults={"is_staff": True})
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=SECRETARIES_GROUP))
    return user.username


def prepare():
    loader = Command()
    committee = Committee.objects.get(slug=demo_data.COMMITTEE["slug"])
    with transaction.atomic():
        people = loader.load_people()
        members = loader.load_roster(committee, people)
        review = demo_meeting(committee, loader, people, members, REVIEW_SEQUENCE, 8)
        second_draft = demo_meeting(committee, loader, people, members, SECOND_DRAFT_SEQUENCE, 12)
        members_logins = member_logins(people)
        secretaries = ["secretary", second_secretary()]
    if review.status == Meeting.Status.DRAFT:
        send_for_review(
            review,
            by=get_user_model().objects.get(username="secretary"),
            deadline=timezone.now() + datetime.timedelta(days=7),
        )
    draft = Meeting.objects.get(committee=committee, year=review.year, sequence=1)
    signed = SignedDocument.objects.select_related("version__meeting").get(
        version__meeting__committee=committee
    )
    # Everybody here attended or is named in the signature block, so may comment;
    # the archivist (staff) reads everything and comments on nothing.
    commenters = ["signer1", "signer2", "confirmer", *members_logins]
    return {
        "password": DEMO_PASSWORD,
        "secretaries": secretaries,
        "commenters": commenters,
        "readers": ["archivist"],
        "drafts": [draft.pk, second_draft.pk],
        "review": review.pk,
        "review_blocks": list(review.speaker_blocks.values_list("pk", flat=True)),
        "signed": signed.version.meeting_id,
        "code": signed.verification_code,
        "meetings": list(
            Meeting.objects.filter(committee=committee).order_by("pk").values_list("pk", flat=True)
        ),
    }


def count(plan_file):
    """What the load wrote, to compare with what the load test counted."""
    plan = json.loads(Path(plan_file).read_text())
    return {
        "review_comments": ReviewComment.objects.filter(meeting_id=plan["review"]).count(),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        print(json.dumps(prepare()))
    elif sys.argv[1:2] == ["count"] and len(sys.argv) == 3:
        print(json.dumps(count(sys.argv[2])))
    else:
        sys.exit(__doc__)
