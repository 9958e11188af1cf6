"""Hostile input to the home page's query string: search, committee, year, status, page.

Every filter is read by a form (meetings.forms.MeetingFilterForm): whatever
arrives, the answer is the page with a message (400) or the page itself, never
a server error, and a GET changes nothing.
"""

import pytest
from django.urls import reverse

from .hostile import answered, form_errors, hostile_client, quickly, refused, snapshot

pytestmark = pytest.mark.django_db

HOME = reverse("meetings:list")


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("q=%00", id="q-nul"),
        pytest.param("q=%1B%5B2J", id="q-escape"),
        pytest.param("q=" + "%EA%B0%80" * 101, id="q-long"),
        pytest.param("committee=%00", id="committee-nul"),
        pytest.param("committee=../../etc", id="committee-path"),
        pytest.param("committee=" + "x" * 10_000, id="committee-long"),
        pytest.param("year=%00", id="year-nul"),
        pytest.param("year=-1", id="year-negative"),
        pytest.param("year=99999999999999999999999", id="year-huge"),
        pytest.param("year=2024.5", id="year-fraction"),
        pytest.param("year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94", id="year-fullwidth"),
        pytest.param("status=%00", id="status-nul"),
        pytest.param("status=DRAFT", id="status-case"),
        pytest.param("status=draft%00", id="status-suffix"),
        pytest.param("page=0", id="page-zero"),
        pytest.param("page=-3", id="page-negative"),
        pytest.param("page=1e9", id="page-exponent"),
        pytest.param("page=99999999999999999999999", id="page-huge"),
        pytest.param("page=100000", id="page-past-the-end"),
        pytest.param("page=%00", id="page-nul"),
    ],
)
def test_a_hostile_filter_is_a_message_never_a_500(world, query):
    before = snapshot(world.meeting)
    client = hostile_client(world.member_a.person.user)

    with quickly(5):
        response = refused(client.get(f"{HOME}?{query}"))

    assert response.status_code == 400 and form_errors(response)
    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("q=%ED%A0%80", id="q-surrogate"),  # read as U+FFFD by Django
        pytest.param("q=a&q=%00", id="q-repeated"),  # the last value counts, as in Django
        pytest.param("q[]=x&year[]=1&page[]=2", id="array-syntax"),
        pytest.param("unknown=%00&" + "&".join(f"k{n}=v" for n in range(500)), id="many-keys"),
        pytest.param("q=%25%5F%5C", id="q-like-wildcards"),
        pytest.param("q=" + "+".join(["a"] * 50), id="q-fifty-words"),
    ],
)
def test_odd_but_harmless_queries_are_answered(world, query):
    client = hostile_client(world.member_a.person.user)

    with quickly(5):
        response = answered(client.get(f"{HOME}?{query}"))

    assert response.status_code in (200, 400)


def test_like_wildcards_are_searched_for_as_they_are(world):
    """% and _ are letters to find, not patterns that match every meeting."""
    client = hostile_client(world.member_a.person.user)

    response = answered(client.get(HOME, {"q": "%"}))

    assert response.status_code == 200 and list(response.context["page"]) == []


def test_anonymous_visitors_are_sent_to_log_in_whatever_the_query(db):
    response = answered(hostile_client().get(f"{HOME}?q=%00&page=-1"))

    assert response.status_code == 302
