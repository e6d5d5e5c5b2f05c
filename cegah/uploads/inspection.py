"""Checking an uploaded file before anything is stored. Pure: writes nothing.

The type comes from the content (filetype reads the signature), never from the name or the
browser's Content-Type; the name only has to agree with it. Office files are zip archives and
are opened to refuse zip bombs, macros and embedded web pages without extracting anything;
Office 97-2003 files are read by oletools for VBA and Excel 4 macros; PDF files are parsed
(pypdf) and every object, decoded, is looked at for scripts, actions and embedded files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import filetype
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# What each accepted extension may contain, by detected MIME type.
ACCEPTED: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
    "doc": ("application/x-ole-storage", "application/msword"),
    "xls": ("application/x-ole-storage", "application/vnd.ms-excel"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "odt": ("application/vnd.oasis.opendocument.text",),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet",),
    "csv": ("text/csv",),
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_KINDS = ("docx", "xlsx", "odt", "ods")
OLE_KINDS = ("doc", "xls")
# Unpacked office files larger than this, or packed more tightly than this, are not documents.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_NAME_LENGTH = 150
CHUNK = 1024 * 1024

# pypdf logs the damage it works around as warnings. A log line timed to an upload would say
# when a whistle-blower sent a file (docs/subsystems/wbs-privacy.md), and the damage that
# matters is a refusal with its reason already.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class UploadRejected(Exception):
    """The upload is refused; `message` says why in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InspectedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def _clean_name(name: str) -> tuple[str, str]:
    if (
        not name
        or "\x00" in name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or ".." in name
    ):
        raise UploadRejected(_("Nama berkas tidak boleh berisi folder, '..' atau karakter khusus."))
    name = unicodedata.normalize("NFC", name).strip()
    if len(name) > MAX_NAME_LENGTH or any(unicodedata.category(c)[0] == "C" for c in name):
        raise UploadRejected(
            _("Nama berkas terlalu panjang atau berisi karakter yang tidak bisa ditampilkan.")
        )
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        raise UploadRejected(_("Nama berkas harus berakhiran jenisnya, misalnya .pdf."))
    return name, extension.lower()


def _read(file: IO[bytes], max_bytes: int) -> tuple[bytes, str]:
    """Reads at most max_bytes + 1 bytes, hashing as it goes."""
    digest = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    file.seek(0)
    while chunk := file.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise UploadRejected(
                _("Berkas lebih besar dari batas %(limit)s MB.")
                % {"limit": f"{max_bytes / 1024 / 1024:g}"}
            )
        digest.update(chunk)
        parts.append(chunk)
    return b"".join(parts), digest.hexdigest()


def _detect(data: bytes, extension: str) -> str:
    if extension == "csv":
        return _detect_csv(data)
    if data.startswith(OLE_SIGNATURE):
        return "application/x-ole-storage"
    kind = filetype.guess(data)
    return kind.mime if kind else ""


