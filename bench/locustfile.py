"""A week of committee work, as locust users (run by bench/load.py, not on its own).

Reads bench/load.py's plan (LOAD_PLAN: the JSON of bench/load_data.py) and
writes every request's outcome to LOAD_RECORDS (JSON lines) when the test
stops, so that load.py computes exact percentiles rather than locust's
rounded ones.

Every user first logs in once with a demo password (never a wrong one: the
login throttle would lock the account), then waits until all have: the
measured minute (LOAD_SECONDS) of the mix starts when the last login is
answered, and the run ends, all users with it, when it is over. Logging in
hashes the password (PBKDF2, half a second of CPU by design); 50 people do
not log in within the same seconds in an office, so the logins are a warm-up,
reported on their own line, not part of the pages' minute.

Two kinds of user:

- Member (most users): lists meetings, reads minutes (now and then the
  public version), reads the draft under review and sometimes comments on
  it, looks a signed version up on the verification page, and rarely
  downloads a stored signed PDF (reported apart, outside the pages' goal).
- Secretary (a fixed few): autosaves the remarks in the editor about every
  two seconds, as a secretary typing does, reopens the editor now and then,
  and reads the minutes and the review. Two secretaries share each draft, so
  a save based on a revision someone else just replaced gets the editor's
  409, which is the right answer and is counted apart.
"""

import itertools
import json
import os
import random
import re
import time

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
# A bound on each user's work whatever the run time (a bounded load).
MAX_TASKS_PER_USER = 400
TIMEOUT = 30  # seconds: a request not answered by then fails

COMMENTERS = itertools.cycle(PLAN["commenters"] + PLAN["readers"])
# Two secretaries per draft, each draft edited by both: (draft, secretary) pairs.
EDITORS = itertools.cycle(itertools.product(PLAN["drafts"], PLAN["secretaries"]))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FOUND = 'id="verify-result"'  # the verification page's result box

records = []
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
everyone_in = Event()  # set when the last user's login has been answered
logins = 0


def logged_in_once():
    """Count a finished login (or a refused one); the last one starts the minute."""
    global logins
    logins += 1
    if logins >= USERS and not everyone_in.is_set():
        records.append({"name": "measured minute starts", "at": time.time(), "marker": True})
        everyone_in.set()


@events.test_start.add_listener
def end_after_the_minute(environment, **kwargs):
    def stop_when_done():
        everyone_in.wait()
        gevent.sleep(SECONDS)
        records.append({"name": "measured minute ends", "at": time.time(), "marker": True})
        environment.runner.quit()

    gevent.spawn(stop_when_done)


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception, response, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    records.append(
        {
            "name": name,
            "at": time.time(),
            "ms": response_time,
            "ok": exception is None,
            "status": status,
            "error": "" if exception is None else str(exception)[:200],
        }
    )


@events.test_stop.add_listener
def write_records(**kwargs):
    with open(os.environ["LOAD_RECORDS"], "w", encoding="utf-8") as output:
        for entry in records:
            output.write(json.dumps(entry) + "\n")


def answer(response):
    """What came back, for a failure's message: the status, or why nothing did."""
    if response.status_code == 0:  # no answer: connection reset, timeout…
        return repr(response.error)
    return f"HTTP {response.status_code}"


