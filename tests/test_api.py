"""The open-data API: published minutes as JSON, for anyone, read-only (meetings/api.py).

A client needs nothing but the first address: every answer links what lies
below it, down to one statement, and the OpenAPI document describes it all.
What it reads is what the public version prints, never more.
"""

import datetime
import hashlib
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from openapi_spec_validator import validate

from meetings import services
from meetings.minutes import canonical_json, public_content
from meetings.models import Meeting, MinutesVersion, SealedFile, StatusChange
from meetings.services import amend, publish

from .html import read_minutes
from .names import assert_no_real_names, names_never_printed, real_names_masked_in
from .test_signing import sign_both
from .test_workflow import confirmed

pytestmark = pytest.mark.django_db

API = "/api/"


def read(client, url, **headers):
    """GET ``url`` (absolute, as the API links it) and its JSON."""
    response = client.get(url, headers=headers)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response, response.json() if response.content else None


def data(client, url):
    response, body = read(client, url)
    assert response.status_code == 200, (url, response.status_code, body)
    return body


@pytest.fixture
def quick_seal(monkeypatch):
    """Sealing stores three small stand-ins for the PDFs (the real ones take seconds;
    test_the_demo_... below seals for real)."""

    def sealed_files(document, kinds, *, progress=None):
        files = []
        for kind in kinds:
            pdf = f"%PDF-1.7 {document.version.content_sha256} {kind}".encode()
            sha256 = hashlib.sha256(pdf).hexdigest()
            files.append(SealedFile(kind=kind, pdf=pdf, sha256=sha256, size=len(pdf)))
        return files

    monkeypatch.setattr(services, "sealed_files", sealed_files)


@pytest.fixture
def published(people, quick_seal):
    """The world's meeting through review, confirmation, both signatures and publication."""
    sign_both(confirmed(people), people)
    publish(people.meeting, by=people.secretary.person.user)
    return people


def meeting_url(world, *rest):
    meeting = world.meeting
    path = f"{API}committees/{meeting.committee.slug}/meetings/{meeting.year}/{meeting.sequence}"
    return "/".join([path, *map(str, rest)])


def published_copy(version, sequence):
    """Another published meeting of the same committee, with the same text but its
    own number: rows as the workflow leaves them, made without it (for volume)."""
    meeting = version.meeting
    copy = Meeting.objects.create(
        committee=meeting.committee,
        year=meeting.year,
        sequence=sequence,
        starts_at=meeting.starts_at + datetime.timedelta(days=sequence),
        ends_at=meeting.ends_at + datetime.timedelta(days=sequence),
        place=meeting.place,
        document_date=meeting.document_date,
        status=Meeting.Status.PUBLISHED,
    )
    content = version.content_data()
    content["meeting"].update(
        sequence=sequence,
        starts_at=timezone.localtime(copy.starts_at).isoformat(),
        ends_at=timezone.localtime(copy.ends_at).isoformat(),
    )
    text = canonical_json(content)
    copied = MinutesVersion.objects.create(
        meeting=copy,
        number=1,
        content=text.decode(),
        content_sha256=hashlib.sha256(text).hexdigest(),
        frozen_by=version.frozen_by,
    )
    StatusChange.objects.create(
        meeting=copy,
        version=copied,
        from_status=Meeting.Status.SIGNED,
        to_status=Meeting.Status.PUBLISHED,
        by=version.frozen_by,
    )
    return copied


# --- the OpenAPI document -----------------------------------------------------------------


