"""Download tickets (meetings/tickets.py): the minutes page links each sealed
file through a ticket written for its reader, which serves the file from disk
without reading the database; any ticket that does not hold ends at the
file's own address, where every check is made again."""

import hashlib
import html
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from meetings import tickets
from meetings.models import SealedFile
from meetings.services import amend

from .test_public import published
from .test_sealed_record import sealed  # noqa: F401  (fixture)
from .test_speed import overview_edit, remarks_edit
from .test_workflow import confirmed

pytestmark = pytest.mark.django_db


def ticket_links(page):
    return [
        html.unescape(link)
        for link in re.findall(r'href="(/meetings/files/[^"]+)"', page.content.decode())
    ]


@pytest.fixture
def reader(client, sealed, people):  # noqa: F811
    """Member A, a member of the committee, on the signed meeting's page."""
    client.force_login(people.member_a.person.user)
    page = client.get(people.meeting.get_absolute_url())
    return client, ticket_links(page)


def stored_bytes(kind):
    return bytes(SealedFile.objects.get(kind=kind).pdf)


def test_each_sealed_file_is_linked_through_a_ticket_that_serves_its_stored_bytes(reader):
    client, links = reader
    assert len(links) == 3 and all(link.endswith(".pdf") for link in links)

    first = client.get(links[0])  # no copy on disk yet: the file's own address
    assert first.status_code == 302
    assert first["Location"].startswith("/meetings/verify/")
    assert client.get(first["Location"]).content == stored_bytes("internal-pdfa3b")

    again = client.get(links[0])  # now from the copy the first download left
    assert again.status_code == 200
    data = again.getvalue()
    assert data == stored_bytes("internal-pdfa3b")
    assert again["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert again["Cache-Control"] == "private, no-store"
    assert again["X-Content-Type-Options"] == "nosniff"
    assert again["Content-Disposition"].startswith("attachment;")
    assert again["Content-Disposition"].endswith('-v1-internal-pdfa3b.pdf"')


def test_a_ticket_that_holds_reads_nothing_from_the_database(reader, django_assert_num_queries):
    client, links = reader
    client.get(links[2], follow=True)
    with django_assert_num_queries(0):
        response = client.get(links[2])
    assert response.getvalue() == stored_bytes("public-pdfa3b")
    assert response["Cache-Control"] == "private"  # redacted, and it never changes


def test_a_browser_that_has_the_file_gets_304(reader):
    client, links = reader
    client.get(links[0], follow=True)
    first = client.get(links[0])
    again = client.get(links[0], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_ticket_is_worth_nothing_in_another_session(reader, people, django_user_model):
    client, links = reader
    client.get(links[0], follow=True)  # the copy is on disk

    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("outsider"))
    response = stranger.get(links[0])
    assert response.status_code == 302  # sent to the file's own address ...
    assert stranger.get(response["Location"]).status_code == 404  # ... which refuses

    anonymous = Client().get(links[0], follow=True)
    assert anonymous.status_code == 404


def test_a_ticket_ends_with_the_session_it_was_written_for(reader):
    client, links = reader
    client.get(links[0], follow=True)
    session_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))

    thief = Client()
    thief.cookies["sessionid"] = session_cookie  # the old cookie, kept somewhere
    response = thief.get(links[0])
    assert response.status_code == 302
    assert thief.get(response["Location"]).status_code == 404


def test_a_ticket_ends_when_access_changes(reader, people):
    """The account unlinked from the member (and signer) after the page was
    shown: the ticket no longer serves, and the file's own address refuses."""
    client, links = reader
    client.get(links[0], follow=True)
    assert client.get(links[0]).status_code == 200

    people.member_a.person.user = None
    people.member_a.person.save()

    response = client.get(links[0])
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 404


def test_an_old_ticket_is_sent_to_the_file_address(reader, monkeypatch):
    client, links = reader
    client.get(links[0], follow=True)
    real_time = tickets.time.time
    monkeypatch.setattr(tickets.time, "time", lambda: real_time() + tickets.TICKET_HOURS * 3600 + 1)
    response = client.get(links[0])
    assert response.status_code == 302 and "/meetings/verify/" in response["Location"]


@pytest.mark.parametrize(
    "ticket",
    [
        "nonsense",
        "eyJjIjoiMDAwMC0wMDAwLTAwMDAiLCJrIjoiaW50ZXJuYWwtcGRmYTNiIn0:1abcde:forged",
        "." + "A" * 4000,
    ],
)
def test_a_ticket_we_never_wrote_is_404_in_words(client, ticket):
    response = client.get(f"/meetings/files/{ticket}.pdf")
    assert response.status_code == 404
    assert "다운로드 링크가 올바르지 않습니다" in response.content.decode()


