"""Hostile input: what a refusal looks like, and proof that nothing saved changed.

Every hostile-input test (tests/test_hostile_*.py) starts from a request the
site accepts, changes one value into something hostile, and checks two
things: the answer is a refusal a person can read (a 4xx, a form shown again
with its error, a JSON "errors" list, or a CommandError of one line), never a
server error; and what was saved is exactly what it was before.

The client never re-raises the view's exception (raise_request_exception is
off), so every test sees the status the visitor would see; a 500 fails with
the exception and the line of our code it came from, for whoever mends it.
"""

import contextlib
import json
import signal
import sys
import traceback
from pathlib import Path

import pytest
from django.contrib.messages import ERROR, get_messages
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.test import Client

from agenda.models import Resolution, ReviewComment, SpeakerBlock, Statement
from committees.models import Committee, Member, Person
from meetings.minutes import canonical_json, minutes_content
from meetings.models import (
    Meeting,
    MinutesVersion,
    SavedSignature,
    SealedFile,
    Signature,
    SignedDocument,
    StatusChange,
)

ROOT = Path(__file__).resolve().parents[1]
OUR_CODE = ("agenda", "meetings", "committees", "minutes_site", "templates")

# Characters no minutes, name or password contains: NUL (PostgreSQL cannot
# even store it), the bell and the escape that starts terminal sequences.
CONTROL_CHARACTERS = [
    pytest.param("\x00", id="nul"),
    pytest.param("\x07", id="bell"),
    pytest.param("\x1b", id="escape"),
]


_handler = []


def hostile_client(user=None):
    """A client that answers like the server does: a 500 is a response, not an exception.

    Every such client shares one request handler: loading the middleware
    (WhiteNoise reads the whole static folder) costs more than most of these
    requests, and the middleware keeps nothing from one request to the next.
    """
    client = Client(raise_request_exception=False)
    if _handler:
        client.handler = _handler[0]
    else:
        _handler.append(client.handler)
    if user is not None:
        client.force_login(user)
    return client


# --- what went wrong, in one line ---------------------------------------------


def cause(exc_info):
    """``Type: message (path.py:line)``, at the deepest frame of our own code."""
    _type, error, trace = exc_info
    ours = theirs = ""
    for frame in traceback.extract_tb(trace):
        path = Path(frame.filename)
        if path.is_relative_to(ROOT) and path.relative_to(ROOT).parts[0] in OUR_CODE:
            ours = f" ({path.relative_to(ROOT)}:{frame.lineno})"
        elif "site-packages" in path.parts and "django" not in path.parts:
            # A library's frame, for errors our code never sees (an auth backend's).
            parts = path.parts[path.parts.index("site-packages") + 1 :]
            theirs = f" ({'/'.join(parts)}:{frame.lineno})"
    place = ours or theirs
    message = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {message}{place}"


def answered(response):
    """The request got an answer, not a server error."""
    if response.status_code >= 500:
        exc_info = getattr(response, "exc_info", None)
        detail = cause(exc_info) if exc_info else response.content[:200]
        pytest.fail(f"server error {response.status_code}: {detail}", pytrace=False)
    return response


def form_errors(response):
    """The errors of the forms (and formsets) the page was rendered with."""
    errors = []
    if response.context is not None and "errors" in response.context:
        # The admin's change page: one list for the form and its inlines.
        if response.context["errors"]:
            errors.append(list(response.context["errors"]))
    for name in ("form", "formset"):
        try:
            found = response.context[name] if response.context is not None else None
        except KeyError:
            continue
        if found is None:
            continue
        if hasattr(found, "total_error_count"):
            if found.total_error_count():
                errors.append(found.errors or found.non_form_errors())
        elif found.errors:
            errors.append(found.errors)
    return errors


def error_messages(response):
    """The error-level messages the request left for the next page."""
    return [m for m in get_messages(response.wsgi_request) if m.level >= ERROR]


def refused(response):
    """A refusal a person can read: a 4xx, a form shown again with its errors,
    or a redirect carrying an error message."""
    answered(response)
    status = response.status_code
    if 400 <= status < 500:
        return response
    if status == 200 and form_errors(response):
        return response
    if status in (200, 302) and error_messages(response):
        return response
    pytest.fail(f"accepted ({status}) instead of refused", pytrace=False)


def refused_json(response):
    """The editor's refusal: a 4xx whose JSON lists the errors, each with a message."""
    answered(response)
    assert 400 <= response.status_code < 500, (
        f"accepted ({response.status_code}) instead of refused: {response.content[:300]!r}"
    )
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    errors = response.json().get("errors")
    assert errors and all(isinstance(e.get("message"), str) and e["message"] for e in errors)
    return errors