def test_the_openapi_document_validates_and_describes_every_address(client, published):
    response, document = read(client, API + "openapi.json")

    validate(document)  # raises on an invalid OpenAPI document
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert sorted(document["paths"]) == [
        "/api/",
        "/api/committees",
        "/api/committees/{slug}",
        "/api/committees/{slug}/meetings",
        "/api/committees/{slug}/meetings/{year}/{sequence}",
        "/api/committees/{slug}/meetings/{year}/{sequence}/remarks",
        "/api/committees/{slug}/meetings/{year}/{sequence}/remarks/{block}",
        "/api/committees/{slug}/meetings/{year}/{sequence}/remarks/{block}/statements/{statement}",
    ]
    # Read-only: nothing but GET is documented.
    assert {method for path in document["paths"].values() for method in path} == {"get"}


def test_the_documented_addresses_answer_as_documented(client, published):
    """Each documented path, filled in from the published meeting, answers 200 with
    every property its schema requires (the document is not a wish list)."""
    document = data(client, API + "openapi.json")
    schemas = document["components"]["schemas"]
    values = {
        "{slug}": "traffic",
        "{year}": "2024",
        "{sequence}": "1",
        "{block}": "1",
        "{statement}": "1",
    }
    for path, operations in document["paths"].items():
        url = path
        for name, value in values.items():
            url = url.replace(name, value)
        body = data(client, url)
        reference = operations["get"]["responses"]["200"]["content"]["application/json"]
        schema = schemas[reference["schema"]["$ref"].rsplit("/", 1)[-1]]
        assert set(schema.get("required", [])) <= set(body), path


def test_there_is_no_docs_page_loading_scripts_from_elsewhere(client, published):
    """The interactive docs page loads its scripts from a CDN, which the CSP refuses:
    only the JSON document is served."""
    response, body = read(client, API + "docs")

    assert response.status_code == 404 and body["message"]
    assert b"<script" not in response.content


# --- following the links ------------------------------------------------------------------


def test_a_client_follows_links_from_the_committee_list_to_a_statement(client, published):
    """From the first address to one statement by the links alone, and the
    statement reads as the public minutes page prints it."""
    index = data(client, API)
    committees = data(client, index["committees_url"])
    committee = data(client, committees["items"][0]["url"])
    meetings = data(client, committee["meetings_url"])
    meeting = data(client, meetings["items"][0]["url"])
    remarks = data(client, meeting["remarks_url"])
    block = remarks["items"][2]
    statement = data(client, block["statements"][0]["url"])

    page_remarks, _ = read_minutes(client.get(meeting["public_page_url"]))
    heading, statements = page_remarks[2]
    assert f"<{statement['heading']}>" == heading
    assert statement["text"] == statements[0] == "발언 3-1"
    assert statement["url"] == block["statements"][0]["url"]
    assert data(client, statement["remark_url"]) == block
    assert data(client, statement["meeting_url"]) == meeting


def test_the_remarks_are_the_public_pages_remarks(client, published):
    """Every speaker block with its heading as published and its statements, in order."""
    meeting = data(client, meeting_url(published))
    remarks = data(client, meeting["remarks_url"] + "?page_size=100")

    page_remarks, _ = read_minutes(client.get(meeting["public_page_url"]))
    served = [(f"<{r['heading']}>", [s["text"] for s in r["statements"]]) for r in remarks["items"]]
    assert served == [(heading, statements) for heading, statements in page_remarks]
    assert [r["number"] for r in remarks["items"]] == list(range(1, 7))
    assert {r["kind"] for r in remarks["items"]} == {"speech"}
    assert meeting["remarks_count"] == 6 and meeting["statements_count"] == 12


def test_lists_link_their_next_and_previous_pages(client, published):
    url = meeting_url(published, "remarks") + "?page_size=4"
    first = data(client, url)
    second = data(client, first["next"])

    assert (first["count"], first["pages"], first["previous"]) == (6, 2, None)
    assert [r["number"] for r in first["items"]] == [1, 2, 3, 4]
    assert [r["number"] for r in second["items"]] == [5, 6]
    assert second["next"] is None
    assert data(client, second["previous"]) == first


# --- what a meeting says ------------------------------------------------------------------


