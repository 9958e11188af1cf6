"""The archive export: every signed version's stored files, with a manifest.

build_archive() packs, for each signed version, its stored files exactly as
they were sealed and its canonical JSON, plus manifest.json and manifest.csv
(committee, meeting, version, confirmation and signing times, signers, and
the SHA-256 of every file). Nothing in it depends on when it is made: the
same data always gives a byte-identical ZIP. verify_archive() re-checks a ZIP
from anywhere, file by file, without the database.
"""

import csv
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SealedFile, Signature, SignedDocument
from .sealing import check_seal

FORMAT = "minutes-archive/1"
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
CONTENT_NAME = "minutes.json"
# ZIP entries carry a date; every entry gets this fixed one, so that the ZIP
# never depends on when it was made and can be rebuilt byte for byte from its
# contents (the times that matter are in the manifest).
EPOCH = (1980, 1, 1, 0, 0, 0)
# Every value of manifest.json is also in manifest.csv, so that each checks the other.
CSV_COLUMNS = [
    "committee",
    "committee_slug",
    "meeting",
    "meeting_slug",
    "version",
    "confirmed_at",
    "signed_at",
    "signers",
    "verification_code",
    "content_sha256",
    "path",
    "kind",
    "sha256",
    "size",
    "seal_certificate_sha256",
]


def signed_documents(*, committee=None, year=None, meetings=None):
    """The signed versions to export, oldest meeting first, with everything they need."""
    documents = SignedDocument.objects.select_related(
        "version__meeting__committee", "version__frozen_by"
    ).prefetch_related(
        "files",
        Prefetch("version__signatures", queryset=Signature.objects.order_by("signed_at", "pk")),
    )
    if committee is not None:
        documents = documents.filter(version__meeting__committee=committee)
    if year is not None:
        documents = documents.filter(version__meeting__year=year)
    if meetings is not None:
        documents = documents.filter(version__meeting__in=meetings)
    return documents.order_by(
        "version__meeting__committee__slug",
        "version__meeting__year",
        "version__meeting__sequence",
        "version__number",
    )


