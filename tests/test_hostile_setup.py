"""Hostile input to the committee, roster and new-meeting pages.

Each case starts from a request these pages accept and changes one value: the
answer is a 4xx or the form again with its error, never a server error, and
the committee's rows (roster_snapshot) stay exactly as they were.
"""

import pytest
from django.urls import reverse

from .hostile import CONTROL_CHARACTERS, answered, hostile_client, refused, roster_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(world, django_user_model):
    user = django_user_model.objects.create_user("keeper", password="pw")
    world.committee.secretaries.add(user)
    return hostile_client(user)


MEMBER = {"name": "고은비", "kind": "external", "role": "member", "term_start": "2024-01-01"}
MEETING = {"day": "2024-05-16", "starts": "10:00", "ends": "12:00", "place": "본청 회의실"}


def test_the_starting_requests_are_accepted(keeper, world):
    """The starting point of every case below."""
    url = reverse("committees:member_add", args=[world.committee.slug])
    assert answered(keeper.post(url, MEMBER)).status_code == 302
    assert answered(keeper.post(reverse("meetings:new"), MEETING)).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/committees/%00/",
        "/committees/" + "a" * 5000 + "/",
        "/committees/traffic/members/99999999999999999999/",
        "/committees/traffic/members/99999999999999999999/end/",
        "/committees/traffic/members/0/role/",
        "/committees/%ED%A0%80/edit/",
        "/meetings/new/?committee=%00",
        "/meetings/new/?committee=" + "x" * 5000,
        "/meetings/new/?committee=environment",
    ],
)
def test_hostile_addresses_are_refused(keeper, world, path):
    before = roster_snapshot(world.committee)

    response = refused(keeper.get(path))

    assert response.status_code in (400, 403, 404)
    assert refused(keeper.post(path, {"term_end": "2024-06-30", **MEETING})).status_code < 500
    assert roster_snapshot(world.committee) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "visitor"),
        ("role", "king"),
        ("term_start", "2024-13-45"),
        ("term_start", "0001-01-01"),
        ("term_end", "1900-01-01"),
        ("person", "99999999999999999999"),
        ("person", "-1"),
        ("login", "x" * 151),
        ("email", "not-an-address"),
        ("name", "가" * 51),
    ],
)
def test_a_forged_member_field_is_a_form_error(keeper, world, field, value):
    before = roster_snapshot(world.committee)

    refused(
        keeper.post(
            reverse("committees:member_add", args=[world.committee.slug]), {**MEMBER, field: value}
        )
    )

    assert roster_snapshot(world.committee) == before


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
@pytest.mark.parametrize("field", ["name", "position", "affiliation"])
def test_control_characters_in_a_new_person_are_refused(keeper, world, field, character):
    before = roster_snapshot(world.committee)

    refused(
        keeper.post(
            reverse("committees:member_add", args=[world.committee.slug]),
            {**MEMBER, field: f"값{character}"},
        )
    )

    assert roster_snapshot(world.committee) == before


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("committees:member_end", {"term_end": "99999-01-01"}),
        ("committees:member_end", {"term_end": ""}),
        ("committees:member_role", {"role": "chair", "since": "1-1-1"}),
        ("committees:member_role", {"role": "chair", "since": "2024-05-01\x00"}),
    ],
)
def test_forged_term_and_role_changes_are_refused(keeper, world, url_name, data):
    before = roster_snapshot(world.committee)

    refused(keeper.post(reverse(url_name, args=[world.committee.slug, world.chair.pk]), data))

    assert roster_snapshot(world.committee) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("day", "2024-02-30"),
        ("day", "99999-01-01"),
        ("starts", "10:99"),
        ("ends", "\x00"),
        ("sequence", "-1"),
        ("sequence", "1e9"),
        ("present", "99999999999999999999"),
        ("present", "\x00"),
        ("place", "가" * 10_000),
    ],
)
def test_a_forged_new_meeting_field_is_a_form_error(keeper, world, field, value):
    before = roster_snapshot(world.committee)

    refused(keeper.post(reverse("meetings:new"), {**MEETING, field: value}))

    assert roster_snapshot(world.committee) == before


@pytest.mark.parametrize(
    "data",
    [
        {"name": "새 위원회", "slug": "새-위원회", "organisation": "기관"},
        {"name": "새 위원회", "slug": "new", "organisation": "기관"},
        {"name": "새 위원회", "slug": "other", "organisation": "기관", "secretaries": "nobody"},
        {"name": "새\x00위원회", "slug": "other", "organisation": "기관"},
    ],
)
def test_a_bad_committee_edit_is_a_form_error(keeper, world, data):
    before = roster_snapshot(world.committee)

    refused(keeper.post(reverse("committees:edit", args=[world.committee.slug]), data))

    assert roster_snapshot(world.committee) == before
