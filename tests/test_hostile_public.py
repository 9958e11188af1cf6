"""Hostile input on the public side: query strings, addresses and methods that are
refused with a readable 4xx, never a 500, and never show what is not published."""

import pytest
from django.urls import reverse

from .hostile import CONTROL_CHARACTERS, answered, hostile_client, quickly, refused, snapshot
from .names import page_text
from .test_public import published_quickly

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(world):
    published_quickly(world.meeting, world.secretary.person.user)
    return world


def committee_url():
    return reverse("public:committee", args=["traffic"])


MINUTES = "/public/traffic/2024/1/"
ADDRESSES = [
    "/public/",
    "/public/traffic/",
    "/public/traffic/minutes.csv",
    MINUTES,
    MINUTES + "minutes.pdf",
]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"year": "abc"}, "연도", "목록에서 공개된 회의록이 있는 연도를 고르세요."),
        ({"year": "1999"}, "연도", "목록에서 공개된 회의록이 있는 연도를 고르세요."),
        ({"year": "9" * 40}, "연도", "목록에서 공개된 회의록이 있는 연도를 고르세요."),
        ({"year": "-2024"}, "연도", "목록에서 공개된 회의록이 있는 연도를 고르세요."),
        ({"page": "0"}, "쪽", "1"),
        ({"page": "-3"}, "쪽", "1"),
        ({"page": "abc"}, "쪽", "정수"),
        ({"page": "9" * 40}, "쪽", "100000"),
        ({"page": "2"}, "쪽", "2쪽은 없습니다"),
    ],
)
def test_a_bad_year_or_page_is_a_400_that_says_which_and_still_lists(public, query, field, message):
    response = refused(hostile_client().get(committee_url(), query))

    assert response.status_code == 400
    alert = page_text(response.content)
    assert f"{field}: " in alert and message in alert
    assert MINUTES in response.content.decode()  # the list, with what could be read


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
@pytest.mark.parametrize("name", ["year", "page"])
def test_control_characters_in_the_query_string_are_refused(public, name, character):
    response = refused(hostile_client().get(committee_url(), {name: f"2024{character}"}))

    assert response.status_code == 400


def test_a_huge_query_string_is_answered_quickly(public):
    with quickly(5):
        response = answered(hostile_client().get(committee_url(), {"year": "2" * 100_000}))

    assert response.status_code == 400


@pytest.mark.parametrize(
    "address",
    [
        "/public/traffic/2024/0/",  # 차수 0
        "/public/traffic/2024/01/",  # padded: one address per meeting
        "/public/traffic/2024/99999/",
        "/public/traffic/0000/1/",
        "/public/traffic/99999/1/",
        "/public/traffic/2024/1/minutes.pdf/",
        "/public/traffic/2025/1/",
        "/public/nobody/",
        "/public/nobody/2024/1/",
        "/public/nobody/minutes.csv",
        "/public/%EA%B5%90%ED%86%B5/",  # a Korean slug
        "/public/" + "a" * 5000 + "/",
        "/public/traffic/2024/1/../../",
        "/public/traffic/2024/1%00/",
    ],
)
def test_an_address_of_no_published_minutes_is_a_404(public, address):
    response = refused(hostile_client().get(address))

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_public_side_only_reads(public, address, method):
    before = snapshot(public.meeting)

    response = refused(getattr(hostile_client(), method)(address, {"year": "2024"}))

    assert response.status_code == 405
    assert snapshot(public.meeting) == before


@pytest.mark.parametrize("address", ADDRESSES)
def test_head_answers_without_a_body(public, address):
    response = answered(hostile_client().head(address))

    assert response.status_code == 200 and response.content == b""


def test_a_member_of_the_committee_sees_no_draft_on_the_public_side(world):
    reader = hostile_client(world.member_a.person.user)

    for address in ADDRESSES[1:]:
        response = refused(reader.get(address))
        assert response.status_code == 404
        assert "이 주소에 공개된 회의록이 없습니다." in page_text(response.content)


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_the_address_are_a_404(public, character):
    response = refused(hostile_client().get(f"/public/traffic{character}/"))

    assert response.status_code == 404
