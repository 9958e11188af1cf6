from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.sealing import check_seal
from meetings.verification import find_signed_document, known_seal_certificates, sha256_of_bytes


class Command(BaseCommand):
    help = (
        "Check a minutes PDF: is it a file stored when a version was signed (SHA-256), and "
        "is its organisation seal (PAdES) intact, over the whole file, by this site's seal?"
    )

    def add_arguments(self, parser):
        parser.add_argument("pdf", help="the PDF file")

    def handle(self, *args, pdf, **options):
        path = Path(pdf)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        results = []
        digest = sha256_of_bytes(data)
        found = find_signed_document(sha256=digest, pdf_only=True)
        if found is None:
            results.append((False, f"SHA-256 {digest} is not a signed file of this site."))
        else:
            version = found.document.version
            results.append(
                (
                    True,
                    f"SHA-256 {digest}: {version}, {found.file.get_kind_display()}, "
                    f"code {found.document.verification_code}.",
                )
            )
            successor = version.successor()
            if successor is not None:
                results.append((False, f"Replaced by version {successor.number} (amended)."))
        seal = check_seal(data, known_seal_certificates())
        results += seal.lines()
        results += [(False, str(problem)) for problem in seal.problems]
        for passed, text in results:
            self.stdout.write(f"{'PASS' if passed else 'FAIL'}  {text}")
        if not all(passed for passed, _text in results):
            raise CommandError("The file did not pass every check.")
        self.stdout.write("The file passed every check.")
