import hashlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.management.files import read_input
from meetings.models import SealedFile
from meetings.sealing import check_seal
from meetings.verification import find_signed_document, known_seal_certificates


class Command(BaseCommand):
    help = (
        "Check a minutes PDF: is it a file stored when a version was signed (SHA-256), and "
        "is its organisation seal (PAdES) intact, over the whole file, by this site's seal? "
        "With --all: every stored signed file, as after restoring a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("pdf", nargs="?", help="the PDF file")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every_file",
            help="check every stored signed file: its SHA-256 as registered and its seal",
        )

    def handle(self, *args, pdf, every_file, **options):
        if every_file == bool(pdf):
            raise CommandError(_("Give either a PDF file or --all."))
        if every_file:
            return self.check_stored_files()
        data = read_input(pdf)
        results = []
        digest = hashlib.sha256(data).hexdigest()
        found = find_signed_document(sha256=digest, pdf_only=True)
        if found is None:
            results.append(
                (
                    False,
                    _("SHA-256 %(sha256)s is not a signed file of this site.") % {"sha256": digest},
                )
            )
        else:
            version = found.document.version
            results.append(
                (
                    True,
                    _("SHA-256 %(sha256)s: %(version)s, %(kind)s, code %(code)s.")
                    % {
                        "sha256": digest,
                        "version": version,
                        "kind": found.file.get_kind_display(),
                        "code": found.document.verification_code,
                    },
                )
            )
            successor = version.successor()
            if successor is not None:
                results.append(
                    (
                        False,
                        _("This version was amended and replaced by version %(number)s.")
                        % {"number": successor.number},
                    )
                )
        seal = check_seal(data, known_seal_certificates())
        results += seal.lines()
        results += [(False, str(problem)) for problem in seal.problems]
        for passed, text in results:
            self.stdout.write(f"{'PASS' if passed else 'FAIL'}  {text}")
        if not all(passed for passed, _text in results):
            raise CommandError(_("The file did not pass every check."))
        self.stdout.write(_("The file passed every check."))

    def check_stored_files(self):
        """Each stored file's bytes still hash to its registered SHA-256, and its seal holds."""
        known = known_seal_certificates()
        failed = checked = 0
        stored_files = SealedFile.objects.select_related(
            "document__version__meeting__committee"
        ).order_by("pk")
        for stored in stored_files.iterator(chunk_size=20):
            data = bytes(stored.pdf)
            digest = hashlib.sha256(data).hexdigest()
            results = [
                (
                    digest == stored.sha256,
                    _("SHA-256 as registered.")
                    if digest == stored.sha256
                    else _("The stored bytes hash to %(digest)s, not to the registered %(sha256)s.")
                    % {"digest": digest, "sha256": stored.sha256},
                )
            ]
            if stored.is_sealed:
                seal = check_seal(data, known)
                results += seal.lines()
                results += [(False, str(problem)) for problem in seal.problems]
            else:
                results.append((True, _("Stored before files were sealed: no seal to check.")))
            passed = all(result for result, _text in results)
            checked += 1
            failed += not passed
            self.stdout.write(
                f"{'PASS' if passed else 'FAIL'}  {stored.filename()}: "
                + " ".join(str(text) for _result, text in results)
            )
        if failed:
            raise CommandError(
                _("%(failed)s of %(count)s stored files did not pass every check.")
                % {"failed": failed, "count": checked}
            )
        self.stdout.write(_("All %(count)s stored files passed every check.") % {"count": checked})
