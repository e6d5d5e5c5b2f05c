"""Removing what could identify the author of an uploaded file (used by WBS attachments).

Images are re-encoded from their pixels alone (no EXIF, GPS, camera serial or comments), and so
is every picture inside an Office or OpenDocument file and every JPEG or JPEG 2000 picture inside
a PDF: a phone photo pasted into a report keeps its GPS position otherwise.

PDF: pages are copied into a new document without its information dictionary; every XMP stream
(the catalogue's, a page's, an image's), page thumbnail, application data (/PieceInfo) and
modification date goes, and annotations lose their author and dates.

Office (OOXML) and OpenDocument: the document properties are emptied; custom XML, the list of
people who edited (people.xml, with their account ids), thumbnails, printer settings and the
template's path are dropped with what points at them; every author, initials, date and editing
session id (rsid) attribute goes, so tracked changes and comments keep their words but not who
wrote them or when; every archive member gets the same fixed date.

The text of a document is not changed: a reporter's name typed into it stays there, which the
form says.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from functools import partial

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

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


# --- Images


def _pixels(data: bytes, *, upright: bool) -> tuple[Image.Image, str]:
    """A new image holding only the pixels (and palette) of `data`, and the format it was in.
    `upright` turns a photo as its orientation tag says before the tag goes (a picture inside a
    PDF is placed by the page as stored: it is not turned)."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as original:
            kind = original.format or ""
            image: Image.Image = original
            if upright:
                image = ImageOps.exif_transpose(original) or original
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "CMYK"):
                image = image.convert("RGB")
            clean = Image.new(image.mode, image.size)
            clean.frombytes(image.tobytes())
            if image.mode == "P":
                palette = image.getpalette()
                if palette is not None:
                    clean.putpalette(palette)
                transparency = image.info.get("transparency")
                if isinstance(transparency, int | bytes):
                    clean.info["transparency"] = transparency
    # Pillow reports a chunk it cannot parse as a SyntaxError ("broken PNG file").
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRejected(_("Gambar rusak dan tidak bisa dibuka.")) from None
    return clean, kind


def _encoded(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90)
    elif kind in ("GIF", "BMP", "TIFF"):
        image.save(out, format=kind)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def _clean_image(data: bytes, extension: str) -> bytes:
    clean, _kind = _pixels(data, upright=True)
    if clean.mode == "CMYK":
        clean = clean.convert("RGB")
    return _encoded(clean, "JPEG" if extension in ("jpg", "jpeg") else "PNG")


# Pictures inside documents are re-encoded in the format they came in, so that their names and
# declared types stay true. Vector pictures (EMF, WMF, SVG, LibreOffice's SVM) and formats Pillow
# cannot write (HEIC, JPEG XR) are refused rather than passed on: they carry their own metadata
# (an EMF's description, an SVG's <metadata> or Inkscape's file path) that no pixel re-encoding
# removes, and dropping them silently would take evidence away from the handler.
EMBEDDED_IMAGE_KINDS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF"}
EMBEDDED_IMAGE_KINDS |= {"BMP": "BMP", "TIFF": "TIFF"}


def _clean_embedded_image(data: bytes) -> bytes:
    try:
        clean, kind = _pixels(data, upright=True)
    except UploadRejected:
        kind = ""
    if kind not in EMBEDDED_IMAGE_KINDS:
        raise UploadRejected(
            _(
                "Dokumen berisi gambar yang tidak bisa dibersihkan dari data pengenal (misalnya "
                "EMF, WMF atau SVG). Cetak ulang ke PDF (Print to PDF) lalu unggah lagi."
            )
        )
    return _encoded(clean, EMBEDDED_IMAGE_KINDS[kind])


# --- PDF

# Keys that hold metadata wherever they appear: XMP streams (on the catalogue, pages, images,
# fonts), application data with its own dates, page thumbnails, modification dates.
PDF_DROPPED_KEYS = ("/Metadata", "/PieceInfo", "/Thumb", "/LastModified")
# An annotation's author (/T) and dates. /T on a form field's widget is the field's name and
# stays; on a comment (Text, Highlight, FreeText, their Popup...) it is the name of who wrote it.
PDF_ANNOTATION_DATES = ("/M", "/CreationDate")
PDF_NOT_MARKUP = ("/Widget", "/Link")
# Encodings that can carry EXIF, XMP or comment segments of their own: re-encoded from pixels.
# The others (Flate, LZW, RunLength, CCITT fax, JBIG2, none) hold the pixels and nothing else,
# and are kept as they are: JBIG2 and CCITT cannot be decoded here, and replacing a scanned
# page's picture would take the evidence away. (A JBIG2 comment extension segment is not looked
# for: no scanner known to us writes one.)
PDF_PHOTO_FILTERS = ("/DCTDecode", "/JPXDecode")
PDF_COLOUR_SPACES = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}


