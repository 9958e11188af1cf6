from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from committees.models import Committee
from meetings.archive import build_archive, signed_documents


class Command(BaseCommand):
    help = (
        "Export a committee's signed minutes of a year as a ZIP: each signed version's "
        "stored files, its canonical JSON, manifest.json and manifest.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="the committee's slug")
        parser.add_argument("--year", required=True, type=int, help="the meetings' year")
        parser.add_argument("--output", "-o", required=True, help="the ZIP file to write")

    def handle(self, *args, committee, year, output, **options):
        found = Committee.objects.filter(slug=committee).first()
        if found is None:
            slugs = ", ".join(Committee.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No committee {committee!r}. Committees: {slugs or 'none'}.")
        target = Path(output)
        if target.is_dir():
            raise CommandError(f"{target} is a folder: give the ZIP file's name.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        documents = list(signed_documents(committee=found, year=year))
        data = build_archive(documents)
        try:
            target.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.") from error
        files = sum(len(document.files.all()) + 1 for document in documents)
        self.stdout.write(
            f"Wrote {target}: {len(documents)} signed versions, {files} files and the "
            f"manifests ({len(data):,} bytes)."
        )
