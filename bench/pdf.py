"""How fast the minutes PDF renders: the app against WeasyPrint alone and Chromium, fairly.

    .venv/bin/python bench/pdf.py [--rounds 7] [--sizes 1,10] [--quick] [--no-save]

In a throwaway SQLite database (migrate, `load_demo`, the 2nd meeting
signed by both signers as `load_demo --signed` does, sealed with a
self-signed organisation seal made for the run, and the demo meeting again
with its remarks repeated 10x), DJANGO_DEBUG=false, for each size:

1. Fresh renders, three contenders ALTERNATING round by round (round k runs
   them in a rotated order: app, weasyprint, chromium; then weasyprint,
   chromium, app; ...), after two warm-up calls each:

   - app: the app's whole path for a draft PDF: the meeting's queries,
     minutes_content(), then render_minutes_pdf() (template, print-ready
     HTML, WeasyPrint, PDF/A-3b with the data attachment). Every call gets
     another `created` second, so that no cache can answer it: it is a
     fresh render each time.
   - weasyprint: WeasyPrint's own API (HTML(...).write_pdf()) called
     directly on the HTML the app makes, built once beforehand: the same
     base_url and URL fetcher, the same FontConfiguration and parsed print
     stylesheet, the same PDF variant and attachment. No other help (the
     app pauses the garbage collector while it renders; this does not).
   - chromium: Debian's Chromium (Playwright, warm, one page) printing the
     same HTML, loaded from the same base URL with the print stylesheet
     linked and served from our static files by a route.

   Reported: per contender the median and the range (lowest-highest) of
   the rounds, and the ratios app/weasyprint and app/chromium computed
   within each round, then their median. Goal: app/weasyprint <= 1.05.
   Also the peak memory of one app render (in a fresh fork, before Chromium starts).

2. Downloads in-process through Django's test client, logged in as the
   secretary, ALTERNATING round by round: the draft's PDF downloaded again
   (unchanged draft), the same with If-None-Match (304), and the signed
   meeting's stored sealed PDF. Median ms. Goal: <= 10 ms for the first
   and the last.

Prints a Markdown table with the machine and date and writes it to
bench/results/pdf-<date>.md and .json.
"""

import argparse
import datetime
import io
import math
import os
import resource
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
WORKDIR = Path(tempfile.mkdtemp(prefix="minutes-bench-pdf-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="minutes_site.settings",
    DJANGO_DEBUG="false",
    DJANGO_SECRET_KEY="bench-only-not-secret",
    DATABASE_URL=f"sqlite:///{WORKDIR / 'bench.sqlite3'}",
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_COOKIES="false",
    # Sealing with debug off wants a non-demo seal and a public https address.
    DJANGO_SITE_URL="https://minutes.example.go.kr",
    MINUTES_SEAL_FILE=str(WORKDIR / "seal.p12"),
    MINUTES_SEAL_PASSWORD_FILE=str(WORKDIR / "seal.password"),
    # The renderings' file cache of this run only (not the checkout's var/cache).
    MINUTES_CACHE_DIR=str(WORKDIR / "cache"),
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # between its calls are still synchronous and one at a time.
    DJANGO_ALLOW_ASYNC_UNSAFE="true",
    PYTHONWARNINGS="ignore",
)

import warnings  # noqa: E402

warnings.simplefilter("ignore")

import django  # noqa: E402

django.setup()

import rounds  # noqa: E402  (bench/rounds.py)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from meetings.minutes import minutes_content  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.pdf import (  # noqa: E402
    BASE_URL,
    FETCHER,
    PRINT_STYLESHEET,
    Mark,
    Variant,
    data_attachment,
    document_time,
    minutes_html,
    print_resources,
    render_minutes_pdf,
)
from meetings.sealing import create_self_signed_seal  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CONTENDERS = ("app", "weasyprint", "chromium")
DOWNLOADS = ("draft again", "draft, If-None-Match", "sealed, stored")
VARIANT = Variant.PDFA_3B
FIRST_CREATED = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
GOAL_FRESH = 1.05
GOAL_DOWNLOAD_MS = 10


def build(sizes):
    """The database: demo (draft 1st meeting, signed 2nd), plus a draft per size > 1."""
    create_self_signed_seal(
        WORKDIR / "seal.p12",
        WORKDIR / "seal.password",
        organisation="벤치마크 위원회",
        unit="bench",
        common_name="벤치마크 전자직인",
    )
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    from copies import demo_meeting, signed_by

    draft = Meeting.objects.get(sequence=1)
    signed = demo_meeting(2, weeks_later=4)  # as `load_demo --signed` makes it
    signed_by(signed, 2)
    if "django_tasks_db" in settings.INSTALLED_APPS:
        # Sealing may be left to a task: work the queue until it is empty.
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    signed.refresh_from_db()
    assert signed.status == Meeting.Status.SIGNED, signed.status
    meetings = {
        size: draft.pk if size == 1 else demo_meeting(100 + size, remarks=size).pk for size in sizes
    }
    return meetings, draft, signed


