import base64
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees.models import Committee, Person
from minutes_site.client_ip import client_ip
from minutes_site.errors import NotFound
from minutes_site.paging import page_links, page_number

from . import jobs, services
from .archive import signed_documents
from .completeness import missing_in_draft
from .downloads import (
    NotStored,
    cached_file,
    render_file,
    shown_rendering_key,
    signed_document_of,
    stored_file,
)
from .forms import (
    AmendForm,
    ArchiveExportForm,
    MeetingFilterForm,
    SendForReviewForm,
    SignForm,
)
from .history import history
from .minutes import MinutesDocument, PrintedDocument, current_content, paper_key
from .models import Job, Meeting, SavedSignature, Signatory
from .pdf import Variant, seal_data
from .renderings import WORKFLOW, draft_content, known_content_sha256, page_cache
from .tasks import count_by_kind, tasks_of
from .tickets import Stamp, read_ticket, rendering_ticket_url, sealed_ticket_url


def get_meeting_for(user, pk, queryset=None):
    """The meeting if ``user`` may read it; 404 for anything they may not know exists."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.for_user(user), pk=pk)


MEETINGS_PER_PAGE = 20


@login_required
def meeting_list(request):
    """Home: the user's waiting tasks first, then the meetings they may see,
    filtered by the query string and paginated.

    Queries: the tasks (one, shared with the navbar's badge), the committees
    and years the filters offer (one), whether the user keeps a committee (the
    새 회의 button, one), the count and the page of meetings with their
    committees (two). A bad filter or page is answered 400 with its message,
    and the list is shown with the filters that were good.
    """
    user = request.user
    visible = Meeting.objects.for_user(user)
    form = MeetingFilterForm(request.GET, options=visible.filter_options())
    form.is_valid()
    chosen = form.cleaned_data  # the good fields, even when another is bad
    meetings = visible.select_related("committee").order_by("-starts_at", "-pk")
    if chosen.get("q"):
        meetings = meetings.search(chosen["q"])
    if chosen.get("committee"):
        meetings = meetings.filter(committee__slug=chosen["committee"])
    if chosen.get("year"):
        meetings = meetings.filter(year=chosen["year"])
    if chosen.get("status"):
        meetings = meetings.filter(status=chosen["status"])
    paginator = Paginator(meetings, MEETINGS_PER_PAGE)
    number = page_number(form, paginator.num_pages)
    tasks = tasks_of(request)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "tasks": tasks,
            "task_counts": count_by_kind(tasks),
            "form": form,
            "filtered": any(chosen.get(name) for name in ("q", "committee", "year", "status")),
            "page": paginator.page(number),
            "page_numbers": page_links(paginator, number),
            "may_create": Committee.objects.managed_by(user).exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def minutes(request, pk):
    """The minutes page. Its document part is the same for the same text, so it
    is kept in the "pages" cache by the content's SHA-256 (a draft's known by
    its revision, see renderings.py): only a text not shown before loads the
    minutes (with_minutes()) and renders them."""
    stamp = Stamp.now()  # before access is checked and the meeting read: see tickets.py
    meeting = get_meeting_for(request.user, pk, Meeting.objects.select_related("committee"))
    public = request.GET.get("version") == "public"
    seal = signed_document_of(meeting)
    signatures = list(seal.version.signatures.all()) if seal else []
    sha256 = known_content_sha256(meeting)
    key = paper_key(sha256, public=public, seal=seal)
    document = page_cache().get(key) if sha256 else None
    content = None
    if document is None:
        if meeting.is_editable:
            meeting, content, sha256 = draft_content(meeting)
        else:
            content = current_content(meeting)
        evidence = None
        if seal is not None:
            evidence = seal_data(
                seal.version, signatures, code=seal.verification_code, url=seal.verification_url
            )
        document = PrintedDocument.of(MinutesDocument(content, public=public, seal=evidence))
        page_cache().set(paper_key(sha256, public=public, seal=seal), document)
    # Who may do what (designates()) and what the block lacks (review_problems())
    # read the signature block: one query for both (with_minutes() loaded it already).
    meeting.load_signature_block()
    actions = available_actions(request.user, meeting)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "document": document,
            "public": public,
            "seal": seal,
            "signed_files": signed_file_links(request, stamp, seal, meeting),
            "rendered_files": rendered_file_links(request, stamp, seal, meeting, sha256),
            "signatures": signatures,
            "actions": actions,
            # What the 검토 요청 dialog lists (and refuses for): only for whoever may send.
            "review_problems": (
                services.review_problems(meeting, content=content, cached=True)
                if "send_for_review" in actions
                else []
            ),
            # Every signature is in and the seal is being made (meetings.jobs).
            "sealing": jobs.sealing_job(meeting),
            "review_form": SendForReviewForm(),
            "amend_form": AmendForm(),
            "history": history(meeting),
        },
    )


def signed_file_links(request, stamp, seal, meeting):
    """[(stored file, its download address)] of a sealed version, for this
    reader: each through a download ticket (tickets.py)."""
    if seal is None:
        return []
    seal.version.meeting = meeting  # the files' names read the meeting's committee
    return [
        (stored, sealed_ticket_url(request, stamp, seal, stored)) for stored in seal.stored_files()
    ]


def rendered_file_links(request, stamp, seal, meeting, sha256):
    """{"internal"/"public" + "_1b" for PDF/A-1b: download address} of the
    marked renderings of what ``meeting`` shows (content hash ``sha256``), for
    this reader: each through a download ticket (tickets.py)."""
    if seal is not None:
        return {}
    version = None if meeting.is_editable else meeting.current_version()
    links = {}
    for name, public, variant in [
        ("internal", False, Variant.PDFA_3B),
        ("public", True, Variant.PDFA_3B),
        ("internal_1b", False, Variant.PDFA_1B),
        ("public_1b", True, Variant.PDFA_1B),
    ]:
        key = shown_rendering_key(meeting, sha256, public=public, variant=variant, version=version)
        links[name] = rendering_ticket_url(
            request, stamp, meeting, key, public=public, variant=variant
        )
    return links


@require_safe
def ticket(request, ticket):
    """A download ticket that did not hold (tickets.py): the file's own
    address, which checks everything again; 404 for one we never wrote."""
    payload = read_ticket(ticket)
    if payload is None:
        raise NotFound(
            _("This download link is not valid: open the minutes page and choose the file again.")
        )
    return redirect(payload["u"])


def manages(user, meeting):
    """The secretary's rights: being the author, keeping the committee
    (Committee.objects.managed_by, one query unless the user's permissions
    give every committee) or change permission on meetings (permissions are
    kept between requests: minutes_site.permissions)."""
    return (
        meeting.designates(user, Signatory.Role.AUTHOR)
        or Committee.objects.managed_by(user).filter(pk=meeting.committee_id).exists()
        or user.has_perm("meetings.change_meeting")
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
@require_POST
def settle_check(request, pk, check_pk):
    """확인 완료 on one point to check in the editor: only for whoever may edit the minutes."""
    meeting = get_meeting_for(request.user, pk, Meeting.objects.select_related("committee"))
    check = get_object_or_404(meeting.checks.all(), pk=check_pk)
    if not manages(request.user, meeting):
        raise PermissionDenied
    try:
        services.settle_check(check, by=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Settled: %(check)s") % {"check": check.message})
    return redirect(reverse("editor:page", args=[meeting.pk]) + "#checks")


@dataclass
class Checklist:
    """What the editor's 확인할 사항 panel lists for a draft."""

    missing: list  # completeness.Missing, what the minutes fail to state
    open: list  # MeetingCheck rows still to settle
    settled: list  # MeetingCheck rows settled, with who settled them

    @property
    def left(self):
        return len(self.missing) + len(self.open)

    def __bool__(self):
        return self.left > 0


