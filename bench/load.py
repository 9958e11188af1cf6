"""A load test: 50 users for 60 s against gunicorn (2 workers) on PostgreSQL.

    make load          # installs bench/requirements.txt (locust, py-spy), then runs this
    .venv/bin/python bench/load.py [--users 50] [--spawn-rate 10] [--seconds 60]
                                   [--threads 1] [--profile] [--no-save]

Sets everything up itself, on this machine only (127.0.0.1):

1. a fresh PostgreSQL database `minutes_load` (dropped and made again);
2. `migrate`, a demo seal in a temporary folder, `load_demo --signed`, then
   bench/load_data.py adds a meeting under review, a second draft and logins
   for the members who attended (all of this with debug on, as `make run`
   does: production settings refuse the demo seal for sealing);
3. `collectstatic`, then gunicorn with 2 workers and production settings
   (DJANGO_DEBUG=false) on a free port, waited for until it answers;
4. locust, headless, with bench/locustfile.py (the mix of a committee's week,
   each user logging in once), bounded by time and by a number of tasks per user;
5. gunicorn stopped, then the report: per endpoint count, failures, p50, p95,
   p99 and requests/s; the errors and p95 of the pages (goal: no error, p95 at
   most 300 ms); the machine and the date. Printed and written to
   bench/results/load-<date>.md. With --profile, py-spy samples gunicorn's
   workers during the load and the report adds where their time went.

Exits 1 when any request failed, 2 when the set-up failed.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
DATABASE = "minutes_load"
DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432"
RESULTS = ROOT / "bench" / "results"
GOAL_P95_MS = 300
# Not pages: logging in hashes the password on purpose slowly (PBKDF2), once
# per user; a stored PDF is a file download whose time depends on its size.
NOT_PAGES = {"login", "PDF download (stored)"}


class SetupFailed(Exception):
    pass


def run(command, env, *, quiet=False):
    """Run a set-up step; its output is shown only when it fails."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SetupFailed(
            f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def fresh_database(name=DATABASE):
    import psycopg2

    try:
        connection = psycopg2.connect(f"{DATABASE_SERVER}/postgres", connect_timeout=5)
    except psycopg2.OperationalError as error:
        raise SetupFailed(
            f"PostgreSQL does not answer on 127.0.0.1:5432 ({error}). Start it, e.g. "
            'pg_ctlcluster "$(ls /etc/postgresql)" main start'
        ) from None
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    connection.close()
    return server_version


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(env_debug, env_production, workdir):
    seal = workdir / "demo-seal.p12"
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env_debug)
    run([PYTHON, "manage.py", "create_demo_seal", "--output", str(seal)], env_debug)
    run([PYTHON, "manage.py", "load_demo", "--signed"], env_debug)
    plan = run([PYTHON, "bench/load_data.py", "prepare"], env_debug).strip().splitlines()[-1]
    (workdir / "plan.json").write_text(plan)
    # With debug off, WhiteNoise serves the hashed names from the manifest.
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env_production)
    return json.loads(plan)