def test_the_meeting_reads_as_its_public_version_prints_it(client, published):
    meeting = data(client, meeting_url(published))
    version = MinutesVersion.objects.get(meeting=published.meeting)
    public = public_content(version.content_data())
    stored = SealedFile.objects.get(document__version=version, kind=SealedFile.Kind.PUBLIC_PDFA3B)

    assert meeting["title"] == "2024년 1차 「교통정책위원회」 회의록"
    assert meeting["starts_at"] == "2024-04-18T15:00:00+09:00"
    assert meeting["when"] == "'24. 4. 18.(목) 15:00~17:00"
    assert meeting["document_date_printed"] == "2024. 4."
    assert meeting["place"] == "시청 영상회의실(6층)"
    assert meeting["attendance"] == {
        "present": 3,
        "external": ["문가람", "한도윤"],
        "internal": [{"name": "서지안", "position": "도시계획국장"}],
        "non_members": ["임채윤 교통데이터팀장", "담당 팀장 등"],
    }
    assert meeting["agenda"] == [
        {
            "kind": "deliberation",
            "kind_label": "심의",
            "number": 1,
            "title": "버스 노선 개편안",
            "outcome": "passed",
            "outcome_label": "원안가결",
        }
    ]
    assert meeting["decisions"] == public["decisions"]
    assert meeting["proceedings"] == public["proceedings"]
    assert (meeting["version"], meeting["content_sha256"]) == (1, version.content_sha256)
    assert meeting["public_content_sha256"] == hashlib.sha256(canonical_json(public)).hexdigest()
    assert meeting["public_pdf"]["sha256"] == stored.sha256
    assert meeting["public_page_url"] == "http://testserver/public/traffic/2024/1/"
    assert meeting["public_pdf"]["url"] == "http://testserver/public/traffic/2024/1/minutes.pdf"
    assert meeting["verification_url"].startswith("http://testserver/meetings/verify/")
    committee = data(client, meeting["committee"]["url"])
    assert committee["public_page_url"] == "http://testserver/public/traffic/"
    assert committee["csv_url"] == "http://testserver/public/traffic/minutes.csv"
    assert client.get(committee["csv_url"]).status_code == 200
    # The absent member is not printed, nor anything internal.
    assert "배하늘" not in json.dumps(meeting, ensure_ascii=False)


def test_the_public_pdf_has_no_hash_until_its_file_is_stored(client, people, monkeypatch):
    monkeypatch.setattr(services, "sealed_files", lambda document, kinds, progress=None: [])
    sign_both(confirmed(people), people)
    publish(people.meeting, by=people.secretary.person.user)

    meeting = data(client, meeting_url(people))

    assert meeting["public_pdf"]["sha256"] is None
    assert meeting["public_pdf"]["url"].endswith("/public/traffic/2024/1/minutes.pdf")


def test_an_amendment_changes_nothing_until_it_is_published(client, published):
    """The published text stays what the API serves while its correction is written."""
    secretary = published.secretary.person.user
    amend(published.meeting, by=secretary, reason="장소 오기")
    Meeting.objects.filter(pk=published.meeting.pk).update(place="별관 회의실")
    published.add_remarks(1)

    meeting = data(client, meeting_url(published))
    listed = data(client, f"{API}committees/traffic/meetings")["items"][0]

    assert meeting["version"] == listed["version"] == 1
    assert meeting["place"] == listed["place"] == "시청 영상회의실(6층)"
    assert meeting["remarks_count"] == 6


# --- nothing unpublished ------------------------------------------------------------------


