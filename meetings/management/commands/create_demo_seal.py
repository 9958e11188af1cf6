from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.sealing import create_demo_seal

DEFAULT_FILE = Path(settings.BASE_DIR) / "var" / "demo-seal.p12"


class Command(BaseCommand):
    help = (
        "Create a self-signed DEMO organisation seal (PKCS#12) for trying the site out, "
        "unless it exists. Sealing refuses it when debug is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_FILE), help="the .p12 file to write")

    def handle(self, *args, output, **options):
        target = Path(output)
        password_file = target.with_suffix(".password")
        if target.exists() and password_file.exists():
            self.stdout.write(_("Demo seal: %(path)s (kept).") % {"path": target})
            return
        try:
            certificate = create_demo_seal(target, password_file)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s.") % {"path": target, "reason": reason}
            ) from error
        self.stdout.write(
            _(
                "Demo seal created: %(path)s (password in %(password)s), %(subject)s. "
                "Not for production."
            )
            % {
                "path": target,
                "password": password_file,
                "subject": certificate.subject.rfc4514_string(),
            }
        )
