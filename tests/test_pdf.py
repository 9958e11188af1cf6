"""The official minutes PDF, checked by reading the produced files back.

pdftotext and pdffonts (poppler) and pypdf look at the bytes WeasyPrint wrote:
the text in order, the fonts, page 1, the redaction, the PDF/A identification
and the embedded data, the bookmarks, the dates, the draft mark, and that the
same arguments give the same bytes. Nothing here trusts the code path that
made the file.
"""

import base64
import datetime
import io
import json
import os
import re
import subprocess
import sys

import pytest
import segno
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agenda.models import Resolution
from committees.models import Person
from meetings.checks import korean_fonts_check
from meetings.minutes import canonical_json, minutes_content
from meetings.models import Meeting
from meetings.pdf import (
    WORD_JOINER,
    Mark,
    RefusedURL,
    StaticFilesOnlyFetcher,
    Variant,
    html_to_pdf,
    print_ready,
    render_minutes_pdf,
)

from .conftest import SEOUL, add_block, signature_png
from .html import read_minutes

pytestmark = pytest.mark.django_db


def body_text(pdf):
    """The text of every page without its running header and page number."""
    pages = pdftotext(pdf).split("\f")
    kept = []
    for page in pages:
        lines = [line for line in page.splitlines() if not re.fullmatch(r"\s*-\s*\d+\s*-\s*", line)]
        if kept and lines and "「" in lines[0]:
            lines = lines[1:]  # the running header (pages 2 on)
        kept.append("\n".join(lines))
    return "\n".join(kept)


def pdftotext(pdf, *pages):
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *first_last, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def squashed(text):
    return re.sub(r"\s+", "", text)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return Meeting.objects.with_minutes().get()


@pytest.fixture
def internal_pdf(demo):
    return render_minutes_pdf(minutes_content(demo))


@pytest.fixture
def public_pdf(demo):
    return render_minutes_pdf(minutes_content(demo), public=True)


def xmp_pdfa(reader):
    xmp = reader.xmp_metadata
    assert xmp is not None, "no XMP metadata"
    part = xmp.get_nodes_in_namespace("", "http://www.aiim.org/pdfa/ns/id/")
    values = {
        node.localName: (node.firstChild.data if node.firstChild else node.value) for node in part
    }
    if not values:
        # pypdf reads attributes too: pdfaid:part="3" on rdf:Description.
        raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        values = dict(re.findall(r'pdfaid:(part|conformance)[=>]"?([^"<]+)', raw))
    return values


def test_every_statement_appears_in_order_under_its_heading(demo, internal_pdf):
    text = squashed(body_text(internal_pdf))
    assert WORD_JOINER not in text

    position = text.index(squashed("□ 위원 발언내용"))
    for block in demo.speaker_blocks.all():
        heading = squashed(f"<{block.heading(public=False)}>")
        position = text.index(heading, position) + len(heading)
        for statement in block.statements.all():
            expected = squashed(f"○ {statement.text}")
            found = text.find(expected, position)
            assert found == position, f"statement out of place: {statement.text[:30]}"
            position = found + len(expected)


def test_fonts_are_korean_embedded_and_subset(internal_pdf, tmp_path):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(internal_pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    fonts = listing.splitlines()[2:]
    assert fonts, listing
    for line in fonts:
        name, *_, emb, sub, uni, _object, _generation = line.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]).split("-")[0] for line in fonts}
    assert families == {"NanumMyeongjo", "NanumGothic"}


def test_page_one_holds_the_signature_block_and_the_cover(demo, internal_pdf):
    first = pdftotext(internal_pdf, 1)
    # pdftotext reads the letter-spaced labels (구 분, 확 인 자) without spaces.
    for expected in ["구분", "열람·서명자", "(서명 또는 인)", "확인자", "작성자"]:
        assert expected in first
    for signatory in demo.signatories.all():
        assert signatory.person.name in first
    assert "2026년 1차 데이터정책위원회 회의록" in first
    assert "2026. 4." in first and "데이터정책관" in first and "(데이터정책담당관)" in first
    assert "회의개요" not in first
    assert "회의개요" in pdftotext(internal_pdf, 2)


