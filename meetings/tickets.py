"""Download tickets: a sealed file, straight from disk, to whoever was just shown its link.

A signed file never changes (SealedFile is insert-only, named by its SHA-256),
so it can be served the way static files are: from a file on disk, without
the session, the user and the meeting being read from the database. What
stands in for those checks is the ticket in the address, which the minutes
page writes into each download link for the reader it shows it to:

- signed with the site's key (django.core.signing, a salt of its own), so
  nobody can make or alter one;
- bound to the reader's session: it serves only with the session cookie it
  was written for, while that session lives (the "sessions" cache: a logout
  deletes it at once, in every worker);
- bound to who may read what: the workflow and permissions generations
  (meetings.renderings.WORKFLOW, minutes_site.permissions) it was written
  under must still be current, and any change of a committee's members or
  secretaries, a signature block, a user or a permission renews them;
- good for TICKET_HOURS at most.

A ticket that fails any of these is not refused: its address answers with a
redirect to the file's own address (meetings:signed_file), where every check
is made from the database again. So a link on a page left open, a copied
link or a ticket written before an access change all end where they should:
the file for a reader who may have it, the login page or 404 for anyone else.

The files on disk (settings.CACHE_DIR/files/<sha256>.pdf) are copies of the
stored bytes, written when the file is first served from the database and
checked against its SHA-256 then; a missing copy is another redirect.
"""

import hashlib
import os
import time
from importlib import import_module

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import FileResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from minutes_site.permissions import PERMISSIONS

from .renderings import WORKFLOW

SALT = "meetings.tickets"
TICKET_HOURS = 1
# Where tickets are: meetings:ticket (views.ticket answers those that do not hold).
PREFIX = "/meetings/files/"


def files_dir():
    return settings.CACHE_DIR / "files"


def copy_path(sha256):
    return files_dir() / f"{sha256}.pdf"


def keep_copy(sha256, data):
    """Write the copy of a stored file (once; checked against its SHA-256)."""
    path = copy_path(sha256)
    if path.exists() or hashlib.sha256(data).hexdigest() != sha256:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)  # readers see the whole file or none


def session_tag(session_key):
    return hashlib.sha256(f"{SALT}:{session_key}".encode()).hexdigest()[:32]


def access_stamp():
    return f"{WORKFLOW.current()}:{PERMISSIONS.current()}"


def ticket_url(request, document, stored):
    """The download address of ``stored`` (a SealedFile of ``document``) for
    this request's reader."""
    payload = {
        "c": document.verification_code,
        "k": stored.kind,
        "h": stored.sha256,
        "n": stored.filename(document.version),
        "p": stored.public,
        "s": session_tag(request.session.session_key or ""),
        "a": access_stamp(),
        "t": int(time.time()),
    }
    return reverse("meetings:ticket", args=[signing.dumps(payload, salt=SALT, compress=True)])


def read_ticket(ticket):
    """The ticket's payload, or None when it is not one of ours (altered, made up)."""
    try:
        return signing.loads(ticket, salt=SALT)
    except signing.BadSignature:
        return None


def canonical_url(payload):
    return reverse("meetings:signed_file", args=[payload["c"], payload["k"]])


def session_lives(session_key):
    """Whether the session is in the sessions cache (cached_db: a logout
    deletes it there). With a session engine without a cache: never sure."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore(session_key)
    key = getattr(store, "cache_key", None)
    return key is not None and caches[settings.SESSION_CACHE_ALIAS].get(key) is not None


def ticket_in(path):
    if not (path.startswith(PREFIX) and path.endswith(".pdf")):
        return None
    ticket = path[len(PREFIX) : -len(".pdf")]
    return ticket if ticket and "/" not in ticket else None


def served_by_ticket(request):
    """The file's response when the ticket holds for this request, else None."""
    ticket = ticket_in(request.path_info)
    if ticket is None or request.method not in ("GET", "HEAD"):
        return None
    payload = read_ticket(ticket)
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if (
        payload is None
        or time.time() - payload["t"] > TICKET_HOURS * 3600
        or not session_key
        or payload["s"] != session_tag(session_key)
        or payload["a"] != access_stamp()
        or not session_lives(session_key)
    ):
        return None
    try:
        handle = open(copy_path(payload["h"]), "rb")  # noqa: SIM115  (FileResponse closes it)
    except OSError:
        return None
    return file_response(request, handle, payload)


def file_response(request, handle, payload):
    etag = f'"{payload["h"]}"'
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        handle.close()
    else:
        response = FileResponse(
            handle, content_type="application/pdf", as_attachment=True, filename=payload["n"]
        )
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    if payload["p"]:
        patch_cache_control(response, private=True)  # redacted, and never changes
    else:
        patch_cache_control(response, private=True, no_store=True)  # real names
    patch_vary_headers(response, ["Cookie"])
    return response


class TicketMiddleware:
    """Serves a download ticket that holds before anything reads the database;
    any other request, and a ticket that does not hold, goes on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return served_by_ticket(request) or self.get_response(request)