class Chromium:
    """One warm Chromium page that prints HTML served from the app's base URL."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.page = self.browser.new_page()
        self.html = ""
        self.document_url = BASE_URL + "bench/minutes.html"
        self.page.route(BASE_URL + "**", self.serve)

    def serve(self, route):
        url = route.request.url
        if url == self.document_url:
            return route.fulfill(body=self.html, content_type="text/html; charset=utf-8")
        if url.startswith(FETCHER.static_prefix):
            found = FETCHER.find_static(url[len(FETCHER.static_prefix) :].split("?")[0])
            if found:
                return route.fulfill(path=found)
        return route.abort()

    def load(self, html):
        link = f'<link rel="stylesheet" href="{FETCHER.static_prefix}{PRINT_STYLESHEET}">'
        self.html = html.replace("</head>", link + "</head>", 1)

    def print_pdf(self):
        self.page.goto(self.document_url)
        return self.page.pdf(format="A4", prefer_css_page_size=True)

    def close(self):
        self.browser.close()
        self.playwright.stop()


def peak_memory_mib(pk):
    """The RSS high-water mark of one app render above a fresh fork's start, in MiB.

    Measured before Chromium starts (no fork with Playwright's threads running).
    """
    connections.close_all()  # the child opens its own
    context = get_context("fork")
    queue = context.Queue()

    def child():
        start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        content = minutes_content(Meeting.objects.with_minutes().get(pk=pk))
        render_minutes_pdf(content, variant=VARIANT, mark=Mark.DRAFT)
        queue.put((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start) / 1024)

    process = context.Process(target=child)
    process.start()
    peak = queue.get(timeout=600)
    process.join()
    return peak


def fresh_renders(pk, round_count, chromium):
    """One size: the three contenders, alternating, seconds per round."""
    calls = iter(range(1, 1_000_000))

    def app():
        # A new creation second each call: nothing cached can answer it.
        created = FIRST_CREATED + datetime.timedelta(seconds=next(calls))
        content = minutes_content(Meeting.objects.with_minutes().get(pk=pk))
        return render_minutes_pdf(content, variant=VARIANT, created=created, mark=Mark.DRAFT)

    created = document_time(FIRST_CREATED)
    content = minutes_content(Meeting.objects.with_minutes().get(pk=pk))
    document, html = minutes_html(content, public=False, created=created, mark=Mark.DRAFT)
    fonts, stylesheet = print_resources()

    def weasyprint():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER).write_pdf(
            stylesheets=[stylesheet],
            font_config=fonts,
            pdf_variant=str(VARIANT),
            attachments=[data_attachment(document, created)],
        )

    functions = {"app": app, "weasyprint": weasyprint}
    if chromium is not None:
        chromium.load(html)
        functions["chromium"] = chromium.print_pdf
    pages = {"app": len(PdfReader(io.BytesIO(app())).pages)}
    for function in functions.values():
        function()  # warm-up (the app's above was the first)
        function()
    pages["weasyprint"] = len(PdfReader(io.BytesIO(weasyprint())).pages)
    if chromium is not None:
        pages["chromium"] = len(PdfReader(io.BytesIO(chromium.print_pdf())).pages)

    def measure(name):
        if name not in functions:
            return None
        start = time.perf_counter()
        functions[name]()
        return time.perf_counter() - start

    return rounds.run_rounds(CONTENDERS, round_count, measure), pages


def downloads(draft, signed, round_count):
    """The draft's PDF again, its 304, the stored sealed file: ms per round."""
    client = Client()
    client.force_login(draft.signatories.get(role="author").person.user)
    urls = {
        "draft again": (f"/meetings/{draft.pk}/minutes.pdf", {}),
        "draft, If-None-Match": (f"/meetings/{draft.pk}/minutes.pdf", None),
        "sealed, stored": (f"/meetings/{signed.pk}/minutes.pdf", {}),
    }
    first = client.get(urls["draft again"][0])
    assert first.status_code == 200, first.status_code
    urls["draft, If-None-Match"] = (urls["draft again"][0], {"HTTP_IF_NONE_MATCH": first["ETag"]})
    expected = {"draft again": 200, "draft, If-None-Match": 304, "sealed, stored": 200}
    for name, (url, headers) in urls.items():  # warm-up, and a check of the answers
        answer = client.get(url, **headers)
        assert answer.status_code == expected[name], (name, answer.status_code)

    def measure(name):
        url, headers = urls[name]
        start = time.perf_counter()
        answer = client.get(url, **headers)
        if answer.status_code == 200:  # the whole body, as a client reads it
            _body = b"".join(answer) if answer.streaming else answer.content
        elapsed = (time.perf_counter() - start) * 1000
        assert answer.status_code == expected[name], (name, answer.status_code)
        return elapsed

    return rounds.run_rounds(DOWNLOADS, round_count, measure)


def seconds(value):
    return "n/a" if value is None or math.isnan(value) else f"{value:.3f}"


def report(results, download_rounds, args, started_at, box):
    rows = []
    goals = []
    for size, (size_rounds, pages, peak) in results.items():
        for name in CONTENDERS:
            median, low, high = rounds.spread(rounds.values(size_rounds, name))
            vs_weasy = rounds.median_ratio(size_rounds, name, "weasyprint")
            vs_chrome = rounds.median_ratio(size_rounds, name, "chromium")
            rows.append(
                [
                    f"{size}x",
                    name,
                    pages.get(name, ""),
                    seconds(median),
                    f"{seconds(low)}-{seconds(high)}",
                    "n/a" if math.isnan(vs_weasy) else f"{vs_weasy:.3f}",
                    "n/a" if math.isnan(vs_chrome) else f"{vs_chrome:.3f}",
                    f"{peak:.0f}" if name == "app" else "",
                ]
            )
        ratio = rounds.median_ratio(size_rounds, "app", "weasyprint")
        goals.append(
            [
                f"fresh render at {size}x: app / WeasyPrint alone",
                f"<= {GOAL_FRESH}",
                f"{ratio:.3f}",
                rounds.met(ratio, GOAL_FRESH),
            ]
        )
    download_rows = []
    for name in DOWNLOADS:
        median, low, high = rounds.spread(rounds.values(download_rounds, name))
        download_rows.append([name, f"{median:.1f}", f"{low:.1f}-{high:.1f}"])
        if name != "draft, If-None-Match":
            goals.append(
                [
                    f"download: {name}",
                    f"<= {GOAL_DOWNLOAD_MS} ms",
                    f"{median:.1f} ms",
                    rounds.met(median, GOAL_DOWNLOAD_MS),
                ]
            )
    chromium_note = "" if args.chromium else " Chromium: not available (no /usr/bin/chromium)."
    text = "\n".join(
        [
            f"# PDF rendering, {started_at:%Y-%m-%d %H:%M} UTC",
            "",
            rounds.machine_line(box),
            f"WeasyPrint {version('weasyprint')}, Django {version('django')}, "
            f"Chromium via Playwright {version('playwright')}; DJANGO_DEBUG=false, SQLite, "
            f"variant {VARIANT.value}, draft mark.{chromium_note}",
            "",
            f"Fresh renders: {args.rounds} rounds, contenders alternating in a rotating order, "
            "after 2 warm-ups each. Ratios are computed within each round, then the median. "
            "Peak MiB: the app's render in a fresh fork, RSS high-water mark above its start.",
            "",
            rounds.table(
                [
                    "remarks",
                    "contender",
                    "pages",
                    "median s",
                    "range s",
                    "/ WeasyPrint (median of rounds)",
                    "/ Chromium (median of rounds)",
                    "peak MiB",
                ],
                rows,
            ),
            "",
            f"Downloads through Django's test client (in-process, logged in as the author), "
            f"{args.download_rounds} rounds alternating:",
            "",
            rounds.table(["download", "median ms", "range ms"], download_rows),
            "",
            rounds.table(["goal", "target", "measured", "met?"], goals),
            "",
        ]
    )
    data = {
        "started_at": started_at.isoformat(),
        "machine": box,
        "rounds": args.rounds,
        "fresh": {
            f"{size}x": {"pages": pages, "peak_mib": peak, "rounds": size_rounds}
            for size, (size_rounds, pages, peak) in results.items()
        },
        "downloads_ms": download_rounds,
        "goals": goals,
    }
    return text, data


def version(package):
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(package)
    except PackageNotFoundError:
        return "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--download-rounds", type=int, default=30)
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 rounds, 1x only")
    parser.add_argument("--no-save", action="store_true", help="print the report only")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.download_rounds, args.sizes = 2, 5, "1"
    sizes = [int(size) for size in args.sizes.split(",")]
    started_at = rounds.now()
    box = rounds.machine()
    print(f"Building the demo and {args.sizes}x copies in {WORKDIR}…", flush=True)
    meetings, draft, signed = build(sizes)
    peaks = {size: peak_memory_mib(meetings[size]) for size in sizes}
    args.chromium = Path(CHROMIUM).exists()
    chromium = Chromium() if args.chromium else None
    results = {}
    try:
        for size in sizes:
            print(f"{size}x: {args.rounds} rounds of {', '.join(CONTENDERS)}…", flush=True)
            size_rounds, pages = fresh_renders(meetings[size], args.rounds, chromium)
            results[size] = size_rounds, pages, peaks[size]
    finally:
        if chromium is not None:
            chromium.close()
    print(f"Downloads: {args.download_rounds} rounds…", flush=True)
    download_rounds = downloads(draft, signed, args.download_rounds)
    text, data = report(results, download_rounds, args, started_at, box)
    print(text)
    if not args.no_save:
        paths = rounds.save("pdf", text, data, started_at)
        print("Written to " + ", ".join(str(p.relative_to(ROOT)) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
