from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.downloads import NotStored, minutes_file
from meetings.management.files import check_output, write_output
from meetings.models import Meeting
from meetings.pdf import Variant


class Command(BaseCommand):
    help = (
        "Write a meeting's minutes as PDF (internal or public; PDF/A-3b, PDF/A-1b or plain): "
        "the stored signed file once signed, else a rendering marked as draft or unsigned."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="the meeting's id or slug, e.g. data-policy-2026-1")
        parser.add_argument("--output", "-o", required=True, help="where to write the PDF")
        parser.add_argument(
            "--public", action="store_true", help="the public version, names redacted"
        )
        parser.add_argument(
            "--variant",
            choices=Variant.values,
            default=Variant.PDFA_3B,
            help="pdf/a-3b (default: the archive file with its data), pdf/a-1b, or plain",
        )

    def handle(self, *args, meeting, output, public, variant, **options):
        found = Meeting.objects.with_minutes().by_reference(meeting).first()
        if found is None:
            raise CommandError(
                _("No meeting %(meeting)s: give its id or a slug like data-policy-2026-1.")
                % {"meeting": meeting}
            )
        target = check_output(output)
        try:
            pdf = minutes_file(found, public=public, variant=variant)
        except NotStored as error:
            raise CommandError(str(error)) from error
        write_output(target, pdf.data)
        self.stdout.write(
            (
                _(
                    "Wrote %(path)s: %(version)s, %(variant)s, the stored signed file "
                    "(SHA-256 %(sha256)s)."
                )
                if pdf.stored
                else _(
                    "Wrote %(path)s: %(version)s, %(variant)s, marked as not signed "
                    "(SHA-256 %(sha256)s)."
                )
            )
            % {
                "path": target,
                "version": _("Public version") if public else _("Internal version"),
                "variant": variant,
                "sha256": pdf.sha256,
            }
        )
