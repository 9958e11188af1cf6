"""Who may open what: every page for every persona, in review and when signing.

404 for objects a persona may not even know exist (other committees), 403
for known but forbidden actions, a redirect to the login page for anonymous
visitors. The expected table is written out in full so a change shows up.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Person
from meetings.services import confirm, send_for_review

PERSONAS = ["secretary", "signer", "confirmer", "member", "outsider", "staff", "anonymous"]


@pytest.fixture
def cast(world):
    """A user for every persona; the secretary has the secretaries' permissions."""
    users = {}
    users["secretary"] = world.secretary.person.user
    users["secretary"].user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    users["signer"] = world.member_a.person.user
    users["confirmer"] = User.objects.create_user("confirmer")
    Person.objects.filter(pk=world.staff_person.pk).update(user=users["confirmer"])
    users["member"] = User.objects.create_user("member")  # attended, not in the signature block
    Person.objects.filter(pk=world.internal.person.pk).update(user=users["member"])
    users["outsider"] = User.objects.create_user("outsider")
    users["staff"] = User.objects.create_user("archivist", is_staff=True)
    users["staff"].user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    world.add_remarks(4)
    send_for_review(
        world.meeting,
        by=users["secretary"],
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    return users


def client_for(cast, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(cast[persona])
    return client


def status(client, url, method="get"):
    response = getattr(client, method)(url)
    if response.status_code == 302:
        return "login" if "/login/" in response.url else 302
    return response.status_code


# In review: every page, GET.
IN_REVIEW = {
    #                 secretary signer confirmer member outsider staff anonymous
    "list": [200, 200, 200, 200, 200, 200, "login"],
    "minutes": [200, 200, 200, 200, 404, 200, "login"],
    "pdf": [200, 200, 200, 200, 404, 200, "login"],
    "review": [200, 200, 200, 200, 404, 200, "login"],
    "sign": [403, 403, 403, 403, 404, 403, "login"],
    "tasks": [200, 200, 200, 200, 200, 200, "login"],
    "verify": [200, 200, 200, 200, 200, 200, 200],
    "admin": [200, "login", "login", "login", "login", 200, "login"],
}


def urls(world):
    pk = world.meeting.pk
    return {
        "list": reverse("meetings:list"),
        "minutes": reverse("meetings:minutes", args=[pk]),
        "pdf": reverse("meetings:pdf", args=[pk]),
        "review": reverse("agenda:review", args=[pk]),
        "sign": reverse("meetings:sign", args=[pk]),
        "tasks": reverse("meetings:tasks"),
        "verify": reverse("meetings:verify"),
        "admin": reverse("admin:meetings_meeting_change", args=[pk]),
    }


@pytest.mark.parametrize("page", list(IN_REVIEW))
def test_pages_in_review(page, world, cast):
    url = urls(world)[page]
    seen = [status(client_for(cast, persona), url) for persona in PERSONAS]
    assert seen == IN_REVIEW[page], dict(zip(PERSONAS, seen, strict=True))


# Transitions are POSTs; only the right person moves the minutes.
TRANSITIONS = {
    #                  secretary signer confirmer member outsider staff anonymous
    "confirm": [403, 403, 302, 403, 404, 403, "login"],
    "publish": [403, 403, 403, 403, 404, 403, "login"],
    "send_for_review": [403, 403, 403, 403, 404, 403, "login"],
}


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_transitions_in_review(action, world, cast):
    url = reverse("meetings:transition", args=[world.meeting.pk, action])
    seen = []
    for persona in PERSONAS:
        seen.append(status(client_for(cast, persona), url, "post"))
        if seen[-1] == 302:
            break  # the one allowed move happened; nobody after it is asked
    assert seen == TRANSITIONS[action][: len(seen)], dict(zip(PERSONAS, seen, strict=False))


def test_only_designated_signers_open_the_sign_page_after_confirmation(world, cast):
    confirm(world.meeting, by=cast["confirmer"])
    url = urls(world)["sign"]

    seen = [status(client_for(cast, persona), url) for persona in PERSONAS]

    assert seen == [403, 200, 403, 403, 404, 403, "login"]


def test_other_committees_meetings_do_not_exist_for_members(world, cast):
    from .conftest import make_committee, make_meeting

    other = make_meeting(make_committee("환경위원회", "environment"))
    client = client_for(cast, "signer")
    for name in ["meetings:minutes", "meetings:pdf", "meetings:sign"]:
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.get(reverse("agenda:review", args=[other.pk])).status_code == 404
