"""회의록 파일에서 가져오기: upload a minutes file, see the preview, create the draft.

Who may: whoever keeps a committee (Committee.objects.managed_by), like 새 회의.
The upload page reads the file (agenda.uploads.extract_text) and holds the
text for its uploader (agenda.jobs.hold_upload); the preview page shows what
agenda.importing.preview() would make of it, with a small form whose values
win over the document's, and creates the draft through agenda.jobs: in the
request, or by a task with a progress page for a long document. The command
``import_minutes`` takes the same path.

A file that cannot be read is a field error of the upload form (the file
must be chosen again, the committee stays); a held upload that is not the
user's is 404, one that expired 410.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from committees.models import Committee
from meetings.models import Job
from minutes_site.dates import day as format_day
from minutes_site.errors import NotFound, error_page
from minutes_site.inputs import (
    FIRST_YEAR,
    LAST_YEAR,
    declared_length,
    human_size,
    validate_meeting_day,
    validate_text,
)

from . import jobs
from .importing import ImportRefused, Overrides, convention_label, preview
from .uploads import UnreadableFile, extract_text, too_large_message

# The form's other fields and the multipart headers, above the file itself.
FORM_OVERHEAD = 64 * 1024
# How many remarks the preview shows as a sample.
SAMPLE_BLOCKS = 6


class UploadForm(forms.Form):
    """The committee and the minutes file; the file is read while the form is cleaned."""

    committee = forms.ModelChoiceField(
        label=gettext_lazy("committee"), queryset=Committee.objects.none(), to_field_name="slug"
    )
    file = forms.FileField(
        label=gettext_lazy("minutes file"),
        error_messages={
            "required": gettext_lazy("Choose the minutes file."),
            "empty": gettext_lazy("The file is empty."),
        },
        widget=forms.FileInput(attrs={"accept": ".txt,.pdf,.hwpx,.hwp,text/plain,application/pdf"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.managed_by(user).order_by("name")
        self.fields["file"].help_text = _(
            "A text file (.txt, UTF-8 or Korean Windows encoding), a PDF with a text layer, or "
            "an HWPX or HWP document; at most %(limit)s."
        ) % {"limit": human_size(settings.IMPORT_MAX_BYTES)}
        self.extracted = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if len(self.files.getlist("file")) > 1:
            raise ValidationError(_("Choose one file at a time."), code="several")
        try:
            self.extracted = extract_text(upload)
        except UnreadableFile as unreadable:
            raise ValidationError(unreadable.message, code=unreadable.code) from None
        return upload


class OverridesForm(forms.Form):
    """The meeting's number, date, times and place: the document's, as the secretary corrects them.

    Empty fields leave the document's value (or the importer's stated
    fallback, with a point to check) in place.
    """

    year = forms.IntegerField(
        label=gettext_lazy("year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    sequence = forms.IntegerField(
        label=gettext_lazy("number in the year (차수)"), required=False, min_value=1, max_value=999
    )
    day = forms.DateField(
        label=gettext_lazy("date"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"},
            format="%Y-%m-%d",
        ),
        validators=[validate_meeting_day],
    )
    starts = forms.TimeField(
        label=gettext_lazy("starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=gettext_lazy("ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(
        label=gettext_lazy("place"), required=False, max_length=200, validators=[validate_text]
    )

    FIELDS = ("year", "sequence", "day", "starts", "ends", "place")

    def __init__(self, *args, document=None, planned=None, **kwargs):
        """``planned``: what the preview's draft got for each field (planned_values())."""
        super().__init__(*args, **kwargs)
        overview = document.overview if document is not None else None
        planned = planned or {}
        self.missing = []  # fields the document lacks
        self.replaced = []  # fields whose document value the draft cannot take
        for name in self.FIELDS:
            value = getattr(overview, name, None) if overview is not None else None
            proposed = planned.get(name)
            field = self.fields[name]
            if value in (None, ""):
                self.missing.append(name)
                hint = _("Not in the document.")
                if proposed not in (None, ""):
                    hint = _(
                        "Not in the document: left empty, %(value)s is used (and marked to check)."
                    ) % {"value": shown(proposed)}
            elif proposed not in (None, "") and proposed != value:
                # e.g. a 차수 the committee already has: the draft's own choice is proposed.
                self.replaced.append(name)
                hint = _(
                    "The document gives %(document)s, which cannot be used here; %(value)s is "
                    "proposed (and marked to check)."
                ) % {"document": shown(value), "value": shown(proposed)}
                if not self.is_bound:
                    self.initial[name] = proposed
            else:
                if not self.is_bound:
                    self.initial[name] = value
                continue
            field.widget.attrs["class"] = "import-missing"
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
            field.help_text = hint

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The meeting must end after it starts."))
        year, day = cleaned.get("year"), cleaned.get("day")
        if year and day and year != day.year:
            self.add_error("year", _("The year must be the year of the date."))
        return cleaned

    def overrides(self):
        data = self.cleaned_data
        return Overrides(**{name: data.get(name) or None for name in self.FIELDS})


