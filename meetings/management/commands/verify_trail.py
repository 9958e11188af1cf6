import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.trail import verify_trail


class Command(BaseCommand):
    help = (
        "Check the hash chains of the status trail and the signatures: report every changed, "
        "deleted, reordered or inserted row, and any meeting whose trail disagrees with it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SHA256",
            help="a last SHA-256 printed by an earlier run, kept outside the database; repeatable",
        )

    def handle(self, *args, anchor, **options):
        for value in anchor:
            if not re.fullmatch(r"[0-9a-fA-F]{64}", value.strip()):
                raise CommandError(
                    _("--anchor %(value)s is not a SHA-256 (64 hexadecimal digits).")
                    % {"value": repr(value[:70])}
                )
        report = verify_trail(anchors=anchor)
        for problem in report.problems:
            self.stdout.write(f"FAIL  {problem}")
        if not report.passed:
            raise CommandError(
                _("%(count)s problems in the trail.") % {"count": len(report.problems)}
            )
        for chain in report.chains:
            self.stdout.write(
                _("%(label)s: %(count)s rows in an unbroken chain, last SHA-256 %(head)s.")
                % {"label": chain.label, "count": chain.count, "head": chain.head}
            )
        self.stdout.write(_("The trail is intact."))
