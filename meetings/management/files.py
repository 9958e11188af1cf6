"""The files a command is given: read or written, or a CommandError that says why."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_input(path):
    path = Path(path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}
        ) from error


def check_output(path):
    """Where a command will write, refused before any work when it cannot be a file."""
    path = Path(path)
    if path.is_dir():
        raise CommandError(_("%(path)s is a folder: give the file's name.") % {"path": path})
    if not path.parent.is_dir():
        raise CommandError(_("The folder %(path)s does not exist.") % {"path": path.parent})
    return path


def write_output(path, data):
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise CommandError(
            _("Cannot write %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}
        ) from error