class CommitteeUser(HttpUser):
    abstract = True
    username = None

    def on_start(self):
        self.tasks_done = 0
        try:
            self.log_in()
        finally:
            logged_in_once()
        everyone_in.wait()

    def log_in(self):
        page = self.client.get("/accounts/login/", name="login form", timeout=TIMEOUT)
        token = CSRF_FIELD.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            logged_in = response.status_code == 302 and "sessionid" in self.client.cookies
            if not logged_in:
                response.failure(f"{self.username} was not logged in: {answer(response)}")
        if not logged_in:
            raise StopUser()  # counted above; without a session nothing else would work

    def csrf(self):
        """The token as the pages' script sends it: the CSRF cookie's value."""
        return self.client.cookies.get("csrftoken", "")

    def count_task(self):
        self.tasks_done += 1
        if self.tasks_done > MAX_TASKS_PER_USER:
            raise StopUser()

    def get_page(self, path, name, *, expect=None):
        """A GET that must answer 200 with the page asked for (not the login
        page), holding ``expect`` when given."""
        with self.client.get(path, name=name, timeout=TIMEOUT, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(answer(response))
            elif "/accounts/login/" in response.url:
                response.failure("sent to the login page")
            elif expect is not None and expect not in response.text:
                response.failure(f"{expect!r} missing")


class Member(CommitteeUser):
    """A committee member, the confirmer, or the archivist."""

    weight = 1
    wait_time = between(1, 5)

    def on_start(self):
        self.username = next(COMMENTERS)
        self.may_comment = self.username in PLAN["commenters"]
        super().on_start()

    @task(10)
    def meeting_list(self):
        self.count_task()
        self.get_page("/meetings/", "meeting list")

    @task(20)
    def read_minutes(self):
        self.count_task()
        meeting = random.choice(PLAN["meetings"])
        if random.random() < 0.25:
            self.get_page(f"/meetings/{meeting}/?version=public", "minutes (public)")
        else:
            self.get_page(f"/meetings/{meeting}/", "minutes")

    @task(6)
    def read_review(self):
        self.count_task()
        self.get_page(f"/review/{PLAN['review']}/", "review page")

    @task(1)
    def comment(self):
        self.count_task()
        if not self.may_comment:
            return
        block = random.choice(PLAN["review_blocks"])
        with self.client.post(
            f"/review/{PLAN['review']}/comment/",
            data={
                "block": block,
                "proposed_text": "표현을 다음과 같이 고쳐 주십시오.\n회의록 문안 수정 제안",
                "reason": "발언 취지를 분명히 하기 위함",
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="review comment",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(answer(response))

    @task(3)
    def verify_code(self):
        self.count_task()
        self.get_page(f"/meetings/verify/{PLAN['code']}/", "verify by code (link)", expect=FOUND)

    @task(2)
    def verify_form(self):
        self.count_task()
        self.get_page("/meetings/verify/", "verify form")
        with self.client.post(
            "/meetings/verify/",
            data={"code": PLAN["code"], "csrfmiddlewaretoken": self.csrf()},
            name="verify form (code sent)",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(answer(response))
            elif FOUND not in response.text:
                response.failure("the signed version was not found")

    @task(1)
    def download_signed_pdf(self):
        self.count_task()
        kind = random.choice(["internal-pdfa3b", "public-pdfa3b", "internal-pdfa1b"])
        with self.client.get(
            f"/meetings/verify/{PLAN['code']}/{kind}.pdf",
            name="PDF download (stored)",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF-"):
                response.failure(f"{answer(response)}, not a PDF")


class Secretary(CommitteeUser):
    fixed_count = len(PLAN["drafts"]) * len(PLAN["secretaries"])
    wait_time = between(1, 3)

    def on_start(self):
        self.meeting, self.username = next(EDITORS)
        self.state = None
        super().on_start()
        self.load_state()

    def load_state(self):
        with self.client.get(
            f"/meetings/{self.meeting}/edit/remarks/",
            name="editor state",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(answer(response))
                return
            self.state = response.json()

    @task(12)
    def autosave(self):
        """One statement changed, the whole remarks document sent, as the editor does."""
        self.count_task()
        if self.state is None:
            self.load_state()
            return
        blocks = self.state["blocks"]
        block = random.choice(blocks)
        first = block["statements"][0]
        # Toggle a mark so the text changes every save but never grows.
        mark = " (수정)"
        block["statements"][0] = first[: -len(mark)] if first.endswith(mark) else first + mark
        body = {
            "base": self.state["revision"],
            "document": {"blocks": blocks, "resolutions": self.state["resolutions"]},
        }
        with self.client.post(
            f"/meetings/{self.meeting}/edit/remarks/save/",
            json=body,
            headers={"X-CSRFToken": self.csrf()},
            name="editor autosave",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.state["revision"] = response.json()["revision"]
            elif response.status_code == 409:
                # Someone saved in between: the right answer. Take their text
                # (the dialog's "keep theirs") and go on from it.
                response.request_meta["name"] = "editor autosave: conflict (409)"
                response.success()
                self.state = response.json()["conflict"]["theirs"]
            else:
                response.failure(f"{answer(response)}: {(response.text or '')[:200]}")

    @task(1)
    def reopen_editor(self):
        self.count_task()
        self.get_page(f"/meetings/{self.meeting}/edit/", "editor page")
        self.load_state()

    @task(2)
    def read_minutes(self):
        self.count_task()
        self.get_page(f"/meetings/{self.meeting}/", "minutes")

    @task(1)
    def read_review(self):
        self.count_task()
        self.get_page(f"/review/{PLAN['review']}/", "review page")

    @task(1)
    def meeting_list(self):
        self.count_task()
        self.get_page("/meetings/", "meeting list")
