from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from committees.models import Committee
from meetings.archive import build_archive, signed_documents
from meetings.management.files import bounded_int, check_output, slug, write_output
from minutes_site.inputs import FIRST_YEAR, LAST_YEAR


class Command(BaseCommand):
    help = (
        "Export a committee's signed minutes of a year as a ZIP: each signed version's "
        "stored files, its canonical JSON, manifest.json and manifest.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, type=slug, help="the committee's slug")
        parser.add_argument(
            "--year",
            required=True,
            type=bounded_int(FIRST_YEAR, LAST_YEAR),
            help="the meetings' year",
        )
        parser.add_argument("--output", "-o", required=True, help="the ZIP file to write")

    def handle(self, *args, committee, year, output, **options):
        found = Committee.objects.filter(slug=committee).first()
        if found is None:
            slugs = ", ".join(Committee.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                _("No committee %(slug)s. Committees: %(slugs)s.")
                % {"slug": committee, "slugs": slugs or "-"}
            )
        target = check_output(output)
        documents = list(signed_documents(committee=found, year=year))
        write_output(target, build_archive(documents))
        files = sum(len(document.files.all()) + 1 for document in documents)
        self.stdout.write(
            _("Wrote %(path)s: %(versions)s signed versions, %(files)s files and the manifests.")
            % {"path": target, "versions": len(documents), "files": files}
        )
