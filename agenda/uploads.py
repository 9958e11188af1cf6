"""An uploaded minutes file as text: TXT, PDF (its text layer), HWPX and HWP 5.

``extract_text(uploaded)`` is the one door for the upload page and the
``import_minutes`` command; what it returns goes to agenda.importing's
preview()/import_minutes() as it is. A file it cannot read raises
``UnreadableFile`` with a message for the person who chose it, and nothing
is saved.

What the file is, is decided by its first bytes, not by its name: ``%PDF-``
is a PDF; a ZIP whose ``mimetype`` says ``application/hwp+zip`` is HWPX; an
OLE compound file is HWP 5 (python-hwpx reads it and says so when it is not
one); anything else must decode as text. A name that promises another type
than the content (``minutes.pdf`` holding a ZIP) is refused, so is a type we
do not read (a program, an image, a Word file), each with a message saying
what to upload instead. The size is checked (settings.IMPORT_MAX_BYTES)
before the file is read.

Text files are decoded by strict decodes in this order: a UTF-8 byte-order
mark, a UTF-16 byte-order mark (Windows Notepad's "Unicode"), UTF-8, then
CP949 (Korean Windows' ANSI code page, a superset of EUC-KR). UTF-8 goes
before CP949 because a CP949 Hangul syllable is never valid UTF-8 (its lead
byte, 0xB0-0xC8, is a UTF-8 continuation byte), so a Korean CP949 file fails
UTF-8 at its first syllable, while UTF-8 text is seldom valid CP949. A file
of many NUL bytes without a UTF-16 mark (a program, UTF-16 without a mark)
or a decoded text of more than 1 % control characters is not text. A few
control characters (a stray NUL, a form feed) are taken out
(minutes_site.inputs.strip_control, as for a paste) and counted in the notes.

PDF: the text layer through pypdfium2 (PDFium, Chrome's PDF engine), not
poppler's ``pdftotext``. Compared on the reference rendered by our own
renderer (meetings.pdf) and on a two-column page with a table (WeasyPrint):

- reading order: PDFium follows the order the page was written in, which for
  word processors and WeasyPrint is the reading order; ``pdftotext``
  interleaved the two columns (1, 5, 2, 6, ...) and printed the signature
  table's row label after the whole table; ``pdftotext -layout`` puts the
  columns side by side on one line, which no parser can undo;
- tables: PDFium keeps a table row on one line (``일 시 2031년 3월 4일``);
  ``pdftotext`` gives every cell a paragraph of its own;
- Korean spacing: ``pdftotext`` squeezed letter-spaced labels (``일 시`` became
  ``일시``, ``확 인 자`` ``확인자``), PDFium kept them as printed;
- line breaks: the same for both (a line of the page is a line of text);
- speed: 15 ms against 100 ms for the reference's 8 pages, in the process
  instead of a subprocess per file;
- dependencies: a wheel with PDFium inside (pinned in requirements.txt),
  where ``pdftotext`` needs poppler-utils on every machine.

Both read the reference to the same 57 speaker blocks and 70 statements.
The one thing PDFium does differently: a running header drawn after the page
body comes at the end of the page's text, next to the page number; the
parser drops both either way. PDFium is not thread-safe, so one lock
serialises it within a process. A PDF without any text on its pages (a
scan) or with a password is refused with its own message; pages without
text in a PDF that has some are named in the notes.

HWPX (and HWP 5, converted to HWPX by python-hwpx 6.9, which reads the
binary format itself: FileHeader, DocInfo, BodyText records): paragraphs in
order, with text boxes inlined. A table becomes one line per row, its cells
separated by a tab (as the reference's text dump prints its signature table)
so that ``label<TAB>value`` rows and attendee tables read like their printed
form; a cell's own paragraphs are joined by a space, except the row's last
cell, whose further paragraphs follow on lines of their own (a speech in a
two-column speaker/speech table keeps its paragraphs). A table of one column
is a box around text: its paragraphs are lines as they are. The archive is
checked before anything is unpacked: the sizes it declares (in total and per
part), its compression ratio and methods and its member names
(python-hwpx's guard, with our own total limit).
"""

import io
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minutes_site.inputs import human_size, strip_control

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWPX_MIMETYPES = {"application/hwp+zip", "application/haansofthwpx"}
# What the name promises, by its extension; other names are judged by content alone.
EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".pdf": "pdf",
    ".hwpx": "hwpx",
    ".hwp": "hwp",
}
# An HWPX of minutes is a few MB of XML when unpacked; its pictures are not read.
# More than this, declared by the archive, is refused before anything is unpacked.
HWPX_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# A PDF can declare millions of pages in a few bytes (all sharing one content).
PDF_MAX_PAGES = 5000
# A text file with more control characters than this share is not text.
MAX_CONTROL_SHARE = 0.01

