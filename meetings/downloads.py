"""Which bytes a reader gets for "the minutes as PDF" of a meeting, now.

One rule for the minutes page, the shell and any later page: a signed (or
published) version is only ever the file stored when it was sealed; anything
else is rendered now and marked on every page, 초안 while the text can change,
서명 전 once it is frozen but not yet signed.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .minutes import minutes_content
from .models import Meeting, SealedFile, Signature, SignedDocument
from .pdf import Mark, pdf_filename, render_minutes_pdf


class NotStored(LookupError):
    """The signed record holds no file of the kind asked for; the message says which it has."""


@dataclass
class MinutesFile:
    data: bytes
    filename: str
    stored: SealedFile | None = None
    public: bool = False

    @classmethod
    def of(cls, stored, version=None):
        """A stored signed file (loaded with its bytes)."""
        return cls(bytes(stored.pdf), stored.filename(version), stored, stored.public)

    @property
    def sha256(self):
        return self.stored.sha256 if self.stored else hashlib.sha256(self.data).hexdigest()

    def response(self, request):
        """The download, with its SHA-256 as ETag: a browser that has it gets 304."""
        etag = f'"{self.sha256}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = HttpResponse(self.data, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(True, self.filename)
        response["ETag"] = etag
        response["X-Content-Type-Options"] = "nosniff"
        if self.public and self.stored is not None:
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


def minutes_file(meeting, *, public, variant):
    """The minutes of ``meeting`` (loaded with_minutes()) as the PDF a reader gets now."""
    seal = signed_document_of(meeting)
    if seal is not None:
        kind = stored_kind(public, variant)
        stored = seal.files.filter(kind=kind).first() if kind else None
        if stored is None:
            raise NotStored(
                _(
                    "The signed minutes are kept as internal PDF/A-3b, internal PDF/A-1b and "
                    "public PDF/A-3b files; this kind is not one of them."
                )
            )
        return MinutesFile.of(stored, seal.version)
    if meeting.is_editable:
        content, mark, created = minutes_content(meeting), Mark.DRAFT, meeting.updated_at
    else:
        version = meeting.current_version()
        content, mark, created = version.content_data(), Mark.UNSIGNED, version.frozen_at
    pdf = render_minutes_pdf(content, public=public, variant=variant, created=created, mark=mark)
    return MinutesFile(
        pdf, pdf_filename(meeting, public=public, variant=variant, mark=mark), public=public
    )
