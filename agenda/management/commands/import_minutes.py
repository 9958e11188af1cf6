"""python manage.py import_minutes FILE --committee SLUG [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees.models import Committee
from meetings.management.files import read_input, slug
from minutes_site.inputs import strip_control

from ...importing import ImportRefused, import_minutes


class DryRun(Exception):
    """Raised to roll back a dry run after its report is printed."""


class Command(BaseCommand):
    help = _(
        "Import a minutes document (text) into a new draft meeting and report what was "
        "recognised, added, left to check and left unplaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the minutes as a UTF-8 text file"))
        parser.add_argument(
            "--committee", required=True, type=slug, help=_("the committee's short name")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("report what would be imported, save nothing")
        )

    def handle(self, *args, file, committee, dry_run, **options):
        committee = self._committee(committee)
        text, removed = strip_control(self._read(Path(file)))
        try:
            with transaction.atomic():
                report = import_minutes(text, committee)
                if dry_run:
                    self._print(report, removed, dry_run=True)
                    raise DryRun
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        except DryRun:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        # Reported once committed: a reader that closes the output early
        # (| head) must not undo the import it was told about.
        try:
            self._print(report, removed, dry_run=False)
        except BrokenPipeError:
            pass

    def _committee(self, slug):
        try:
            return Committee.objects.get(slug=slug)
        except Committee.DoesNotExist:
            known = ", ".join(Committee.objects.values_list("slug", flat=True)) or "-"
            raise CommandError(
                _("No committee has the short name %(slug)s. Known: %(known)s.")
                % {"slug": slug, "known": known}
            ) from None

    def _read(self, path):
        data = read_input(path)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(
                _("%(file)s is not UTF-8 text (byte %(offset)s). Save it as UTF-8 and try again.")
                % {"file": path, "offset": error.start}
            ) from error

    def _print(self, report, removed, *, dry_run):
        meeting = report.meeting
        headline = _("Would import %(meeting)s") if dry_run else _("Imported %(meeting)s")
        self.stdout.write(self.style.SUCCESS(headline % {"meeting": meeting}))
        if removed:
            self.stdout.write(
                ngettext(
                    "%(count)s invisible control character was taken out of the file.",
                    "%(count)s invisible control characters were taken out of the file.",
                    removed,
                )
                % {"count": removed}
            )
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            _(
                "%(blocks)s speaker blocks, %(statements)s statements, %(flagged)s to check, "
                "%(unplaced)s unplaced."
            )
            % {
                "blocks": report.blocks,
                "statements": report.statements,
                "flagged": len(report.flagged),
                "unplaced": len(report.unplaced),
            }
        )
        if not dry_run:
            url = reverse("editor:page", args=[meeting.pk])
            self.stdout.write(_("Open it in the editor: %(url)s") % {"url": url})
