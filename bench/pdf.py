"""How fast the minutes PDF renders, against WeasyPrint alone and Chromium.

    .venv/bin/python bench/pdf.py [--runs 5] [--sizes 1,10,50]

Builds the demo meeting in a throwaway SQLite database, plus synthetic
meetings with its remarks repeated 10x and 50x, then for each size reports:

- app: render_minutes_pdf() as the site calls it (queries, template, PDF/A-3b),
  median of --runs renders after a warm-up, in a warm process;
- pages, pages per second, and the peak memory of a process that renders it
  (each size in a fresh forked process: RSS high-water mark above its start);
- weasyprint: WeasyPrint alone (with the same fonts, stylesheet and options)
  on the same pre-built HTML, and the app's overhead over it as a ratio;
- chromium: Debian's Chromium printing the same HTML to PDF (warm, through
  Playwright), where installed.

Goals (issue 3): demo under 0.25 s and faster than Chromium, 80 pages under
2 s, under 150 MiB per render up to 80 pages, overhead under 10 %, linear.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.mkdtemp(prefix="minutes-bench-")) / "bench.sqlite3"
os.environ.update(
    DJANGO_SETTINGS_MODULE="minutes_site.settings",
    DJANGO_DEBUG="false",
    DJANGO_SECRET_KEY="bench-only",
    DATABASE_URL=f"sqlite:///{DATABASE}",
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from timing import median_seconds  # noqa: E402  (bench/timing.py)

from agenda.models import SpeakerBlock, Statement  # noqa: E402
from meetings.minutes import minutes_content  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.pdf import (  # noqa: E402
    PRINT_STYLESHEET,
    Variant,
    html_to_pdf,
    minutes_html,
    render_minutes_pdf,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def build_meetings(sizes):
    """The demo meeting, and copies with its remarks repeated ``size`` times."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    demo = Meeting.objects.get()
    meetings = {}
    for size in sizes:
        if size == 1:
            meetings[size] = demo.pk
            continue
        copy = Meeting.objects.get(pk=demo.pk)
        copy.pk = None
        copy.sequence = 100 + size
        copy.save()
        blocks = list(demo.speaker_blocks.prefetch_related("statements"))
        position = 0
        new_blocks, texts = [], []
        for _ in range(size):
            for block in blocks:
                position += 1
                new_blocks.append(
                    SpeakerBlock(
                        meeting=copy,
                        position=position,
                        speaker_kind=block.speaker_kind,
                        member_id=block.member_id,
                        attendee_id=block.attendee_id,
                        role_label=block.role_label,
                    )
                )
                texts.append([s.text for s in block.statements.all()])
        SpeakerBlock.objects.bulk_create(new_blocks)
        Statement.objects.bulk_create(
            Statement(block=block, position=n, text=text)
            for block, statements in zip(new_blocks, texts, strict=True)
            for n, text in enumerate(statements, start=1)
        )
        for relation in ("attendances", "non_member_attendees", "signatories"):
            for row in getattr(demo, relation).all():
                row.pk = None
                row.meeting = copy
                row.save()
        meetings[size] = copy.pk
    return meetings


def inline_stylesheet(html):
    """The same HTML with the print stylesheet inlined, for engines without our fetcher."""
    css = (ROOT / "static" / PRINT_STYLESHEET).read_text()
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def chromium_seconds(html, runs):
    if not Path(CHROMIUM).exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def print_pdf():
            page.set_content(html)
            page.pdf(format="A4", prefer_css_page_size=True)

        seconds = median_seconds(print_pdf, runs)
        browser.close()
    return seconds


def measure(size, pk, runs, queue):
    """One size, in its own process so that its memory peak is its own."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop, later
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def app():
        return render_minutes_pdf(minutes_content(Meeting.objects.with_minutes().get(pk=pk)))

    pdf = app()
    app_seconds = median_seconds(app, runs)
    peak_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss) / 1024
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    content = minutes_content(Meeting.objects.with_minutes().get(pk=pk))
    _document, html = minutes_html(content, public=False)

    def weasyprint_alone():
        # The same call render_minutes_pdf() ends in, on HTML built beforehand.
        html_to_pdf(html, variant=Variant.PDFA_3B)

    weasy_seconds = median_seconds(weasyprint_alone, runs)
    chrome_seconds = chromium_seconds(inline_stylesheet(html), runs)
    queue.put((size, pages, app_seconds, peak_mib, weasy_seconds, chrome_seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,10,50")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    meetings = build_meetings(sizes)

    context = get_context("fork")
    print(
        f"{'size':>5} {'pages':>5} {'app s':>7} {'pages/s':>8} {'peak MiB':>9} "
        f"{'weasy s':>8} {'overhead':>8} {'chromium s':>10} {'s/page':>7}"
    )
    for size in sizes:
        queue = context.Queue()
        runs = args.runs if size < 50 else max(1, args.runs // 2)
        process = context.Process(target=measure, args=(size, meetings[size], runs, queue))
        process.start()
        result = queue.get()
        process.join()
        size, pages, app_s, peak, weasy_s, chrome_s = result
        chrome = f"{chrome_s:10.3f}" if chrome_s is not None else f"{'n/a':>10}"
        print(
            f"{size:>4}x {pages:>5} {app_s:7.3f} {pages / app_s:8.1f} {peak:9.0f} "
            f"{weasy_s:8.3f} {app_s / weasy_s - 1:8.1%} {chrome} {app_s / pages:7.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