def unpublished_addresses(world):
    return [
        f"{API}committees/traffic",
        f"{API}committees/traffic/meetings",
        meeting_url(world),
        meeting_url(world, "remarks"),
        meeting_url(world, "remarks", 1),
        meeting_url(world, "remarks", 1, "statements", 1),
    ]


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
def test_a_meeting_that_is_not_published_does_not_exist_for_the_api(reader, people, quick_seal):
    client = Client()
    if reader == "staff":
        client.force_login(people.secretary.person.user)
    for stage in ("draft", "signed"):
        if stage == "signed":
            sign_both(confirmed(people), people)
        assert data(client, f"{API}committees")["items"] == []
        for url in unpublished_addresses(people):
            response, body = read(client, url)
            assert response.status_code == 404, (stage, url)
            assert body["message"] and "private" in response["Cache-Control"]


def test_a_published_meeting_does_not_make_its_neighbours_visible(client, published):
    """The committee's draft meeting next to the published one stays unknown."""
    published.meeting.pk = None
    published.meeting.sequence = 2
    published.meeting.status = Meeting.Status.DRAFT
    published.meeting.save()

    listed = data(client, f"{API}committees/traffic/meetings")
    response, _ = read(client, f"{API}committees/traffic/meetings/2024/2")

    assert [item["sequence"] for item in listed["items"]] == [1]
    assert response.status_code == 404


# --- caching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rest", [(), ("remarks",), ("remarks", 1), ("remarks", 1, "statements", 1)]
)
def test_a_client_with_the_answer_gets_304(client, published, rest, django_assert_num_queries):
    url = meeting_url(published, *rest)
    first = client.get(url)
    # The published version with its meeting, committee, public file and code: its
    # content is not even read.
    with django_assert_num_queries(1):
        again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"] == "public, max-age=300"