def managed_committees(user):
    """The committees ``user`` keeps; 403 for a user who keeps none."""
    committees = Committee.objects.managed_by(user).order_by("name")
    if not committees.exists():
        raise PermissionDenied
    return committees


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    committees = managed_committees(request.user)
    if request.method != "POST":
        initial = {}
        chosen = request.GET.get("committee", "")
        if chosen and committees.filter(slug=chosen[:60]).exists():
            initial["committee"] = chosen[:60]
        elif committees.count() == 1:
            initial["committee"] = committees.first().slug
        return render_upload(request, UploadForm(user=request.user, initial=initial))
    limit = settings.IMPORT_MAX_BYTES
    if declared_length(request) > limit + FORM_OVERHEAD:
        # Refused before the upload is read: a file over the limit costs nothing.
        form = UploadForm(user=request.user, initial={"committee": request.GET.get("committee")})
        return render_upload(request, form, problem=too_large_message(limit), status=413)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render_upload(request, form, status=400)
    upload_file = form.cleaned_data["file"]
    job = jobs.hold_upload(
        user=request.user,
        committee=form.cleaned_data["committee"],
        extracted=form.extracted,
        filename=upload_file.name or "",
    )
    return redirect("editor:import_preview", token=job.pk)


def render_upload(request, form, *, problem=None, status=200):
    return render(
        request, "agenda/import_upload.html", {"form": form, "problem": problem}, status=status
    )


def held_upload_for(user, token):
    """The user's held upload: 404 for anybody else's, 410 once expired (None after use)."""
    job = Job.objects.filter(kind=Job.Kind.IMPORT, requested_by=user, pk=token).first()
    if job is None:
        raise NotFound(
            _("There is no upload at this address, or it is not yours. Upload the file again.")
        )
    return job


def gone(request):
    return error_page(
        request,
        410,
        title=_("This upload has expired"),
        message=_(
            "An uploaded file waits for its preview only as long as a login lasts, and this one "
            "has waited longer. Nothing was imported."
        ),
        hint=_("Upload the file again."),
        level="warning",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preview_page(request, token):
    committees = managed_committees(request.user)
    job = held_upload_for(request.user, token)
    if not jobs.is_held(job):
        # Already created (or being created): its job page shows the result.
        return redirect(job)
    if jobs.is_expired(job):
        return gone(request)
    committee = committees.filter(pk=job.parameters.get("committee")).first()
    if committee is None:
        raise PermissionDenied
    report = preview(job.parameters["text"], committee)
    planned = planned_values(report.meeting)
    status = 200
    if request.method == "POST":
        form = OverridesForm(request.POST, document=report.document, planned=planned)
        if form.is_valid():
            try:
                done = jobs.create_draft(job, form.overrides())
            except ImportRefused as refused:
                form.add_error(None, str(refused))
            except jobs.UploadGone:
                return redirect(job)
            else:
                if done.state == Job.State.DONE and done.meeting_id:
                    messages.success(
                        request,
                        _("%(meeting)s was created from %(file)s: check it here.")
                        % {"meeting": done.meeting, "file": job.parameters.get("filename")},
                    )
                    return redirect("editor:page", pk=done.meeting_id)
                return redirect(done)
        status = 400
    else:
        form = OverridesForm(document=report.document, planned=planned)
    return render(
        request,
        "agenda/import_preview.html",
        {
            "job": job,
            "committee": committee,
            "report": report,
            "form": form,
            "convention": convention_label(report.convention),
            "confidence": round(report.confidence * 100),
            "sample": sample(report.document),
            "check_count": len(report.checks) + len(report.flagged),
            "background": jobs.runs_in_background(job),
        },
        status=status,
    )


def planned_values(meeting):
    """What the preview's draft got for each overview field (the document's or a fallback)."""
    if meeting is None:
        return {}
    starts = timezone.localtime(meeting.starts_at)
    return {
        "year": meeting.year,
        "sequence": meeting.sequence,
        "day": starts.date(),
        "starts": starts.time().replace(second=0, microsecond=0),
        "ends": timezone.localtime(meeting.ends_at).time().replace(second=0, microsecond=0),
        "place": meeting.place,
    }


def shown(value):
    """A value as the form's hints print it: dates in the site's style, times as HH:MM."""
    if isinstance(value, datetime.date):
        return format_day(value)
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return str(value)


def sample(document, count=SAMPLE_BLOCKS):
    """The first remarks, as (line, who or None, first statement, kind)."""
    if document is None:
        return []
    shown = []
    for block in document.remarks.blocks[:count]:
        first = block.statements[0] if block.statements else ""
        who = block.speaker.label if block.speaker is not None else None
        shown.append({"line": block.line, "who": who, "text": first[:300], "kind": block.kind})
    return shown
