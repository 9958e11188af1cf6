import hashlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.management.files import read_input
from meetings.sealing import check_seal
from meetings.verification import find_signed_document, known_seal_certificates


class Command(BaseCommand):
    help = (
        "Check a minutes PDF: is it a file stored when a version was signed (SHA-256), and "
        "is its organisation seal (PAdES) intact, over the whole file, by this site's seal?"
    )

    def add_arguments(self, parser):
        parser.add_argument("pdf", help="the PDF file")

    def handle(self, *args, pdf, **options):
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