def read_checks(meeting):
    checks = list(meeting.checks.select_related("settled_by__person"))
    for check in checks:
        check.settled_by_name = Person.name_of(check.settled_by) if check.settled_by else ""
    return checks


def checklist(meeting):
    """The draft's missing legal items (cached by its text's hash, see
    completeness.missing_in_draft) and its points to check (one query, kept
    under the workflow generation, which settling a point renews)."""
    checks = WORKFLOW.kept(f"checklist:{meeting.pk}", lambda: read_checks(meeting))
    return Checklist(
        missing=missing_in_draft(meeting),
        open=[check for check in checks if not check.is_settled],
        settled=sorted((check for check in checks if check.is_settled), key=lambda c: c.settled_at),
    )


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
    """The minutes as PDF: the stored signed file once signed, else a marked rendering.

    The stored file or a rendering made before are served without reading
    the minutes (downloads.py); only a new rendering loads them.
    """
    meeting = get_meeting_for(request.user, pk, Meeting.objects.select_related("committee"))
    public = request.GET.get("version") == "public"
    variant = request.GET.get("variant", Variant.PDFA_3B)
    if variant not in Variant.values:
        variant = Variant.PDFA_3B
    revalidating = "If-None-Match" in request.headers
    try:
        found = stored_file(
            meeting, public=public, variant=variant, with_bytes=not revalidating
        ) or cached_file(meeting, public=public, variant=variant)
    except NotStored as error:
        raise NotFound(str(error)) from error
    if found is None:
        if jobs.renders_in_background(meeting):
            job = jobs.start_draft_pdf(
                meeting, requested_by=request.user, public=public, variant=variant
            )
            return redirect(job)
        found = render_file(meeting, public=public, variant=variant)
    return found.response(request)


