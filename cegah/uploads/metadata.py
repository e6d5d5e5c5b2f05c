"""Removing what could identify the author of an uploaded file (used by WBS attachments).

Images are re-encoded from their pixels alone (no EXIF, GPS, camera serial or comments). PDF pages
are copied into a new document without its information dictionary or XMP metadata. Office and
OpenDocument files keep their content but lose their author, company, editing time and dates,
and every archive member gets the same fixed date. The text of a document is not changed: a
reporter's name typed into it stays there, which the form says.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from .inspection import ZIP_KINDS, UploadRejected

STRIPPABLE = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx", "odt", "ods")
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_PIXELS = 60_000_000  # a larger "photo" is a decompression bomb

EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties"/>'
)
EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
    b'properties"/>'
)
EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)
REPLACED_MEMBERS = {
    "docProps/core.xml": EMPTY_CORE,
    "docProps/app.xml": EMPTY_APP,
    "docProps/custom.xml": EMPTY_CUSTOM,
    "meta.xml": EMPTY_ODF_META,
}


def _clean_image(data: bytes, extension: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as original:
            # Keep what the photo shows the right way up before its orientation tag goes.
            upright = ImageOps.exif_transpose(original) or original
            if upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                upright = upright.convert("RGB")
            clean = Image.new(upright.mode, upright.size)
            clean.frombytes(upright.tobytes())
            if upright.mode == "P":
                palette = upright.getpalette()
                if palette is not None:
                    clean.putpalette(palette)
    # Pillow reports a chunk it cannot parse as a SyntaxError ("broken PNG file").
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRejected(_("Gambar rusak dan tidak bisa dibuka.")) from None
    out = io.BytesIO()
    if extension in ("jpg", "jpeg"):
        clean.convert("RGB").save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None  # no information dictionary (author, creator, dates)
        root = writer.root_object
        if NameObject("/Metadata") in root:  # XMP
            del root[NameObject("/Metadata")]
        out = io.BytesIO()
        writer.write(out)
    # pypdf has no closed list of what a malformed file makes it raise (its own errors, but also
    # AttributeError on a trailer that is not a dictionary, and more): only pypdf runs in here,
    # and whatever it raises means the file cannot be read as a PDF.
    except Exception:
        raise UploadRejected(_("PDF rusak dan tidak bisa dibuka.")) from None
    return out.getvalue()


def _clean_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = REPLACED_MEMBERS.get(member.filename) or source.read(member)
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_ZIP_DATE)
            # ODF requires its mimetype member first and stored uncompressed.
            info.compress_type = (
                zipfile.ZIP_STORED if member.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            target.writestr(info, content)
    return out.getvalue()


def strip_metadata(data: bytes, extension: str) -> bytes:
    """The content without what could identify its author, or raises UploadRejected."""
    if extension in ("jpg", "jpeg", "png"):
        return _clean_image(data, extension)
    if extension == "pdf":
        return _clean_pdf(data)
    if extension in ZIP_KINDS:
        return _clean_zip(data)
    # Uses that strip metadata accept no other type (the policy says so, and a test checks it).
    raise UploadRejected(_("Berkas jenis ini tidak bisa dibersihkan dari data pengenal."))