def _local(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def pack(entries):
    """(name, bytes) pairs as a ZIP, the same bytes for the same pairs on any day."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system makes it
            archive.writestr(info, data)
    return output.getvalue()


def build_archive(documents, *, progress=None):
    """The ZIP (bytes) of ``documents`` (SignedDocument, as from signed_documents()).

    ``progress(done, total)``, if given, is told after each document (the
    export task's progress bar); the manifests and the packing are the last step.
    """
    documents = list(documents)
    total = len(documents) + 1
    entries = []
    versions = []
    for done, document in enumerate(documents):
        if progress is not None:
            progress(done, total)
        version = document.version
        meeting = version.meeting
        signatures = list(version.signatures.all())
        signed_at = max(s.signed_at for s in signatures) if signatures else document.created_at
        folder = f"{meeting.slug}/v{version.number}/"
        files = []
        order = list(SealedFile.Kind.values)
        for stored in sorted(document.files.all(), key=lambda f: order.index(f.kind)):
            path = folder + stored.filename(version)
            entries.append((path, bytes(stored.pdf)))
            files.append(
                {
                    "path": path,
                    "kind": stored.kind,
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "seal_certificate_sha256": stored.seal_certificate_sha256,
                }
            )
        content = version.content.encode("utf-8")
        path = folder + CONTENT_NAME
        entries.append((path, content))
        files.append(
            {
                "path": path,
                "kind": "content",
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "seal_certificate_sha256": "",
            }
        )
        versions.append(
            {
                "committee": meeting.committee.name,
                "committee_slug": meeting.committee.slug,
                "meeting": str(meeting),
                "meeting_slug": meeting.slug,
                "version": version.number,
                "confirmed_at": _local(version.frozen_at),
                "signed_at": _local(signed_at),
                "verification_code": document.verification_code,
                "content_sha256": version.content_sha256,
                "signers": [
                    {
                        "name": s.signer_name,
                        "title": s.signer_title,
                        "role": s.signer_role,
                        "signed_at": _local(s.signed_at),
                    }
                    for s in signatures
                ],
                "files": files,
            }
        )
    manifest = {"format": FORMAT, "versions": versions}
    manifest_json = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    entries.append((MANIFEST_JSON, manifest_json.encode("utf-8")))
    entries.append((MANIFEST_CSV, manifest_csv(versions).encode("utf-8-sig")))
    if progress is not None:
        progress(len(documents), total)
    data = pack(entries)
    if progress is not None:
        progress(total, total)
    return data


def manifest_csv(versions):
    """One row per file, for a spreadsheet (UTF-8 with BOM, so Excel reads Korean)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for version in versions:
        signers = "; ".join(
            f"{s['name']} ({s['title']}, {s['role']}) {s['signed_at']}" for s in version["signers"]
        )
        for file in version["files"]:
            row = {**version, **file, "signers": signers}
            writer.writerow([row[column] for column in CSV_COLUMNS])
    return text.getvalue()


def archive_filename(committee=None, year=None):
    parts = ["minutes-archive", committee.slug if committee else "all", str(year or "all")]
    return "-".join(parts) + ".zip"


@dataclass
class FileReport:
    """The checks of one file of an archive: passed when it has no problem."""

    path: str
    checks: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.problems


def _read(archive, name):
    """An entry's bytes, or the reason it cannot be read (damaged, missing)."""
    try:
        return archive.read(name), None
    except KeyError:
        return None, _("missing from the archive")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        return None, _("damaged in the archive (%(reason)s)") % {"reason": error}


def verify_archive(data):
    """Check an archive (bytes) file by file: a list of FileReport, archive-wide first.

    Every file listed in the manifest must be in the ZIP, intact, with the
    listed SHA-256; each PDF's organisation seal must be intact, cover the
    whole file and be made with the certificate the manifest names; the CSV
    manifest must list the same files and hashes; nothing unlisted may be there.
    """
    whole = FileReport(_("(the archive)"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        whole.problems.append(_("not a readable ZIP file (%(reason)s)") % {"reason": error})
        return [whole]
    reports = [whole]
    raw, problem = _read(archive, MANIFEST_JSON)
    manifest_report = FileReport(MANIFEST_JSON)
    reports.append(manifest_report)
    if problem:
        manifest_report.problems.append(problem)
        return reports
    try:
        manifest = json.loads(raw.decode("utf-8"))
        listed = [(v, f) for v in manifest["versions"] for f in v["files"]]
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError) as error:
        manifest_report.problems.append(
            _("not a manifest this site can read (%(reason)s)") % {"reason": error}
        )
        return reports
    manifest_report.checks.append(
        _("%(count)s files of %(versions)s signed versions listed")
        % {"count": len(listed), "versions": len(manifest["versions"])}
    )
    reports.append(_check_manifests(archive, manifest, manifest_report))
    for version, listed_file in listed:
        reports.append(_check_file(archive, version, listed_file))
    known = {f["path"] for _v, f in listed} | {MANIFEST_JSON, MANIFEST_CSV}
    for name in names:
        if name not in known:
            reports.append(FileReport(name, problems=[_("not listed in the manifest")]))
    _check_structure(data, archive, reports)
    return reports


def _check_structure(data, archive, reports):
    """The ZIP must be exactly what its contents pack to: a changed header, date,
    attribute or comment is reported on the entry it belongs to."""
    contents = []
    for info in archive.infolist():
        entry, problem = _read(archive, info.filename)
        if problem:
            return  # already reported on that file
        contents.append((info.filename, entry))
    rebuilt = pack(contents)
    if rebuilt == data:
        reports[0].checks.append(_("the ZIP is exactly what its files pack to"))
        return
    offset = next(
        (i for i, (a, b) in enumerate(zip(data, rebuilt, strict=False)) if a != b),
        min(len(data), len(rebuilt)),
    )
    owner = None
    for info in sorted(archive.infolist(), key=lambda i: i.header_offset):
        if info.header_offset <= offset:
            owner = info.filename
    central = archive.start_dir  # where the central directory begins
    message = _("the ZIP's headers were changed at byte %(offset)s") % {"offset": offset}
    if owner is None or offset >= central:
        reports[0].problems.append(message)
        return
    report = next((r for r in reports if r.path == owner), None)
    if report is None:
        report = FileReport(owner)
        reports.append(report)
    report.problems.append(message)


def _check_manifests(archive, manifest, manifest_report):
    """manifest.csv must say exactly what manifest.json says (both are reported if not)."""
    report = FileReport(MANIFEST_CSV)
    raw, problem = _read(archive, MANIFEST_CSV)
    if problem:
        report.problems.append(problem)
        return report
    try:
        text = raw.decode("utf-8-sig")
        expected = manifest_csv(manifest["versions"])
    except (UnicodeDecodeError, KeyError, TypeError) as error:
        report.problems.append(_("cannot be read (%(reason)s)") % {"reason": error})
        return report
    if text != expected:
        disagreement = _("manifest.json and manifest.csv disagree: one of them was changed")
        report.problems.append(disagreement)
        manifest_report.problems.append(disagreement)
    else:
        report.checks.append(_("says exactly what manifest.json says"))
    return report


def _check_file(archive, version, listed):
    report = FileReport(listed["path"])
    data, problem = _read(archive, listed["path"])
    if problem:
        report.problems.append(problem)
        return report
    digest = hashlib.sha256(data).hexdigest()
    if digest != listed["sha256"]:
        report.problems.append(
            _("SHA-256 %(actual)s differs from the manifest's %(listed)s")
            % {"actual": digest, "listed": listed["sha256"]}
        )
    else:
        report.checks.append(_("SHA-256 as listed"))
    if listed["kind"] == "content":
        if digest != version.get("content_sha256"):
            report.problems.append(_("is not the signed content (its hash differs)"))
        return report
    seal = check_seal(data, [listed["seal_certificate_sha256"]])
    if not listed["seal_certificate_sha256"]:
        report.checks.append(_("stored before documents were sealed: no seal to check"))
        return report
    for passed, text in seal.lines():
        (report.checks if passed else report.problems).append(text)
    return report