def test_pages_are_numbered_and_carry_the_title_from_page_two(internal_pdf):
    reader = PdfReader(io.BytesIO(internal_pdf))
    pages = len(reader.pages)
    assert pages >= 5
    for number in range(1, pages + 1):
        text = pdftotext(internal_pdf, number)
        assert re.search(rf"^\s*-\s*{number}\s*-\s*$", text, re.MULTILINE), number
        header = "2026년 1차 「데이터정책위원회」 회의록"
        assert (header in text) == (number > 1), number


def test_public_pdf_names_nobody_in_the_remarks(demo, public_pdf):
    text = pdftotext(public_pdf)
    remarks = squashed(text[text.index("위원 발언내용") :])
    names = set(Person.objects.values_list("name", flat=True))
    assert [name for name in names if name in remarks] == []
    assert squashed("<000위원>") in remarks and squashed("<간사>") in remarks
    # The attendance list and the signature block keep the names.
    before = text[: text.index("위원 발언내용")]
    for member in demo.attendances.filter(status="present").select_related("member__person"):
        assert member.member.person.name in before


def test_the_archive_pdf_is_pdfa_3b_and_carries_its_data(demo, internal_pdf):
    reader = PdfReader(io.BytesIO(internal_pdf))
    assert xmp_pdfa(reader) == {"part": "3", "conformance": "B"}
    attachments = reader.attachments
    assert list(attachments) == ["minutes.json"]
    embedded = attachments["minutes.json"][0]
    expected = canonical_json(minutes_content(demo))
    assert embedded == expected
    data = json.loads(embedded)
    assert data["version"] == "internal"
    assert len(data["remarks"]) == demo.speaker_blocks.count()
    catalog = reader.trailer["/Root"]
    filespec = catalog["/AF"][0].get_object()
    assert filespec["/AFRelationship"] == "/Data"
    assert catalog["/Lang"] == "ko"


def test_the_public_archive_pdf_embeds_only_public_data(demo, public_pdf):
    embedded = PdfReader(io.BytesIO(public_pdf)).attachments["minutes.json"][0]
    data = json.loads(embedded)
    assert data["version"] == "public"
    spoken = json.dumps(data["remarks"], ensure_ascii=False)
    assert not any(name in spoken for name in Person.objects.values_list("name", flat=True))


def test_pdfa_1b_export_for_the_national_archive(demo):
    reader = PdfReader(
        io.BytesIO(render_minutes_pdf(minutes_content(demo), variant=Variant.PDFA_1B))
    )
    assert xmp_pdfa(reader) == {"part": "1", "conformance": "B"}
    assert reader.attachments == {}  # PDF/A-1 allows no embedded files
    assert reader.pdf_header == "%PDF-1.4"


def test_document_metadata(demo, internal_pdf):
    meta = PdfReader(io.BytesIO(internal_pdf)).metadata
    assert meta.title == "2026년 1차 「데이터정책위원회」 회의록"
    assert meta.author == "데이터정책위원회"
    assert meta.subject == meta.title
    assert "데이터정책위원회" in meta["/Keywords"]
    assert meta.creation_date is not None


def test_plain_variant_claims_no_pdfa(demo):
    reader = PdfReader(io.BytesIO(render_minutes_pdf(minutes_content(demo), variant=Variant.PLAIN)))
    assert reader.xmp_metadata is None
    assert reader.attachments == {}


def test_korean_words_are_never_split_across_lines(demo, internal_pdf):
    words = set()
    for block in demo.speaker_blocks.all():
        words.update(f"<{block.heading(public=False)}>".split())
        for statement in block.statements.all():
            words.update(statement.text.split())
    text = body_text(internal_pdf)
    lines = text[text.index("위원 발언내용") :].splitlines()[1:]
    tokens = [token for line in lines for token in line.replace("○", " ").split()]
    assert len(tokens) > 1000
    assert [token for token in tokens if token not in words] == []


def test_statement_text_prints_literally(world):
    add_block(
        world.meeting, 1, ["<script>alert(1)</script> <b>굵게</b> 확인함."], member=world.chair
    )
    meeting = Meeting.objects.with_minutes().get(pk=world.meeting.pk)

    text = pdftotext(render_minutes_pdf(minutes_content(meeting), variant=Variant.PLAIN))

    assert "<script>alert(1)</script> <b>굵게</b> 확인함." in text


