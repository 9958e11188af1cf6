"""Download tickets: the PDF a reader was just offered, without the database.

A signed file never changes (SealedFile is insert-only, named by its SHA-256),
and a rendering of a draft is kept by its content's SHA-256 (downloads.py):
both can be served the way static files are, without the session, the user
and the meeting being read from the database. What stands in for those
checks is the ticket in the address, which the minutes page writes into each
download link for the reader it shows it to:

- signed with the site's key (django.core.signing, a salt of its own), so
  nobody can make or alter one;
- bound to the reader's session: it serves only with the session cookie it
  was written for, while that session lives (the "sessions" cache: a logout
  deletes it at once, in every worker). The one exception is the published
  public file on the public minutes page, which is anybody's;
- bound to who may read what: the workflow and permissions generations
  (meetings.renderings.WORKFLOW, minutes_site.permissions) read before the
  page checked the reader's access must still be current, and any change of
  a committee's members or secretaries, a signature block, a user or a
  permission renews them;
- for a rendering, bound to the text: the drafts generation
  (renderings.DRAFTS), which any edit of any meeting renews, must still be
  the one read before the page read the meeting;
- good for TICKET_HOURS at most.

A ticket that fails any of these is not refused: its address answers with a
redirect to the download's own address (meetings:signed_file, meetings:pdf),
where every check is made from the database again. So a link on a page left
open, a copied link or a ticket written before a change all end where they
should: the current file for a reader who may have it, the login page or 404
for anyone else. The same happens when the bytes are not at hand (no copy on
disk yet, a rendering not made yet or culled): the own address makes them.
"""

import hashlib
import time
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from minutes_site.permissions import PERMISSIONS

from .downloads import MinutesFile, cached_rendering, copy_path
from .renderings import DRAFTS, WORKFLOW

SALT = "meetings.tickets"
TICKET_HOURS = 1
# Where tickets are: meetings:ticket (views.ticket answers those that do not hold).
PREFIX = "/meetings/files/"


@dataclass(frozen=True)
class Stamp:
    """The generations a page read before it checked access and read the meeting."""

    access: str
    drafts: str

    @classmethod
    def now(cls):
        return cls(f"{WORKFLOW.current()}:{PERMISSIONS.current()}", DRAFTS.current())


def session_tag(session_key):
    return hashlib.sha256(f"{SALT}:{session_key}".encode()).hexdigest()[:32]


def _ticket_url(request, stamp, **payload):
    payload |= {
        "s": session_tag(request.session.session_key or ""),
        "a": stamp.access,
        "t": int(time.time()),
    }
    return reverse("meetings:ticket", args=[signing.dumps(payload, salt=SALT, compress=True)])


def sealed_ticket_url(request, stamp, document, stored):
    """The download address of ``stored`` (a SealedFile of ``document``)."""
    return _ticket_url(
        request,
        stamp,
        u=reverse("meetings:signed_file", args=[document.verification_code, stored.kind]),
        f=stored.sha256,
        n=stored.filename(document.version),
        p=stored.public,
    )


def rendering_ticket_url(request, stamp, meeting, key, *, public, variant):
    """The download address of the rendering kept under ``key`` (downloads.py)."""
    query = urlencode({"version": "public" if public else "internal", "variant": variant})
    return _ticket_url(
        request,
        stamp,
        u=f"{reverse('meetings:pdf', args=[meeting.pk])}?{query}",
        r=key,
        d=stamp.drafts,
        p=public,
    )


def public_ticket_url(stamp, version, stored, url, *, max_age):
    """The address of the published public file ``stored`` for anybody (no
    session): it holds while the workflow generation stands (a publication
    or an amendment renews it). ``url`` is the file's public address, and
    ``max_age`` how long a browser or a proxy may keep it."""
    payload = {
        "u": url,
        "f": stored.sha256,
        "n": stored.filename(version),
        "p": True,
        "m": max_age,
        "a": stamp.access,
        "t": int(time.time()),
    }
    return reverse("meetings:ticket", args=[signing.dumps(payload, salt=SALT, compress=True)])


def read_ticket(ticket):
    """The ticket's payload, or None when it is not one of ours (altered, made up)."""
    try:
        return signing.loads(ticket, salt=SALT)
    except signing.BadSignature:
        return None


def session_lives(session_key):
    """Whether the session is in the sessions cache (cached_db: a logout
    deletes it there). With a session engine without a cache: never sure."""
    engine = import_module(settings.SESSION_ENGINE)
    key = getattr(engine.SessionStore(session_key), "cache_key", None)
    return key is not None and caches[settings.SESSION_CACHE_ALIAS].get(key) is not None


def ticket_in(path):
    if not (path.startswith(PREFIX) and path.endswith(".pdf")):
        return None
    ticket = path[len(PREFIX) : -len(".pdf")]
    return ticket if ticket and "/" not in ticket else None


def holds(payload, request):
    if time.time() - payload["t"] > TICKET_HOURS * 3600 or payload["a"] != Stamp.now().access:
        return False
    if "d" in payload and payload["d"] != DRAFTS.current():
        return False
    if "s" not in payload:
        return True  # the published public file: anybody's
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return bool(
        session_key and payload["s"] == session_tag(session_key) and session_lives(session_key)
    )


def file_of(payload):
    """The bytes the ticket names, if at hand: the copy on disk of a signed
    file, or the kept rendering."""
    if "f" in payload:
        try:
            data = copy_path(payload["f"]).read_bytes()
        except OSError:
            return None
        return MinutesFile(payload["n"], payload["f"], payload["p"], pdf=data, sealed=True)
    return cached_rendering(payload["r"], public=payload["p"])


def served_by_ticket(request):
    """The file's response when the ticket holds for this request, else None."""
    ticket = ticket_in(request.path_info)
    if ticket is None or request.method not in ("GET", "HEAD"):
        return None
    payload = read_ticket(ticket)
    if payload is None or not holds(payload, request):
        return None
    found = file_of(payload)
    if found is None:
        return None
    response = found.response(request)
    response["X-Frame-Options"] = "DENY"
    if "m" in payload:
        patch_cache_control(response, public=True, max_age=payload["m"])
    else:
        patch_vary_headers(response, ["Cookie"])
    return response


class TicketMiddleware:
    """Serves a download ticket that holds before anything reads the database;
    any other request, and a ticket that does not hold, goes on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return served_by_ticket(request) or self.get_response(request)