_pdfium_lock = threading.Lock()


class UnreadableFile(ValueError):
    """The upload cannot be read as minutes; ``message`` says why, for its owner."""

    def __init__(self, message, code="unreadable"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Extracted:
    """The text of an uploaded file and how it was read.

    ``kind`` is "txt", "pdf", "hwpx" or "hwp"; ``pages`` the PDF's page count
    (None for other kinds); ``notes`` what the reader should know (the
    encoding that was used, characters taken out, pages without text).
    """

    text: str
    kind: str
    pages: int | None = None
    notes: list = field(default_factory=list)


KIND_NAMES = {
    "txt": "TXT",
    "pdf": "PDF",
    "hwpx": "HWPX",
    "hwp": "HWP",
}


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def too_large_message(limit=None):
    return _("The file is larger than %(limit)s, the largest file that can be imported.") % {
        "limit": human_size(limit or max_bytes())
    }


def extract_text(uploaded, *, name=None):
    """The text of ``uploaded`` (a Django UploadedFile or any binary file object).

    Raises UnreadableFile when it is too large, empty, of a type we do not
    read, named as another type than it is, damaged, protected by a password
    or without text.
    """
    name = name if name is not None else getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
    limit = max_bytes()
    if size > limit:
        raise UnreadableFile(too_large_message(limit), code="too_large")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:  # the size was not what the file said
        raise UnreadableFile(too_large_message(limit), code="too_large")
    if not data.strip():
        raise UnreadableFile(_("The file is empty."), code="empty")
    kind = detect_kind(data)
    readers = {"txt": read_text, "pdf": read_pdf, "hwpx": read_hwpx, "hwp": read_hwp}
    if kind not in readers:
        raise UnreadableFile(unsupported_message(kind), code="unsupported")
    promised = EXTENSIONS.get(PurePath(name).suffix.lower())
    if promised and promised != kind:
        raise UnreadableFile(
            _(
                "The file is named %(name)s but holds %(kind)s. Check that it is the right "
                "file, or give it the right ending."
            )
            % {"name": PurePath(name).name, "kind": describe_kind(kind)},
            code="mismatch",
        )
    extracted = readers[kind](data)
    text, removed = strip_control(extracted.text.replace("\r\n", "\n").replace("\r", "\n"))
    if removed:
        extracted.notes.append(
            ngettext(
                "%(count)s invisible control character was taken out of the text.",
                "%(count)s invisible control characters were taken out of the text.",
                removed,
            )
            % {"count": removed}
        )
    if not text.strip():
        raise UnreadableFile(_("The file holds no text."), code="empty")
    extracted.text = text
    return extracted


# --- what the file is ----------------------------------------------------------------


def detect_kind(data):
    """What ``data`` is by its first bytes: txt, pdf, hwpx, hwp, or what we do not read."""
    head = data[:1024]
    if head.startswith(PDF_MAGIC) or PDF_MAGIC in head:
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return "hwp" if _is_hwp5(data) else "office"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        return "program"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return "archive"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "txt"
    # A stray NUL in a text is taken out like any control character (read_text
    # refuses a text with many); a file of many NULs is not text at all.
    sample = data[:65536]
    if sample.count(0) > len(sample) // 10:
        return "binary"
    return "txt"


def _is_hwp5(data):
    try:
        from hwpx.hwp5.cfb import CompoundFile  # noqa: PLC0415 (only for OLE files)

        # Word 97 and Excel files are compound files too; HWP 5 has a FileHeader stream.
        return CompoundFile(data).has_stream("FileHeader")
    except Exception:  # a damaged compound file is not HWP we could read anyway
        return False


def _zip_kind(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = _read_small(archive, "mimetype").decode("ascii", "replace").strip()
                if mimetype in HWPX_MIMETYPES:
                    return "hwpx"
            if "Contents/section0.xml" in names:
                return "hwpx"
            if "word/document.xml" in names or "content.xml" in names:
                return "office"
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "damaged-zip"
    return "archive"


def _read_small(archive, member, limit=4096):
    with archive.open(member) as handle:
        return handle.read(limit)


def describe_kind(kind):
    return {
        "txt": _("a text file"),
        "pdf": _("a PDF document"),
        "hwpx": _("an HWPX document"),
        "hwp": _("an HWP document"),
        "office": _("an office document (Word, Excel or similar)"),
        "program": _("a program"),
        "image": _("an image"),
        "archive": _("a compressed archive"),
        "damaged-zip": _("a damaged ZIP archive"),
        "binary": _("binary data"),
    }.get(kind, _("a file of unknown type"))


def unsupported_message(kind):
    accepted = _(
        "Upload the minutes as a text file (.txt), a PDF with a text layer, or an HWPX or HWP "
        "document."
    )
    if kind == "image":
        return _("This file is an image, which has no text to import. %(accepted)s") % {
            "accepted": accepted
        }
    if kind == "office":
        return _(
            "This file is an office document (Word, Excel or similar), which is not read "
            "here. Save it as PDF and upload that."
        )
    if kind == "binary":
        return _(
            "This file is not text: it holds binary data. If it is a text file, save it as "
            "UTF-8 text and try again. %(accepted)s"
        ) % {"accepted": accepted}
    if kind == "damaged-zip":
        return _("This file looks like an HWPX document but is damaged and cannot be opened.")
    return _("This file is %(kind)s, not minutes we can read. %(accepted)s") % {
        "kind": describe_kind(kind),
        "accepted": accepted,
    }


# --- text ------------------------------------------------------------------------------


def read_text(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return Extracted(_decode(data[3:], "utf-8"), "txt", notes=[_("Read as UTF-8 text.")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Extracted(
            _decode(data, "utf-16"), "txt", notes=[_("Read as UTF-16 (Unicode) text.")]
        )
    try:
        return Extracted(data.decode("utf-8"), "txt", notes=[_("Read as UTF-8 text.")])
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _(
                "The file is not text in UTF-8 or in the Korean Windows encoding (CP949/EUC-KR): "
                "byte %(offset)s cannot be read. Save it as UTF-8 text and try again."
            )
            % {"offset": error.start},
            code="encoding",
        ) from None
    _refuse_binary(text)
    return Extracted(text, "txt", notes=[_("Read as Korean Windows text (CP949/EUC-KR).")])


def _decode(data, encoding):
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _(
                "The file says it is %(encoding)s text, but byte %(offset)s cannot be read as "
                "such. Save it as UTF-8 text and try again."
            )
            % {"encoding": encoding.upper(), "offset": error.start},
            code="encoding",
        ) from None
    _refuse_binary(text)
    return text


def _refuse_binary(text):
    """Text full of control characters is binary data that happened to decode."""
    _kept, removed = strip_control(text[:200_000])
    if removed > max(8, MAX_CONTROL_SHARE * min(len(text), 200_000)):
        raise UnreadableFile(unsupported_message("binary"), code="unsupported")


# --- PDF ------------------------------------------------------------------------------


def read_pdf(data):
    import pypdfium2 as pdfium  # noqa: PLC0415 (loads PDFium: only when a PDF comes)
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise UnreadableFile(
                    _(
                        "The PDF is protected by a password. Save a copy without the password "
                        "and upload that."
                    ),
                    code="encrypted",
                ) from None
            raise UnreadableFile(
                _("The PDF is damaged or incomplete and cannot be opened."), code="damaged"
            ) from None
        try:
            count = len(document)
            if count > PDF_MAX_PAGES:
                raise UnreadableFile(
                    _("The PDF has %(count)s pages; at most %(limit)s can be imported.")
                    % {"count": count, "limit": PDF_MAX_PAGES},
                    code="too_large",
                )
            pages = []
            for index in range(count):
                page = document[index]
                try:
                    text_page = page.get_textpage()
                    try:
                        pages.append(text_page.get_text_bounded())
                    finally:
                        text_page.close()
                finally:
                    page.close()
        except pdfium.PdfiumError:
            raise UnreadableFile(
                _("The PDF is damaged or incomplete and cannot be read."), code="damaged"
            ) from None
        finally:
            document.close()
    empty = [number for number, text in enumerate(pages, start=1) if not text.strip()]
    if not pages or len(empty) == len(pages):
        raise UnreadableFile(
            _(
                "The PDF has no text layer: it is probably a scan (pictures of pages). Upload "
                "the original document, or a PDF made from it by a word processor."
            ),
            code="no_text",
        )
    notes = [
        ngettext(
            "Read the text layer of %(count)s PDF page.",
            "Read the text layer of %(count)s PDF pages.",
            len(pages),
        )
        % {"count": len(pages)}
    ]
    if empty:
        notes.append(
            _("Pages without text (scanned?), not imported: %(pages)s.")
            % {"pages": ", ".join(map(str, empty))}
        )
    # Pages end where the next begins: a sentence broken across them is joined by the parser.
    text = "\n".join(page.rstrip("\r\n") for page in pages)
    return Extracted(text, "pdf", pages=len(pages), notes=notes)


# --- HWPX and HWP 5 --------------------------------------------------------------------


def read_hwp(data):
    from hwpx.errors import Hwp5Error  # noqa: PLC0415
    from hwpx.hwp5.package import convert, to_hwpx_bytes  # noqa: PLC0415

    try:
        converted = convert(data)
        package = to_hwpx_bytes(converted.files)
    except Hwp5Error as error:
        code = getattr(error, "code", "")
        if code in ("hwp5-password", "hwp5-distribution", "hwp5-drm"):
            raise UnreadableFile(
                _(
                    "The HWP document is protected (a password or a distribution document). "
                    "Open it in 한글, save an unprotected copy as HWPX or PDF and upload that."
                ),
                code="encrypted",
            ) from None
        if code == "hwp5-limit-exceeded":
            raise UnreadableFile(
                _("The HWP document is too large to be read here."), code="too_large"
            ) from None
        raise UnreadableFile(
            _(
                "The HWP document is damaged or of an old version and cannot be read. Open it "
                "in 한글, save it as HWPX or PDF and upload that."
            ),
            code="damaged",
        ) from None
    except (ValueError, KeyError, IndexError, OSError):
        raise UnreadableFile(
            _(
                "The HWP document cannot be read. Open it in 한글, save it as HWPX or PDF and "
                "upload that."
            ),
            code="damaged",
        ) from None
    extracted = read_hwpx(package)
    extracted.kind = "hwp"
    extracted.notes = [_("Read the HWP document's paragraphs and tables.")]
    return extracted


def read_hwpx(data):
    from hwpx.opc.security import (  # noqa: PLC0415
        HwpxSecurityError,
        ZipGuardLimits,
        guard_zip_file,
    )
    from hwpx.tools.text_extractor import TextExtractor  # noqa: PLC0415

    damaged = _("The HWPX document is damaged and cannot be read.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise UnreadableFile(damaged, code="damaged") from None
    with archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > HWPX_MAX_UNPACKED_BYTES:
            raise UnreadableFile(
                _(
                    "The HWPX document says it unpacks to %(size)s, more than the %(limit)s "
                    "that are read: it was not opened."
                )
                % {
                    "size": human_size(declared),
                    "limit": human_size(HWPX_MAX_UNPACKED_BYTES),
                },
                code="too_large",
            )
        try:
            guard_zip_file(
                archive, limits=ZipGuardLimits(max_total_uncompressed_bytes=HWPX_MAX_UNPACKED_BYTES)
            )
            extractor = TextExtractor(archive)
            lines = []
            for section in extractor.iter_sections():
                lines.extend(_element_lines(extractor, section.element))
        except HwpxSecurityError:
            raise UnreadableFile(
                _(
                    "The HWPX document is built in a way that is not safe to unpack (sizes, "
                    "compression or names): it was not opened."
                ),
                code="unsafe",
            ) from None
        except (
            ElementTree.ParseError,
            zipfile.BadZipFile,
            ValueError,
            KeyError,
            OSError,
            EOFError,
            RuntimeError,  # zipfile: an encrypted member
        ):
            raise UnreadableFile(
                _("The HWPX document is damaged or protected by a password and cannot be read."),
                code="damaged",
            ) from None
    return Extracted(
        "\n".join(lines), "hwpx", notes=[_("Read the HWPX document's paragraphs and tables.")]
    )


def _local(element):
    return element.tag.rsplit("}", 1)[-1]


def _children(element, name):
    return [child for child in element if _local(child) == name]


def _element_lines(extractor, container):
    """The lines of the paragraphs directly in ``container`` (a section or a cell's list)."""
    lines = []
    for paragraph in _children(container, "p"):
        lines.extend(_paragraph_lines(extractor, paragraph))
    return lines


def _paragraph_lines(extractor, paragraph):
    tables = []
    for run in _children(paragraph, "run"):
        for table in _children(run, "tbl"):
            tables.append(table)
            run.remove(table)  # our own parse of the part: read apart, below
    text = extractor.paragraph_text(paragraph, object_behavior="nested", preserve_breaks=True)
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    for table in tables:
        lines.extend(_table_lines(extractor, table))
    return lines


def _cell_lines(extractor, cell):
    lines = []
    for sub_list in _children(cell, "subList"):
        lines.extend(_element_lines(extractor, sub_list))
    return [line.strip() for line in lines if line.strip()]


def _table_lines(extractor, table):
    rows = [
        [_cell_lines(extractor, cell) for cell in _children(row, "tc")]
        for row in _children(table, "tr")
    ]
    if all(len(cells) <= 1 for cells in rows):
        # One column: a box around text, not a table.
        return [line for cells in rows for lines in cells for line in lines]
    lines = []
    for cells in rows:
        if not any(cells):
            continue
        *first, last = cells
        row = [" ".join(lines) for lines in first] + [last[0] if last else ""]
        lines.append("\t".join(row).rstrip())
        lines.extend(last[1:])
    return lines
