"""What the cleaner leaves of documents that point back at their writer: a phone photo pasted
into a Word, LibreOffice or PDF file, tracked changes and comments, the editors' accounts."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

from cegah.uploads.inspection import UploadRejected
from cegah.uploads.metadata import strip_metadata

from . import files
from .files import AUTHOR, AUTHOR_ACCOUNT, AUTHOR_INITIALS, PHOTO_OWNER

# Attributes that say who or when (local names); an author attribute may stay, emptied.
WHO_OR_WHEN = re.compile(rb"\s(?:[\w.-]+:)?(?:date|dateUtc|initials|rsid\w*)\s*=")
NAMED_AUTHOR = re.compile(rb"\s(?:[\w.-]+:)?author\s*=\s*\"[^\"]+\"")


def assert_photo_is_clean(data: bytes) -> None:
    """A picture that is still the red photo, with no EXIF, GPS or owner left."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif() and "exif" not in image.info
    for trace in (b"PhoneMaker", PHOTO_OWNER.encode(), AUTHOR.encode(), b"2026:12:05"):
        assert trace not in data
    red = image.convert("RGB").getpixel((10, 10))
    assert isinstance(red, tuple) and red[0] > 180


def assert_package_opens(archive: zipfile.ZipFile) -> None:
    """What a reader needs to open the file: every XML part parses, every relationship inside
    the package and every content type override points at a member that is there."""
    names = set(archive.namelist())
    for name in names:
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(archive.read(name))  # noqa: S314 - our own output
    for name in (n for n in names if n.endswith(".rels")):
        base = posixpath.dirname(posixpath.dirname(name))
        for relationship in ElementTree.fromstring(archive.read(name)):  # noqa: S314
            if relationship.get("TargetMode") == "External":
                continue
            target = relationship.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            assert posixpath.normpath(part) in names, (name, target)
    if "[Content_Types].xml" in names:
        for override in ElementTree.fromstring(archive.read("[Content_Types].xml")):  # noqa: S314
            if override.get("PartName"):
                assert override.get("PartName", "").lstrip("/") in names


def test_a_word_file_keeps_its_words_and_loses_who_wrote_it_when_and_where() -> None:
    original = files.docx_with_photo()
    clean = strip_metadata(original, "docx")
    archive = zipfile.ZipFile(io.BytesIO(clean))
    names = set(archive.namelist())
    assert_package_opens(archive)
    assert_photo_is_clean(archive.read("word/media/image1.jpeg"))
    assert "word/people.xml" not in names and "docProps/thumbnail.jpeg" not in names
    assert not [name for name in names if name.startswith("customXml/")]
    everything = b"".join(archive.read(name) for name in names)
    for trace in (AUTHOR, AUTHOR_ACCOUNT, "rahmawati.siregar", "IMG_20261205", "00A1B2C3"):
        assert trace.encode() not in everything, trace
    for name in (n for n in names if n.endswith(".xml")):
        part = archive.read(name)
        assert not WHO_OR_WHEN.search(part), name
        assert not NAMED_AUTHOR.search(part), name
    assert b"docId" not in archive.read("word/settings.xml")
    assert b"Dinas PUPR" not in archive.read("docProps/app.xml")
    document = archive.read("word/document.xml").decode()
    # The words stay, tracked changes and comments included; only who and when go.
    assert "Kuitansi proyek jalan terlampir." in document
    assert "<w:ins " in document and "Setoran kedua." in document and "Dihapus." in document
    assert 'descr="Foto kuitansi"' in document  # alt text a person wrote
    comments = archive.read("word/comments.xml").decode()
    assert "Ini uang setoran untuk Kabid." in comments and f'"{AUTHOR_INITIALS}"' not in comments
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_libreoffice_text_loses_its_photo_data_thumbnail_printer_and_editors() -> None:
    clean = strip_metadata(files.odt_with_photo(), "odt")
    archive = zipfile.ZipFile(io.BytesIO(clean))
    names = archive.namelist()
    assert names[0] == "mimetype" and archive.getinfo("mimetype").compress_type == 0
    assert "Thumbnails/thumbnail.png" not in names and "settings.xml" not in names
    assert_package_opens(archive)
    manifest = archive.read("META-INF/manifest.xml").decode()
    assert "Thumbnails" not in manifest and "settings.xml" not in manifest
    assert "Pictures/foto.jpg" in manifest
    assert_photo_is_clean(archive.read("Pictures/foto.jpg"))
    content = archive.read("content.xml").decode()
    assert AUTHOR not in content and "2026-12-05" not in content
    assert "Kuitansi terlampir." in content and "Setoran kedua." in content
    assert b"LaserJet" not in b"".join(archive.read(name) for name in names)


