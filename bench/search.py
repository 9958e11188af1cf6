"""The search and the public lists at ten years of monthly meetings, on PostgreSQL.

    .venv/bin/python bench/search.py [--rounds 30] [--keep]

Makes a fresh database `minutes_bench_search` on 127.0.0.1:5432 (dropped and
created again), migrates it, loads the demo (`load_demo`) and adds, in bulk,
120 copies of the demo meeting, one a month for ten years (about 7,000
speaker blocks, 9,000 statements), each frozen as a version and published,
so that the public side (PublicPassage, MinutesVersion.objects.published())
holds them all. Then it times each URL through Django's test client
(in-process: no network, no gunicorn; the session and the templates are
included), alternating: round k requests every URL once, in an order rotated
by one each round. It reports each URL's median and p95 and its query count,
with the machine and its load, to bench/results/search-<date>.md and .json.

The data is the demo's text again and again, so a common word (데이터)
matches most blocks: the counts are the worst case for the count query, and
the pages show 20 results whatever the total.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DATABASE = "minutes_bench_search"
SERVER = "postgres://postgres@127.0.0.1:5432"
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SECURE_COOKIES"] = "false"

import rounds  # noqa: E402  (bench/rounds.py)

YEARS = range(2016, 2026)
GOAL_MS = 50


def fresh_database():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres", connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    return version


def build():
    """The demo, then 120 monthly copies of its meeting, each published. Returns counts."""
    import io

    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from agenda.models import AgendaItem, SpeakerBlock, Statement
    from meetings.minutes import canonical_json, content_sha256, minutes_content
    from meetings.models import (
        Attendance,
        Meeting,
        MinutesVersion,
        NonMemberAttendee,
        ProceedingsItem,
        PublicPassage,
        Signatory,
        StatusChange,
    )
    from meetings.search import index_public_version

    demo = Meeting.objects.get(sequence=1)
    zone = zoneinfo.ZoneInfo("Asia/Seoul")
    confirmer = get_user_model().objects.get(username="confirmer")

    def copy(rows, **changes):
        made = []
        for row in rows:
            row.pk = None
            row.id = None
            for name, value in changes.items():
                setattr(row, name, value(row) if callable(value) else value)
            made.append(row)
        return made

    started = time.perf_counter()
    with transaction.atomic():
        meetings = []
        for year in YEARS:
            for month in range(1, 13):
                day = datetime.date(year, month, 10)
                meetings.append(
                    Meeting(
                        committee_id=demo.committee_id,
                        year=year,
                        sequence=month,
                        starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=zone),
                        ends_at=datetime.datetime.combine(day, datetime.time(16), tzinfo=zone),
                        place=demo.place,
                        document_date=day.replace(day=1),
                    )
                )
        Meeting.objects.bulk_create(meetings)
        items = list(demo.agenda_items.all())
        blocks = list(demo.speaker_blocks.order_by("position", "id"))
        texts = {}
        for block_id, text in (
            Statement.objects.filter(block__meeting=demo)
            .order_by("block_id", "position")
            .values_list("block_id", "text")
        ):
            texts.setdefault(block_id, []).append(text)
        attendances = list(demo.attendances.all())
        attendees = list(demo.non_member_attendees.order_by("included_in_id", "position"))
        proceedings = list(demo.proceedings.all())
        signatories = list(demo.signatories.all())
        for meeting in meetings:
            Attendance.objects.bulk_create(
                copy(
                    list(Attendance.objects.filter(pk__in=[a.pk for a in attendances])),
                    meeting_id=meeting.pk,
                )
            )
            attendee_map = {}
            for attendee in NonMemberAttendee.objects.filter(
                pk__in=[a.pk for a in attendees]
            ).order_by("included_in_id", "position"):
                old = attendee.pk
                attendee.pk = None
                attendee.meeting_id = meeting.pk
                attendee.included_in_id = attendee_map.get(attendee.included_in_id)
                NonMemberAttendee.objects.bulk_create([attendee])
                attendee_map[old] = attendee.pk
            ProceedingsItem.objects.bulk_create(
                copy(
                    list(ProceedingsItem.objects.filter(pk__in=[p.pk for p in proceedings])),
                    meeting_id=meeting.pk,
                )
            )
            Signatory.objects.bulk_create(
                copy(
                    list(Signatory.objects.filter(pk__in=[s.pk for s in signatories])),
                    meeting_id=meeting.pk,
                )
            )
            new_items = []
            for item in AgendaItem.objects.filter(pk__in=[i.pk for i in items]):
                old = item.pk
                item.pk = None
                item.meeting_id = meeting.pk
                new_items.append((old, item))
            AgendaItem.objects.bulk_create([item for _old, item in new_items])
            item_map = {old: item.pk for old, item in new_items}
            new_blocks = []
            for block in blocks:
                new_blocks.append(
                    SpeakerBlock(
                        meeting_id=meeting.pk,
                        position=block.position,
                        speaker_kind=block.speaker_kind,
                        member_id=block.member_id,
                        attendee_id=attendee_map.get(block.attendee_id),
                        role_label=block.role_label,
                        written_name=block.written_name,
                        agenda_item_id=item_map.get(block.agenda_item_id),
                    )
                )
            SpeakerBlock.objects.bulk_create(new_blocks)
            Statement.objects.bulk_create(
                Statement(block_id=new.pk, position=number, text=text)
                for old, new in zip(blocks, new_blocks, strict=True)
                for number, text in enumerate(texts.get(old.pk, []), start=1)
            )
    # Each copy frozen and published, as confirm() and publish() leave them
    # (without the review, the signatures and the sealed files, which the
    # search and the lists do not read).
    for meeting in Meeting.objects.filter(pk__in=[m.pk for m in meetings]):
        content = minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk))
        with transaction.atomic():
            version = MinutesVersion.objects.create(
                meeting=meeting,
                number=1,
                content=canonical_json(content).decode(),
                content_sha256=content_sha256(content),
                frozen_by=confirmer,
            )
            StatusChange.objects.create(
                meeting=meeting,
                version=version,
                from_status=Meeting.Status.SIGNED,
                to_status=Meeting.Status.PUBLISHED,
                by=confirmer,
            )
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
            index_public_version(version)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "meetings": Meeting.objects.count(),
        "published": len(meetings),
        "speaker_blocks": SpeakerBlock.objects.count(),
        "statements": Statement.objects.count(),
        "public_passages": PublicPassage.objects.count(),
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def contenders():
    """(name, login or None, URL) for each page timed."""
    from django.urls import reverse

    search, public = reverse("meetings:search"), reverse("public:search")
    urls = [
        ("search: 데이터 (staff)", "secretary", f"{search}?q=데이터"),
        ("search: 데이터 (member)", "signer1", f"{search}?q=데이터"),
        (
            "search: 통합저장소 예산, year (member)",
            "signer1",
            f"{search}?q=통합저장소+예산&year=2020",
        ),
        (
            "search: speaker 위원장, agenda (member)",
            "signer1",
            f"{search}?speaker=위원장&agenda=추진계획",
        ),
        ("search: 데이터, page 100 (member)", "signer1", f"{search}?q=데이터&page=100"),
        ("public search: 데이터", None, f"{public}?q=데이터"),
        ("public search: 통합저장소 예산", None, f"{public}?q=통합저장소+예산"),
        (
            "public search: speaker 000위원, period",
            None,
            f"{public}?speaker=000위원&since=2018-01-01&until=2019-12-31",
        ),
        ("public search: 데이터, page 100", None, f"{public}?q=데이터&page=100"),
    ]
    try:
        urls += [
            ("public home", None, reverse("public:home")),
            ("public committee list", None, reverse("public:committee", args=["data-policy"])),
            (
                "public committee list, page 3",
                None,
                reverse("public:committee", args=["data-policy"]) + "?page=3",
            ),
        ]
    except Exception:  # the public pages are not there (yet): only the searches are timed
        pass
    return urls


def measure(rounds_count):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for login in ("secretary", "signer1"):
        clients[login] = Client()
        clients[login].force_login(get_user_model().objects.get(username=login))
    clients[None] = Client()
    urls = {name: (login, url) for name, login, url in contenders()}
    queries, statuses = {}, {}
    for name, (login, url) in urls.items():  # warm-up, and the query count of each
        with CaptureQueriesContext(connection) as captured:
            response = clients[login].get(url)
        queries[name] = len(captured)
        statuses[name] = response.status_code
    times = {name: [] for name in urls}

    def once(name):
        login, url = urls[name]
        started = time.perf_counter()
        clients[login].get(url)
        elapsed = (time.perf_counter() - started) * 1000
        times[name].append(elapsed)
        return elapsed

    rounds.run_rounds(list(urls), rounds_count, once)
    return urls, times, queries, statuses


def report(data, urls, times, queries, statuses, server, started_at, box_before, box_after):
    rows = []
    for name, (_login, url) in urls.items():
        ordered = sorted(times[name])
        median = statistics.median(ordered)
        p95 = rounds.percentile(ordered, 95)
        rows.append(
            [
                name,
                f"`{url}`",
                statuses[name],
                f"{median:.1f}",
                f"{p95:.1f}",
                queries[name],
                rounds.met(median, GOAL_MS),
            ]
        )
    load_before = ", ".join(f"{v:.2f}" for v in box_before["load_average"])
    load_after = ", ".join(f"{v:.2f}" for v in box_after["load_average"])
    lines = [
        f"# Search and public lists, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        rounds.machine_line(box_before),
        f"Load average after the run: {load_after} (before: {load_before}). The machine was "
        "shared with other work while this ran: the figures are upper bounds.",
        f"PostgreSQL {server}, database `{DATABASE}`; Django test client in-process "
        f"(DJANGO_DEBUG=false), {len(next(iter(times.values())))} rounds, URLs alternating "
        "in an order rotated each round.",
        "",
        f"Data: {data['meetings']} meetings ({data['published']} published, one a month "
        f"2016-2025, plus the demo draft), {data['speaker_blocks']:,} speaker blocks, "
        f"{data['statements']:,} statements, {data['public_passages']:,} public passages "
        f"(built in {data['build_seconds']} s).",
        "",
        rounds.table(
            ["URL", "address", "status", "median ms", "p95 ms", "queries", f"≤ {GOAL_MS} ms?"],
            rows,
        ),
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    arguments = parser.parse_args()
    started_at = rounds.now()
    box_before = rounds.machine()
    server = fresh_database()
    import django

    django.setup()
    from django.conf import settings

    # Production serves collected, hashed files; here they come from the apps
    # (the same work per page: a URL built from a name).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    data = build()
    urls, times, queries, statuses = measure(arguments.rounds)
    box_after = rounds.machine()
    markdown = report(
        data, urls, times, queries, statuses, server, started_at, box_before, box_after
    )
    print(markdown)
    paths = rounds.save(
        "search",
        markdown,
        {
            "data": data,
            "server": server,
            "machine_before": box_before,
            "machine_after": box_after,
            "urls": {name: url for name, (_login, url) in urls.items()},
            "times_ms": times,
            "queries": queries,
            "statuses": statuses,
        },
        started_at,
    )
    print("Written:", *paths)


if __name__ == "__main__":
    main()
