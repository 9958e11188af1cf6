"""Pages under load, against the floors, measured alternating URL by URL, round by round.

    make bench         # bench/pdf.py, then this
    .venv/bin/python bench/web.py [--rounds 5] [--seconds 4] [--concurrency 10]
                                  [--signings 3] [--quick] [--no-save]

Sets everything up itself, on this machine only (127.0.0.1), bounded in time
and count, and stops by itself:

1. a fresh PostgreSQL database `minutes_bench`; migrate, `load_demo` and
   bench/web_data.py (the signed demo meeting, the demo draft again with 10x
   its remarks, about 580 speaker blocks; meetings signed by their first
   signer; sealing tasks worked by `db_worker --batch`) with debug off
   and a self-signed organisation seal made for the run (production settings
   refuse the demo seal); collectstatic;
2. gunicorn with 2 sync workers, DJANGO_DEBUG=false, on a free port of
   127.0.0.1; the secretary and the admin (a superuser) log in once;
3. alone: each URL requested on its own, one request at a time (the time a
   user waits on a quiet server), ALTERNATING: round k requests every URL
   in a rotated order, --alone-requests times each; median ms;
4. under load: each URL for --seconds (a slow URL longer, so that each
   connection finishes about two requests; one slower than --max-alone-ms
   alone is not loaded) at --concurrency connections with wrk,
   ALTERNATING the URLs in a rotated order round by round, waiting after
   each until gunicorn's workers are idle (abandoned slow requests would
   otherwise eat the next URL's time). Reported: req/s, p50/p95 (medians of
   the rounds) and the share of the floors (the login page, a static file
   served by WhiteNoise): each URL's req/s over the floor's req/s IN THE SAME
   ROUND, then the median of those ratios;
5. the last signer's request: the second signer's POST on the sign page,
   --signings times (one meeting each), on a quiet server, with a task
   worker (`db_worker`) running beside gunicorn when the site has one; then
   whether the meeting is signed (sealed) within 60 s. The signer's login
   POST is timed too: a signature confirms the password the same slow way.

The load client is wrk (Debian's `wrk`, C, event-driven, keep-alive): a Python
client on a 2-core machine would take the CPU the server needs and flatten
the floors, and the floors are what the shares are measured against. Its Lua
script (bench/wrk.lua) sends the session cookie and reports percentiles as
JSON. wrk shares the machine with gunicorn and PostgreSQL: absolute req/s are
this machine's, the shares are the figures to compare.

Prints a Markdown table with the machine and date, writes it to
bench/results/web-<date>.md and .json. Exits 2 when the set-up failed,
1 when a request failed.
"""

import argparse
import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: database, gunicorn)
import rounds  # noqa: E402  (bench/rounds.py)
from load import PYTHON, ROOT, SetupFailed, run  # noqa: E402

DATABASE = "minutes_bench"
WORKERS = 2  # gunicorn's (bench/load.py starts it with -w 2)
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHA = re.compile(r'name="content_sha256" value="([0-9a-f]{64})"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')
LOGIN, STATIC_FILE = "login page", "static file"
GOALS = {
    "minutes": 0.30,
    "editor": 0.15,
    "long": 2.0,
    "download_ms": 10,
    "download_static_share": 0.5,
    "admin_ms": 300,
    "sign_ms": 300,
}


