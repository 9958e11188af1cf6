"""The public verification page: is this PDF an authentic signed version?

Anybody, logged in or not, can look a signed version up by the code printed
under the QR code on the PDF, by a SHA-256 hash (of the PDF or of the
version's content) or by uploading the PDF itself. The result (title,
version, signers, times, hashes) is public; the stored PDF is the internal
version with the members' real names, so only those who may read the
meeting can download it.
"""

import hashlib
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from committees.models import Person
from minutes_site.errors import NotFound
from minutes_site.inputs import declared_length

from .downloads import MinutesFile
from .models import Meeting, MinutesVersion, SealedFile, Signature, SignedDocument
from .public import minutes_pdf_url as public_pdf_url
from .sealing import check_seal
from .tickets import Stamp, sealed_ticket_url

MAX_PDF_BYTES = 20 * 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # the form's other fields and the multipart headers
PDF_MAGIC = b"%PDF-"
CODE_GROUP = 4
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
CODE_CHARACTERS = re.compile(r"[0-9A-Z]*")


def normalise_code(value):
    """``ab12 cd34ef56`` -> ``AB12-CD34-EF56``: the form codes are stored in."""
    compact = re.sub(r"[\s-]+", "", str(value or "")).upper()
    return "-".join(compact[i : i + CODE_GROUP] for i in range(0, len(compact), CODE_GROUP))


def valid_code(value):
    """The code in its stored form, or "" when ``value`` cannot be one (so it is
    never sent to the database: a NUL, say, would not even fit a query)."""
    code = normalise_code(value)
    return code if CODE_CHARACTERS.fullmatch(code.replace("-", "")) else ""


def normalise_sha256(value):
    """A hash as typed or pasted (spaces, line breaks, capitals) -> 64 lowercase hex."""
    return re.sub(r"\s+", "", str(value or "")).lower()


