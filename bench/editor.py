"""How fast minutes import and the editor's autosave are.

    .venv/bin/python bench/editor.py [--runs 5] [--reference PATH]

In a throwaway SQLite database (or the one DATABASE_URL names):

- import: parse_document() alone and import_minutes() (parse + write) of the
  reference document and of a document with its remarks repeated 50x,
  median of --runs, as statements per second;
- autosave: the editor's save endpoint through Django's test client, in a
  warm process, for the reference-sized remarks (57 blocks) and 50x, with
  one statement changed per save (the usual keystroke save): median round
  trip in milliseconds, and the queries one save costs.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    DATABASE = Path(tempfile.mkdtemp(prefix="minutes-bench-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.update(
    DJANGO_SETTINGS_MODULE="minutes_site.settings",
    DJANGO_DEBUG="false",
    DJANGO_SECRET_KEY="bench-only",
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_COOKIES="false",
)

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

import json  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import median_seconds  # noqa: E402  (bench/timing.py)

from agenda.editing import remarks_state  # noqa: E402
from agenda.importing import import_minutes  # noqa: E402
from agenda.parsing import parse_document  # noqa: E402
from committees.models import Committee  # noqa: E402
from meetings.models import Meeting  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "000_a3ae109f18e1b2f2.txt"


def scaled(text, factor):
    """The reference with its remarks section repeated ``factor`` times."""
    head, marker, remarks = text.partition("위원 발언내용")
    return head + marker + "\n" + (remarks.rstrip() + "\n\n") * factor


class Rollback(Exception):
    pass


def bench_import(text, committee, runs):
    def parse():
        return parse_document(text)

    def write():
        try:
            with transaction.atomic():
                import_minutes(text, committee)
                raise Rollback
        except Rollback:
            pass

    statements = sum(len(b.statements) for b in parse_document(text).remarks.blocks)
    return (
        statements,
        median_seconds(parse, runs, warm_ups=1),
        median_seconds(write, runs, warm_ups=1),
    )


def bench_autosave(text, committee, runs):
    report = import_minutes(text, committee)
    meeting = report.meeting
    user = get_user_model().objects.create_superuser(f"bench{meeting.pk}", password="x")
    client = Client()
    client.force_login(user)
    url = reverse("editor:save", args=[meeting.pk])
    state = remarks_state(Meeting.objects.get(pk=meeting.pk))
    times, queries = [], []
    for run in range(runs + 1):
        state["blocks"][run % len(state["blocks"])]["statements"].append(f"추가 문장 {run}")
        body = json.dumps({"base": state["revision"], "document": state})
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, body, content_type="application/json")
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content[:300]
        state["revision"] = response.json()["revision"]
        for block in state["blocks"]:
            block["id"] = block["id"] or response.json()["blocks"].get(block["key"])
        if run:  # the first is the warm-up
            times.append(elapsed)
            queries.append(len(captured))
    return len(state["blocks"]), statistics.median(times), max(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    text = args.reference.read_text(encoding="utf-8")
    print(f"{'document':<14}{'statements':>11}{'parse s':>9}{'import s':>10}{'stmt/s':>9}")
    for name, factor in [("reference", 1), ("50x", 50)]:
        committee = Committee.objects.create(
            name=f"빅데이터심의위원회{factor}",
            slug=f"bigdata-{factor}",
            organisation="디지털정책관",
        )
        statements, parse, write = bench_import(scaled(text, factor), committee, args.runs)
        print(f"{name:<14}{statements:>11}{parse:>9.3f}{write:>10.3f}{statements / write:>9.0f}")
    print()
    print(f"{'autosave':<14}{'blocks':>11}{'round trip ms':>15}{'queries':>9}")
    for name, factor in [("reference", 1), ("50x", 50)]:
        committee = Committee.objects.create(
            name=f"자동저장{factor}", slug=f"autosave-{factor}", organisation="디지털정책관"
        )
        blocks, median, queries = bench_autosave(scaled(text, factor), committee, args.runs)
        print(f"{name:<14}{blocks:>11}{median * 1000:>15.1f}{queries:>9}")


if __name__ == "__main__":
    main()