def start_gunicorn(env, port, log, threads):
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "minutes_site.wsgi",
            "-w",
            "2",
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_up(server, url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupFailed(f"gunicorn stopped at start (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise SetupFailed(f"gunicorn did not answer {url} within {seconds} s")


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def start_profiler(server, output):
    """py-spy on gunicorn's workers, sampling only while they run (not while they wait)."""
    return subprocess.Popen(
        [
            str(BIN / "py-spy"),
            "record",
            "--pid",
            str(server.pid),
            "--subprocesses",
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_profiler(profiler):
    profiler.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
    try:
        profiler.wait(timeout=30)
    except subprocess.TimeoutExpired:
        profiler.kill()
        profiler.wait()


# What a worker's busy sample is doing, by the first frame that matches.
KINDS = [
    ("password hashing (login)", ("pbkdf2", "check_password")),
    ("database (queries, fetching rows)", ("psycopg2", "django/db/backends/")),
    ("templates", ("django/template/",)),
    ("ORM (building queries, making objects)", ("django/db/models/",)),
]
PROJECT = ("meetings/", "agenda/", "committees/", "minutes_site/")


FRAME = re.compile(r"(?P<function>\S+) \((?P<file>[^:]+):\d+\)")


def profile_summary(raw):
    """Shares of the workers' busy samples by kind of work and by the project's
    outermost function (the view), from py-spy's raw lines ("frame;frame;… count")."""
    kinds, views, total = {}, {}, 0
    for line in raw.read_text().splitlines():
        stack, _space, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        kind = next((k for k, marks in KINDS if any(m in stack for m in marks)), "other Python")
        kinds[kind] = kinds.get(kind, 0) + int(count)
        view = "other (middleware, sessions, static files…)"
        if "contrib/auth/views" in stack:
            view = "login (django/contrib/auth/views.py)"
        for frame in stack.split(";"):
            match = FRAME.fullmatch(frame.strip())
            if (
                match
                and match["file"].startswith(PROJECT)
                and "middleware" not in match["file"]
                and "<locals>" not in match["function"]  # a decorator's wrapper
            ):
                view = f"{match['function']} ({match['file']})"
                break
        views[view] = views.get(view, 0) + int(count)
    return total, kinds, views


def machine_busy_seconds():
    """CPU time all cores have spent busy since boot (/proc/stat: all but idle and iowait)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def process_seconds(server):
    """CPU time (user + system) used so far by each running process, by what it is.

    The machine may be shared: this tells the test's own processes (gunicorn's
    workers, PostgreSQL serving the test's database) from everything else.
    """
    workers = set(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())
    seconds = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, UnicodeDecodeError):
            continue  # ended meanwhile
        if stat.parent.name in workers:
            what = "gunicorn's workers"
        elif command.startswith("postgres"):
            what = "PostgreSQL, " + ("this test" if DATABASE in command else "other databases")
        elif "pytest" in command:
            what = "pytest (not this test)"
        else:
            what = "other processes"
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        seconds[stat.parent.name, what] = ticks / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_used(before, after):
    """Seconds of CPU per kind of process between two process_seconds()."""
    used = {}
    for key, value in after.items():
        used[key[1]] = used.get(key[1], 0) + value - before.get(key, 0)
    return used


def run_locust(env, url, args, workdir):
    log = workdir / "locust.log"
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        # A bound only: the locustfile ends the run once the measured minute
        # after the last login is over.
        "-t",
        f"{args.seconds + 120}s",
        "--stop-timeout",
        "10",
        "--host",
        url,
        "--only-summary",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("w") as output:
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=args.seconds + 240,
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    records = workdir / "records.jsonl"
    if not records.exists():
        raise SetupFailed(f"locust wrote no results (exit {result.returncode}); see {log}")
    with records.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines], locust_seconds


def percentile(sorted_values, share):
    """Nearest rank: the smallest value with at least ``share`` % of values at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(share / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(name, entries, seconds):
    times = sorted(entry["ms"] for entry in entries)
    return {
        "name": name,
        "count": len(entries),
        "failures": sum(1 for entry in entries if not entry["ok"]),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "max": times[-1] if times else float("nan"),
        "rate": len(entries) / seconds,
    }


def cpu_shares(cpu):
    """Who used the CPU during the run, most first; the rest ran in processes that
    started and ended within it (locust is measured apart, from its exit)."""
    shares = dict(cpu["processes"])
    shares["locust"] = cpu["locust"]
    shares["processes that came and went"] = max(0, cpu["machine"] - sum(shares.values()))
    return sorted(((w, u) for w, u in shares.items() if u >= 0.5), key=lambda i: -i[1])


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory_gib": memory_kib / 1024 / 1024,
    }


def report(records, args, *, seconds, started_at, server_version, check, workdir, cpu):
    markers = {e["name"]: e["at"] for e in records if e.get("marker")}
    requests = [e for e in records if not e.get("marker")]
    begins = markers.get("measured minute starts", math.inf)
    # The warm-up: every user logging in once (and nothing else: they wait).
    warm_up = [e for e in requests if e["at"] - e["ms"] / 1000 < begins]
    measured = [e for e in requests if e["at"] - e["ms"] / 1000 >= begins]
    by_name = {}
    for entry in measured:
        by_name.setdefault(entry["name"], []).append(entry)
    pages = [e for e in measured if e["name"] not in NOT_PAGES]
    rows = [summarise(name, by_name[name], seconds) for name in sorted(by_name)]
    page_rows = [row for row in rows if row["name"] not in NOT_PAGES]
    other_rows = [row for row in rows if row["name"] in NOT_PAGES]
    pages_total = summarise("**all pages**", pages, seconds)
    logins = [e for e in warm_up if e["name"] == "login"]
    first = min((e["at"] - e["ms"] / 1000 for e in warm_up), default=begins)
    warm_up_seconds = begins - first if logins else 0
    login_total = summarise("login (warm-up)", logins, max(warm_up_seconds, 1))
    everything = summarise("all requests", requests, seconds)
    errors = everything["failures"]
    met = errors == 0 and pages_total["p95"] <= GOAL_P95_MS and begins < math.inf
    box = machine()

    def line(row):
        return (
            f"| {row['name']} | {row['count']} | {row['failures']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} | {row['max']:.0f} | {row['rate']:.1f} |"
        )

    out = [
        f"# Load test, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"{args.users} users (spawned {args.spawn_rate}/s), each logged in, then the mix for "
        f"{args.seconds} s against "
        + (
            "gunicorn with 2 sync workers"
            if args.threads == 1
            else f"gunicorn with 2 workers of {args.threads} threads"
        )
        + ", PostgreSQL "
        f"{server_version}, DJANGO_DEBUG=false, all on 127.0.0.1 (locust shares the machine).",
        f"Machine: {box['cores']} cores ({box['cpu']}), {box['memory_gib']:.1f} GiB RAM; "
        f"Python {platform.python_version()}, Django {version('django')}, "
        f"gunicorn {version('gunicorn')}, locust {version('locust')}.",
        "",
        "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---|---|---|---|---|---|---|",
        *map(line, page_rows),
        line(pages_total),
        *map(line, other_rows),
        "",
        f"Goal: 0 errors and p95 ≤ {GOAL_P95_MS} ms for pages. "
        f"Errors (warm-up included): {errors}; pages p95: {pages_total['p95']:.0f} ms. "
        + ("**Met.**" if met else "**Not met.**"),
        f"Warm-up before the measured {seconds} s: {len(logins)} logins in "
        f"{warm_up_seconds:.1f} s (everyone at once; each hashes the password, PBKDF2): "
        f"p50 {login_total['p50']:.0f} ms, p95 {login_total['p95']:.0f} ms, "
        f"max {login_total['max']:.0f} ms.",
        "CPU seconds used during the run "
        f"({cpu['wall']:.0f} s × {box['cores']} cores = {cpu['wall'] * box['cores']:.0f} "
        f"available): {cpu['machine']:.0f} in all; "
        + ", ".join(f"{what} {used:.0f}" for what, used in cpu_shares(cpu))
        + ".",
        "",
        "Pages are every request but the login POST (a deliberately slow password hash, "
        "once per user) and the stored-PDF downloads (reported apart). "
        "A 409 on autosave is the editor's right answer to a lost race between the two "
        "secretaries sharing a draft, counted on its own line, not as an error.",
        f"Review comments written: {check['review_comments']} "
        f"(the load counted {len(by_name.get('review comment', []))} posts).",
    ]
    failures = {}
    for entry in requests:
        if not entry["ok"]:
            key = (entry["name"], entry["status"], entry["error"])
            failures[key] = failures.get(key, 0) + 1
    if failures:
        out += ["", "Failures:", ""]
        out += [
            f"- {count} × {name} (HTTP {status}): {error}"
            for (name, status, error), count in sorted(failures.items(), key=lambda i: -i[1])
        ]
    profile = workdir / "profile.txt"
    if profile.exists() and profile.stat().st_size:
        total, kinds, views = profile_summary(profile)
        out += ["", f"Where gunicorn's workers spent their busy time ({total} py-spy samples):", ""]
        for title, shares in (("kind of work", kinds), ("view", views)):
            out += [f"| {title} | share |", "|---|---|"]
            out += [
                f"| {name} | {count / total:.0%} |"
                for name, count in sorted(shares.items(), key=lambda item: -item[1])[:10]
            ]
            out.append("")
    return "\n".join(out) + "\n", errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--no-save", action="store_true", help="print the report only")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (1: sync workers, as in the README's production set-up)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample gunicorn's workers with py-spy (bench/requirements.txt) and report "
        "where their time went",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="minutes-load-"))
    base = {
        **os.environ,
        "DATABASE_URL": f"{DATABASE_SERVER}/{DATABASE}",
        "MINUTES_SEAL_FILE": str(workdir / "demo-seal.p12"),
        "MINUTES_SEAL_PASSWORD_FILE": str(workdir / "demo-seal.password"),
        "PYTHONWARNINGS": "ignore",
    }
    env_debug = {**base, "DJANGO_DEBUG": "true"}
    env_production = {
        **base,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-test-only-not-secret-" + os.urandom(8).hex(),
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started_at = datetime.datetime.now(datetime.UTC)
    server = None
    try:
        print(f"Setting up database {DATABASE}, demo data and static files…", flush=True)
        server_version = fresh_database()
        prepare(env_debug, env_production, workdir)
        with (workdir / "gunicorn.log").open("w") as gunicorn_log:
            server = start_gunicorn(env_production, port, gunicorn_log, args.threads)
            wait_until_up(server, f"{url}/accounts/login/")
            print(
                f"gunicorn on {url}; locust: {args.users} users for {args.seconds} s…",
                flush=True,
            )
            locust_env = {
                **os.environ,
                "LOAD_USERS": str(args.users),
                "LOAD_SECONDS": str(args.seconds),
                "LOAD_PLAN": str(workdir / "plan.json"),
                "LOAD_RECORDS": str(workdir / "records.jsonl"),
            }
            processes = process_seconds(server)
            cpu = {"machine": -machine_busy_seconds(), "wall": -time.monotonic()}
            profiler = start_profiler(server, workdir / "profile.txt") if args.profile else None
            records, cpu["locust"] = run_locust(locust_env, url, args, workdir)
            if profiler is not None:
                stop_profiler(profiler)
            cpu["processes"] = cpu_used(processes, process_seconds(server))
            cpu["machine"] += machine_busy_seconds()
            cpu["wall"] += time.monotonic()
            stop(server)
            server = None
        check = json.loads(
            run([PYTHON, "bench/load_data.py", "count", str(workdir / "plan.json")], env_debug)
        )
    except SetupFailed as failure:
        print(f"Load test not run: {failure}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            stop(server)
    text, errors = report(
        records,
        args,
        seconds=args.seconds,
        started_at=started_at,
        server_version=server_version,
        check=check,
        workdir=workdir,
        cpu=cpu,
    )
    server_errors = (workdir / "gunicorn.log").read_text().count("Traceback")
    if server_errors:
        text += f"\n**gunicorn logged {server_errors} tracebacks** (gunicorn.log).\n"
    print(text)
    print(f"Logs: {workdir} (gunicorn.log, locust.log, records.jsonl).")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        target = RESULTS / f"load-{started_at:%Y-%m-%d}.md"
        target.write_text(text, encoding="utf-8")
        print(f"Written to {target.relative_to(ROOT)}")
    return 1 if errors or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
