"""Hostile input to the open-data API (meetings/api.py): query strings, addresses, methods.

The API is the one part of the site written for programs, and anybody may
call it: whatever arrives, the answer is JSON with a message a person can
read (400 for a value it cannot take, 404 for what does not exist, 405 for
anything but GET), never a server error and never a write.
"""

import pytest

from .hostile import answered, hostile_client, quickly, snapshot
from .test_api import API, meeting_url, published, quick_seal  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def refused_as_json(response, *statuses):
    """A 4xx in JSON whose message says what was wrong."""
    answered(response)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert isinstance(body["message"], str) and body["message"].strip()
    return body


LISTS = {
    "committees": f"{API}committees",
    "meetings": f"{API}committees/traffic/meetings",
    "remarks": f"{API}committees/traffic/meetings/2024/1/remarks",
}


@pytest.mark.parametrize("endpoint", sorted(LISTS))
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        pytest.param("page=abc", "page", id="page-word"),
        pytest.param("page=0", "page", id="page-zero"),
        pytest.param("page=-1", "page", id="page-negative"),
        pytest.param("page=1e9", "page", id="page-exponent"),
        pytest.param("page=2.5", "page", id="page-fraction"),
        pytest.param("page=99999999999999999999999", "page", id="page-huge"),
        pytest.param("page=%00", "page", id="page-nul"),
        pytest.param("page=%1B%5B2J", "page", id="page-escape"),
        pytest.param("page=%EF%BC%92", "page", id="page-fullwidth"),
        pytest.param("page=", "page", id="page-empty"),
        pytest.param("page=2", "page", id="page-past-the-end"),
        pytest.param("page=10001", "page", id="page-past-the-limit"),
        pytest.param("page_size=0", "page_size", id="size-zero"),
        pytest.param("page_size=101", "page_size", id="size-too-large"),
        pytest.param("page_size=" + "9" * 5000, "page_size", id="size-5000-digits"),
    ],
)
def test_a_bad_page_is_a_400_naming_it(published, endpoint, query, parameter):  # noqa: F811
    with quickly(5):
        response = hostile_client().get(f"{LISTS[endpoint]}?{query}")

    body = refused_as_json(response, 400)
    assert [error["parameter"] for error in body["errors"]] == [parameter]
    assert body["message"] == body["errors"][0]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "year=99999",
        "year=1947",
        "year=2101",
        "year=-2024",
        "year=abc",
        "year=%00",
        "year=2024%00",
        "year=99999999999999999999999",
    ],
)
def test_a_bad_year_is_a_400_naming_it(published, query):  # noqa: F811
    response = hostile_client().get(f"{LISTS['meetings']}?{query}")

    body = refused_as_json(response, 400)
    assert [error["parameter"] for error in body["errors"]] == ["year"]


