"""What every page's navbar needs: the count of the user's waiting tasks."""

from django.utils.functional import SimpleLazyObject

from .tasks import tasks_of


def waiting_tasks(request):
    """``waiting_task_count`` for the badge on 내 할 일.

    Lazy: a page that never prints it (the admin) costs no query; a page that
    does costs the one query of tasks_for(), shared with the page itself
    (tasks_of). Anonymous visitors, and error pages answered before the
    session is read (no request.user), cost none.
    """

    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return len(tasks_of(request))

    return {"waiting_task_count": SimpleLazyObject(count)}