def test_an_altered_ticket_is_404(reader):
    client, links = reader
    ticket = links[0][len(tickets.PREFIX) : -len(".pdf")]
    payload = signing.loads(ticket, salt=tickets.SALT)
    payload["k"] = "public-pdfa3b"
    forged = signing.dumps(payload, salt="another salt", compress=True)
    assert client.get(f"{tickets.PREFIX}{forged}.pdf").status_code == 404


def test_only_get_and_head_are_served(reader):
    client, links = reader
    client.get(links[0], follow=True)
    assert client.head(links[0]).status_code == 200
    assert client.post(links[0]).status_code == 405


# --- renderings of a draft or of a version not signed yet ---------------------------


def draft_links(client, meeting):
    return ticket_links(client.get(meeting.get_absolute_url()))


def test_the_draft_menu_links_through_tickets_to_the_kept_rendering(
    secretary_client, people, renders, django_assert_num_queries
):
    links = draft_links(secretary_client, people.meeting)
    assert len(links) == 4

    first = secretary_client.get(links[1])  # not rendered yet: the download's own address
    assert first.status_code == 302
    assert first["Location"] == (
        reverse("meetings:pdf", args=[people.meeting.pk]) + "?version=public&variant=pdf%2Fa-3b"
    )
    made = secretary_client.get(first["Location"])
    assert made.status_code == 200 and len(renders) == 1

    with django_assert_num_queries(0):
        again = secretary_client.get(links[1])
    assert again.status_code == 200 and len(renders) == 1
    assert again.content == made.content and again["ETag"] == made["ETag"]
    assert again["Cache-Control"] == "private, no-cache"
    assert again["Content-Disposition"].endswith('-public-draft.pdf"')


def place_edit(client, meeting):
    overview_edit(client, meeting, place="별관 2층 소회의실")


@pytest.mark.parametrize("edit", [remarks_edit, place_edit])
def test_an_edit_ends_the_tickets_of_the_text_before_it(secretary_client, people, renders, edit):
    links = draft_links(secretary_client, people.meeting)
    before = secretary_client.get(links[0], follow=True).content
    assert secretary_client.get(links[0]).status_code == 200

    edit(secretary_client, people.meeting)

    response = secretary_client.get(links[0])
    assert response.status_code == 302  # the old text is not served ...
    assert secretary_client.get(response["Location"]).content != before  # ... the new one is


def test_a_version_not_signed_yet_is_linked_through_tickets_too(client, people, renders):
    confirmed(people)
    client.force_login(people.secretary.person.user)
    links = draft_links(client, people.meeting)
    assert len(links) == 4
    first = client.get(links[0], follow=True)
    assert first.status_code == 200
    again = client.get(links[0])
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Disposition"].endswith('-unsigned.pdf"')


def test_a_draft_ticket_is_worth_nothing_in_another_session(
    secretary_client, people, renders, django_user_model
):
    links = draft_links(secretary_client, people.meeting)
    secretary_client.get(links[0], follow=True)  # rendered and kept

    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("outsider"))
    response = stranger.get(links[0])
    assert response.status_code == 302
    assert stranger.get(response["Location"]).status_code == 404


def test_the_address_of_tickets_is_where_the_middleware_looks():
    assert reverse("meetings:ticket", args=["x"]).startswith(tickets.PREFIX)


def test_a_copy_that_cannot_be_written_costs_only_speed(reader, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    settings.CACHE_DIR = blocked
    client, links = reader

    for _ in range(2):
        response = client.get(links[0], follow=True)
        assert response.status_code == 200
        assert response.content == stored_bytes("internal-pdfa3b")
        assert response.redirect_chain[0][1] == 302  # never from a copy: there is none


# --- the published public file, for anybody --------------------------------------------


def test_the_public_page_links_the_published_file_through_a_ticket_for_anybody(
    client, people, django_assert_num_queries
):
    published(people)
    page = client.get(reverse("public:minutes", args=["traffic", 2024, 1]))
    button = html.unescape(re.search(r'href="([^"]+)" id="public-pdf"', page.content.decode())[1])
    assert button.startswith(tickets.PREFIX)

    first = client.get(button, follow=True)  # no copy yet: the file's public address
    assert first.redirect_chain == [(reverse("public:pdf", args=["traffic", 2024, 1]), 302)]
    assert first.getvalue() == stored_bytes("public-pdfa3b")

    stranger = Client()  # another visitor, no session at all
    with django_assert_num_queries(0):
        again = stranger.get(button)
    assert again.status_code == 200 and again.getvalue() == stored_bytes("public-pdfa3b")
    assert again["Cache-Control"] == "public, max-age=300"


def test_an_amendment_ends_the_public_ticket(client, people):
    published(people)
    page = client.get(reverse("public:minutes", args=["traffic", 2024, 1]))
    button = html.unescape(re.search(r'href="([^"]+)" id="public-pdf"', page.content.decode())[1])
    client.get(button, follow=True)

    amend(people.meeting, by=people.secretary.person.user, reason="오기 정정")

    response = client.get(button)
    assert response.status_code == 302  # to the public address, which decides again
