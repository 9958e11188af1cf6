"""The organisation seal: a PAdES signature on every official file, and its check.

The signers' drawn signatures prove who approved the text; the seal proves,
offline and in any PDF reader, that the file came from the committee's
organisation and has not changed since. Each stored file is signed once with
pyHanko as PAdES baseline B-B (B-T when a timestamp server is configured): an
invisible signature field added in an incremental update, so the rendered
PDF/A file stays byte for byte inside the signed one and keeps its PDF/A
identification.

The certificate and key come from a PKCS#12 file named by settings
(MINUTES_SEAL_FILE, MINUTES_SEAL_PASSWORD or MINUTES_SEAL_PASSWORD_FILE,
MINUTES_SEAL_TSA_URL). `make run` creates a self-signed demo seal, marked as
such in its subject; sealing refuses it when debug is off.
"""

import asyncio
import datetime
import hashlib
import io
import ipaddress
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

# Written into the demo certificate's subject (organisational unit): the one
# thing that tells the demo seal apart, and the reason production refuses it.
DEMO_MARK = "DEMO SEAL - NOT FOR PRODUCTION"
FIELD_NAME = "OrganisationSeal"
TIMESTAMP_TIMEOUT = 10  # seconds


def run_async(make_coroutine):
    """Run pyHanko's coroutine to its end from synchronous code.

    pyHanko's synchronous calls use asyncio.run(), which refuses to start in a
    thread whose event loop is already running (an ASGI server, a browser
    driver): there, the coroutine runs in a worker thread with its own loop.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(make_coroutine())).result()


class SealError(Exception):
    """The seal cannot be applied; the message says why and what to set."""


@dataclass(frozen=True)
class OrganisationSeal:
    signer: signers.SimpleSigner
    certificate: asn1_x509.Certificate

    @property
    def sha256(self):
        """The certificate's SHA-256 fingerprint (hex), as stored with each sealed file."""
        return hashlib.sha256(self.certificate.dump()).hexdigest()

    @property
    def subject(self):
        return self.certificate.subject.human_friendly

    @property
    def organisation(self):
        native = self.certificate.subject.native
        return native.get("organization_name") or native.get("common_name") or self.subject

    @property
    def is_demo(self):
        return DEMO_MARK in self.subject


def _password():
    if settings.SEAL_PASSWORD is not None:
        return settings.SEAL_PASSWORD
    if not settings.SEAL_PASSWORD_FILE:
        return None
    try:
        return Path(settings.SEAL_PASSWORD_FILE).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as error:
        raise SealError(
            _("The seal's password file %(path)s cannot be read (%(reason)s).")
            % {"path": settings.SEAL_PASSWORD_FILE, "reason": error.strerror}
        ) from error


def configured_seal():
    """The organisation seal named by the settings; SealError says what is missing."""
    path = settings.SEAL_CERTIFICATE_FILE
    if not path:
        raise SealError(
            _(
                "No organisation seal is configured: set MINUTES_SEAL_FILE to a PKCS#12 "
                "file and MINUTES_SEAL_PASSWORD or MINUTES_SEAL_PASSWORD_FILE."
            )
        )
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SealError(
            _("The seal file %(path)s cannot be read (%(reason)s).")
            % {"path": path, "reason": error.strerror}
        ) from error
    return _load_seal(data, _password())


@lru_cache(maxsize=4)
def _load_seal(data, password):
    # Opened once with cryptography to say in words what is wrong (pyHanko's
    # loader fails on a file without a key with an AttributeError), then by
    # pyHanko for signing; cached, so once per process and file.
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password is not None else None
        )
    except ValueError as error:
        raise SealError(
            _("The seal file cannot be opened: wrong password, or not a PKCS#12 file.")
        ) from error
    if key is None or certificate is None:
        raise SealError(_("The seal file must hold both a certificate and its private key."))
    signer = signers.SimpleSigner.load_pkcs12_data(
        data, other_certs=[], passphrase=password.encode() if password is not None else None
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    return OrganisationSeal(signer=signer, certificate=asn1_x509.Certificate.load(der))


def site_url_problems():
    """Why DJANGO_SITE_URL cannot be sealed into files forever (debug off only)."""
    if settings.DEBUG:
        return []
    parts = urlsplit(settings.SITE_URL)
    problems = []
    if parts.scheme != "https":
        problems.append(
            _(
                "DJANGO_SITE_URL (%(url)s) must be an https:// address: it is printed on "
                "every signed file as the place to verify it."
            )
            % {"url": settings.SITE_URL}
        )
    host = (parts.hostname or "").lower()
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost") or not host
    if loopback:
        problems.append(
            _(
                "DJANGO_SITE_URL (%(url)s) is this machine's own address: readers of the "
                "signed files could never reach it. Set the site's public address."
            )
            % {"url": settings.SITE_URL}
        )
    return problems


def seal_problems():
    """Everything that stops sealing now (empty when a signed version can be sealed)."""
    problems = site_url_problems()
    try:
        seal = configured_seal()
    except SealError as error:
        problems.append(str(error))
        return problems
    if seal.is_demo and not settings.DEBUG:
        problems.append(
            _(
                "The demo seal certificate cannot seal official minutes: configure the "
                "organisation's own certificate (MINUTES_SEAL_FILE)."
            )
        )
    now = datetime.datetime.now(tz=datetime.UTC)
    validity = seal.certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        problems.append(
            _("The seal certificate is not valid today (valid %(start)s to %(end)s).")
            % {
                "start": validity["not_before"].native.date(),
                "end": validity["not_after"].native.date(),
            }
        )
    return problems


def timestamper():
    """The RFC 3161 timestamp server for B-T, or None for B-B."""
    url = settings.SEAL_TIMESTAMP_URL
    return timestamps.HTTPTimeStamper(url, timeout=TIMESTAMP_TIMEOUT) if url else None


def apply_seal(pdf, *, reason, location=""):
    """``pdf`` with the organisation's PAdES signature appended (incremental update).

    Returns (sealed bytes, the seal used). The original bytes are kept intact
    at the start of the result, so its PDF/A identification stays true.
    """
    seal = configured_seal()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=seal.organisation,
        reason=reason,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=seal.signer,
        timestamper=timestamper(),
        new_field_spec=fields.SigFieldSpec(FIELD_NAME),
    )
    try:
        output = run_async(lambda: pdf_signer.async_sign_pdf(writer))
    except Exception as error:  # pyHanko and the timestamp server fail in many ways
        logger.exception("Sealing failed")
        raise SealError(
            _("The file could not be sealed: %(reason)s") % {"reason": error}
        ) from error
    return output.getvalue(), seal