class TestTheFetcher:
    """WeasyPrint may load our static files and data: URLs, nothing else."""

    def test_it_refuses_local_files_and_the_network(self):
        fetcher = StaticFilesOnlyFetcher()
        for url in [
            "file:///etc/passwd",
            "http://example.com/x.css",
            "https://minutes.invalid/static/../../minutes_site/settings.py",
            "https://minutes.invalid/etc/passwd",
            "ftp://example.com/x",
        ]:
            with pytest.raises(RefusedURL):
                fetcher.fetch(url)

    def test_it_serves_our_static_files_and_data_urls(self):
        fetcher = StaticFilesOnlyFetcher()
        css = fetcher.fetch("https://minutes.invalid/static/css/minutes-print.css")
        assert b"@page" in css.read()
        assert fetcher.fetch("data:text/plain,hello").read() == b"hello"

    def test_a_hostile_document_cannot_read_local_files(self):
        hostile = """<html><body><p>x</p>
            <a rel="attachment" href="file:///etc/passwd">a</a>
            <link rel="attachment" href="file:///etc/passwd">
            <img src="file:///etc/passwd">
            <div style="background: url(file:///etc/passwd)"></div>
        </body></html>"""

        pdf = html_to_pdf(hostile, variant=Variant.PLAIN)

        assert PdfReader(io.BytesIO(pdf)).attachments == {}
        assert b"root:" not in pdf


def test_render_minutes_command(demo, tmp_path):
    out = io.StringIO()
    call_command(
        "render_minutes", demo.slug, output=str(tmp_path / "m.pdf"), public=True, stdout=out
    )
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF-")
    assert "공개용, pdf/a-3b, 서명 전 문서로 표시" in out.getvalue()

    call_command(
        "render_minutes",
        str(demo.pk),
        "-o",
        str(tmp_path / "a.pdf"),
        "--variant",
        "pdf/a-1b",
        stdout=out,
    )
    assert xmp_pdfa(PdfReader(tmp_path / "a.pdf"))["part"] == "1"

    with pytest.raises(CommandError, match=r"회의 no-such-2026-9을\(를\) 찾을 수 없습니다"):
        call_command("render_minutes", "no-such-2026-9", output=str(tmp_path / "x.pdf"))


def test_download_from_the_minutes_page(client, demo):
    client.login(request=HttpRequest(), username="secretary", password="minutes-demo")
    page = client.get(demo.get_absolute_url()).content.decode()
    link = re.search(r'href="([^"]+)" data-version="public" data-variant="pdf/a-3b"', page).group(1)

    # A download ticket (meetings/tickets.py): not rendered yet, so the
    # download's own address renders it.
    response = client.get(link, follow=True)

    url = reverse("meetings:pdf", args=[demo.pk])
    assert response.redirect_chain == [(f"{url}?version=public&variant=pdf%2Fa-3b", 302)]

    assert response["Content-Type"] == "application/pdf"
    # The demo is a draft: the file says so, in its name too.
    assert 'filename="data-policy-2026-1-public-draft.pdf"' in response["Content-Disposition"]
    assert (
        json.loads(PdfReader(io.BytesIO(response.content)).attachments["minutes.json"][0])[
            "version"
        ]
        == "public"
    )


def test_outsiders_cannot_download(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("outsider"))
    assert client.get(reverse("meetings:pdf", args=[demo.pk])).status_code == 404


def test_a_missing_korean_font_is_reported_with_the_fix(monkeypatch):
    monkeypatch.setattr("meetings.checks.installed_font_families", lambda: {"DejaVu Sans"})
    [warning] = korean_fonts_check(None)
    assert warning.id == "meetings.W001"
    assert "fonts-nanum" in warning.hint

    monkeypatch.setattr(
        "meetings.checks.installed_font_families", lambda: {"NanumMyeongjo", "NanumGothic"}
    )
    assert korean_fonts_check(None) == []


# --- bookmarks ------------------------------------------------------------------


def outline(reader):
    """The PDF's bookmarks as (depth, title), in order."""

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title

    return list(walk(reader.outline, 0))


