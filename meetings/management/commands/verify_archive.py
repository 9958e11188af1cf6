from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.archive import verify_archive
from meetings.management.files import read_input


class Command(BaseCommand):
    help = (
        "Check an archive ZIP made by export_archive: every file's SHA-256 against the "
        "manifests and every PDF's organisation seal (PAdES), file by file."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the ZIP file")

    def handle(self, *args, archive, **options):
        data = read_input(archive)
        reports = verify_archive(data)
        for report in reports:
            if report.passed:
                detail = "; ".join(map(str, report.checks))
                self.stdout.write(f"OK    {report.path}" + (f": {detail}" if detail else ""))
            else:
                detail = "; ".join(map(str, report.problems))
                self.stdout.write(f"FAIL  {report.path}: {detail}")
        failed = [report.path for report in reports if not report.passed]
        if failed:
            raise CommandError(
                _("%(failed)s of %(count)s checks failed: %(files)s")
                % {"failed": len(failed), "count": len(reports), "files": ", ".join(failed)}
            )
        self.stdout.write(_("All %(count)s checks passed.") % {"count": len(reports)})
