"""The error pages: Korean first, in the site's layout, each saying what happened.

Django's own 400 and CSRF pages are bare English text; these render
``error.html`` (the site's layout) with the request, so the menu and the
language choice work there too. The 500 page is ``templates/500.html``,
rendered by Django without a request or the database.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .inputs import too_large


def error_page(request, status, *, title, message, hint="", level="danger"):
    context = {"title": title, "message": message, "hint": hint, "level": level}
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    return error_page(
        request,
        400,
        title=_("The request could not be read"),
        message=_("What was sent could not be read, so nothing was changed."),
        hint=_("Go back, reload the page and try again."),
    )


def permission_denied(request, exception=None):
    return error_page(
        request,
        403,
        title=_("Not allowed"),
        message=_("Your account may not open this page or do this."),
        hint=_("If you should be able to, ask the committee's secretary."),
        level="warning",
    )


class NotFound(Http404):
    """A 404 whose message is written for the reader (translated): shown on the page."""


def page_not_found(request, exception=None):
    message = _("There is no page at this address, or it is not one you may see.")
    if isinstance(exception, NotFound) and exception.args:
        message = exception.args[0]
    return error_page(request, 404, title=_("Page not found"), message=message, level="warning")


def csrf_failure(request, reason=""):
    return error_page(
        request,
        403,
        title=_("The form has expired"),
        message=_(
            "This form was opened too long ago or in another session, so it was not "
            "accepted and nothing was changed."
        ),
        hint=_("Go back, reload the page, and send it again."),
        level="warning",
    )


def too_large_page(request, limit):
    return error_page(
        request,
        413,
        title=_("Too large to send"),
        message=too_large(limit),
        hint=_("Nothing was received or changed. Go back, make it smaller and send it again."),
    )