def _dictionaries(reader: PdfReader) -> list[DictionaryObject]:
    found: list[DictionaryObject] = []
    seen: set[int] = set()
    pending: list[PdfObject | None] = [reader.trailer]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.append(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def test_a_pdf_loses_its_photo_data_author_xmp_thumbnails_and_comment_author() -> None:
    original = files.pdf_with_photo()
    clean = strip_metadata(original, "pdf")
    reader = PdfReader(io.BytesIO(clean))
    assert reader.metadata is None
    page = reader.pages[0]
    assert "Kuitansi proyek jalan" in page.extract_text()
    for trace in (AUTHOR, "Scanner", "20261205", "2026:12:05", "PhoneMaker", PHOTO_OWNER):
        assert trace.encode() not in clean, trace
    dictionaries = _dictionaries(reader)
    for dictionary in dictionaries:
        for key in ("/Metadata", "/PieceInfo", "/Thumb", "/LastModified", "/CreationDate"):
            assert key not in dictionary
    images = [d for d in dictionaries if d.get("/Subtype") == "/Image"]
    assert len(images) == 1
    assert isinstance(images[0], StreamObject) and str(images[0]["/Filter"]) == "/DCTDecode"
    assert_photo_is_clean(images[0].get_data())
    annotations = page["/Annots"]
    assert isinstance(annotations, ArrayObject)
    (note,) = [annotation.get_object() for annotation in annotations]
    assert "/T" not in note and "/M" not in note and note["/Contents"] == "Setoran kedua"


@pytest.mark.parametrize(
    ("member", "content", "words"),
    [
        ("word/media/image2.emf", b"\x01\x00\x00\x00" + b"\x00" * 100, "EMF"),
        ("word/media/image3.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        ("word/embeddings/oleObject1.bin", files.doc(), "objek tertanam"),
    ],
)
def test_what_cannot_be_cleaned_inside_a_document_is_refused_not_passed_on(
    member, content, words
) -> None:
    with pytest.raises(UploadRejected, match=words):
        strip_metadata(files.docx({member: content}), "docx")


def test_a_workbook_inside_a_document_is_cleaned_too() -> None:
    inner = files.xlsx({"docProps/core.xml": f"<dc:creator>{AUTHOR}</dc:creator>".encode()})
    clean = strip_metadata(
        files.docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner}), "docx"
    )
    archive = zipfile.ZipFile(io.BytesIO(clean))
    nested = zipfile.ZipFile(
        io.BytesIO(archive.read("word/embeddings/Microsoft_Excel_Worksheet.xlsx"))
    )
    assert AUTHOR.encode() not in nested.read("docProps/core.xml")


def test_an_excel_comment_loses_its_author() -> None:
    comments = (
        f"<comments><authors><author>{AUTHOR}</author></authors><commentList>"
        '<comment ref="A1" authorId="0"><text><t>Cek</t></text></comment></commentList></comments>'
    ).encode()
    clean = strip_metadata(files.xlsx({"xl/comments1.xml": comments}), "xlsx")
    kept = zipfile.ZipFile(io.BytesIO(clean)).read("xl/comments1.xml")
    assert AUTHOR.encode() not in kept and b"<t>Cek</t>" in kept
