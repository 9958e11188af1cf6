"""Which bytes a reader gets for "the minutes as PDF" of a meeting, now.

One rule for the minutes page, the shell and any later page: a signed (or
published) version is only ever the file stored when it was sealed; anything
else is rendered and marked on every page, 초안 while the text can change,
서명 전 once it is frozen but not yet signed.

Nothing is rendered twice. A stored file is read by itself (not the meeting's
minutes); a rendering is a pure function of the content, its variant, version
and mark, so it is kept in the "pdfs" cache under the content's SHA-256 and
served from there while the text stays as it was (meetings/renderings.py).
Every answer carries the file's SHA-256 as ETag, and a browser that has it
gets 304.

A stored file, once read from the database, also leaves a copy on disk
(settings.CACHE_DIR/files/<sha256>.pdf, checked against its SHA-256): what
download tickets serve without the database (tickets.py).
"""

import contextlib
import datetime
import hashlib
import logging
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Subquery
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .models import Meeting, MinutesVersion, SealedFile, Signature, SignedDocument
from .pdf import Mark, pdf_filename, render_minutes_pdf
from .renderings import draft_content, known_content_sha256, pdf_cache

logger = logging.getLogger(__name__)


class NotStored(LookupError):
    """The signed record holds no file of the kind asked for; the message says which it has."""


def copy_path(sha256):
    return settings.CACHE_DIR / "files" / f"{sha256}.pdf"


def keep_copy(sha256, data):
    """Write the copy of a stored file on disk (once; checked against its
    SHA-256). A copy that cannot be written is only a slower next download."""
    path = copy_path(sha256)
    if path.exists() or hashlib.sha256(data).hexdigest() != sha256:
        return
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)  # readers see the whole file or none
    except OSError as error:
        logger.warning("No copy of signed file %s kept on disk: %s", sha256, error)
        with contextlib.suppress(OSError):
            partial.unlink()


@dataclass
class MinutesFile:
    filename: str
    sha256: str
    public: bool = False
    stored: SealedFile | None = None
    pdf: bytes | None = None
    sealed: bool = False  # a signed file: it never changes

    @classmethod
    def of(cls, stored, version=None):
        """A stored signed file; its bytes are read when first asked for (not for a 304)."""
        pdf = None if "pdf" in stored.get_deferred_fields() else bytes(stored.pdf)
        return cls(stored.filename(version), stored.sha256, stored.public, stored, pdf, True)

    @classmethod
    def rendered(cls, pdf, filename, *, public):
        return cls(filename, hashlib.sha256(pdf).hexdigest(), public, pdf=pdf)

    @property
    def data(self):
        if self.pdf is None:
            self.pdf = bytes(
                SealedFile.objects.values_list("pdf", flat=True).get(pk=self.stored.pk)
            )
        return self.pdf

    def response(self, request):
        """The download, with its SHA-256 as ETag: a browser that has it gets 304."""
        etag = f'"{self.sha256}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = HttpResponse(self.data, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(True, self.filename)
            if self.stored is not None:
                keep_copy(self.sha256, self.data)  # what download tickets serve
        response["ETag"] = etag
        response["X-Content-Type-Options"] = "nosniff"
        if self.public and self.sealed:
            # The stored public file: redacted and never changes; a browser may keep it.
            patch_cache_control(response, private=True)
        elif self.public:
            # A public rendering may change with the text: always ask again (cheap with the ETag).
            patch_cache_control(response, private=True, no_cache=True)
        else:
            # Real names: never kept on a shared PC; a client that asks still gets 304.
            patch_cache_control(response, private=True, no_store=True)
        return response


def signed_document_of(meeting):
    """The current version's seal (code, files without their bytes) once it is signed."""
    if meeting.status not in (Meeting.Status.SIGNED, Meeting.Status.PUBLISHED):
        return None
    return (
        SignedDocument.objects.filter(version=meeting.current_version())
        .select_related("version")
        .prefetch_related(
            Prefetch("files", queryset=SealedFile.objects.defer("pdf")),
            Prefetch("version__signatures", queryset=Signature.objects.order_by("signed_at", "pk")),
        )
        .first()
    )


def stored_kind(public, variant):
    return next(
        (k for k, rendering in SealedFile.RENDERINGS.items() if rendering == (public, variant)),
        None,
    )