def test_several_bad_parameters_are_each_named(published):  # noqa: F811
    response = hostile_client().get(f"{LISTS['meetings']}?year=x&page=x&page_size=x")

    body = refused_as_json(response, 400)
    assert sorted(error["parameter"] for error in body["errors"]) == ["page", "page_size", "year"]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("page=1&page=1", id="repeated"),
        pytest.param("page[]=2", id="array-syntax"),
        pytest.param("unknown=%00&" + "&".join(f"k{n}=v" for n in range(500)), id="many-keys"),
        pytest.param("year=2024&year=2024", id="year-repeated"),
        pytest.param("q=%ED%A0%80", id="surrogate"),
    ],
)
def test_odd_but_harmless_queries_are_answered(published, query):  # noqa: F811
    with quickly(5):
        response = answered(hostile_client().get(f"{LISTS['meetings']}?{query}"))

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("address", "status"),
    [
        pytest.param("committees/%00", 404, id="slug-nul"),
        pytest.param("committees/" + "a" * 5000, 404, id="slug-long"),
        pytest.param("committees/..%2F..%2Fetc", 404, id="slug-traversal"),
        pytest.param("committees/%ED%A0%80", 404, id="slug-surrogate"),
        pytest.param("committees/%FF%FE", 404, id="slug-not-utf8"),
        pytest.param("committees/%EB%8D%B0%EC%9D%B4%ED%84%B0", 404, id="slug-korean"),
        pytest.param("committees/traffic%27--/meetings", 404, id="slug-quote"),
        pytest.param("committees/%00/meetings/2024/1", 404, id="meeting-slug-nul"),
        pytest.param("committees/traffic/meetings/0/1", 400, id="year-zero"),
        pytest.param("committees/traffic/meetings/99999/1", 400, id="year-huge"),
        pytest.param("committees/traffic/meetings/2024%00/1", 404, id="year-nul"),
        pytest.param("committees/traffic/meetings/2024/0", 400, id="sequence-zero"),
        pytest.param("committees/traffic/meetings/2024/-1", 404, id="sequence-negative"),
        pytest.param("committees/traffic/meetings/2024/" + "9" * 40, 400, id="sequence-huge"),
        pytest.param("committees/traffic/meetings/2024/1.0", 404, id="sequence-fraction"),
        pytest.param("committees/traffic/meetings/2024/2", 404, id="sequence-unknown"),
        pytest.param("committees/traffic/meetings/2023/1", 404, id="year-unknown"),
        pytest.param("committees/traffic/meetings/2024/1/remarks/0", 400, id="block-zero"),
        pytest.param("committees/traffic/meetings/2024/1/remarks/x", 404, id="block-word"),
        pytest.param("committees/traffic/meetings/2024/1/remarks/7", 404, id="block-past-end"),
        pytest.param(
            "committees/traffic/meetings/2024/1/remarks/1/statements/99999999999",
            400,
            id="statement-huge",
        ),
        pytest.param(
            "committees/traffic/meetings/2024/1/remarks/1/statements/3", 404, id="statement-past"
        ),
        pytest.param("committees/traffic/meetings/2024/1/remarks/1/statements", 404, id="no-list"),
        pytest.param("committees/traffic/meetings/2024/1/", 404, id="trailing-slash"),
        pytest.param("../../etc/passwd", 404, id="traversal"),
        pytest.param("docs", 404, id="no-docs-page"),
        pytest.param("%00", 404, id="nul"),
    ],
)
def test_a_bad_address_is_a_json_answer(published, address, status):  # noqa: F811
    with quickly(5):
        response = hostile_client().get(API + address)

    refused_as_json(response, status)


ADDRESSES = [
    "",
    "openapi.json",
    "committees",
    "committees/traffic",
    "committees/traffic/meetings",
    "committees/traffic/meetings/2024/1",
    "committees/traffic/meetings/2024/1/remarks",
    "committees/traffic/meetings/2024/1/remarks/1",
    "committees/traffic/meetings/2024/1/remarks/1/statements/1",
    "nowhere",
]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_api_answers_nothing_but_get(published, method, address):  # noqa: F811
    """Without a CSRF token, with a JSON body: a 405 that allows GET and HEAD, nothing changes."""
    before = snapshot(published.meeting)
    client = hostile_client(published.secretary.person.user)

    response = answered(
        getattr(client, method)(
            API + address, data='{"place": "별관"}', content_type="application/json"
        )
    )

    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response.json()["message"]
    assert snapshot(published.meeting) == before


@pytest.mark.parametrize("address", ADDRESSES)
def test_head_answers_like_get_without_a_body(published, address):  # noqa: F811
    client = hostile_client(published.secretary.person.user)

    got, head = client.get(API + address), answered(client.head(API + address))

    assert head.status_code == got.status_code
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""
    assert head["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"If-None-Match": "\x00"}, id="etag-nul"),
        pytest.param({"If-None-Match": '"' + "a" * 10_000 + '"'}, id="etag-long"),
        pytest.param({"If-None-Match": "W/"}, id="etag-broken"),
        pytest.param({"Accept": "text/html"}, id="accept-html"),
        pytest.param({"Accept-Language": "xx, en;q=abc"}, id="language-garbage"),
        pytest.param({"Cookie": "django_language=%00"}, id="language-cookie-nul"),
    ],
)
def test_odd_headers_get_the_meeting(published, headers):  # noqa: F811
    response = answered(hostile_client().get(meeting_url(published), headers=headers))

    assert response.status_code == 200 and response.json()["version"] == 1


def test_a_client_that_has_everything_gets_304(published):  # noqa: F811
    """If-None-Match: * is a client that has some version: a 304, not a 500."""
    response = answered(
        hostile_client().get(meeting_url(published), headers={"If-None-Match": "*"})
    )

    assert response.status_code == 304
