from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .minutes import MinutesDocument
from .models import Meeting


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
    document = MinutesDocument(meeting, public=public)
    return render(
        request,
        "meetings/minutes.html",
        {"meeting": meeting, "document": document, "public": public},
    )