def test_the_etag_changes_with_the_published_text(client, published):
    first = client.get(meeting_url(published))
    secretary = published.secretary.person.user
    amend(published.meeting, by=secretary, reason="발언 추가")
    published.add_remarks(7)
    sign_both(confirmed(published), published)
    publish(published.meeting, by=secretary)

    again = client.get(meeting_url(published), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert again.json()["version"] == 2 and again.json()["remarks_count"] == 6 + 7


def test_answers_are_json_under_the_sites_security_headers(client, published):
    """JSON is never run or sniffed as a page: the same CSP and nosniff as every page."""
    for url in (API, meeting_url(published), f"{API}committees/nowhere"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json; charset=utf-8", url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_lists_may_be_kept_by_any_cache(client, published):
    for url in (
        API,
        f"{API}committees",
        f"{API}committees/traffic",
        f"{API}committees/traffic/meetings",
    ):
        assert client.get(url)["Cache-Control"] == "public, max-age=300", url


# --- queries ------------------------------------------------------------------------------


def test_a_meeting_costs_the_same_queries_however_long_its_remarks(
    client, published, django_assert_num_queries
):
    """The version (meeting, committee, public file, code) and its content: 2, at
    6 speaker blocks as at 6 + 120."""
    urls = [meeting_url(published), meeting_url(published, "remarks") + "?page_size=100"]
    for url in urls:
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200

    secretary = published.secretary.person.user
    amend(published.meeting, by=secretary, reason="발언 추가")
    published.add_remarks(126)
    sign_both(confirmed(published), published)
    publish(published.meeting, by=secretary)

    for url in [*urls, meeting_url(published, "remarks", 120, "statements", 1)]:
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200


def test_lists_cost_the_same_queries_however_many_minutes(
    client, published, django_assert_num_queries
):
    """Committees: count, page (2). A committee: itself, its years (2). Its
    minutes: the committee, count, page (3). At 1 published meeting as at 25."""
    version = MinutesVersion.objects.get(meeting=published.meeting)
    plan = {
        f"{API}committees": 2,
        f"{API}committees/traffic": 2,
        f"{API}committees/traffic/meetings?page_size=100": 3,
    }
    for url, queries in plan.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

    for sequence in range(2, 26):
        published_copy(version, sequence)

    for url, queries in plan.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
    listed = data(client, f"{API}committees/traffic/meetings?page_size=100")
    assert [item["sequence"] for item in listed["items"]] == list(range(25, 0, -1))
    assert listed["items"][0]["when"] == "'24. 5. 13.(월) 15:00~17:00"


# --- errors -------------------------------------------------------------------------------


def test_errors_are_json_in_the_sites_language(client, published):
    """Korean unless the reader chose English in the site's language menu."""
    url = f"{API}committees/nowhere"
    korean = client.get(url)
    client.cookies["django_language"] = "en"
    english = client.get(url)

    with translation.override("ko"):
        expected = translation.gettext("No committee with published minutes has this address.")
    assert korean.status_code == english.status_code == 404
    assert korean["Content-Language"] == "ko" and korean.json()["message"] == expected
    assert english.json()["message"] == "No committee with published minutes has this address."


def test_the_api_data_is_korean_whatever_the_readers_language(client, published):
    """The minutes are a Korean document: titles and dates as printed, in any language."""
    client.cookies["django_language"] = "en"

    meeting = data(client, meeting_url(published))

    assert meeting["title"] == "2024년 1차 「교통정책위원회」 회의록"
    assert meeting["when"] == "'24. 4. 18.(목) 15:00~17:00"


def test_a_missing_block_or_statement_says_how_many_there_are(client, published):
    block_response, block = read(client, meeting_url(published, "remarks", 7))
    statement_response, statement = read(
        client, meeting_url(published, "remarks", 1, "statements", 3)
    )

    assert block_response.status_code == statement_response.status_code == 404
    assert "7" in block["message"] and "6" in block["message"]
    assert "3" in statement["message"] and "2" in statement["message"]


# --- the demo, sealed for real, and every name the public version masks -------------------


def walk(client):
    """Every address of the API, reached by its links alone: (url, body) each."""
    seen = []

    def visit(url):
        body = data(client, url)
        seen.append((url, body))
        return body

    visit(API + "openapi.json")
    committees = visit(data(client, API)["committees_url"])
    for committee_item in committees["items"]:
        committee = visit(committee_item["url"])
        for year in committee["years"]:
            visit(year["meetings_url"])
        meetings = visit(committee["meetings_url"])
        for item in meetings["items"]:
            meeting = visit(item["url"])
            page = visit(meeting["remarks_url"])
            while True:
                for remark in page["items"]:
                    visit(remark["url"])
                    for statement in remark["statements"]:
                        visit(statement["url"])
                if page["next"] is None:
                    break
                page = visit(page["next"])
    return seen


def test_the_demo_is_served_without_any_name_the_public_version_masks(client):
    """The demo's signed meeting, sealed for real and published: no answer of the
    API, reached by its links, holds a name the published minutes print nowhere;
    and apart from a meeting's attendance and signature block (which published
    minutes print with names) none holds any real name at all: headings read
    000위원, names in statements are masked (tests/names.py)."""
    call_command("load_demo", "--signed", stdout=io.StringIO())
    meeting = Meeting.objects.get(status=Meeting.Status.SIGNED)
    publish(meeting, by=get_user_model().objects.get(username="secretary"))
    masked = real_names_masked_in(meeting)
    never_printed = names_never_printed(meeting)

    answers = walk(client)

    assert len(answers) > 58 + 70  # every block and every statement was read
    for url, body in answers:
        assert_no_real_names(json.dumps(body, ensure_ascii=False), never_printed, where=url)
        outside_lists = {
            key: value
            for key, value in body.items()
            if key not in ("attendance", "signature_block")
        }
        assert_no_real_names(json.dumps(outside_lists, ensure_ascii=False), masked, where=url)
    sealed = SealedFile.objects.get(
        document__version__meeting=meeting, kind=SealedFile.Kind.PUBLIC_PDFA3B
    )
    overview = next(body for url, body in answers if url.endswith("/meetings/2026/2"))
    assert overview["public_pdf"]["sha256"] == sealed.sha256
    assert client.get(overview["public_pdf"]["url"]).status_code == 200
