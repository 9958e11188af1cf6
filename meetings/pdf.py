"""The official minutes PDF: one pure function from a meeting to bytes.

Everything about the PDF lives here: the variants, the HTML it is drawn from
(the same partials as the minutes page, with a print stylesheet), WeasyPrint's
options, and the URL fetcher that keeps WeasyPrint away from anything but our
own static files and data: URLs. Views and commands call render_minutes_pdf()
and never build PDFs themselves.
"""

import base64
import datetime
import gc
import mimetypes
import re
from contextlib import contextmanager
from functools import cache
from pathlib import PurePosixPath

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .minutes import MinutesDocument

# Relative URLs in the PDF's HTML resolve against this made-up origin; the
# fetcher serves /static/... below it from our static files and nothing else.
BASE_URL = "https://minutes.invalid/"
DOCUMENT_LANGUAGE = "ko"


class Variant(models.TextChoices):
    PDFA_3B = "pdf/a-3b", _("PDF/A-3b, with the minutes' data embedded (archive)")
    PDFA_1B = "pdf/a-1b", _("PDF/A-1b (national archive preservation format)")
    PLAIN = "plain", _("plain PDF")


class Mark(models.TextChoices):
    """What a rendering that is not the signed record says on every page."""

    DRAFT = "draft", _("Draft")
    UNSIGNED = "unsigned", _("Not signed")


class RefusedURL(ValueError):
    """WeasyPrint asked for something outside our static files."""


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves data: URLs and our own static files; refuses everything else.

    WeasyPrint's default fetcher reads file:// and http(s):// URLs, so a user's
    text that ever reached an href or src (file:///etc/passwd as an image or an
    attachment) would be read into the PDF. Refusals are not fatal: WeasyPrint
    logs them and leaves the resource out.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)
        self.static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(self.static_prefix):
            path = url[len(self.static_prefix) :].split("?")[0].split("#")[0]
            found = self.find_static(path)
            if found:
                with open(found, "rb") as static_file:
                    body = static_file.read()
                mime, _encoding = mimetypes.guess_type(found)
                return URLFetcherResponse(
                    url, body, headers={"Content-Type": mime or "application/octet-stream"}
                )
        raise RefusedURL(f"The minutes PDF may only load our static files, not {url!r}")

    @staticmethod
    def find_static(path):
        if not path or ".." in PurePosixPath(path).parts:
            return None
        try:
            return finders.find(path)
        except SuspiciousFileOperation:
            return None


FETCHER = StaticFilesOnlyFetcher()


PRINT_STYLESHEET = "css/minutes-print.css"


@cache
def print_resources():
    """Fonts and the parsed print stylesheet, made once per process.

    Parsing the stylesheet and setting up fonts again for every render is
    pure overhead: both are the same for every minutes PDF.
    """
    fonts = FontConfiguration()
    stylesheet = CSS(
        url=f"{FETCHER.static_prefix}{PRINT_STYLESHEET}", url_fetcher=FETCHER, font_config=fonts
    )
    return fonts, stylesheet


@contextmanager
def collector_paused():
    # A render allocates many small objects that live until it ends; the
    # cyclic collector running over them mid-render costs time for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# WeasyPrint has no `word-break: keep-all`, and its line breaker would split
# Korean words between any two syllables. A WORD JOINER (U+2060, invisible,
# left out of the PDF's text layer) between a syllable and its neighbours
# keeps each word whole; lines then break at spaces, as Korean print does.
# Joiners go into text only: attribute values (bookmark labels, alt texts,
# data: URLs) stay as they are.
_INSIDE_WORD = re.compile(r"(?<=[\uac00-\ud7a3])(?=\S)|(?<=\S)(?=[\uac00-\ud7a3])")
WORD_JOINER = "\u2060"

# A tag (its quoted attribute values may hold ">"), or a comment.
_TAG = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.DOTALL)


# Ids are the web page's anchors; in a PDF each one becomes a named
# destination, which costs layout time and serves no reader of the print.
_ID_ATTRIBUTE = re.compile(r'\sid="[^"]*"')


def whole_words(text):
    """``text`` (no markup) with a word joiner inside every Korean word."""
    return _INSIDE_WORD.sub(WORD_JOINER, text)