@dataclass
class SealCheck:
    """What checking a file's organisation seal found, check by check."""

    found: bool = False
    intact: bool = False
    covers_whole_file: bool = False
    certificate_subject: str = ""
    certificate_sha256: str = ""
    known_certificate: bool = False
    signed_at: datetime.datetime | None = None
    timestamp: datetime.datetime | None = None
    problems: list = field(default_factory=list)

    @property
    def passed(self):
        return self.found and self.intact and self.covers_whole_file and self.known_certificate

    def lines(self):
        """(passed, text) per check, in words a reader understands."""
        if not self.found:
            return [(False, _("The file carries no organisation seal (PAdES signature)."))]
        return [
            (
                self.intact,
                _("The seal's signature is intact: the signed bytes are unchanged.")
                if self.intact
                else _("The seal's signature does not match the file: it was changed."),
            ),
            (
                self.covers_whole_file,
                _("The seal covers the whole file.")
                if self.covers_whole_file
                else _("Something was added to the file after it was sealed."),
            ),
            (
                self.known_certificate,
                _("Sealed with this site's certificate: %(subject)s")
                % {"subject": self.certificate_subject}
                if self.known_certificate
                else _("Sealed with a certificate this site does not know: %(subject)s")
                % {"subject": self.certificate_subject},
            ),
        ]


def check_seal(pdf, known_certificates=()):
    """Check the organisation seal of ``pdf`` (bytes from anywhere, never trusted).

    ``known_certificates``: SHA-256 fingerprints of the seal certificates this
    site has used; the configured one is always known.
    """
    known = set(known_certificates)
    try:
        known.add(configured_seal().sha256)
    except SealError:
        pass
    result = SealCheck()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # a hostile or broken file: pyHanko's parser raises many kinds
        logger.info("Could not read a PDF's signatures", exc_info=True)
        result.problems.append(_("The file could not be read as a PDF."))
        return result
    seals = [s for s in embedded if s.field_name == FIELD_NAME] or embedded[-1:]
    if not seals:
        return result
    embedded_seal = seals[-1]
    result.found = True
    try:
        certificate = embedded_seal.signer_cert
        result.certificate_subject = certificate.subject.human_friendly
        result.certificate_sha256 = hashlib.sha256(certificate.dump()).hexdigest()
        result.known_certificate = result.certificate_sha256 in known
        context = ValidationContext(
            trust_roots=[certificate] if result.known_certificate else [],
            allow_fetching=False,
        )
        status = run_async(lambda: async_validate_pdf_signature(embedded_seal, context))
    except Exception:
        logger.info("Could not validate a PDF's seal", exc_info=True)
        result.problems.append(_("The seal could not be validated."))
        return result
    result.intact = bool(status.intact and status.valid)
    result.covers_whole_file = status.coverage == status.coverage.ENTIRE_FILE and len(
        embedded
    ) == len(seals)
    result.signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None:
        result.timestamp = status.timestamp_validity.timestamp
    return result


def create_demo_seal(p12_path, password_path):
    """A self-signed seal for trying the site out, marked DEMO in its subject."""
    return create_self_signed_seal(
        p12_path,
        password_path,
        organisation="데모 위원회 (DEMO)",
        unit=DEMO_MARK,
        common_name="회의록 데모 전자직인 (DEMO)",
    )


def create_self_signed_seal(p12_path, password_path, *, organisation, unit, common_name):
    """A self-signed seal certificate and key as PKCS#12, its password in a file."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(tz=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(18)
    p12 = pkcs12.serialize_key_and_certificates(
        b"minutes-demo-seal",
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )
    p12_path = Path(p12_path)
    p12_path.parent.mkdir(parents=True, exist_ok=True)
    p12_path.write_bytes(p12)
    p12_path.chmod(0o600)
    Path(password_path).write_text(password + "\n", encoding="utf-8")
    Path(password_path).chmod(0o600)
    return certificate
