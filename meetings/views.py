from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from .minutes import MinutesDocument, current_content
from .models import Meeting
from .pdf import Variant, pdf_filename, render_minutes_pdf


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
    document = MinutesDocument(current_content(meeting), public=public)
    return render(
        request,
        "meetings/minutes.html",
        {"meeting": meeting, "document": document, "public": public, "variants": Variant},
    )


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def minutes_pdf(request, pk):
    meeting = get_meeting_for(request.user, pk, Meeting.objects.with_minutes())
    public = request.GET.get("version") == "public"
    variant = request.GET.get("variant", Variant.PDFA_3B)
    if variant not in Variant.values:
        variant = Variant.PDFA_3B
    pdf = render_minutes_pdf(current_content(meeting), public=public, variant=variant)
    return pdf_response(pdf, pdf_filename(meeting, public=public, variant=variant))