class Session:
    """A cookie-keeping HTTP/1.1 client for 127.0.0.1 (logins, forms, one request at a time)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        elapsed = (time.perf_counter() - start) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, data, elapsed

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def form_post(self, path, fields):
        """GETs the form at ``path`` for its CSRF token, then POSTs ``fields`` to it."""
        response, page, _ms = self.request("GET", path)
        token = CSRF.search(page.decode())
        if response.status != 200 or token is None:
            raise SetupFailed(f"GET {path}: HTTP {response.status}, no form")
        return page, self.request("POST", path, {**fields, "csrfmiddlewaretoken": token[1]})


def log_in(port, username, password, times=None):
    session = Session(port)
    _page, (response, _data, ms) = session.form_post(
        "/accounts/login/", {"username": username, "password": password}
    )
    if times is not None:
        times.append(ms)
    if response.status != 302 or "sessionid" not in session.cookies:
        raise SetupFailed(f"{username} could not log in (HTTP {response.status})")
    return session


def workers_busy_seconds(server):
    """CPU seconds used so far by gunicorn's workers (children of the master)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_idle(server, limit=60):
    """Until the workers have used no CPU for 0.3 s: requests wrk gave up on are done."""
    deadline = time.monotonic() + limit
    last, quiet = workers_busy_seconds(server), 0
    while time.monotonic() < deadline and quiet < 3:
        time.sleep(0.1)
        now = workers_busy_seconds(server)
        quiet = quiet + 1 if now - last < 0.005 else 0
        last = now


def run_wrk(url, cookie, args, seconds):
    result = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(2, args.concurrency)),
            "-c",
            str(args.concurrency),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],
        env={**os.environ, "WRK_COOKIE": cookie},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            found = json.loads(line[len("WRK-JSON ") :])
            seconds = found["duration_us"] / 1e6
            errors = sum(found[k] for k in ("connect", "read", "write", "status", "timeout"))
            return {
                "rate": found["requests"] / seconds,
                "requests": found["requests"],
                "p50": found["p50_us"] / 1000 if found["requests"] else None,
                "p95": found["p95_us"] / 1000 if found["requests"] else None,
                "errors": errors,
            }
    raise SetupFailed(f"wrk gave no result for {url}:\n{result.stdout}{result.stderr}")


DRAFT_OLD = "draft PDF, repeated download, at its old address"
DRAFT_LINK = "draft PDF, repeated download, the minutes page's link (download ticket)"
SEALED_OLD = "sealed PDF, stored, at its old address"
SEALED_LINK = "sealed PDF, the minutes page's link (download ticket)"
TICKET_LINK = re.compile(r'href="(/meetings/files/[^"]+\.pdf)"')


def ticket_link(session, meeting):
    """The minutes page's first download link, as the secretary clicks it;
    followed once, so that what it serves is at hand (the copy of a signed
    file on disk, a draft's rendering in the cache: meetings/tickets.py).
    None when the page has no such link."""
    _response, page, _ms = session.request("GET", f"/meetings/{meeting}/")
    found = TICKET_LINK.search(page.decode())
    if found is None:
        return None
    response, _data, _ms = session.request("GET", found[1])
    if response.status == 302:
        session.request("GET", response.getheader("Location"))
    return found[1]


def build_urls(plan, static_path, sessions):
    """Name -> (path, session name), in the order of the issue's table."""
    blocks = plan["long_draft_blocks"]
    draft_link = ticket_link(sessions["secretary"], plan["draft"])
    sealed_link = ticket_link(sessions["secretary"], plan["signed"])
    return {
        LOGIN: ("/accounts/login/", None),
        STATIC_FILE: (static_path, None),
        "minutes page, 1x remarks": (f"/meetings/{plan['draft']}/", "secretary"),
        f"minutes page, {plan['times']}x remarks": (
            f"/meetings/{plan['long_draft']}/",
            "secretary",
        ),
        "editor page": (f"/meetings/{plan['draft']}/edit/", "secretary"),
        DRAFT_OLD: (f"/meetings/{plan['draft']}/minutes.pdf", "secretary"),
        DRAFT_LINK: (draft_link or f"/meetings/{plan['draft']}/no-link.pdf", "secretary"),
        SEALED_OLD: (f"/meetings/{plan['signed']}/minutes.pdf", "secretary"),
        SEALED_LINK: (sealed_link or f"/meetings/{plan['signed']}/no-link.pdf", "secretary"),
        f"admin meeting change page, {blocks} speaker blocks": (
            f"/admin/meetings/meeting/{plan['long_draft']}/change/",
            "admin",
        ),
    }


