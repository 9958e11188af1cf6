"""Nothing is rendered twice while it has not changed, and pages stay light.

A signed meeting's download reads its stored file and nothing else; a draft's
PDF is the same bytes for the same text and comes from the "pdfs" cache until
any edit of that text; the minutes page of a frozen version comes from the
"pages" cache; the admin's meeting page no longer carries every speaker block.
Each test gets caches of its own (tests/conftest.py).
"""

import hashlib
import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from agenda.models import Resolution
from meetings import downloads
from meetings.minutes import paper_key
from meetings.models import Attendance, Meeting, SealedFile
from meetings.renderings import known_content_sha256

from .html import read_minutes
from .test_editor import overview_data, save, state_of
from .test_signing import sign_both
from .test_workflow import confirmed

pytestmark = pytest.mark.django_db


def pdf_url(meeting, **query):
    url = reverse("meetings:pdf", args=[meeting.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- the sealed file ------------------------------------------------------------------


@pytest.fixture
def sealed(people):
    return sign_both(confirmed(people), people)


def test_a_signed_download_reads_only_its_stored_file(
    client, sealed, people, django_assert_num_queries
):
    client.force_login(people.secretary.person.user)
    stored = sealed.files.get(kind=SealedFile.Kind.PUBLIC_PDFA3B)
    # The user (the session is cached), the meeting, the newest version's file
    # with its version.
    with django_assert_num_queries(3):
        response = client.get(pdf_url(people.meeting, version="public"))

    assert response.status_code == 200
    assert response.content == bytes(stored.pdf)
    assert response["ETag"] == f'"{stored.sha256}"'
    assert response["Content-Disposition"].endswith('-v1-public-pdfa3b.pdf"')


def test_a_signed_file_the_browser_has_is_answered_304_without_reading_its_bytes(
    client, sealed, people, django_assert_num_queries
):
    client.force_login(people.secretary.person.user)
    first = client.get(pdf_url(people.meeting))
    with django_assert_num_queries(3) as queries:
        again = client.get(pdf_url(people.meeting), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304 and again.content == b""
    assert again["Cache-Control"] == "private, no-store"
    assert '"pdf"' not in queries.captured_queries[-1]["sql"]


# --- the same bytes for the same text ----------------------------------------------


def test_two_renders_of_the_same_text_are_the_same_bytes_and_a_changed_remark_changes_them(
    people, settings
):
    meeting = people.meeting
    first = downloads.render_file(meeting, public=False, variant="pdf/a-3b")
    downloads.pdf_cache().clear()
    meeting.save()  # saved without a change: a new revision, the same text
    again = downloads.render_file(
        Meeting.objects.get(pk=meeting.pk), public=False, variant="pdf/a-3b"
    )
    assert again.data == first.data and again.sha256 == first.sha256

    statement = meeting.speaker_blocks.first().statements.first()
    statement.text += " (수정)"
    statement.save()
    changed = downloads.render_file(
        Meeting.objects.get(pk=meeting.pk), public=False, variant="pdf/a-3b"
    )
    assert changed.data != first.data


# --- the cache --------------------------------------------------------------------------


def test_a_draft_is_rendered_once_then_served_from_the_cache_with_its_etag(
    secretary_client, people, renders
):
    url = pdf_url(people.meeting, version="public")
    first = secretary_client.get(url)
    again = secretary_client.get(url)
    other_variant = secretary_client.get(pdf_url(people.meeting, variant="pdf/a-1b"))
    revalidated = secretary_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert len(renders) == 2  # the public PDF/A-3b once, the internal PDF/A-1b once
    assert again.content == first.content
    assert first["ETag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'
    assert first["Cache-Control"] == "private, no-cache"
    assert other_variant["Cache-Control"] == "private, no-store"
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert first["Content-Disposition"].endswith('-public-draft.pdf"')


def test_a_cached_draft_download_does_not_read_the_minutes(
    secretary_client, people, renders, django_assert_num_queries
):
    people.add_remarks(60)
    secretary_client.get(pdf_url(people.meeting))
    # The user (the session is cached), the meeting; which content its
    # revision shows is cached.
    with django_assert_num_queries(2):
        response = secretary_client.get(pdf_url(people.meeting))
    assert response.status_code == 200 and len(renders) == 1


def overview_edit(client, meeting, **changes):
    response = client.post(
        reverse("editor:page", args=[meeting.pk]), overview_data(meeting, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def remarks_edit(client, meeting):
    state = state_of(client, meeting)
    state["blocks"][0]["statements"][0] += " 보완"
    assert save(client, meeting, state, state["revision"]).status_code == 200


def resolution_edit(client, meeting):
    state = state_of(client, meeting)
    state["resolutions"].append(
        {
            "key": "r-new",
            "after": state["blocks"][-1]["key"],
            "question": "추가 안건 의결",
            "method": Resolution.Method.NO_OBJECTION,
            "outcome": "passed",
        }
    )
    response = save(client, meeting, state, state["revision"])
    assert response.status_code == 200, response.content


EDITS = {
    "overview": lambda client, world: overview_edit(client, world.meeting, place="별관 회의실"),
    "remarks": lambda client, world: remarks_edit(client, world.meeting),
    "resolutions": lambda client, world: resolution_edit(client, world.meeting),
    "attendance": lambda client, world: overview_edit(
        client,
        world.meeting,
        present=[
            str(a.member_id)
            for a in world.meeting.attendances.all()
            if a.status == Attendance.Status.PRESENT and a.member_id != world.internal.pk
        ],
    ),
    "signature block": lambda client, world: overview_edit(client, world.meeting, signer_2=""),
    "a person's name": lambda client, world: rename(world.member_a.person, "문가온"),
}


def rename(person, name):
    person.name = name
    person.save()


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_every_kind_of_edit_makes_the_next_download_a_new_rendering(
    secretary_client, people, renders, edit
):
    url = pdf_url(people.meeting)
    before = secretary_client.get(url)
    before_sha = known_content_sha256(Meeting.objects.get(pk=people.meeting.pk))
    assert before_sha is not None and len(renders) == 1

    EDITS[edit](secretary_client, people)
    after = secretary_client.get(url)

    assert len(renders) == 2
    assert after.content != before.content and after["ETag"] != before["ETag"]
    assert known_content_sha256(Meeting.objects.get(pk=people.meeting.pk)) != before_sha


def test_an_unsigned_version_is_cached_by_its_own_hash(client, people, renders):
    confirmed(people)
    meeting = people.meeting
    client.force_login(people.secretary.person.user)
    first = client.get(pdf_url(meeting))
    again = client.get(pdf_url(meeting))
    assert len(renders) == 1 and again.content == first.content
    assert first["Content-Disposition"].endswith('-unsigned.pdf"')
    assert json.loads(first.content.split(b"[(")[0])["version"] == "internal"


# --- the minutes page -------------------------------------------------------------------


def paper(response):
    page = response.content.decode()
    return page[page.index('<article class="minutes-paper') : page.rindex("</article>")]


@pytest.mark.parametrize("blocks", [10, 300])
def test_a_text_shown_before_is_printed_from_the_cache_without_the_minutes(
    blocks, secretary_client, world, django_assert_num_queries
):
    world.add_remarks(blocks)
    url = world.meeting.get_absolute_url()
    first = secretary_client.get(url)
    # The user (the session is cached), the meeting, its signature block (the
    # workflow buttons): the remarks are not read, however many there are.
    # The speaker blocks' kinds that the 검토 요청 dialog's reasons read, as
    # plain values (kept by the revision from now on). Kept since the first
    # visit: the history, the task badge and the open points to check (under
    # the workflow generation), the secretary's permissions
    # (minutes_site.permissions), what the minutes fail to state (by the
    # text's hash).
    with django_assert_num_queries(4):
        again = secretary_client.get(url)
    assert paper(again) == paper(first)
    assert len(read_minutes(again)[0]) == blocks


def test_an_edit_shows_on_the_minutes_page_at_once(secretary_client, world):
    world.add_remarks(3)
    url = world.meeting.get_absolute_url()
    secretary_client.get(url)
    remarks_edit(secretary_client, world.meeting)
    assert "보완" in secretary_client.get(url).content.decode()
    public = secretary_client.get(url + "?version=public").content.decode()
    assert "보완" in public and 'data-version="public"' in public


def test_a_signed_version_is_printed_from_the_cache_with_its_signatures(client, sealed, people):
    client.force_login(people.secretary.person.user)
    url = people.meeting.get_absolute_url()
    first = client.get(url)
    again = client.get(url)
    assert paper(again) == paper(first)
    assert paper(again).count('class="signature-image"') == 2


def test_the_same_text_signed_in_another_record_is_not_printed_from_the_cache():
    """A reloaded demo or a restored copy signs the same text under the same code:
    the cached page must still show that record's own signatures."""

    def seal_signed_by(*rows):
        signatures = [SimpleNamespace(row_sha256=row) for row in rows]
        version = SimpleNamespace(signatures=SimpleNamespace(all=lambda: signatures))
        return SimpleNamespace(verification_code="0F4C-2CCD-147D", version=version)

    here = paper_key("a" * 64, public=False, seal=seal_signed_by("1" * 64, "2" * 64))
    elsewhere = paper_key("a" * 64, public=False, seal=seal_signed_by("3" * 64, "4" * 64))
    assert here != elsewhere
    assert here == paper_key("a" * 64, public=False, seal=seal_signed_by("1" * 64, "2" * 64))
