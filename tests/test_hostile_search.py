"""Hostile input to the two search pages, and the public search's promise:
a name the public minutes mask can never be found, not even by a result.

Whatever the query string holds, the answer is the page with a message (400)
or the page itself, never a server error, and a GET changes nothing.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MinutesVersion, PublicPassage

from .hostile import answered, form_errors, hostile_client, quickly, refused, snapshot

pytestmark = pytest.mark.django_db

SEARCH = reverse("meetings:search")
PUBLIC_SEARCH = reverse("public:search")

HOSTILE_QUERIES = [
    pytest.param("q=%00", id="q-nul"),
    pytest.param("q=%1B%5B2J", id="q-escape"),
    pytest.param("q=" + "%EA%B0%80" * 201, id="q-long"),
    pytest.param("q=" + "+".join(["가"] * 11), id="q-eleven-words"),
    pytest.param("speaker=%07", id="speaker-bell"),
    pytest.param("speaker=" + "x" * 51, id="speaker-long"),
    pytest.param("agenda=%00", id="agenda-nul"),
    pytest.param("agenda=" + "x" * 101, id="agenda-long"),
    pytest.param("committee=../../etc", id="committee-path"),
    pytest.param("committee=" + "x" * 10_000, id="committee-long"),
    pytest.param("year=-1", id="year-negative"),
    pytest.param("year=99999999999999999999999", id="year-huge"),
    pytest.param("year=2024.5", id="year-fraction"),
    pytest.param("since=0001-01-01", id="since-year-1"),
    pytest.param("since=2024-02-30", id="since-no-such-day"),
    pytest.param("until=9999-12-31", id="until-far"),
    pytest.param("until=%00", id="until-nul"),
    pytest.param("since=2024-05-01&until=2024-04-01", id="period-backwards"),
    pytest.param("q=a&page=0", id="page-zero"),
    pytest.param("q=a&page=-3", id="page-negative"),
    pytest.param("q=a&page=99999999999999999999999", id="page-huge"),
    pytest.param("q=a&page=100000", id="page-past-the-end"),
]

HARMLESS_QUERIES = [
    pytest.param("q=%ED%A0%80", id="q-surrogate"),
    pytest.param("q=a&q=%00", id="q-repeated"),
    pytest.param("q[]=x&year[]=1&page[]=2", id="array-syntax"),
    pytest.param("unknown=%00&" + "&".join(f"k{n}=v" for n in range(500)), id="many-keys"),
    pytest.param("q=%25%5F%5C", id="q-like-wildcards"),
    pytest.param("q=%3Cscript%3E", id="q-markup"),
    pytest.param("q=" + "+".join(["데이터"] * 10), id="q-ten-words"),
]


@pytest.fixture
def readers(world):
    """A reader of the world's committee; the world's meeting has remarks."""
    world.add_remarks(3)
    return world


@pytest.mark.parametrize("url", [SEARCH, PUBLIC_SEARCH], ids=["internal", "public"])
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_a_hostile_filter_is_a_message_never_a_500(readers, url, query):
    before = snapshot(readers.meeting)
    client = hostile_client(readers.member_a.person.user if url == SEARCH else None)

    with quickly(5):
        response = refused(client.get(f"{url}?{query}"))

    assert response.status_code == 400 and form_errors(response)
    assert 'id="search-errors"' in response.content.decode()
    assert snapshot(readers.meeting) == before


@pytest.mark.parametrize("url", [SEARCH, PUBLIC_SEARCH], ids=["internal", "public"])
@pytest.mark.parametrize("query", HARMLESS_QUERIES)
def test_odd_but_harmless_queries_are_answered(readers, url, query):
    client = hostile_client(readers.member_a.person.user if url == SEARCH else None)

    with quickly(5):
        response = answered(client.get(f"{url}?{query}"))

    assert response.status_code in (200, 400)
    assert "<script>" not in response.content.decode().split("</head>", 1)[1].replace(
        '<script src="', ""
    )


@pytest.mark.parametrize("url", [SEARCH, PUBLIC_SEARCH], ids=["internal", "public"])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_only_get_and_head_are_answered(readers, url, method):
    client = hostile_client(readers.member_a.person.user)

    response = answered(getattr(client, method)(url, {"q": "발언"}))

    assert response.status_code == 405


def test_anonymous_visitors_are_sent_to_log_in_for_the_internal_search(db):
    response = answered(hostile_client().get(f"{SEARCH}?q=%00&page=-1"))

    assert response.status_code == 302


def test_another_committees_slug_is_refused_not_searched(readers):
    """A committee the user may not read is not offered, so not accepted either."""
    from .conftest import add_block, make_committee, make_meeting, make_member

    other = make_committee(name="환경정책위원회", slug="environment")
    meeting = make_meeting(other)
    add_block(meeting, 1, ["미세먼지 발언"], member=make_member(other, "고은별"))
    client = hostile_client(readers.member_a.person.user)

    response = refused(client.get(SEARCH, {"committee": "environment", "q": "미세먼지"}))

    assert "committee" in response.context["form"].errors
    assert "미세먼지" not in response.content.decode().split('id="search-results"', 1)[1]


# --- the public search never finds a masked name -----------------------------------


def without_the_echo(page, value):
    """The page without the search form's own echo of what was typed."""
    return re.sub(r'value="[^"]*"', 'value=""', page)


def test_no_masked_name_of_the_published_demo_can_be_found_anonymously():
    """For every name the published demo masks: searching it as words, as a
    speaker or as an agenda item finds nothing, and the answer holds the name
    nowhere but in the form's echo of it. Then every passage the public
    search can list, page by page, is scanned for every name."""
    call_command("load_demo", "--signed", stdout=io.StringIO())
    meeting = Meeting.objects.get(committee__slug="data-policy", sequence=2)
    services.publish(meeting, by=get_user_model().objects.get(username="secretary"))
    version = MinutesVersion.objects.published().get(meeting=meeting)
    content = version.content_data()
    names = content["redact"]
    # The names the public version masks: the remarks print them internally.
    internal_remarks = " ".join(
        " ".join([r["speaker"], *r["statements"]]) for r in content["remarks"]
    )
    masked = [name for name in names if name in internal_remarks]
    assert len(masked) >= 10
    client = hostile_client()

    for name in masked:
        for field in ("q", "speaker", "agenda"):
            response = answered(client.get(PUBLIC_SEARCH, {field: name}))
            assert response.status_code == 200
            assert response.context["results"].total == 0, (field, name)
            assert name not in without_the_echo(response.content.decode(), name), (field, name)
        # Part of a name (the given name) finds no passage that holds the name.
        response = answered(client.get(PUBLIC_SEARCH, {"q": name[1:]}))
        assert name not in without_the_echo(response.content.decode(), name)

    number, pages = 1, 1
    listed = 0
    while number <= pages:
        response = answered(client.get(PUBLIC_SEARCH, {"committee": "data-policy", "page": number}))
        page = response.content.decode()
        assert not [name for name in names if name in page.split('id="search-results"', 1)[1]]
        listed += len(response.context["results"].hits)
        pages = response.context["results"].paginator.num_pages
        number += 1
    assert listed == PublicPassage.objects.count() == len(content["remarks"])
