"""The official minutes PDF, checked by reading the produced files back.

pdftotext and pdffonts (poppler) and pypdf look at the bytes WeasyPrint wrote:
the text in order, the fonts, page 1, the redaction, the PDF/A identification
and the embedded data. Nothing here trusts the code path that made the file.
"""

import io
import json
import re
import subprocess
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from committees.models import Person
from meetings.checks import korean_fonts_check
from meetings.minutes import canonical_json, minutes_content
from meetings.models import Meeting
from meetings.pdf import (
    WORD_JOINER,
    RefusedURL,
    StaticFilesOnlyFetcher,
    Variant,
    html_to_pdf,
    render_minutes_pdf,
)

from .conftest import add_block

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
    assert "public" in out.getvalue()

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

    with pytest.raises(CommandError, match="No meeting 'no-such-2026-9'"):
        call_command("render_minutes", "no-such-2026-9", output=str(tmp_path / "x.pdf"))


def test_download_from_the_minutes_page(client, demo):
    client.login(username="secretary", password="minutes-demo")
    page = client.get(demo.get_absolute_url()).content.decode()
    url = reverse("meetings:pdf", args=[demo.pk])
    assert f"{url}?version=public" in page

    response = client.get(url, {"version": "public"})

    assert response["Content-Type"] == "application/pdf"
    assert 'filename="data-policy-2026-1-public.pdf"' in response["Content-Disposition"]
    assert (
        json.loads(PdfReader(io.BytesIO(response.content)).attachments["minutes.json"][0])[
            "version"
        ]
        == "public"
    )


def test_outsiders_cannot_download(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("outsider"))
    assert client.get(reverse("meetings:pdf", args=[demo.pk])).status_code == 404


def test_admin_action_bundles_both_versions_for_the_archive(client, demo):
    client.login(username="archivist", password="minutes-demo")
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "download_archive_pdfs", "_selected_action": [demo.pk]},
    )

    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(bundle.namelist()) == [
        "data-policy-2026-1-public.pdf",
        "data-policy-2026-1.pdf",
    ]


def test_a_missing_korean_font_is_reported_with_the_fix(monkeypatch):
    monkeypatch.setattr("meetings.checks.installed_font_families", lambda: {"DejaVu Sans"})
    [warning] = korean_fonts_check(None)
    assert warning.id == "meetings.W001"
    assert "fonts-nanum" in warning.hint

    monkeypatch.setattr(
        "meetings.checks.installed_font_families", lambda: {"NanumMyeongjo", "NanumGothic"}
    )
    assert korean_fonts_check(None) == []