def check(urls, sessions):
    """Which URLs do not answer 200 (a PDF for .pdf) for their user: those are not timed.

    The floors must answer; any other URL that fails is reported as not measured
    (the tree may be half-way through a change), and the rest is measured.
    """
    broken = {}
    for name, (path, who) in urls.items():
        response, data, _ms = sessions[who].request("GET", path)
        if response.status != 200:
            broken[name] = f"HTTP {response.status}"
        elif path.endswith(".pdf") and not data.startswith(b"%PDF"):
            broken[name] = "not a PDF"
    for floor in (LOGIN, STATIC_FILE):
        if floor in broken:
            raise SetupFailed(f"{floor}: GET {urls[floor][0]} answered {broken[floor]}")
    return broken


def alone(urls, sessions, args, broken):
    """Rounds of one-at-a-time requests, URLs in rotating order: median ms per URL per round."""

    def measure(name):
        if name in broken:
            return None
        path, who = urls[name]
        times = []
        # A URL slower than --max-alone-ms gets one request a round: bounded time.
        while len(times) < args.alone_requests and not any(t > args.max_alone_ms for t in times):
            times.append(sessions[who].request("GET", path)[2])
        return statistics.median(times)

    return rounds.run_rounds(list(urls), args.rounds, measure)


def load_seconds(alone_ms, args):
    """--seconds, or longer for a slow URL: each connection finishes about two requests."""
    queued = alone_ms / 1000 * args.concurrency / WORKERS
    return max(args.seconds, math.ceil(2 * queued))


def under_load(urls, sessions, server, base, args, broken, alone_ms):
    def measure(name):
        if name in broken:
            return None
        path, who = urls[name]
        cookie = sessions[who].cookie_header()
        seconds = load_seconds(alone_ms[name], args)
        print(f"  {name} ({seconds} s)…", flush=True)
        result = run_wrk(base + path, cookie, args, seconds)
        wait_idle(server)
        return result

    results = []
    for number, order in enumerate(rounds.schedule(list(urls), args.rounds), start=1):
        print(f"Round {number}/{args.rounds} under load:", flush=True)
        results.append({name: measure(name) for name in order})
    return results


def last_signatures(port, plan):
    """The second signer's POST, timed, one meeting each (a quiet server).

    Also the signer's login POST: signing confirms the password as a login
    does (PBKDF2, slow on purpose), the part of a signature no queue removes.
    """
    times, logins = [], []
    for signing in plan["signings"]:
        session = log_in(port, signing["signer"], plan["password"], logins)
        path = f"/meetings/{signing['meeting']}/sign/"
        response, page, _ms = session.request("GET", path)
        token, sha = CSRF.search(page.decode()), SHA.search(page.decode())
        if response.status != 200 or not token or not sha:
            raise SetupFailed(f"GET {path}: HTTP {response.status}, no sign form")
        fields = {
            "csrfmiddlewaretoken": token[1],
            "content_sha256": sha[1],
            "method": "drawn",
            "drawn": plan["drawn"],
            "password": plan["password"],
        }
        response, data, elapsed = session.request("POST", path, fields)
        if response.status != 302:
            print(f"POST {path}: HTTP {response.status} (not signed)", file=sys.stderr)
            continue
        times.append(elapsed)
    return times, logins


def signed_later(env, plan, seconds=60):
    """How many of the signed meetings are 'signed' (sealed) within ``seconds``."""
    pks = [str(signing["meeting"]) for signing in plan["signings"]]
    deadline = time.monotonic() + seconds
    while True:
        statuses = json.loads(run([PYTHON, "bench/web_data.py", "status", *pks], env))
        done = sum(1 for status in statuses.values() if status in ("signed", "published"))
        if done == len(pks) or time.monotonic() > deadline:
            return done
        time.sleep(1)


def wrk_version():
    output = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return output[1].rpartition("/")[2] if len(output) > 1 else "?"


