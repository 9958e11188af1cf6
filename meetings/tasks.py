"""Each user's tasks: minutes waiting for their review, confirmation or signature."""

from django.http import Http404


def my_tasks(request):  # replaced by the tasks feature
    raise Http404
