"""How the minutes PDF fills its pages, measured on the produced file.

The published reference runs its remarks on from page to page: a statement
breaks wherever the page ends, only a speaker heading is kept with the first
line under it, and page 1 is the signature block over a full cover. We import
that document, render it, and measure every page with pdftotext's bounding
boxes: where its lowest line of text sits above the bottom margin.
"""

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from committees.models import Committee
from meetings.minutes import minutes_content
from meetings.models import Meeting
from meetings.pdf import render_minutes_pdf

from .reference import REFERENCE
from .test_import import needs_reference

# Also what makes pytest-django set up the test database that the
# module-scoped renders below write to (and roll back).
pytestmark = pytest.mark.django_db

PRINT_CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "minutes-print.css"
POINTS_PER_MM = 72 / 25.4
# What a page may leave empty above its bottom margin (the last page excepted).
MOST_UNUSED_MM = 20
XHTML = "{http://www.w3.org/1999/xhtml}"
HEADING = re.compile(r"<[^<>]+>")


def page_margins_mm():
    """top, right, bottom, left of the A4 page as the print stylesheet sets them."""
    found = re.search(
        r"@page\s*{[^}]*?\bmargin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+"
        r"([\d.]+)mm",
        PRINT_CSS.read_text(),
    )
    return tuple(float(value) for value in found.groups())


@dataclass
class Line:
    top: float  # mm from the top edge of the page
    bottom: float
    text: str


@dataclass
class Page:
    number: int
    lines: list  # body lines only, top to bottom
    content_bottom: float  # mm from the top edge: where the bottom margin starts

    @property
    def unused_mm(self):
        """Empty height between the lowest line of text and the bottom margin."""
        return self.content_bottom - max(line.bottom for line in self.lines)

    @property
    def last_line(self):
        return max(self.lines, key=lambda line: line.bottom).text

    @property
    def first_line(self):
        return min(self.lines, key=lambda line: line.top).text


def pages_of(pdf):
    """Each page's lines of body text: the running header and the `- n -`
    page number, which sit in the margins, are left out."""
    top_margin, _right, bottom_margin, _left = page_margins_mm()
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    pages = []
    for number, page in enumerate(ET.fromstring(layout).iter(f"{XHTML}page"), start=1):
        height = float(page.get("height")) / POINTS_PER_MM
        content_bottom = height - bottom_margin
        lines = []
        for line in page.iter(f"{XHTML}line"):
            top = float(line.get("yMin")) / POINTS_PER_MM
            bottom = float(line.get("yMax")) / POINTS_PER_MM
            if bottom <= top_margin or top >= content_bottom:
                continue  # in the margins: header, page number
            words = [word.text or "" for word in line.iter(f"{XHTML}word")]
            lines.append(Line(top, bottom, " ".join(words)))
        pages.append(Page(number, sorted(lines, key=lambda line: line.top), content_bottom))
    return pages


def rendered(make_meeting, django_db_blocker):
    """The internal archive PDF (PDF/A-3b) of the meeting ``make_meeting`` builds,
    in a transaction rolled back afterwards: one render serves a module."""
    with django_db_blocker.unblock(), transaction.atomic():
        meeting = make_meeting()
        pdf = render_minutes_pdf(minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk)))
        transaction.set_rollback(True)
    return pdf


@pytest.fixture(scope="module")
def reference_pdf(django_db_setup, django_db_blocker):
    if not REFERENCE.exists():
        pytest.skip(f"reference not found at {REFERENCE}")

    def imported():
        Committee.objects.create(
            name="빅데이터심의위원회",
            slug="bigdata",
            organisation="디지털정책관",
            department="빅데이터담당관",
        )
        call_command(
            "import_minutes", str(REFERENCE), "--committee", "bigdata", stdout=io.StringIO()
        )
        return Meeting.objects.get()

    return rendered(imported, django_db_blocker)


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker):
    def demo():
        call_command("load_demo", stdout=io.StringIO())
        return Meeting.objects.get()

    return rendered(demo, django_db_blocker)


@needs_reference
def test_the_reference_prints_on_at_most_nine_pages_each_filled_to_its_foot(reference_pdf):
    pages = pages_of(reference_pdf)

    assert len(pages) <= 9
    unused = {page.number: round(page.unused_mm, 1) for page in pages}
    assert all(unused[page.number] <= MOST_UNUSED_MM for page in pages[:-1]), unused


def test_the_demo_minutes_fill_every_page_but_the_last(demo_pdf):
    pages = pages_of(demo_pdf)

    unused = {page.number: round(page.unused_mm, 1) for page in pages}
    assert len(pages) > 2
    assert all(unused[page.number] <= MOST_UNUSED_MM for page in pages[:-1]), unused


@needs_reference
def test_statements_run_on_from_one_page_to_the_next(reference_pdf):
    pages = pages_of(reference_pdf)[2:]  # the remarks begin on page 2

    # A page that opens with neither a heading nor a bullet continues a statement.
    continued = [
        page.number
        for page in pages
        if not HEADING.fullmatch(page.first_line) and not page.first_line.startswith("○")
    ]
    assert continued, [page.first_line for page in pages]


@pytest.mark.parametrize("pdf", ["reference_pdf", "demo_pdf"])
def test_a_speaker_heading_never_ends_a_page(pdf, request):
    if pdf == "reference_pdf" and not REFERENCE.exists():
        pytest.skip(f"reference not found at {REFERENCE}")
    pages = pages_of(request.getfixturevalue(pdf))

    # Kept with the first line of its statement: never the lowest line of a page.
    assert [page.number for page in pages if HEADING.fullmatch(page.last_line)] == []


@needs_reference
def test_page_one_is_the_signature_block_over_a_full_cover(reference_pdf):
    first = pages_of(reference_pdf)[0]
    top_margin = page_margins_mm()[0]
    texts = [line.text for line in first.lines]
    position = {line.text: line for line in first.lines}

    assert texts[0] == "구 분"  # the signature block heads the page
    assert texts[-2:] == ["디지털정책관", "(빅데이터담당관)"]  # the issuer at its foot
    assert first.unused_mm <= MOST_UNUSED_MM
    # The title stands in the middle third of the page, the date under it.
    title = position["2024년 1차 빅데이터심의위원회 회의록"]
    height = first.content_bottom - top_margin
    assert 1 / 3 < (title.top - top_margin) / height < 2 / 3
    assert title.bottom < position["2024. 4."].top < position["디지털정책관"].top - 40
