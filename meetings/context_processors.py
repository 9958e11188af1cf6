"""What every page's navbar needs: the count of the user's waiting tasks."""

from django.utils.functional import SimpleLazyObject

from .tasks import waiting_count


def waiting_tasks(request):
    """``waiting_task_count`` for the badge on 내 할 일.

    Lazy: a page that never prints it (the admin) costs nothing; a page that
    does reads the count kept since the last write that could change it, or
    costs the one query of tasks_for(), shared with the page itself
    (tasks.waiting_count). Anonymous visitors, and error pages answered before
    the session is read (no request.user), cost none.
    """
    return {"waiting_task_count": SimpleLazyObject(lambda: waiting_count(request))}