def has_task_worker(env):
    """Whether the site queues tasks in its database (django-tasks' `db_worker`)."""
    commands = run([PYTHON, "manage.py", "help", "--commands"], env).split()
    return "db_worker" in commands


def start_task_worker(env, workdir):
    log = (workdir / "db_worker.log").open("w")
    return subprocess.Popen(
        # As `make run` starts it: at a lower CPU priority than the web server.
        [
            "nice",
            "-n",
            "10",
            PYTHON,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def fmt(value, digits=0):
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def report(urls, measured, plan, args, started_at, box, pg):
    alone_rounds, load_rounds = measured["alone"], measured["load"]
    sign_ms, sealed, broken = measured["sign_ms"], measured["sealed"], measured["broken"]

    def load_values(name, key):
        return [r[name][key] for r in load_rounds if r[name] and r[name][key] is not None]

    def share(name, floor):
        ratios = [
            r[name]["rate"] / r[floor]["rate"] for r in load_rounds if r[name] and r[floor]["rate"]
        ]
        return statistics.median(ratios) if ratios else None

    def median(numbers):
        return statistics.median(numbers) if numbers else None

    rows, summary = [], {}
    for name in urls:
        if name in broken:
            summary[name] = dict.fromkeys(("rate", "p50", "p95", "login_share", "static_share"))
            summary[name].update(alone_ms=None, errors=0, requests=0)
            rows.append([name, f"not measured: {broken[name]}", "", "", "", "", ""])
            continue
        rate = median(load_values(name, "rate"))
        p50s, p95s = load_values(name, "p50"), load_values(name, "p95")
        entry = {
            "rate": rate,
            "p50": statistics.median(p50s) if p50s else None,
            "p95": statistics.median(p95s) if p95s else None,
            "login_share": share(name, LOGIN),
            "static_share": share(name, STATIC_FILE),
            "alone_ms": median(rounds.values(alone_rounds, name)),
            "errors": sum(r[name]["errors"] for r in load_rounds if r[name]),
            "requests": sum(r[name]["requests"] for r in load_rounds if r[name]),
        }
        summary[name] = entry
        if name in measured["too_slow"]:
            rows.append(
                [
                    name,
                    f"not loaded: over {args.max_alone_ms / 1000:g} s alone",
                    "",
                    "",
                    "",
                    fmt(entry["alone_ms"], 1),
                    "",
                ]
            )
            continue
        rows.append(
            [
                name,
                fmt(rate, 1),
                f"{fmt(entry['p50'])} / {fmt(entry['p95'])}",
                fmt(entry["login_share"], 3),
                fmt(entry["static_share"], 3),
                fmt(entry["alone_ms"], 1),
                f"{entry['requests']} / {entry['errors']}",
            ]
        )
    names = list(urls)
    minutes, long_minutes, editor = names[2:5]
    admin = names[-1]
    long_ratio = rounds.median_ratio(alone_rounds, long_minutes, minutes)
    sign_median = statistics.median(sign_ms) if sign_ms else None
    goals = [
        ["minutes page / login page throughput", f">= {GOALS['minutes']}",
         fmt(summary[minutes]["login_share"], 3),
         rounds.met(summary[minutes]["login_share"], GOALS["minutes"], at_most=False)],
        ["editor page / login page throughput", f">= {GOALS['editor']}",
         fmt(summary[editor]["login_share"], 3),
         rounds.met(summary[editor]["login_share"], GOALS["editor"], at_most=False)],
        [f"minutes page at {plan['times']}x / at 1x (time alone)", f"<= {GOALS['long']}",
         fmt(long_ratio, 2), rounds.met(long_ratio, GOALS["long"])],
    ]  # fmt: skip
    for name in (DRAFT_OLD, DRAFT_LINK, SEALED_OLD, SEALED_LINK):
        goals += [
            [f"{name}: median alone", f"<= {GOALS['download_ms']} ms",
             f"{fmt(summary[name]['alone_ms'], 1)} ms",
             rounds.met(summary[name]["alone_ms"], GOALS["download_ms"])],
            [f"{name} / static file throughput", f">= {GOALS['download_static_share']}",
             fmt(summary[name]["static_share"], 3),
             rounds.met(summary[name]["static_share"], GOALS["download_static_share"],
                        at_most=False)],
        ]  # fmt: skip
    goals += [
        [f"{admin}: alone", f"<= {GOALS['admin_ms']} ms",
         f"{fmt(summary[admin]['alone_ms'])} ms",
         rounds.met(summary[admin]["alone_ms"], GOALS["admin_ms"])],
        ["last signer's request (POST of the 2nd signature)", f"<= {GOALS['sign_ms']} ms",
         f"{fmt(sign_median)} ms", rounds.met(sign_median, GOALS["sign_ms"])],
    ]  # fmt: skip
    text = "\n".join(
        [
            f"# Pages under load, {started_at:%Y-%m-%d %H:%M} UTC",
            "",
            rounds.machine_line(box),
            f"gunicorn {version('gunicorn')} with 2 sync workers, PostgreSQL {pg}, "
            f"Django {version('django')}, DJANGO_DEBUG=false, all on 127.0.0.1; load by "
            f"wrk {wrk_version()}"
            " (shares the machine).",
            "",
            f"Under load: {args.rounds} rounds; in each, every URL for {args.seconds} s (a slow "
            "URL longer: about two requests a connection) at "
            f"concurrency {args.concurrency}, the URLs in a rotated order. req/s and p50/p95 "
            "are medians of the rounds; a share is the URL's req/s over the floor's in the "
            f"same round, median of the rounds. Alone: one request at a time, "
            f"{args.alone_requests} per URL in each of {args.rounds} rounds, URLs alternating; "
            "median.",
            "",
            rounds.table(
                [
                    "URL",
                    "req/s",
                    "p50 / p95 ms",
                    "share of the login floor",
                    "share of the static floor",
                    "alone ms",
                    "requests / failed",
                ],
                rows,
            ),
            "",
            "Last signer's request (POST of the 2nd signature, alone): "
            + ", ".join(f"{ms:.0f}" for ms in sign_ms)
            + f" ms; median {fmt(sign_median)} ms. Meetings sealed within 60 s: "
            f"{sealed} of {len(plan['signings'])}. For comparison, the same signers' login "
            "POST (the same slow password hash a signature confirms): "
            + ", ".join(f"{ms:.0f}" for ms in measured["login_ms"])
            + " ms.",
            "",
            rounds.table(["goal", "target", "measured", "met?"], goals),
            "",
        ]
    )
    data = {
        "started_at": started_at.isoformat(),
        "machine": box,
        "args": {k: v for k, v in vars(args).items()},
        "urls": {name: path for name, (path, _who) in urls.items()},
        "summary": summary,
        "not_measured": broken,
        "not_loaded_slower_than_max_alone_ms": measured["too_slow"],
        "alone_rounds_ms": alone_rounds,
        "load_rounds": load_rounds,
        "sign_ms": sign_ms,
        "login_post_ms": measured["login_ms"],
        "sealed": sealed,
        "goals": goals,
    }
    failed = sum(entry["errors"] for entry in summary.values())
    return text, data, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4, help="per URL per round, under load")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--alone-requests", type=int, default=3)
    parser.add_argument("--signings", type=int, default=3)
    parser.add_argument(
        "--max-alone-ms",
        type=int,
        default=3000,
        help="a URL slower than this alone is not put under load",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 rounds of 1 s")
    parser.add_argument("--no-save", action="store_true", help="print the report only")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.alone_requests, args.signings = 2, 1, 1, 1
    if shutil.which("wrk") is None:
        print("bench/web.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="minutes-bench-web-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{load.DATABASE_SERVER}/{DATABASE}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-not-secret-" + os.urandom(8).hex(),
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Sealing with debug off: a non-demo seal and a public https address.
        "DJANGO_SITE_URL": "https://minutes.example.go.kr",
        "MINUTES_SEAL_FILE": str(workdir / "seal.p12"),
        "MINUTES_SEAL_PASSWORD_FILE": str(workdir / "seal.password"),
        # The renderings' file cache of this run only (not the checkout's var/cache).
        "MINUTES_CACHE_DIR": str(workdir / "cache"),
        "PYTHONWARNINGS": "ignore",
    }
    started_at, box = rounds.now(), rounds.machine()
    setup_started = time.monotonic()
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        print(f"Setting up database {DATABASE}, demo data and static files…", flush=True)
        pg = load.fresh_database(DATABASE)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([PYTHON, "bench/web_data.py", "seal"], env)
        run([PYTHON, "manage.py", "load_demo"], env)
        output = run([PYTHON, "bench/web_data.py", "prepare", str(args.signings)], env)
        plan = json.loads(output.strip().splitlines()[-1])
        worker = has_task_worker(env)
        if worker:  # sealing the signed meeting may have been left to a task
            run([PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay"], env)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        with (workdir / "gunicorn.log").open("w") as gunicorn_log:
            server = load.start_gunicorn(env, port, gunicorn_log, threads=1)
            load.wait_until_up(server, f"{base}/accounts/login/")
            anonymous = Session(port)
            _response, login_page, _ms = anonymous.request("GET", "/accounts/login/")
            static = STATIC.search(login_page.decode())
            if static is None:
                raise SetupFailed("no static file linked from the login page")
            sessions = {
                None: Session(port),
                "secretary": log_in(port, "secretary", plan["password"]),
                "admin": log_in(port, "admin", plan["password"]),
            }
            urls = build_urls(plan, static[1], sessions)
            broken = check(urls, sessions)
            for name, problem in broken.items():
                print(f"Not measured: {name} ({urls[name][0]} answered {problem})", flush=True)
            print(
                f"Set up in {time.monotonic() - setup_started:.0f} s; gunicorn on {base}; "
                f"alone, {args.rounds} rounds…",
                flush=True,
            )
            measured = {"broken": broken, "alone": alone(urls, sessions, args, broken)}
            # A URL slower than --max-alone-ms alone would queue minutes of work
            # at concurrency 10 (and meet gunicorn's 30 s timeout): not loaded.
            measured["too_slow"] = {
                name: ms
                for name in urls
                if (ms := statistics.median(rounds.values(measured["alone"], name) or [0]))
                > args.max_alone_ms
            }
            skip = {**broken, **measured["too_slow"]}
            alone_ms = {
                name: statistics.median(rounds.values(measured["alone"], name) or [0])
                for name in urls
            }
            measured["load"] = under_load(urls, sessions, server, base, args, skip, alone_ms)
            print("The last signer's request…", flush=True)
            wait_idle(server)
            # A worker beside gunicorn, as in production, for the sealing tasks.
            tasks = start_task_worker(env, workdir) if worker else None
            try:
                measured["sign_ms"], measured["login_ms"] = last_signatures(port, plan)
                measured["sealed"] = signed_later(env, plan)
            finally:
                if tasks is not None:
                    load.stop(tasks)
            load.stop(server)
            server = None
    except SetupFailed as failure:
        print(f"Benchmark not run: {failure}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            load.stop(server)
    text, data, failed = report(urls, measured, plan, args, started_at, box, pg)
    tracebacks = (workdir / "gunicorn.log").read_text().count("Traceback")
    if tracebacks:
        text += f"\n**gunicorn logged {tracebacks} tracebacks** ({workdir}/gunicorn.log).\n"
    print(text)
    print(f"Logs: {workdir}")
    if not args.no_save:
        paths = rounds.save("web", text, data, started_at)
        print("Written to " + ", ".join(str(p.relative_to(ROOT)) for p in paths))
    return 1 if failed or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
