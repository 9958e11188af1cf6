from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.minutes import current_content
from meetings.models import Meeting
from meetings.pdf import Variant, render_minutes_pdf


class Command(BaseCommand):
    help = "Render a meeting's minutes as PDF (internal or public; PDF/A-3b, PDF/A-1b or plain)."

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
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        pdf = render_minutes_pdf(current_content(found), public=public, variant=variant)
        target.write_bytes(pdf)
        version = "public" if public else "internal"
        self.stdout.write(f"Wrote {target} ({len(pdf):,} bytes, {version}, {variant}).")