def a_seal(signers):
    """What seal_data() gives a signed rendering, for signers ``signers``."""
    url = "https://minutes.example.go.kr/verify/ABCD-2345"
    image = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    return {
        "signatures": [
            {
                "name": name,
                "role": "열람·서명자",
                "signed_at": "2026. 4. 20. 10:00:00",
                "method": "전자서명",
                "ip_address": "10.0.0.7",
                "image": image,
            }
            for name in signers
        ],
        "version": 1,
        "confirmed": "2026. 4. 19. 18:00:00",
        "content_sha256": "ab" * 32,
        "code": "ABCD-2345",
        "url": url,
        "qr": segno.make(url, error="m").svg_data_uri(),
    }


def signers_of(meeting):
    return [s.person.name for s in meeting.signatories.filter(role="signer")]


def test_bookmarks_name_the_title_each_section_and_each_speaker_in_clean_text(demo):
    pdf = render_minutes_pdf(minutes_content(demo), seal=a_seal(signers_of(demo)))

    bookmarks = outline(PdfReader(io.BytesIO(pdf)))

    assert [title for _, title in bookmarks if WORD_JOINER in title] == []
    speakers = [(2, f"<{block.heading(public=False)}>") for block in demo.speaker_blocks.all()]
    assert bookmarks == [
        (0, "2026년 1차 「데이터정책위원회」 회의록"),
        (1, "〈회의개요〉"),
        (1, "□ 위원 발언내용"),
        *speakers,
        (1, "서명 확인 내역"),
    ]


def test_the_public_pdf_bookmarks_its_speakers_as_it_prints_them(demo, public_pdf):
    bookmarks = outline(PdfReader(io.BytesIO(public_pdf)))

    speakers = [title for depth, title in bookmarks if depth == 2]
    assert speakers == [f"<{block.heading(public=True)}>" for block in demo.speaker_blocks.all()]
    names = set(Person.objects.values_list("name", flat=True))
    assert [title for title in speakers if any(name in title for name in names)] == []


def test_word_joiners_go_into_text_and_never_into_attributes():
    html = (
        "<html><head><title>회의록</title></head><body>"
        '<h3 class="speaker" data-bookmark="&lt;간사&gt;">&lt;간사&gt;</h3>'
        '<img alt="서명 이미지" src="data:image/png;base64,AAAA"><p>발언 내용</p></body></html>'
    )

    ready = print_ready(html)

    j = WORD_JOINER
    assert 'data-bookmark="&lt;간사&gt;"' in ready and 'alt="서명 이미지"' in ready
    assert f">&lt;{j}간{j}사{j}&gt;</h3>" in ready
    assert f"<p>발{j}언 내{j}용</p>" in ready
    assert "<title>회의록</title>" in ready  # the head (the PDF's title) stays as it is


# --- dates ------------------------------------------------------------------------


def pdf_date(value):
    """D:20260420100203+09'00' (the info dictionary, embedded files) as a datetime."""
    found = re.fullmatch(r"D:(\d{14})(?:(Z)|([+-])(\d\d)'(\d\d)'?)", value)
    stamp = datetime.datetime.strptime(found[1], "%Y%m%d%H%M%S")
    if found[2]:
        return stamp.replace(tzinfo=datetime.UTC)
    offset = datetime.timedelta(hours=int(found[4]), minutes=int(found[5]))
    return stamp.replace(tzinfo=datetime.timezone(-offset if found[3] == "-" else offset))


def xmp_dates(reader):
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    return dict(re.findall(r"<xmp:(CreateDate|ModifyDate)>([^<]+)</xmp:", xmp))


def test_every_date_in_the_file_is_the_same_second(demo):
    created = datetime.datetime(2026, 4, 20, 1, 2, 3, 456789, tzinfo=datetime.UTC)

    reader = PdfReader(io.BytesIO(render_minutes_pdf(minutes_content(demo), created=created)))

    # Whole seconds, in Seoul time: created = modified, in the XMP ...
    local = "2026-04-20T10:02:03+09:00"
    assert xmp_dates(reader) == {"CreateDate": local, "ModifyDate": local}
    # ... in the document information, with the same offset ...
    info = reader.trailer["/Info"].get_object()
    dates = [pdf_date(info["/CreationDate"]), pdf_date(info["/ModDate"])]
    assert dates == [datetime.datetime.fromisoformat(local)] * 2
    assert {date.utcoffset() for date in dates} == {datetime.timedelta(hours=9)}
    # ... and on the embedded minutes.json.
    filespec = reader.trailer["/Root"]["/AF"][0].get_object()
    params = filespec["/EF"]["/F"].get_object()["/Params"]
    assert pdf_date(params["/CreationDate"]) == pdf_date(params["/ModDate"]) == dates[0]


