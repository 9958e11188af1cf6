"""Hostile requests to 확인 완료 (settling a point to check in the editor).

The endpoint takes nothing but its address and a POST: whatever else arrives
(other methods, ids that cannot be, another meeting's point, a forged field, a
missing CSRF token, a visitor who is not logged in) is a clear 4xx or a
redirect with a message, and no point to check nor anything of the minutes
changes.
"""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import MeetingCheck

from .conftest import make_committee, make_meeting
from .hostile import answered, hostile_client, refused, rows, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def checking(world):
    world.check = MeetingCheck.objects.create(
        meeting=world.meeting,
        topic="place",
        message="장소를 확인하세요.",
        source_line=3,
        source_text="장 소 : 시청",
    )
    world.client = hostile_client(world.secretary.person.user)
    return world


def settle_url(meeting_pk, check_pk):
    return reverse("meetings:settle_check", args=[meeting_pk, check_pk])


def unchanged(world):
    return snapshot(world.meeting), rows(MeetingCheck.objects.all())


def test_the_endpoint_settles_a_point_when_asked_properly(checking):
    answered(checking.client.post(settle_url(checking.meeting.pk, checking.check.pk)))
    check = MeetingCheck.objects.get(pk=checking.check.pk)
    assert check.is_settled and check.settled_by == checking.secretary.person.user


@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_other_methods_are_405(checking, method):
    before = unchanged(checking)

    response = getattr(checking.client, method)(settle_url(checking.meeting.pk, checking.check.pk))

    assert refused(response).status_code == 405
    assert unchanged(checking) == before


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/meetings/99999999999999999999/checks/1/settle/", id="huge-meeting"),
        pytest.param("/meetings/{meeting}/checks/99999999999999999999/settle/", id="huge-check"),
        pytest.param("/meetings/{meeting}/checks/0/settle/", id="zero"),
        pytest.param("/meetings/{meeting}/checks/-1/settle/", id="negative"),
        pytest.param("/meetings/{meeting}/checks/1.5/settle/", id="fraction"),
        pytest.param("/meetings/{meeting}/checks/%00/settle/", id="nul"),
        pytest.param("/meetings/{meeting}/checks/{check}%0A/settle/", id="newline"),
    ],
)
def test_ids_that_cannot_be_are_404(checking, path):
    before = unchanged(checking)
    url = path.format(meeting=checking.meeting.pk, check=checking.check.pk)

    response = checking.client.post(url)

    assert refused(response).status_code == 404
    assert unchanged(checking) == before


def test_another_committees_point_is_refused(checking):
    other = make_meeting(make_committee(name="주택정책위원회", slug="housing"))
    theirs = MeetingCheck.objects.create(meeting=other, topic="day", message="날짜를 확인하세요.")
    before = unchanged(checking)

    # Staff may read every committee's minutes (MeetingQuerySet.for_user), so
    # the meeting is known to this secretary: 403; through this meeting's
    # address the point does not exist: 404.
    assert refused(checking.client.post(settle_url(other.pk, theirs.pk))).status_code == 403
    assert (
        refused(checking.client.post(settle_url(checking.meeting.pk, theirs.pk))).status_code == 404
    )
    assert unchanged(checking) == before
    assert not MeetingCheck.objects.get(pk=theirs.pk).is_settled


def test_a_forged_field_and_query_string_change_nothing_but_the_settling(
    checking, django_user_model
):
    someone = django_user_model.objects.create_user("someone")
    url = settle_url(checking.meeting.pk, checking.check.pk) + "?next=%00http://evil.example/"

    response = answered(
        checking.client.post(url, {"settled_by": someone.pk, "message": "\x00바꾼 내용"})
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/edit/#checks")
    check = MeetingCheck.objects.get(pk=checking.check.pk)
    assert check.settled_by == checking.secretary.person.user
    assert check.message == "장소를 확인하세요."


def test_without_a_csrf_token_nothing_is_settled(checking):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(checking.secretary.person.user)
    before = unchanged(checking)

    response = client.post(settle_url(checking.meeting.pk, checking.check.pk))

    assert refused(response).status_code == 403
    assert unchanged(checking) == before


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(checking):
    before = unchanged(checking)

    response = hostile_client().post(settle_url(checking.meeting.pk, checking.check.pk))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert unchanged(checking) == before


def test_a_member_who_may_read_is_403(checking):
    before = unchanged(checking)
    member = hostile_client(checking.member_a.person.user)

    response = member.post(settle_url(checking.meeting.pk, checking.check.pk))

    assert refused(response).status_code == 403
    assert unchanged(checking) == before