def stored_file(meeting, *, public, variant, with_bytes=True):
    """The stored signed file of this kind when the current version is sealed, else None.

    One query (the newest version's file of this kind, with the version),
    whatever the minutes hold; the bytes are left in the database when
    ``with_bytes`` is false (a revalidation). Raises NotStored for a kind a
    sealed version does not keep.
    """
    if meeting.status not in (Meeting.Status.SIGNED, Meeting.Status.PUBLISHED):
        return None
    kind = stored_kind(public, variant)
    newest = (
        MinutesVersion.objects.filter(meeting_id=meeting.pk).order_by("-number").values("number")
    )
    files = SealedFile.objects.filter(
        document__version__meeting_id=meeting.pk,
        document__version__number=Subquery(newest[:1]),
        kind=kind,
    ).select_related("document__version")
    stored = (files if with_bytes else files.defer("pdf")).first() if kind else None
    if stored is not None:
        version = stored.document.version
        version.meeting = meeting  # the file's name reads the meeting's committee
        return MinutesFile.of(stored, version)
    if SignedDocument.objects.filter(version=meeting.current_version()).exists():
        raise NotStored(
            _(
                "The signed minutes are kept as internal PDF/A-3b, internal PDF/A-1b and "
                "public PDF/A-3b files; this kind is not one of them."
            )
        )
    return None  # signed, but the sealing task has not stored the files yet


def rendering_key(sha256, *, public, variant, mark, created):
    return f"pdf:{sha256}:{variant}:{'public' if public else 'internal'}:{mark}:{created}"


def shown_rendering_key(meeting, sha256, *, public, variant, version=None):
    """The "pdfs" cache key of the rendering of what ``meeting`` shows now,
    whose content hash is ``sha256``: a draft's by its content, a frozen
    version's also by its time (one query, unless ``version`` is given)."""
    if meeting.is_editable:
        mark, stamp = Mark.DRAFT, "content"
    else:
        version = version or meeting.current_version()
        mark, stamp = Mark.UNSIGNED, version.frozen_at.isoformat()
    return rendering_key(sha256, public=public, variant=variant, mark=mark, created=stamp)


def cached_rendering(key, *, public):
    """The rendering kept under ``key``, or None."""
    entry = pdf_cache().get(key)
    if entry is None:
        return None
    return MinutesFile(entry["filename"], entry["sha256"], public, pdf=entry["pdf"])


def draft_time(content):
    """A draft is dated by what it records, the meeting's end, not by when it was
    printed: the same text gives the same file, whenever it is asked for."""
    return datetime.datetime.fromisoformat(content["meeting"]["ends_at"])


def cached_file(meeting, *, public, variant):
    """The rendering of what ``meeting`` shows now, if made before; else None.

    One query for a frozen version (its hash and time), none for a draft
    whose revision's hash is known; then one cache read.
    """
    version = None if meeting.is_editable else meeting.current_version()
    sha256 = version.content_sha256 if version else known_content_sha256(meeting)
    if sha256 is None:
        return None
    key = shown_rendering_key(meeting, sha256, public=public, variant=variant, version=version)
    return cached_rendering(key, public=public)


def render_file(meeting, *, public, variant):
    """Render what ``meeting`` shows now, marked, and keep it for the next reader."""
    if meeting.is_editable:
        meeting, content, sha256 = draft_content(meeting)
        mark, created, stamp = Mark.DRAFT, draft_time(content), "content"
    else:
        version = meeting.current_version()
        content, sha256 = version.content_data(), version.content_sha256
        mark, created = Mark.UNSIGNED, version.frozen_at
        stamp = created.isoformat()
    pdf = render_minutes_pdf(content, public=public, variant=variant, created=created, mark=mark)
    found = MinutesFile.rendered(
        pdf, pdf_filename(meeting, public=public, variant=variant, mark=mark), public=public
    )
    pdf_cache().set(
        rendering_key(sha256, public=public, variant=variant, mark=mark, created=stamp),
        {"pdf": pdf, "sha256": found.sha256, "filename": found.filename},
    )
    return found


def minutes_file(meeting, *, public, variant, with_bytes=True):
    """The minutes of ``meeting`` as the PDF a reader gets now.

    ``meeting`` needs only its committee loaded: the stored file, a cached
    rendering or (last) a new rendering, which loads the minutes itself
    unless ``meeting`` was loaded with_minutes().
    """
    return (
        stored_file(meeting, public=public, variant=variant, with_bytes=with_bytes)
        or cached_file(meeting, public=public, variant=variant)
        or render_file(meeting, public=public, variant=variant)
    )
