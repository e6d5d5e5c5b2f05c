"""Checking an uploaded file before anything is stored. Pure: writes nothing.

The type comes from the content (filetype reads the signature), never from the name or the
browser's Content-Type; the name only has to agree with it. Office files are zip archives and
are opened to refuse zip bombs and macros without extracting anything.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import filetype
from django.utils.translation import gettext as _

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
# Unpacked office files larger than this, or packed more tightly than this, are not documents.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_NAME_LENGTH = 150
CHUNK = 1024 * 1024


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
    return "text/csv"


# What zipfile raises on a damaged archive: a bad header or checksum, a cut-off member, a
# compression method or version it does not know, deflated data that does not inflate.
DAMAGED_ZIP = (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, zlib.error)
ENCRYPTED = 0x1  # a member's general purpose flag: its content needs a password to read


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
    # Every member unpacked and its checksum compared (its size is bounded just above): a file
    # damaged on the way is refused now, not found unreadable by its verifier weeks later.
    try:
        first_bad = archive.testzip()
    except DAMAGED_ZIP:
        raise damaged from None
    if first_bad is not None:
        raise damaged


def _check_pdf(data: bytes) -> None:
    # Scripts and auto-actions in a PDF run in some readers; evidence never needs them.
    if re.search(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b", data):
        raise UploadRejected(
            _("PDF berisi skrip atau berkas tertanam. Cetak ulang ke PDF lalu unggah lagi.")
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
    return InspectedFile(clean, extension, mime, len(data), sha256), data
