"""The login forms: the username's length is checked before anyone looks it up.

Django's AuthenticationForm shows the username's limit in the input box but
does not check it, so a 100,000-character name reached authenticate() and the
throttle's log of attempts (a column of 255). Here it is a field error.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from .inputs import validate_text


class CheckedUsernameMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators += [MaxLengthValidator(field.max_length), validate_text]


class LoginForm(CheckedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(CheckedUsernameMixin, AdminAuthenticationForm):
    pass
