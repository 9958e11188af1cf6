from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.archive import verify_archive


class Command(BaseCommand):
    help = (
        "Check an archive ZIP made by export_archive: every file's SHA-256 against the "
        "manifests and every PDF's organisation seal (PAdES), file by file."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the ZIP file")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
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
                f"{len(failed)} of {len(reports)} checks failed: {', '.join(failed)}"
            )
        self.stdout.write(f"All {len(reports)} checks passed.")
