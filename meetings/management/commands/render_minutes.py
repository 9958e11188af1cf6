from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.downloads import NotStored, minutes_file
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
                f"No meeting {meeting!r}: give its id or a slug like data-policy-2026-1."
            )
        target = Path(output)
        if target.is_dir():
            raise CommandError(f"{target} is a folder: give the PDF file's name.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        try:
            pdf = minutes_file(found, public=public, variant=variant)
        except NotStored as error:
            raise CommandError(str(error)) from error
        try:
            target.write_bytes(pdf.data)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.") from error
        version = "public" if public else "internal"
        what = "the stored signed file" if pdf.stored else "marked as not signed"
        self.stdout.write(
            f"Wrote {target} ({len(pdf.data):,} bytes, {version}, {variant}, {what}; "
            f"SHA-256 {pdf.sha256})."
        )
