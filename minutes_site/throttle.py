"""Password guessing is throttled wherever a password is checked.

django-axes counts wrong passwords per account and per client address
(``minutes_site.client_ip``) over the cool-down period; at
``settings.AXES_FAILURE_LIMIT`` the account, or the address, is locked until
the cool-down has passed, and no password is checked meanwhile. The login
page and the admin's log in through Django's ``authenticate()``, whose first
backend is axes'; the sign page checks the signer's password the same way
(``confirm_password``), so a wrong password there counts as a failed login.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_minutes():
    return round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def lockout_message():
    return _(
        "Too many wrong passwords: for your safety, passwords are not checked for "
        "%(minutes)s minutes. Try again later, or ask the administrator to unlock the account."
    ) % {"minutes": lockout_minutes()}


class LockedOut(Exception):
    """The account or the address is locked: the password was not checked."""

    def __str__(self):
        return lockout_message()


def confirm_password(request, user, password):
    """Whether ``password`` is ``user``'s, checked and counted as a login attempt.

    Raises LockedOut when too many wrong passwords lock the account or the
    address, including by this attempt.
    """
    authenticated = authenticate(request, username=user.get_username(), password=password)
    # Set by axes for this request when it refused to check, or when this failure locked.
    if getattr(request, "axes_locked_out", False):
        raise LockedOut
    return authenticated is not None and authenticated.pk == user.pk


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out request gets (AXES_LOCKOUT_CALLABLE), with status 429.

    A page that already answered 429 (the sign page, which keeps the signer's
    work and shows the lockout next to the password field) is kept as it is;
    the login pages are replaced by the lockout page in the site's layout.
    """
    if original_response is not None and original_response.status_code == 429:
        return original_response
    context = {"message": lockout_message(), "minutes": lockout_minutes()}
    return render(request, "registration/lockout.html", context, status=429)