def _pdf_dictionaries(root: PdfObject) -> Iterator[DictionaryObject]:
    """Every dictionary (streams included) reachable from `root`, each once."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _filters(stream: DictionaryObject) -> list[str]:
    found = stream.get("/Filter")
    if isinstance(found, IndirectObject):
        found = found.get_object()
    if isinstance(found, ArrayObject):
        return [str(name) for name in found]
    return [str(found)] if found is not None else []


def _clean_pdf_image(stream: StreamObject) -> None:
    """Re-encodes a JPEG or JPEG 2000 picture from its pixels, at the same size and colours."""
    if not _filters(stream) or _filters(stream)[-1] not in PDF_PHOTO_FILTERS:
        return
    image, _kind = _pixels(stream.get_data(), upright=False)
    if image.mode not in PDF_COLOUR_SPACES:
        image = image.convert("RGB")
    stream[NameObject("/Width")] = NumberObject(image.width)
    stream[NameObject("/Height")] = NumberObject(image.height)
    if _filters(stream)[-1] == "/JPXDecode" or "/ColorSpace" not in stream:
        # JPEG 2000 may carry its colours and transparency inside; as a JPEG it says them here.
        stream[NameObject("/ColorSpace")] = NameObject(PDF_COLOUR_SPACES[image.mode])
        stream[NameObject("/BitsPerComponent")] = NumberObject(8)
        for key in ("/SMaskInData", "/Decode"):
            stream.pop(key, None)
    stream.pop("/DecodeParms", None)
    stream[NameObject("/Filter")] = NameObject("/DCTDecode")
    # The stream's own bytes replaced as they are (pypdf's set_data would re-encode them).
    StreamObject.set_data(stream, _encoded(image, "JPEG"))
    if isinstance(stream, EncodedStreamObject):
        stream.decoded_self = None


def _pages_copied(data: bytes) -> PdfWriter:
    """A new document holding the pages of `data` and what they refer to, nothing else: no
    information dictionary, no catalogue entries but the pages."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.metadata = None  # no information dictionary (author, creator, dates)
    return writer


def _clean_pdf(data: bytes) -> bytes:
    try:
        writer = _pages_copied(data)
        for dictionary in _pdf_dictionaries(writer.root_object):
            for key in PDF_DROPPED_KEYS:
                dictionary.pop(key, None)
            if dictionary.get("/Subtype") == "/Image" and isinstance(dictionary, StreamObject):
                _clean_pdf_image(dictionary)
            elif "/Subtype" in dictionary and "/Rect" in dictionary:  # an annotation
                for key in PDF_ANNOTATION_DATES:
                    dictionary.pop(key, None)
                if dictionary.get("/Subtype") not in PDF_NOT_MARKUP:
                    dictionary.pop("/T", None)
        # The objects taken out above (XMP streams, thumbnails) were copied with the pages and
        # are written unless nothing refers to them: copying the pages again leaves them behind.
        first = io.BytesIO()
        writer.write(first)
        out = io.BytesIO()
        _pages_copied(first.getvalue()).write(out)
    except UploadRejected:
        raise
    # pypdf has no closed list of what a malformed file makes it raise (its own errors, but also
    # AttributeError on a trailer that is not a dictionary, and more): only pypdf runs in here,
    # and whatever it raises means the file cannot be read as a PDF.
    except Exception:
        raise UploadRejected(_("PDF rusak dan tidak bisa dibuka.")) from None
    return out.getvalue()


# --- Office (OOXML) and OpenDocument