def sha256_of_upload(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Found:
    """What a search found: the signed version's record and, when a file's
    hash was given, which of its stored files that is."""

    document: SignedDocument
    file: SealedFile | None = None


def find_signed_document(code=None, sha256=None, *, pdf_only=False):
    """The signed version with this verification code or hash, as Found, or None.

    A hash matches any stored file's SHA-256 or, unless ``pdf_only`` (an
    uploaded file is a PDF, never the content), the version's content
    SHA-256. The document comes with its version, meeting, committee,
    confirmer, signatures and its files (without their bytes).
    """
    matched_file = None
    if code:
        code = valid_code(code)
        if not code:
            return None
        condition = Q(verification_code=code)
    elif sha256:
        sha256 = normalise_sha256(sha256)
        matched_file = SealedFile.objects.filter(sha256=sha256).defer("pdf").first()
        if matched_file is not None:
            condition = Q(pk=matched_file.document_id)
        elif pdf_only:
            return None
        else:
            condition = Q(version__content_sha256=sha256)
    else:
        return None
    document = (
        SignedDocument.objects.filter(condition)
        .select_related(
            "version__meeting__committee",
            "version__frozen_by",
            # The confirmer's name, not their login: the reverse one-to-one
            # joins into the same query.
            "version__frozen_by__person",
        )
        .prefetch_related(
            Prefetch(
                "version__signatures",
                queryset=Signature.objects.order_by("signed_at", "pk"),
            ),
            Prefetch("files", queryset=SealedFile.objects.defer("pdf")),
        )
        .order_by("pk")
        .first()
    )
    if document is None:
        return None
    return Found(document, matched_file)


def may_download(user, document):
    """Whether ``user`` may read the meeting, hence download its signed files.

    No query for anonymous visitors (for_user() is then empty).
    """
    meetings = Meeting.objects.for_user(user)
    return meetings.filter(pk=document.version.meeting_id).exists()


class VerifyForm(forms.Form):
    """One of three ways to name a signed version: a code, a hash or the PDF."""

    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=40,
        help_text=_("Printed under the QR code on the signed PDF, e.g. AB12-CD34-EF56."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    sha256 = forms.CharField(
        label=_("SHA-256 hash"),
        required=False,
        max_length=200,
        help_text=_("64 characters (0-9, a-f): the hash of the PDF or of the signed content."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    pdf = forms.FileField(
        label=_("PDF file"),
        required=False,
        help_text=_("The signed PDF itself, at most 20 MB. It is only hashed, never stored."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    WAYS = ("code", "sha256", "pdf")

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not CODE_CHARACTERS.fullmatch(code.replace("-", "")):
            raise ValidationError(
                _("Enter the code as printed on the PDF, e.g. AB12-CD34-EF56."), code="invalid"
            )
        return code

    def clean_sha256(self):
        sha256 = normalise_sha256(self.cleaned_data["sha256"])
        if sha256 and not SHA256_PATTERN.fullmatch(sha256):
            raise ValidationError(
                _("A SHA-256 hash is 64 characters, each 0-9 or a-f."), code="invalid"
            )
        return sha256

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if not upload:
            return None
        if upload.size > MAX_PDF_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
        upload.seek(0)
        if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise ValidationError(_("This is not a PDF file."), code="not_pdf")
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned  # the field's own message says what is wrong
        given = [way for way in self.WAYS if cleaned.get(way)]
        if not given:
            raise ValidationError(
                _("Enter a code, a SHA-256 hash, or choose a PDF file."), code="empty"
            )
        if len(given) > 1:
            raise ValidationError(
                _("Use one way at a time: a code, a SHA-256 hash, or a PDF file."),
                code="several",
            )
        return cleaned

    @property
    def way(self):
        """Which of the three ways was used: "code", "sha256" or "pdf" (once valid)."""
        return next(way for way in self.WAYS if self.cleaned_data.get(way))

    def lookup_arguments(self):
        """Keyword arguments for find_signed_document()."""
        way = self.way
        if way == "code":
            return {"code": self.cleaned_data["code"]}
        if way == "sha256":
            return {"sha256": self.cleaned_data["sha256"]}
        return {"sha256": sha256_of_upload(self.cleaned_data["pdf"]), "pdf_only": True}


def known_seal_certificates():
    """The seal certificates this site has sealed files with (SHA-256 fingerprints)."""
    return set(
        SealedFile.objects.exclude(seal_certificate_sha256="")
        .values_list("seal_certificate_sha256", flat=True)
        .distinct()
    )


def render_page(
    request, form, *, found=None, searched=None, seal_check=None, problem=None, status=200
):
    """The form, and the result of a search when there was one.

    ``searched`` is the way that was used ("code", "sha256", "pdf"), ``found``
    what it found (None: nothing matches) and ``seal_check`` what checking an
    uploaded file's organisation seal gave. A reader who may download the
    signed files gets each through a download ticket (tickets.py).
    """
    stamp = Stamp.now()  # before access is checked: see tickets.py
    context = {
        "form": form,
        "searched": searched,
        "found": found,
        "seal_check": seal_check,
        "problem": problem,
    }
    if found is not None:
        document = found.document
        version = document.version
        successor = version.successor()
        context.update(
            document=document,
            version=version,
            meeting=version.meeting,
            files=document.stored_files(),
            signatures=version.signatures.all(),
            confirmed_by=Person.name_of(version.frozen_by),
            can_download=may_download(request.user, document),
            successor=successor,
            successor_document=getattr(successor, "signed_document", None) if successor else None,
            amendment=None if successor else version.amendment(),
        )
        # Who may not download the signed files may still take the published public one.
        # Without an amendment the current version is public iff the meeting is
        # published (no query); after one, an older version may still be.
        if context["can_download"]:
            for stored in context["files"]:
                stored.download_url = sealed_ticket_url(request, stamp, document, stored)
        else:
            if successor or context["amendment"]:
                published = is_published(version)
            else:
                published = version.meeting.status == Meeting.Status.PUBLISHED
            if published:
                context["public_pdf_url"] = public_pdf_url(version.meeting)
    return render(request, "meetings/verify.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    if request.method != "POST":
        return render_page(request, VerifyForm())
    if declared_length(request) > MAX_PDF_BYTES + FORM_OVERHEAD:
        # Refused before the upload is read: a 100 MB file costs nothing.
        problem = _("The file is larger than 20 MB.")
        return render_page(request, VerifyForm(), problem=problem, status=413)
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_page(request, form, status=400)
    found = find_signed_document(**form.lookup_arguments())
    seal_check = None
    if form.way == "pdf":
        upload = form.cleaned_data["pdf"]
        upload.seek(0)
        seal_check = check_seal(upload.read(), known_seal_certificates())
    return render_page(request, form, found=found, searched=form.way, seal_check=seal_check)


@require_safe
def verify_code(request, code):
    """The direct link printed under the QR code; 404 (same page) for no match."""
    found = find_signed_document(code=code)
    form = VerifyForm(initial={"code": normalise_code(code)})
    status = 200 if found is not None else 404
    return render_page(request, form, found=found, searched="code", status=status)


@require_safe
def signed_file(request, code, kind=SealedFile.Kind.INTERNAL_PDFA3B):
    """A stored signed file, byte for byte: only for those who may read the meeting."""
    code = valid_code(code)
    stored = (
        SealedFile.objects.filter(document__verification_code=code, kind=kind)
        .select_related("document__version__meeting__committee")
        .first()
        if code
        else None
    )
    if stored is not None and not may_download(request.user, stored.document):
        # The public file of published minutes is anybody's: at its public address.
        version = stored.document.version
        if stored.kind == SealedFile.Kind.PUBLIC_PDFA3B and is_published(version):
            return redirect(public_pdf_url(version.meeting))
        stored = None
    if stored is None:
        raise NotFound(_("No signed file matches this address."))
    return MinutesFile.of(stored).response(request)


def is_published(version):
    """Whether ``version`` is the one its meeting shows the public (one query)."""
    return MinutesVersion.objects.published().filter(pk=version.pk).exists()
