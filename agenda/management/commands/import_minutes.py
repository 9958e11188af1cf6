"""python manage.py import_minutes FILE --committee SLUG [--dry-run] [overrides]

The same path as the upload page (agenda/imports.py): the file is read by
agenda.uploads.extract_text (TXT, PDF, HWPX, HWP), the draft made by
agenda.importing.import_minutes(), or with --dry-run only previewed by
preview() (nothing saved); --year, --sequence, --date, --starts, --ends and
--place win over what the document says, like the preview page's form.
"""

import argparse
import datetime
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from committees.models import Committee
from meetings.management.files import _reason, bounded_int, slug
from minutes_site.inputs import FIRST_YEAR, LAST_YEAR, text_problem

from ...importing import ImportRefused, Overrides, import_minutes, preview
from ...uploads import UnreadableFile, extract_text


def date_argument(value):
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("give a date as YYYY-MM-DD")) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            _("give a date between %(first)s and %(last)s")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day


def time_argument(value):
    try:
        moment = datetime.time.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("give a time as HH:MM")) from None
    return moment.replace(second=0, microsecond=0)


def place_argument(value):
    problem = text_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    value = " ".join(value.split())
    if not value or len(value) > 200:
        raise argparse.ArgumentTypeError(_("give a place of 1 to 200 characters"))
    return value


class Command(BaseCommand):
    help = _(
        "Import a minutes document (a text file, a PDF with a text layer, or an HWPX or HWP "
        "document) into a new draft meeting and report what was recognised, added, left to "
        "check and left unplaced."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help=_("the minutes: a text file, a PDF, or an HWPX or HWP document")
        )
        parser.add_argument(
            "--committee", required=True, type=slug, help=_("the committee's short name")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("report what would be imported, save nothing")
        )
        parser.add_argument(
            "--year", type=bounded_int(FIRST_YEAR, LAST_YEAR), help=_("the meeting's year")
        )
        parser.add_argument(
            "--sequence", type=bounded_int(1, 999), help=_("the meeting's number in the year")
        )
        parser.add_argument(
            "--date", type=date_argument, dest="day", help=_("the meeting's date (YYYY-MM-DD)")
        )
        parser.add_argument("--starts", type=time_argument, help=_("when it started (HH:MM)"))
        parser.add_argument("--ends", type=time_argument, help=_("when it ended (HH:MM)"))
        parser.add_argument("--place", type=place_argument, help=_("where it was held"))

    def handle(self, *args, file, committee, dry_run, **options):
        committee = self._committee(committee)
        extracted = self._read(Path(file))
        overrides = Overrides(
            **{
                key: options.get(key)
                for key in ("year", "sequence", "day", "starts", "ends", "place")
            }
        )
        try:
            if dry_run:
                report = preview(extracted.text, committee, overrides=overrides)
            else:
                report = import_minutes(extracted.text, committee, overrides=overrides)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        # Reported once committed: a reader that closes the output early
        # (| head) must not undo the import it was told about.
        try:
            self._print(report, extracted, dry_run=dry_run)
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
        try:
            with path.open("rb") as handle:
                return extract_text(File(handle, name=path.name))
        except UnreadableFile as unreadable:
            raise CommandError(f"{path}: {unreadable.message}") from None
        except (OSError, ValueError) as error:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": _reason(error)}
            ) from error

    def _print(self, report, extracted, *, dry_run):
        meeting = report.meeting
        headline = _("Would import %(meeting)s") if dry_run else _("Imported %(meeting)s")
        self.stdout.write(self.style.SUCCESS(headline % {"meeting": meeting}))
        for note in extracted.notes:
            self.stdout.write(str(note))
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
                "flagged": len(report.checks) + len(report.flagged),
                "unplaced": len(report.unplaced),
            }
        )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        else:
            url = reverse("editor:page", args=[meeting.pk])
            self.stdout.write(_("Open it in the editor: %(url)s") % {"url": url})