def test_a_rendering_made_now_is_dated_in_whole_seconds(internal_pdf):
    dates = xmp_dates(PdfReader(io.BytesIO(internal_pdf)))

    assert dates["CreateDate"] == dates["ModifyDate"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", dates["CreateDate"])


# --- resolutions ------------------------------------------------------------------


@pytest.fixture
def decided(world):
    """The chair elected without objection, then item 1 passed by a show of hands."""
    world.item.outcome = "passed"
    world.item.save()
    Resolution.objects.create(
        meeting=world.meeting,
        position=1,
        question="한도윤 위원을 위원장으로 선출",
        method="no_objection",
        outcome="passed",
    )
    Resolution.objects.create(
        meeting=world.meeting,
        position=2,
        agenda_item=world.item,
        question="버스 노선 개편안 의결",
        method="show_of_hands",
        votes_for=2,
        votes_against=1,
        abstentions=0,
        outcome="passed",
    )
    return Meeting.objects.with_minutes().get(pk=world.meeting.pk)


DECISIONS = [
    "한도윤 위원을 위원장으로 선출 — 원안가결 (이의 없음)",
    "【1】 버스 노선 개편안 — 원안가결 (거수: 찬성 2, 반대 1, 기권 0)",
]


def test_resolutions_print_in_the_overview_after_the_agenda_on_the_page_and_in_the_pdf(
    decided, secretary_client
):
    _, page = read_minutes(secretary_client.get(decided.get_absolute_url()))
    pdf = squashed(body_text(render_minutes_pdf(minutes_content(decided))))

    assert page["overview-resolutions"] == " ".join(["◆ 의결사항", *DECISIONS])
    agenda = ["◆ 상정안건", "【1】 버스 노선 개편안"]
    positions = [
        pdf.index(squashed(landmark))
        for landmark in [*agenda, "◆ 의결사항", *DECISIONS, "□ 위원 발언내용"]
    ]
    assert positions == sorted(positions)
    # The item's own outcome is its resolution's: printed once, not twice.
    assert pdf.count(squashed("원안가결")) == 2


def test_the_public_version_masks_names_in_the_questions_it_prints(decided, secretary_client):
    _, page = read_minutes(secretary_client.get(decided.get_absolute_url(), {"version": "public"}))
    pdf = squashed(body_text(render_minutes_pdf(minutes_content(decided), public=True)))

    printed = "000 위원을 위원장으로 선출 — 원안가결 (이의 없음)"
    assert printed in page["overview-resolutions"]
    assert "한도윤" not in page["overview-resolutions"]
    resolutions = pdf[pdf.index("◆의결사항") : pdf.index("□위원발언내용")]
    assert squashed(printed) in resolutions and "한도윤" not in resolutions


def test_an_agenda_item_decided_without_a_recorded_vote_prints_its_outcome(world):
    world.item.outcome = "deferred"
    world.item.save()
    meeting = Meeting.objects.with_minutes().get(pk=world.meeting.pk)

    text = squashed(body_text(render_minutes_pdf(minutes_content(meeting))))

    assert squashed("◆ 의결사항 - 【1】 버스 노선 개편안 — 보류") in text


def test_minutes_without_decisions_print_no_empty_heading(world):
    world.meeting.agenda_items.update(outcome="")  # the world's item is decided
    meeting = Meeting.objects.with_minutes().get(pk=world.meeting.pk)

    text = body_text(render_minutes_pdf(minutes_content(meeting), variant=Variant.PLAIN))

    assert "의결사항" not in text


# --- the draft mark -----------------------------------------------------------------


def mark_word(mark):
    with translation.override("ko"):
        return str(mark.label)


@pytest.mark.parametrize(
    "mark, variant", [(Mark.DRAFT, Variant.PDFA_3B), (Mark.UNSIGNED, Variant.PDFA_1B)]
)
def test_a_marked_rendering_says_what_it_is_on_every_page_and_in_its_metadata(demo, mark, variant):
    pdf = render_minutes_pdf(minutes_content(demo), mark=mark, variant=variant)

    reader = PdfReader(io.BytesIO(pdf))
    word = mark_word(mark)
    pages = range(1, len(reader.pages) + 1)
    assert [number for number in pages if word not in pdftotext(pdf, number)] == []
    assert reader.metadata.title == f"2026년 1차 「데이터정책위원회」 회의록 ({word})"
    assert word in reader.metadata["/Keywords"].split(", ")


def test_an_unmarked_rendering_carries_no_mark(internal_pdf):
    text = pdftotext(internal_pdf)
    meta = PdfReader(io.BytesIO(internal_pdf)).metadata

    assert [mark for mark in Mark if mark_word(mark) in text] == []
    assert [mark for mark in Mark if mark_word(mark) in meta["/Keywords"]] == []
    assert meta.title == "2026년 1차 「데이터정책위원회」 회의록"


# --- what the public file embeds ----------------------------------------------------

# Keys that give the data its structure; their values are not printed as such
# (times print as '26. 4. 16.(목) 15:00~17:00, kinds as their labels).
STRUCTURE = {"format", "version", "kind", "role", "starts_at", "ends_at", "document_date"}


def printed_values(data):
    """Every text value of ``data`` that the minutes print, structure left out."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in STRUCTURE:
                yield from printed_values(value)
    elif isinstance(data, list):
        for item in data:
            yield from printed_values(item)
    elif isinstance(data, str) and data:
        yield data


def test_the_public_pdf_embeds_exactly_what_it_prints(demo, public_pdf):
    data = json.loads(PdfReader(io.BytesIO(public_pdf)).attachments["minutes.json"][0])
    printed = squashed(body_text(public_pdf))  # statements run on across pages
    embedded = json.dumps(data, ensure_ascii=False)

    assert "redact" not in data
    assert [value for value in printed_values(data) if squashed(value) not in printed] == []
    names = set(Person.objects.values_list("name", flat=True))
    assert [name for name in names if name in embedded and name not in printed] == []
    absent = [a.member.person.name for a in demo.attendances.filter(status="absent")]
    assert absent and [name for name in absent if name in embedded] == []


# --- the same bytes -----------------------------------------------------------------

CREATED = datetime.datetime(2026, 4, 20, 10, 0, 0, 250000, tzinfo=SEOUL)


@pytest.mark.parametrize("variant", [Variant.PDFA_3B, Variant.PDFA_1B])
@pytest.mark.parametrize("sealed_and_marked", [False, True])
def test_the_same_arguments_give_the_same_bytes(demo, variant, sealed_and_marked):
    content = minutes_content(demo)
    options = {"seal": a_seal(signers_of(demo)), "mark": Mark.DRAFT} if sealed_and_marked else {}

    first = render_minutes_pdf(content, variant=variant, created=CREATED, **options)
    render_minutes_pdf(content, public=True, variant=Variant.PLAIN, mark=Mark.UNSIGNED)
    again = render_minutes_pdf(content, variant=variant, created=CREATED, **options)

    assert again == first


RENDER_IN_A_NEW_PROCESS = """
import datetime, json, sys
import django
django.setup()
from meetings.pdf import render_minutes_pdf
args = json.load(open(sys.argv[1], encoding="utf-8"))
args["created"] = datetime.datetime.fromisoformat(args["created"])
sys.stdout.buffer.write(render_minutes_pdf(**args))
"""


def test_another_process_makes_the_same_bytes_from_the_same_arguments(demo, tmp_path, settings):
    args = {
        "content": minutes_content(demo),
        "public": True,
        "created": CREATED,
        "seal": a_seal(signers_of(demo)),
        "mark": Mark.UNSIGNED,
    }
    here = render_minutes_pdf(**args)
    arguments = tmp_path / "arguments.json"
    arguments.write_text(
        json.dumps({**args, "created": CREATED.isoformat()}, ensure_ascii=False), "utf-8"
    )

    there = subprocess.run(
        [sys.executable, "-c", RENDER_IN_A_NEW_PROCESS, str(arguments)],
        capture_output=True,
        check=True,
        cwd=settings.BASE_DIR,
        # Another hash seed: nothing may depend on the order of a set or a dict.
        env={
            "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
            **os.environ,
            "PYTHONHASHSEED": "42",
        },
    ).stdout

    assert there == here
