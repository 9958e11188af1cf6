"""Members' review of draft minutes: comments on speaker blocks and agenda items."""

from django.http import Http404


def review(request, meeting_pk):  # replaced by the review feature
    raise Http404