def _detect_csv(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRejected(_("CSV harus teks UTF-8.")) from None
    head = text.lstrip()[:512].lower()
    if "\x00" in text or head.startswith(("<", "%pdf")) or "<script" in text.lower():
        raise UploadRejected(_("Isi berkas bukan CSV."))
    _refuse_csv_formulas(text)
    return "text/csv"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[\d.,\s]+%?$")


def _refuse_csv_formulas(text: str) -> None:
    """A cell that starts like a formula runs as one when a verifier opens the file in a
    spreadsheet (CSV injection): refused, naming where, unless it is a plain number ("-5")."""
    delimiter = ";" if text.count(";") > text.count(",") else ","
    for line, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        for column, cell in enumerate(row, start=1):
            value = cell.strip()
            if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
                raise UploadRejected(
                    _(
                        "Baris %(line)d kolom %(column)d berisi rumus (diawali “%(start)s”). "
                        "Simpan isinya sebagai nilai, lalu unggah lagi."
                    )
                    % {"line": line, "column": column, "start": value[0]}
                )


# What zipfile raises on a damaged archive: a bad header or checksum, a cut-off member, a
# compression method or version it does not know, deflated data that does not inflate.
DAMAGED_ZIP = (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, zlib.error)
ENCRYPTED = 0x1  # a member's general purpose flag: its content needs a password to read
ALT_CHUNK = b"/relationships/afchunk"  # the end of an altChunk relationship's type, lower case


def _check_zip(data: bytes, names_to_refuse: Iterable[str]) -> None:
    damaged = UploadRejected(_("Berkas Office rusak dan tidak bisa dibuka."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except DAMAGED_ZIP:
        raise damaged from None
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise UploadRejected(
            _("Berkas ini mengembang terlalu besar saat dibuka (zip bomb) dan ditolak.")
        )
    if any(member.flag_bits & ENCRYPTED for member in members):
        raise UploadRejected(
            _("Berkas ini terkunci dengan kata sandi. Simpan tanpa kata sandi lalu unggah lagi.")
        )
    lowered = [m.filename.lower() for m in members]
    if any(bad in name for name in lowered for bad in names_to_refuse):
        raise UploadRejected(
            _("Dokumen berisi makro atau skrip. Simpan ulang tanpa makro lalu unggah lagi.")
        )
    # An altChunk pulls a web page (HTML, MHT) or another document into a Word file, which
    # Word renders when it opens it. Its part is found through a relationship of this type.
    relationships = [m for m in members if m.filename.lower().endswith(".rels")]
    try:
        alt_chunk = any(ALT_CHUNK in archive.read(m).lower() for m in relationships)
    except DAMAGED_ZIP:
        raise damaged from None
    if alt_chunk:
        raise UploadRejected(
            _(
                "Dokumen berisi halaman web tertanam (altChunk). Salin isinya ke dokumen baru "
                "lalu unggah lagi."
            )
        )
    # Every member unpacked and its checksum compared (its size is bounded just above): a file
    # damaged on the way is refused now, not found unreadable by its verifier weeks later.
    try:
        first_bad = archive.testzip()
    except DAMAGED_ZIP:
        raise damaged from None
    if first_bad is not None:
        raise damaged


# What a PDF may not hold, by the reason given. Names are compared as the parser decoded them, so
# /J#61vaScript is /JavaScript; objects inside compressed object streams are looked at too.
PDF_SCRIPT = "script"
PDF_LAUNCH = "launch"
PDF_AUTOMATIC = "automatic"
PDF_EMBEDDED = "embedded"
PDF_XFA = "xfa"
PDF_KEYS = {
    "/JS": PDF_SCRIPT,
    "/JavaScript": PDF_SCRIPT,  # the name tree of document-level scripts
    "/Launch": PDF_LAUNCH,
    "/AA": PDF_AUTOMATIC,  # actions run on opening a page, leaving a field, printing...
    "/EmbeddedFiles": PDF_EMBEDDED,
    "/EF": PDF_EMBEDDED,  # a file specification's own embedded file (attachment annotations)
    "/XFA": PDF_XFA,  # XML forms, scriptable, rendered by Adobe's readers only
}
PDF_ACTIONS = {"/JavaScript": PDF_SCRIPT, "/Launch": PDF_LAUNCH}  # values of an action's /S
# Most severe first: a file with several is refused with the first reason.
PDF_REASONS = (PDF_LAUNCH, PDF_SCRIPT, PDF_EMBEDDED, PDF_XFA, PDF_AUTOMATIC)
# Appended to a PDF to make pypdf rebuild the cross-reference by scanning every object, as
# readers do when the file's own cross-reference is missing or wrong.
REBUILD_XREF = b"\nstartxref\n0\n%%EOF\n"


def _pdf_refusal(reason: str) -> UploadRejected:
    again = _("Cetak ulang ke PDF (Print to PDF) lalu unggah lagi.")
    found = {
        PDF_LAUNCH: _("PDF berisi perintah menjalankan program (Launch)."),
        PDF_SCRIPT: _("PDF berisi skrip (JavaScript)."),
        PDF_EMBEDDED: _("PDF berisi berkas tertanam."),
        PDF_XFA: _("PDF berisi formulir XFA, yang dapat menjalankan skrip."),
        PDF_AUTOMATIC: _("PDF berisi tindakan yang berjalan sendiri saat dibuka atau dibaca."),
    }[reason]
    return UploadRejected(f"{found} {again}")


def _pdf_readers(data: bytes) -> Iterator[PdfReader]:
    """The file as its cross-reference describes it, then as scanning finds its objects: a
    reader that finds the cross-reference broken scans, and an object left out of the
    cross-reference (or superseded by a later update) is still there for it to find."""
    opened = 0
    for source in (data, data + REBUILD_XREF):
        # pypdf has no closed list of what a malformed file makes it raise (see metadata.py).
        try:
            reader = PdfReader(io.BytesIO(source))
            if reader.is_encrypted and not reader.decrypt(""):
                raise UploadRejected(
                    _(
                        "PDF ini terkunci dengan kata sandi. Simpan tanpa kata sandi lalu unggah lagi."
                    )
                )
        except UploadRejected:
            raise
        except Exception:  # noqa: S112 - the other reading may still open it
            continue
        opened += 1
        yield reader
    if not opened:
        raise UploadRejected(_("PDF rusak dan tidak bisa dibuka."))


def _pdf_objects(reader: PdfReader) -> Iterator[PdfObject | None]:
    """The trailer and every object the cross-reference lists, those in object streams too."""
    yield reader.trailer
    numbers = {(number, generation) for generation, row in reader.xref.items() for number in row}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    for number, generation in sorted(numbers):
        yield IndirectObject(number, generation, reader).get_object()


def _pdf_findings(obj: PdfObject | None) -> Iterator[str]:
    """What one object holds, its nested dictionaries and arrays included (not the objects it
    refers to: each is looked at on its own)."""
    pending = [obj]
    while pending:
        item = pending.pop()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in PDF_KEYS:
                    yield PDF_KEYS[key]
                elif key == "/OpenAction" and not _shows_a_page(value):
                    yield PDF_AUTOMATIC
            action = item.get("/S")
            if isinstance(action, NameObject) and action in PDF_ACTIONS:
                yield PDF_ACTIONS[action]
            if item.get("/Type") == "/EmbeddedFile":
                yield PDF_EMBEDDED
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _shows_a_page(open_action: PdfObject) -> bool:
    """An /OpenAction that only opens the document at a page (a destination, or a GoTo action
    to one), as word processors write. Any other action runs by itself."""
    value = open_action.get_object() if isinstance(open_action, IndirectObject) else open_action
    if isinstance(value, ArrayObject):
        return True
    return isinstance(value, DictionaryObject) and value.get("/S") == "/GoTo"


def _check_pdf(data: bytes) -> None:
    # Scripts, launched programs, automatic actions and embedded files run or open in some
    # readers; evidence never needs them. A reader decodes #xx escapes in names and inflates
    # object streams, so the check looks at the parsed objects, never at the raw bytes.
    head = data[:4096].lower()
    if any(marker in head for marker in (b"<html", b"<script", b"<!doctype", b"<body")):
        # A web page behind a %PDF line: a browser that sniffs it would run its script.
        raise UploadRejected(_("Isi berkas ini halaman web, bukan PDF."))
    found: set[str] = set()
    for reader in _pdf_readers(data):
        try:
            for obj in _pdf_objects(reader):
                found.update(_pdf_findings(obj))
        except Exception:
            raise UploadRejected(_("PDF rusak dan tidak bisa dibuka.")) from None
    for reason in PDF_REASONS:
        if reason in found:
            raise _pdf_refusal(reason)


def _check_ole(name: str, data: bytes) -> None:
    """Word and Excel 97-2003 files: refused with a VBA project or Excel 4 (XLM) macro sheets,
    as oletools' olevba finds them, or when encrypted (nothing in them can be checked)."""
    # Imported here: oletools takes a sizeable part of a second to import, needed only now.
    from oletools import crypto, olevba

    damaged = UploadRejected(_("Berkas Office rusak dan tidak bisa dibuka."))
    try:
        parser = olevba.VBA_Parser(name, data=data)
    except Exception:
        raise damaged from None
    try:
        if parser.ole_file is None:
            raise damaged
        if crypto.is_encrypted(parser.ole_file):
            raise UploadRejected(
                _(
                    "Berkas ini terkunci dengan kata sandi. Simpan tanpa kata sandi lalu unggah lagi."
                )
            )
        has_macros = bool(parser.detect_macros())
    except UploadRejected:
        raise
    except Exception:
        raise damaged from None
    finally:
        parser.close()
    if has_macros:
        raise UploadRejected(
            _(
                "Dokumen Office 97-2003 ini berisi makro. Simpan sebagai .docx atau .xlsx tanpa "
                "makro lalu unggah lagi."
            )
        )


def inspect_upload(
    *, name: str, file: IO[bytes], allowed: Sequence[str], max_bytes: int
) -> InspectedFile:
    """Accepts an uploaded file or raises UploadRejected with a translated reason."""
    return inspect_and_read(name=name, file=file, allowed=allowed, max_bytes=max_bytes)[0]


def inspect_and_read(
    *, name: str, file: IO[bytes], allowed: Sequence[str], max_bytes: int
) -> tuple[InspectedFile, bytes]:
    """inspect_upload, also giving the bytes it read (at most max_bytes)."""
    clean, extension = _clean_name(name)
    if extension not in allowed or extension not in ACCEPTED:
        raise UploadRejected(
            _("Jenis berkas .%(ext)s tidak diterima di sini. Gunakan: %(allowed)s.")
            % {"ext": extension, "allowed": ", ".join(allowed)}
        )
    data, sha256 = _read(file, max_bytes)
    if not data:
        raise UploadRejected(_("Berkas kosong."))
    mime = _detect(data, extension)
    if mime not in ACCEPTED[extension]:
        raise UploadRejected(
            _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s). Berkas ditolak.")
            % {"ext": extension}
        )
    if extension in ZIP_KINDS:
        _check_zip(data, ("vbaproject.bin", "basic/", "scripts/", "activex"))
    elif extension == "pdf":
        _check_pdf(data)
    elif extension in OLE_KINDS:
        _check_ole(clean, data)
    return InspectedFile(clean, extension, mime, len(data), sha256), data
