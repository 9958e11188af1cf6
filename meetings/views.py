import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minutes_site.client_ip import client_ip
from minutes_site.errors import NotFound

from . import services
from .archive import archive_filename, build_archive, signed_documents
from .downloads import NotStored, minutes_file, signed_document_of
from .forms import AmendForm, ArchiveExportForm, SendForReviewForm, SignForm
from .minutes import MinutesDocument, current_content
from .models import Meeting, SavedSignature, Signatory
from .pdf import Variant, seal_data


def get_meeting_for(user, pk, queryset=None):
    """The meeting if ``user`` may read it; 404 for anything they may not know exists."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.for_user(user), pk=pk)


@login_required
def meeting_list(request):
    meetings = Meeting.objects.for_user(request.user).select_related("committee")
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@login_required
def minutes(request, pk):
    meeting = get_meeting_for(request.user, pk, Meeting.objects.with_minutes())
    public = request.GET.get("version") == "public"
    seal = signed_document_of(meeting)
    signatures = list(seal.version.signatures.all()) if seal else []
    evidence = None
    if seal is not None:
        evidence = seal_data(
            seal.version, signatures, code=seal.verification_code, url=seal.verification_url
        )
    document = MinutesDocument(current_content(meeting), public=public, seal=evidence)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "document": document,
            "public": public,
            "variants": Variant,
            "seal": seal,
            "signatures": signatures,
            "actions": available_actions(request.user, meeting),
            "review_form": SendForReviewForm(),
            "amend_form": AmendForm(),
        },
    )


def manages(user, meeting):
    """The secretary's rights: change permission on meetings, or being the author."""
    return meeting.designates(user, Signatory.Role.AUTHOR) or user.has_perm(
        "meetings.change_meeting"
    )


def available_actions(user, meeting):
    """The workflow buttons this user may press on this meeting now."""
    Status = Meeting.Status
    actions = set()
    if manages(user, meeting):
        if meeting.is_editable:
            actions.add("edit")
        if meeting.status == Status.DRAFT:
            actions.add("send_for_review")
        if meeting.status == Status.SIGNED:
            actions.add("publish")
        if meeting.status in (Status.SIGNED, Status.PUBLISHED):
            actions.add("amend")
    if meeting.status == Status.IN_REVIEW:
        # Everybody who may read the draft may comment on it.
        actions.add("review")
        if meeting.designates(user, Signatory.Role.CONFIRMER):
            actions.add("confirm")
    if meeting.status in (Status.CONFIRMED, Status.SIGNING) and meeting.designates(
        user, Signatory.Role.SIGNER
    ):
        version = meeting.current_version()
        if not version.signatures.filter(person__user=user).exists():
            actions.add("sign")
    return actions


@login_required
@require_POST
def transition(request, pk, action):
    """One workflow button: checks who may press it, then calls the service."""
    meeting = get_meeting_for(request.user, pk)
    if action not in available_actions(request.user, meeting) or action in ("sign", "review"):
        raise PermissionDenied
    try:
        if action == "send_for_review":
            form = SendForReviewForm(request.POST)
            if not form.is_valid():
                raise services.WorkflowError(" ".join(form.errors["deadline"]))
            services.send_for_review(
                meeting, by=request.user, deadline=form.cleaned_data["deadline"]
            )
            messages.success(request, _("The draft was sent to the members for review."))
        elif action == "confirm":
            version = services.confirm(meeting, by=request.user)
            messages.success(
                request,
                _("Confirmed: version %(number)s is frozen for signature.")
                % {"number": version.number},
            )
        elif action == "publish":
            services.publish(meeting, by=request.user)
            messages.success(request, _("The minutes are published."))
        elif action == "amend":
            form = AmendForm(request.POST)
            if not form.is_valid():
                raise services.WorkflowError(" ".join(form.errors["reason"]))
            services.amend(meeting, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The minutes are open for correction as a new version."))
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect(meeting)


@login_required
def sign(request, pk):
    """The designated signer reads the frozen version and signs it."""
    meeting = get_meeting_for(request.user, pk)
    if "sign" not in available_actions(request.user, meeting):
        raise PermissionDenied
    version = meeting.current_version()
    saved = SavedSignature.objects.filter(user=request.user).first()
    form = SignForm(
        request.POST or None, request.FILES or None, user=request.user, request=request, saved=saved
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.sign(
                version,
                user=request.user,
                shown_sha256=form.cleaned_data["content_sha256"],
                method=form.cleaned_data["method"],
                image=form.cleaned_data["image"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if form.cleaned_data["remember"]:
                # Keep exactly what was signed: the re-encoded image.
                services.save_signature(request.user, bytes(signature.image))
            messages.success(request, _("Thank you: your signature is recorded."))
            return redirect(meeting)
    form.initial["content_sha256"] = version.content_sha256
    document = MinutesDocument(version.content_data(), public=False)
    # Too many wrong passwords: said next to the password field, with the page kept.
    locked_out = form.is_bound and form.has_error("password", code="locked_out")
    return render(
        request,
        "meetings/sign.html",
        {
            "meeting": meeting,
            "version": version,
            "document": document,
            "form": form,
            "saved_image": (
                "data:image/png;base64," + base64.b64encode(bytes(saved.image)).decode()
                if saved
                else ""
            ),
        },
        status=429 if locked_out else 200,
    )


@login_required
def minutes_pdf(request, pk):
    """The minutes as PDF: the stored signed file once signed, else a marked rendering."""
    meeting = get_meeting_for(request.user, pk, Meeting.objects.with_minutes())
    public = request.GET.get("version") == "public"
    variant = request.GET.get("variant", Variant.PDFA_3B)
    if variant not in Variant.values:
        variant = Variant.PDFA_3B
    try:
        found = minutes_file(meeting, public=public, variant=variant)
    except NotStored as error:
        raise NotFound(str(error)) from error
    return found.response(request)


def may_export(user):
    """Archive staff: staff accounts that may view meetings."""
    return user.is_staff and user.has_perm("meetings.view_meeting")


@login_required
def archive_export(request):
    """The archive export for staff: a committee's signed minutes of a year, as a ZIP."""
    if not may_export(request.user):
        raise PermissionDenied
    form = ArchiveExportForm(request.GET or None)
    documents = None
    if form.is_valid():
        committee, year = form.cleaned_data["committee"], form.cleaned_data["year"]
        documents = list(signed_documents(committee=committee, year=year))
        if documents and "download" in request.GET:
            response = HttpResponse(build_archive(documents), content_type="application/zip")
            response["Content-Disposition"] = content_disposition_header(
                True, archive_filename(committee, year)
            )
            return response
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "meetings/archive.html",
        {"form": form, "documents": documents},
        status=status,
    )
