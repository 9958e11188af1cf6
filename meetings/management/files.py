"""The files a command is given: read or written, or a CommandError that says why."""

import argparse
import re
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def _reason(error):
    """Why a path could not be used, as the system says it (or a NUL in the name)."""
    if isinstance(error, ValueError):
        return _("the name contains a NUL character")
    return error.strerror or str(error)


def bounded_int(low, high):
    """An argparse type: a whole number from ``low`` to ``high``, or a clear error."""

    def parse(value):
        if not re.fullmatch(r"-?[0-9]{1,9}", value.strip()) or not low <= int(value) <= high:
            raise argparse.ArgumentTypeError(
                _("give a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
            )
        return int(value)

    return parse


def slug(value):
    """An argparse type: a committee's short name (letters, digits, - and _)."""
    if not re.fullmatch(r"[-\w]{1,60}", value, flags=re.ASCII):
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a short name (letters, digits, - and _).") % {"value": value}
        )
    return value


def read_input(path):
    path = Path(path)
    try:
        return path.read_bytes()
    except (OSError, ValueError) as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": _reason(error)}
        ) from error


def check_output(path):
    """Where a command will write, refused before any work when it cannot be a file."""
    path = Path(path)
    if "\x00" in str(path):
        raise CommandError(
            _("Cannot write %(path)s: %(reason)s.")
            % {"path": repr(str(path)), "reason": _reason(ValueError())}
        )
    if path.is_dir():
        raise CommandError(_("%(path)s is a folder: give the file's name.") % {"path": path})
    if not path.parent.is_dir():
        raise CommandError(_("The folder %(path)s does not exist.") % {"path": path.parent})
    return path


def write_output(path, data):
    try:
        Path(path).write_bytes(data)
    except (OSError, ValueError) as error:
        raise CommandError(
            _("Cannot write %(path)s: %(reason)s.") % {"path": path, "reason": _reason(error)}
        ) from error
