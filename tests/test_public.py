"""The public side: published minutes for anyone, at readable addresses, in their
redacted form only; everything else is 404 for everybody, with a message."""

import csv
import datetime
import html
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from agenda.models import ReviewComment
from meetings.minutes import canonical_json, content_sha256, minutes_content, public_content
from meetings.models import Meeting, MinutesVersion, SealedFile, SignedDocument, StatusChange
from meetings.services import amend, publish, sign

from .conftest import make_committee, make_meeting, signature_png
from .html import read_minutes
from .names import page_text, pdf_text
from .test_signing import sign_both
from .test_workflow import confirmed, reviewed

NOT_PUBLISHED = "이 주소에 공개된 회의록이 없습니다."


def public_url(meeting, name="public:minutes"):
    return reverse(name, args=[meeting.committee.slug, meeting.year, meeting.sequence])


def published(world):
    """The world's meeting reviewed, confirmed, signed by both, sealed and published."""
    version = confirmed(world)
    document = sign_both(version, world)
    publish(world.meeting, by=world.secretary.person.user)
    world.meeting.refresh_from_db()
    return document


def published_quickly(meeting, by):
    """A meeting published without signatures or seal: enough for the lists, whose
    only source is the trail (MinutesVersion.objects.published())."""
    content = minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk))
    version = MinutesVersion.objects.create(
        meeting=meeting,
        number=1,
        content=canonical_json(content).decode(),
        content_sha256=content_sha256(content),
        frozen_by=by,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    StatusChange.objects.create(
        meeting=meeting, version=version, from_status="signed", to_status="published", by=by
    )
    return version


def more_meetings(world, count, *, year=2024, first_sequence=2):
    meetings = []
    for sequence in range(first_sequence, first_sequence + count):
        day = datetime.date(year, 1 + sequence % 12, 10)
        meeting = make_meeting(world.committee, year=year, sequence=sequence, day=day)
        published_quickly(meeting, world.secretary.person.user)
        meetings.append(meeting)
    return meetings


def assert_not_published(response):
    assert response.status_code == 404
    text = page_text(response.content)
    assert NOT_PUBLISHED in text
    assert "로그인" not in text


def public_urls(meeting):
    return [
        public_url(meeting),
        public_url(meeting, "public:pdf"),
    ]


# --- what anybody sees ----------------------------------------------------------------


def test_the_public_home_lists_committees_with_published_minutes_their_count_and_latest(
    client, people
):
    published(people)
    elsewhere = make_committee("주차정책위원회", slug="parking")
    make_meeting(elsewhere)  # a draft only: the committee is not listed

    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    text = page_text(response.content)
    assert "교통정책위원회" in text and "주차정책위원회" not in text
    assert "회의록 1건" in text
    assert public_url(people.meeting) in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_committee_page_lists_its_minutes_by_year_newest_first(client, world):
    published_quickly(world.meeting, world.secretary.person.user)
    later = more_meetings(world, 2, year=2025)

    response = client.get(reverse("public:committee", args=["traffic"]))

    assert response.status_code == 200
    html = response.content.decode()
    sections = html.split('class="mb-4 public-year" data-year="')[1:]
    years = [section.split('"')[0] for section in sections]
    assert years == ["2025", "2024"]
    order = [html.index(public_url(m)) for m in [later[1], later[0], world.meeting]]
    assert order == sorted(order)
    assert "2025. 4. 10.(목) 15:00~17:00 · 시청 영상회의실(6층)" in page_text(response.content)

    only_2024 = client.get(reverse("public:committee", args=["traffic"]), {"year": "2024"})
    assert public_url(world.meeting) in only_2024.content.decode()
    assert public_url(later[0]) not in only_2024.content.decode()


def test_the_committee_page_shows_twenty_minutes_a_page(client, world):
    published_quickly(world.meeting, world.secretary.person.user)
    more_meetings(world, 20)
    url = reverse("public:committee", args=["traffic"])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert first.content.decode().count('class="list-group-item public-entry"') == 20
    assert second.content.decode().count('class="list-group-item public-entry"') == 1
    assert "21" in page_text(first.content)


def test_the_minutes_page_prints_the_public_version_of_the_published_text(client, people):
    document = published(people)
    version = document.version

    response = client.get(public_url(people.meeting))

    assert response.status_code == 200
    remarks, texts = read_minutes(response)
    expected = public_content(version.content_data())["remarks"]
    assert remarks == [(f"<{r['heading']}>", r["statements"]) for r in expected]
    assert "<문가람 위원>" not in response.content.decode()
    assert ("<000위원>", ["발언 2-1", "발언 2-2", "발언 2-3"]) in remarks
    stored = document.files.get(kind=SealedFile.Kind.PUBLIC_PDFA3B)
    assert stored.sha256 in texts["public-pdf-sha256"]
    assert document.verification_code in page_text(response.content)
    # The download button (a download ticket, meetings/tickets.py: the file's
    # public address the first time), and the same content in the PDF.
    button = re.search(r'href="([^"]+)" id="public-pdf"', response.content.decode()).group(1)
    download = client.get(html.unescape(button), follow=True)
    assert download.redirect_chain == [(public_url(people.meeting, "public:pdf"), 302)]
    pdf = pdf_text(download.content)
    for heading, statements in remarks:
        assert heading in pdf
        for statement in statements:
            assert statement in pdf


def test_the_public_pdf_is_the_sealed_public_file_with_etag_and_304(client, people):
    document = published(people)
    stored = document.files.get(kind=SealedFile.Kind.PUBLIC_PDFA3B)
    url = public_url(people.meeting, "public:pdf")

    response = client.get(url)

    assert response.status_code == 200
    assert response.content == bytes(stored.pdf)
    assert response["ETag"] == f'"{stored.sha256}"'
    assert "traffic-2024-1-v1-public-pdfa3b.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get(url, headers={"If-None-Match": f'"{stored.sha256}"'})
    assert again.status_code == 304 and again.content == b""


def test_until_the_public_file_is_stored_the_pdf_is_a_marked_rendering(client, world):
    published_quickly(world.meeting, world.secretary.person.user)

    response = client.get(public_url(world.meeting, "public:pdf"))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "traffic-2024-1-public-unsigned.pdf" in response["Content-Disposition"]
    assert "서명 전" in pdf_text(response.content)
    assert "no-cache" in response["Cache-Control"]


def test_the_csv_lists_the_published_minutes_for_a_spreadsheet(client, people):
    document = published(people)
    stored = document.files.get(kind=SealedFile.Kind.PUBLIC_PDFA3B)

    response = client.get(reverse("public:csv", args=["traffic"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 Korean
    assert "traffic-minutes.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "연도",
        "차수",
        "일시",
        "장소",
        "안건",
        "의결사항",
        "회의록 주소",
        "PDF 주소",
        "PDF의 SHA-256",
    ]
    assert rows[1][:4] == ["2024", "1", "'24. 4. 18.(목) 15:00~17:00", "시청 영상회의실(6층)"]
    assert rows[1][4] == "심의 【1】 버스 노선 개편안"
    assert rows[1][5] == "【1】 버스 노선 개편안 — 원안가결"
    assert rows[1][6] == "https://minutes.example.go.kr" + public_url(people.meeting)
    assert rows[1][7] == "https://minutes.example.go.kr" + public_url(people.meeting, "public:pdf")
    assert rows[1][8] == stored.sha256
    assert len(rows) == 2


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(client, world):
    Meeting.objects.filter(pk=world.meeting.pk).update(place='=HYPERLINK("http://x")')
    published_quickly(world.meeting, world.secretary.person.user)

    response = client.get(reverse("public:csv", args=["traffic"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == '\'=HYPERLINK("http://x")'


# --- what nobody sees ---------------------------------------------------------------------


def test_minutes_are_404_on_the_public_side_until_they_are_published(client, people):
    secretary = Client()
    secretary.force_login(people.secretary.person.user)
    meeting = people.meeting

    def assert_hidden():
        for url in public_urls(meeting):
            for reader in (client, secretary):
                assert_not_published(reader.get(url))
        for reader in (client, secretary):
            home = reader.get(reverse("public:home")).content.decode()
            assert public_url(meeting) not in home

    assert_hidden()  # draft
    reviewed(people)
    assert_hidden()  # in review
    version = confirmed_after_review(people)
    assert_hidden()  # confirmed
    sign(
        version,
        user=people.chair.person.user,
        shown_sha256=version.content_sha256,
        method="drawn",
        image=signature_png(),
    )
    assert_hidden()  # signing
    sign(
        version,
        user=people.member_a.person.user,
        shown_sha256=version.content_sha256,
        method="drawn",
        image=signature_png(2),
    )
    assert Meeting.objects.get(pk=meeting.pk).status == "signed"
    assert_hidden()  # signed, sealed, not published
    assert_not_published(client.get(reverse("public:committee", args=["traffic"])))
    assert_not_published(client.get(reverse("public:csv", args=["traffic"])))

    publish(meeting, by=people.secretary.person.user)

    for url in public_urls(meeting):
        assert client.get(url).status_code == 200


def confirmed_after_review(world):
    from meetings.services import confirm

    return confirm(world.meeting, by=world.staff_person.user)


def test_nothing_internal_reaches_the_public_pages(client, people):
    reviewed(people)
    ReviewComment.objects.create(
        meeting=people.meeting,
        author=people.member_a.person.user,
        agenda_item=people.item,
        reason="내부 검토 의견: 비공개 메모",
        proposed_text="고친 문장",
    )
    people.meeting.refresh_from_db()
    document = published_from_review(people)
    answers = [
        page_text(client.get(public_url(people.meeting)).content),
        pdf_text(client.get(public_url(people.meeting, "public:pdf")).content),
        page_text(client.get(reverse("public:committee", args=["traffic"])).content),
        client.get(reverse("public:csv", args=["traffic"])).content.decode("utf-8-sig"),
    ]

    for answer in answers:
        assert "비공개 메모" not in answer  # review comments
        assert "203.0.113.7" not in answer  # signer IP addresses
        assert "배하늘" not in answer  # the absent member
        assert "문가람 위원>" not in answer and "<문가람" not in answer  # speakers by name
        assert "pytest" not in answer  # the signers' browsers
    assert document.version.signatures.filter(ip_address="203.0.113.7").count() == 2


def published_from_review(world):
    from meetings.services import confirm

    version = confirm(world.meeting, by=world.staff_person.user)
    document = sign_both(version, world)
    publish(world.meeting, by=world.secretary.person.user)
    return document


def test_a_published_version_stays_public_while_its_amendment_is_prepared(client, people):
    document = published(people)
    before = client.get(public_url(people.meeting)).content

    amend(people.meeting, by=people.secretary.person.user, reason="오탈자 수정")
    Meeting.objects.filter(pk=people.meeting.pk).update(place="새 장소(초안)")

    page = client.get(public_url(people.meeting))
    listing = page_text(client.get(reverse("public:committee", args=["traffic"])).content)
    assert page.status_code == 200
    assert read_minutes(page)[0] == read_minutes_of(before)
    assert "새 장소(초안)" not in page_text(page.content) and "새 장소(초안)" not in listing
    assert "시청 영상회의실(6층)" in listing
    pdf = client.get(public_url(people.meeting, "public:pdf"))
    assert pdf.content == bytes(document.files.get(kind=SealedFile.Kind.PUBLIC_PDFA3B).pdf)


def read_minutes_of(content):
    class Response:
        pass

    response = Response()
    response.content = content
    return read_minutes(response)[0]


# --- from the internal side -----------------------------------------------------------------


def test_the_old_address_of_the_public_file_leads_anonymous_readers_to_the_public_pdf(
    client, people
):
    document = published(people)
    code = document.verification_code
    old = reverse("meetings:signed_file", args=[code, "public-pdfa3b"])

    response = client.get(old)

    assert response.status_code == 302
    assert response["Location"] == public_url(people.meeting, "public:pdf")
    internal = client.get(reverse("meetings:signed_file", args=[code, "internal-pdfa3b"]))
    assert internal.status_code == 404
    verify_page = client.get(reverse("meetings:verify_code", args=[code])).content.decode()
    assert f'href="{public_url(people.meeting, "public:pdf")}"' in verify_page


def test_the_public_file_of_signed_but_unpublished_minutes_stays_behind_the_login(client, people):
    version = confirmed(people)
    document = sign_both(version, people)

    old = reverse("meetings:signed_file", args=[document.verification_code, "public-pdfa3b"])
    response = client.get(old)

    assert response.status_code == 404
    assert SignedDocument.objects.filter(pk=document.pk).exists()


def test_the_internal_pages_link_the_public_side(client, people):
    published(people)
    client.force_login(people.secretary.person.user)

    minutes = client.get(people.meeting.get_absolute_url()).content.decode()
    login = Client().get(reverse("login")).content.decode()

    assert f'href="{public_url(people.meeting)}"' in minutes
    assert "공개 페이지 보기" in minutes
    assert 'id="nav-public"' in minutes
    assert f'href="{reverse("public:home")}"' in login


def test_a_logged_in_reader_gets_the_same_public_page_kept_private(client, people):
    published(people)
    anonymous = client.get(public_url(people.meeting))
    client.force_login(people.secretary.person.user)

    logged_in = client.get(public_url(people.meeting))

    assert read_minutes(logged_in)[0] == read_minutes(anonymous)[0]
    assert "private" in logged_in["Cache-Control"]
    assert 'id="site-navbar"' not in anonymous.content.decode()
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()


# --- speed: queries do not grow with the minutes -------------------------------------------


@pytest.mark.parametrize(
    "name, args, limit",
    [
        # committees with count and latest; the latest versions
        ("public:home", [], 2),
        # committee; years; count; page (none reopened by an amendment)
        ("public:committee", ["traffic"], 4),
        # committee; versions with contents; stored hashes
        ("public:csv", ["traffic"], 3),
    ],
)
def test_the_public_lists_take_the_same_queries_for_one_or_many_minutes(
    client, world, django_assert_max_num_queries, name, args, limit
):
    published_quickly(world.meeting, world.secretary.person.user)
    url = reverse(name, args=args)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200

    more_meetings(world, 6)

    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_the_minutes_page_once_printed_takes_four_queries(
    client, people, django_assert_max_num_queries
):
    published(people)
    url = public_url(people.meeting)
    client.get(url)

    # the version (with meeting, committee); its seal; the seal's files; its signatures
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_a_visitor_who_meets_a_missing_page_is_shown_the_way_to_the_published_minutes(client, db):
    response = client.get("/public/traffic/2031/7/")

    assert response.status_code == 404
    link = re.search(r'<a href="([^"]+)" id="error-public">([^<]+)</a>', response.content.decode())
    assert link is not None and link[1] == reverse("public:home") and link[2] == "공개 회의록"


def test_a_visitor_finds_the_open_data_from_the_public_pages(client, db):
    home = client.get(reverse("public:home")).content.decode()
    footer = home[home.index('id="open-data"') :]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer[: footer.index("</p>")])

    assert [text for _href, text in links] == ["JSON API", "OpenAPI 설명"]
    for href, _text in links:
        answer = client.get(href)
        assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