def may_export(user):
    """Archive staff: staff accounts that may view meetings."""
    return user.is_staff and user.has_perm("meetings.view_meeting")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def archive_export(request):
    """The archive export for staff: a committee's signed minutes of a year, as a ZIP."""
    if not may_export(request.user):
        raise PermissionDenied
    form = ArchiveExportForm(request.POST if request.method == "POST" else request.GET or None)
    documents = None
    if form.is_valid():
        committee, year = form.cleaned_data["committee"], form.cleaned_data["year"]
        documents = list(signed_documents(committee=committee, year=year))
        if documents and request.method == "POST":
            # The ZIP is built by a task; its page shows the progress and the file.
            return redirect(jobs.start_archive(committee, year, requested_by=request.user))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "meetings/archive.html",
        {"form": form, "documents": documents},
        status=status,
    )


def get_job_for(user, pk, *, with_result=False):
    """The job if ``user`` asked for it or may read its meeting; 404 for anybody else.

    Without its file unless asked: a result may be megabytes, read only to be sent.
    """
    jobs = Job.objects.for_user(user).select_related("meeting")
    return get_object_or_404(jobs if with_result else jobs.defer("result"), pk=pk)


@login_required
@require_safe
def job(request, pk):
    """A long piece of work: its progress (polled by static/js/job.js) and its file when done."""
    job = get_job_for(request.user, pk)
    return render(request, "meetings/job.html", {"job": job, "status": job_state(job)})


def job_state(job):
    """What the job page and its script show: the same values, from the row."""
    return {
        "state": job.state,
        "label": str(job.get_state_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "message": job.message,
        "download": reverse("meetings:job_result", args=[job.pk]) if job.has_result else "",
        "filename": job.filename if job.has_result else "",
    }


@login_required
@require_safe
def job_status(request, pk):
    response = JsonResponse(job_state(get_job_for(request.user, pk)))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def job_result(request, pk):
    """The job's file, once it is done (a draft PDF, the archive ZIP)."""
    job = get_job_for(request.user, pk, with_result=True)
    if not job.has_result:
        raise NotFound(_("This work has no file to download yet."))
    response = HttpResponse(bytes(job.result), content_type=job.content_type)
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