def refused_or_cleaned(response, meeting, before, characters):
    """Refused with nothing changed, or saved without ``characters`` anywhere."""
    answered(response)
    after = snapshot(meeting)
    if response.status_code >= 400 or form_errors(response) or error_messages(response):
        assert after == before
        return
    assert not contains(after, characters), f"saved with {characters!r}"


def contains(data, characters):
    """Whether any text in ``data`` (dicts, lists, strings) holds one of ``characters``."""
    if isinstance(data, str):
        return any(character in data for character in characters)
    if isinstance(data, dict):
        return any(contains(value, characters) for value in data.values())
    if isinstance(data, list | tuple):
        return any(contains(value, characters) for value in data)
    return False


# --- what was saved -------------------------------------------------------------


def rows(queryset):
    return [
        {
            key: bytes(value) if isinstance(value, memoryview) else value
            for key, value in row.items()
        }
        for row in queryset.order_by("pk").values()
    ]


def snapshot(meeting):
    """Everything saved about ``meeting`` that a refused request must leave as it was:
    its canonical content (what a version would freeze), its own row (so also its
    revision), every row of its remarks, comments and workflow, and how many
    people, committees and meetings exist."""
    pk = meeting.pk if isinstance(meeting, Model) else meeting
    loaded = Meeting.objects.with_minutes().get(pk=pk)
    return {
        "content": canonical_json(minutes_content(loaded)).decode(),
        "meeting": rows(Meeting.objects.filter(pk=pk)),
        "blocks": rows(SpeakerBlock.objects.filter(meeting_id=pk)),
        "statements": rows(Statement.objects.filter(block__meeting_id=pk)),
        "resolutions": rows(Resolution.objects.filter(meeting_id=pk)),
        "comments": rows(ReviewComment.objects.filter(meeting_id=pk)),
        "versions": rows(MinutesVersion.objects.filter(meeting_id=pk).defer("content")),
        "signatures": rows(Signature.objects.filter(version__meeting_id=pk).defer("image")),
        "documents": SignedDocument.objects.filter(version__meeting_id=pk).count(),
        "files": SealedFile.objects.filter(document__version__meeting_id=pk).count(),
        "status_changes": rows(StatusChange.objects.filter(meeting_id=pk)),
        "saved_signatures": SavedSignature.objects.count(),
        "counts": [
            model.objects.count() for model in (Meeting, Committee, Member, Person, Statement)
        ],
    }


# --- requests -----------------------------------------------------------------------


def post_json(client, url, body):
    """POST ``body`` as the script would: a dict is encoded, bytes or str go as they are."""
    if isinstance(body, dict | list):
        body = json.dumps(body)
    return client.post(url, data=body, content_type="application/json")


def command_refused(name, *args, **options):
    """Run the command, which must stop with one clean line (a CommandError)."""
    options.setdefault("stdout", _Sink())
    options.setdefault("stderr", _Sink())
    try:
        call_command(name, *args, **options)
    except CommandError as error:
        message = str(error)
        assert message.strip() and "\n" not in message.strip(), message
        assert "Traceback" not in message
        return error
    except Exception:  # any other exception is what this suite reports
        pytest.fail(f"not a CommandError: {cause(sys.exc_info())}", pytrace=False)
    pytest.fail(f"{name} {' '.join(map(repr, args))}: accepted", pytrace=False)


class TooSlow(BaseException):
    """Raised into a request that takes too long (a BaseException, so that no
    view's ``except Exception`` turns it into an answer)."""


@contextlib.contextmanager
def quickly(seconds):
    """Fail when the block takes longer than ``seconds``, without waiting for it
    to finish: a refusal that takes a minute is itself a way to stop the site."""

    def expire(signum, frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TooSlow:
        pytest.fail(f"not answered within {seconds} s", pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass


def roster_snapshot(committee):
    """A committee's own row, secretaries, seats and roles, and how many people
    and meetings exist: what a refused roster or new-meeting request leaves alone."""
    from committees.models import MemberRole

    return {
        "committee": rows(Committee.objects.filter(pk=committee.pk)),
        "secretaries": sorted(committee.secretaries.values_list("pk", flat=True)),
        "members": rows(Member.objects.filter(committee=committee)),
        "roles": rows(MemberRole.objects.filter(member__committee=committee)),
        "people": rows(Person.objects.all()),
        "meetings": rows(Meeting.objects.filter(committee=committee)),
    }