def print_ready(html):
    """The page's HTML as the printer wants it: whole words, no anchors."""
    head, separator, body = html.partition("<body")
    parts = _TAG.split(_ID_ATTRIBUTE.sub("", body))
    # split() with a group alternates text and tags: text at even indexes.
    parts[::2] = [whole_words(text) for text in parts[::2]]
    return head + separator + "".join(parts)


def document_time(created):
    """When the document was made, as its metadata says it: local, whole seconds.

    PDF dates (/CreationDate) have no fractions of a second; XMP dates would
    keep them. Both say the same instant only if there is none to keep.
    """
    return timezone.localtime(created or timezone.now()).replace(microsecond=0)


def minutes_html(content, *, public, created=None, seal=None, mark=None):
    """The HTML the PDF is drawn from, in the document's language (Korean).

    ``mark`` (a Mark) prints what the rendering is on every page: a light
    diagonal word across the page and the same word in the page header.
    """
    mark = Mark(mark) if mark else None
    with translation.override(DOCUMENT_LANGUAGE):
        document = MinutesDocument(content, public=public, seal=seal)
        html = render_to_string(
            "meetings/pdf/minutes.html",
            {
                "document": document,
                "public": public,
                "created": document_time(created),
                "mark": str(mark.label) if mark else "",
            },
        )
    return document, print_ready(html)


def html_to_pdf(html, *, variant=Variant.PDFA_3B, attachment=None):
    """WeasyPrint with our fetcher and the options of ``variant``."""
    options = {}
    if variant != Variant.PLAIN:
        options["pdf_variant"] = str(variant)
    if attachment is not None and variant == Variant.PDFA_3B:
        # PDF/A-1 forbids embedded files; PDF/A-3 allows them as associated files.
        options["attachments"] = [attachment]
    fonts, stylesheet = print_resources()
    with collector_paused():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER).write_pdf(
            stylesheets=[stylesheet], font_config=fonts, **options
        )


def data_attachment(document, stamp):
    """What the PDF shows, as canonical JSON, so the archive file describes itself."""
    # WeasyPrint writes an attachment's times as given with a Z (UTC) after
    # them: hand it UTC, or the embedded file would be nine hours off.
    stamp = stamp.astimezone(datetime.UTC)
    return Attachment(
        string=document.canonical_json(),
        name="minutes.json",
        description="Canonical content of these minutes (JSON)",
        created=stamp,
        modified=stamp,
        relationship="Data",
    )


def render_minutes_pdf(
    content, *, public=False, variant=Variant.PDFA_3B, created=None, seal=None, mark=None
):
    """Minutes content (minutes_content() or a frozen version's) as PDF bytes.

    A pure function of its arguments: the database is not read, and the same
    arguments give the same bytes. ``created`` (default: now, in whole
    seconds) is the document's creation and modification date in its
    metadata; a frozen version passes its own time so that its PDF can be
    made again identically. ``seal`` (see seal_data()) adds the signatures and
    the signature record; ``mark`` (a Mark) says on every page, in the title
    and in the keywords that this is not the signed record.
    """
    created = document_time(created)
    document, html = minutes_html(content, public=public, created=created, seal=seal, mark=mark)
    return html_to_pdf(
        html, variant=Variant(variant), attachment=data_attachment(document, created)
    )


def pdf_filename(meeting, *, public, variant, mark=None):
    """data-policy-2026-1-public.pdf; a marked rendering says so: ...-draft.pdf"""
    suffix = "-public" if public else ""
    if variant == Variant.PDFA_1B:
        suffix += "-pdfa1b"
    if mark:
        suffix += f"-{Mark(mark).value}"
    return f"{meeting.slug}{suffix}.pdf"


def seal_data(version, signatures, *, code, url):
    """What the signed PDF adds to the minutes: each signature, and how to verify."""

    def local(moment):
        return timezone.localtime(moment).strftime("%Y. %-m. %-d. %H:%M:%S")

    with translation.override(DOCUMENT_LANGUAGE):
        return {
            "signatures": [
                {
                    "name": signature.signer_name,
                    "role": signature.signer_role,
                    "signed_at": local(signature.signed_at),
                    "method": signature.get_method_display(),
                    "ip_address": signature.ip_address or "",
                    "image": "data:image/png;base64,"
                    + base64.b64encode(bytes(signature.image)).decode(),
                }
                for signature in signatures
            ],
            "version": version.number,
            "confirmed": local(version.frozen_at),
            "content_sha256": version.content_sha256,
            "code": code,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(),
        }