# Members dropped whole: who edited (people.xml names them with their account ids), data other
# programs bound to the document (custom XML: often a document-management system's author and
# path), thumbnails (a picture of the first page, with its own metadata), LibreOffice's printer
# settings and the previews of embedded objects it makes again when they are missing.
DROPPED_PREFIXES = ("customXml/", "docProps/thumbnail", "Thumbnails/", "ObjectReplacements/")
DROPPED_NAMES = ("word/people.xml", "settings.xml")
# Attributes that say who or when: removed where the schema makes them optional (dates, initials,
# editing session ids), emptied where it requires them (a tracked change's or comment's author,
# an Excel person's account). Matched by local name, whatever the namespace prefix.
REMOVED_ATTRIBUTES = (b"date", b"dateUtc", b"initials")
REMOVED_ATTRIBUTE_PREFIX = b"rsid"
EMPTIED_ATTRIBUTES = (b"author", b"userId", b"providerId", b"userName", b"refreshedBy")
# A picture's properties in Word, Excel and PowerPoint: Word writes the inserted file's name as
# its name ("IMG_20261205_143212.jpg": the minute the photo was taken) and, in older versions,
# its whole path as its description ("C:\\Users\\<name>\\Pictures\\..."). The name is emptied;
# a description that is a file name or path goes (alt text a person wrote stays).
PICTURE_PROPERTIES = (b"docPr", b"cNvPr")
FILE_NAME = re.compile(rb"[\\/]|\.[A-Za-z0-9]{2,5}[\"']$")
TAG_NAME = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
START_TAG = re.compile(rb"<[A-Za-z_][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
ATTRIBUTE = re.compile(
    rb"(\s+)((?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*))\s*=\s*(\"[^\"]*\"|'[^']*')"
)
# Elements that say who or when (their text is replaced), and Word settings that identify the
# editing sessions (rsids), the document (docId) or the template's path on the author's computer.
EMPTIED_ELEMENTS = re.compile(
    rb"(<(dc:creator|meta:creator-initials|meta:initial-creator|author)>)[^<]*(</\2>)"
)
ODF_DATE = re.compile(rb"(<dc:date>)[^<]*(</dc:date>)")
WORD_SETTINGS = re.compile(
    rb"<w:rsids\b.*?</w:rsids>|<w:rsids\s*/>|<w1[45]:docId\b[^>]*/>|<w:attachedTemplate\b[^>]*/>",
    re.DOTALL,
)
EXCEL_PATH = re.compile(rb"(<x15ac:absPath\b[^>]*?\surl=)(\"[^\"]*\"|'[^']*')")
RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*?/>")
RELATIONSHIP_TARGET = re.compile(rb"\sTarget\s*=\s*[\"']([^\"']*)[\"']")
TEMPLATE_RELATIONSHIP = b"/relationships/attachedTemplate"
CONTENT_TYPE_OVERRIDE = re.compile(rb"<Override\b[^>]*?\sPartName\s*=\s*[\"']([^\"']*)[\"'][^>]*/>")
MANIFEST_ENTRY = re.compile(
    rb"<manifest:file-entry\b[^>]*?\smanifest:full-path\s*=\s*[\"']([^\"']*)[\"'][^>]*/>"
)
IMAGE_EXTENSIONS = (
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf",
    ".emz", ".wmz", ".svg", ".svm", ".wdp", ".jxr", ".heic", ".webp",
)  # fmt: skip
MAX_NESTING = 2  # a document inside a document (a chart's workbook), not deeper


def _dropped(name: str) -> bool:
    return name in DROPPED_NAMES or name.startswith(DROPPED_PREFIXES)


def _is_picture(name: str) -> bool:
    folders = name.split("/")[:-1]
    return "media" in folders or "Pictures" in folders or name.lower().endswith(IMAGE_EXTENSIONS)


def _attribute(match: re.Match[bytes], *, picture: bool) -> bytes:
    space, name, local = match.group(1), match.group(2), match.group(3)
    if local in REMOVED_ATTRIBUTES or local.startswith(REMOVED_ATTRIBUTE_PREFIX):
        return b""
    if local in EMPTIED_ATTRIBUTES or (picture and local == b"name"):
        return space + name + b'=""'
    if picture and local == b"descr" and FILE_NAME.search(match.group(4)):
        return b""
    return match.group(0)


def _start_tag(match: re.Match[bytes]) -> bytes:
    tag = match.group(0)
    local = TAG_NAME.match(tag)
    picture = local is not None and local.group(1) in PICTURE_PROPERTIES
    return ATTRIBUTE.sub(partial(_attribute, picture=picture), tag)


def _clean_xml(name: str, content: bytes) -> bytes:
    content = START_TAG.sub(_start_tag, content)
    content = EMPTIED_ELEMENTS.sub(rb"\1\3", content)
    content = ODF_DATE.sub(rb"\g<1>1980-01-01T00:00:00\2", content)
    content = EXCEL_PATH.sub(rb'\1""', content)
    if name == "word/settings.xml":
        content = WORD_SETTINGS.sub(b"", content)
    return content


def _relationship_base(rels_name: str) -> str:
    """The folder relationship targets are relative to: word/_rels/document.xml.rels → word."""
    return posixpath.dirname(posixpath.dirname(rels_name))


def _clean_relationships(name: str, content: bytes, gone: Callable[[str], bool]) -> bytes:
    base = _relationship_base(name)

    def keep(match: re.Match[bytes]) -> bytes:
        relationship = match.group(0)
        if TEMPLATE_RELATIONSHIP in relationship:  # the template's path: C:\Users\<name>\...
            return b""
        target = RELATIONSHIP_TARGET.search(relationship)
        if target is not None and b"External" not in relationship:
            path = target.group(1).decode("utf-8", "replace")
            part = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
            if gone(posixpath.normpath(part)):
                return b""
        return relationship

    return RELATIONSHIP.sub(keep, content)


def _clean_listing(
    pattern: re.Pattern[bytes], content: bytes, gone: Callable[[str], bool]
) -> bytes:
    """[Content_Types].xml overrides and ODF manifest entries for members no longer there."""

    def keep(match: re.Match[bytes]) -> bytes:
        path = match.group(1).decode("utf-8", "replace").lstrip("/")
        return b"" if path and gone(path) else match.group(0)

    return pattern.sub(keep, content)


def _clean_zip(data: bytes, depth: int = 0) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        members = source.infolist()
        dropped = {m.filename for m in members if _dropped(m.filename)}

        def gone(path: str) -> bool:
            return path in dropped or _dropped(path)

        for member in members:
            name = member.filename
            if name in dropped:
                continue
            content = REPLACED_MEMBERS.get(name) or _clean_member(
                name, source.read(member), gone, depth
            )
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            # ODF requires its mimetype member first and stored uncompressed.
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def _clean_member(name: str, content: bytes, gone: Callable[[str], bool], depth: int) -> bytes:
    lowered = name.lower()
    if name.endswith("/") or name == "mimetype":
        return content
    if name.endswith("/meta.xml"):  # an embedded object's own properties (OpenDocument)
        return EMPTY_ODF_META
    if lowered.endswith(".rels"):
        return _clean_relationships(name, content, gone)
    if name == "[Content_Types].xml":
        return _clean_listing(CONTENT_TYPE_OVERRIDE, content, gone)
    if name == "META-INF/manifest.xml":
        return _clean_listing(MANIFEST_ENTRY, content, gone)
    if lowered.endswith(".xml") or lowered.endswith(".vml"):
        return _clean_xml(name, content)
    if _is_picture(name):
        return _clean_embedded_image(content)
    if "embeddings" in name.split("/")[:-1]:
        # A chart's workbook or a document embedded in this one: cleaned the same way. Other
        # embedded objects (OLE .bin: equations, Visio, packaged files) keep their own author and
        # often the path the file came from, and nothing here can open them.
        if lowered.endswith((".docx", ".xlsx", ".pptx")) and depth < MAX_NESTING:
            return _clean_zip(content, depth + 1)
        raise UploadRejected(
            _(
                "Dokumen berisi objek tertanam yang tidak bisa dibersihkan dari data pengenal. "
                "Cetak ulang ke PDF (Print to PDF) lalu unggah lagi."
            )
        )
    return content


def strip_metadata(data: bytes, extension: str) -> bytes:
    """The content without what could identify its author, or raises UploadRejected."""
    if extension in ("jpg", "jpeg", "png"):
        return _clean_image(data, extension)
    if extension == "pdf":
        return _clean_pdf(data)
    if extension in ZIP_KINDS:
        try:
            return _clean_zip(data)
        except UploadRejected:
            raise
        except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
            raise UploadRejected(_("Berkas Office rusak dan tidak bisa dibuka.")) from None
    # Uses that strip metadata accept no other type (the policy says so, and a test checks it).
    raise UploadRejected(_("Berkas jenis ini tidak bisa dibersihkan dari data pengenal."))
