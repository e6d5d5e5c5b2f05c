"""What a stolen database or storage bucket holds: ciphertext, no names, no metadata."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from PIL import Image
from pypdf import PdfReader

from cegah.uploads.inspection import inspect_upload
from cegah.uploads.metadata import strip_metadata
from cegah.wbs import crypto, services
from cegah.wbs.selectors import report_view
from cegah.wbs.services import ReporterIdentity, Upload

from .conftest import jpeg_with_gps, key_of, opened_by, reporter_key_of

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Bendahara-Zulkarnain-menerima-setoran"
SECRET_NAME = "Pelapor-Rahmawati-Siregar"
SECRET_FILE_TEXT = "KUITANSI-FIKTIF-0042"


def pdf_with(text: str, author: str) -> bytes:
    """A small real PDF: one page showing `text`, with an author in its information dictionary."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Author ({author}) /Creator (Kantor Scanner 3000) >>".encode(),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def docx_with_author(author: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document>Isi dokumen</w:document>")
        archive.writestr(
            "docProps/core.xml",
            f"<cp:coreProperties><dc:creator>{author}</dc:creator>"
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy></cp:coreProperties>",
        )
        archive.writestr(
            "docProps/app.xml", "<Properties><Company>Dinas PUPR</Company></Properties>"
        )
    return out.getvalue()


def every_stored_byte() -> bytes:
    """All rows of all tables, as raw as the driver gives them, plus every file in storage."""
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes | bytearray):
                        chunks.append(bytes(value))
                    elif value is not None:
                        chunks.append(str(value).encode())
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes())
    return b"\n".join(chunks)


def test_the_database_and_the_storage_hold_no_report_text_name_or_file_in_clear(
    submit, world
) -> None:
    pdf = pdf_with(SECRET_FILE_TEXT, author="Rahmawati")
    report, receipt = submit(
        what=f"{SECRET_TEXT} dari rekanan proyek jalan.",
        who_name="Zulkarnain Batubara",
        identity=ReporterIdentity(name=SECRET_NAME, contact="0812-3456-7890"),
        uploads=[
            Upload("kuitansi.pdf", io.BytesIO(pdf)),
            Upload("foto.jpg", io.BytesIO(jpeg_with_gps())),
        ],
    )
    services.reporter_message_add(
        report=report, reporter_key=reporter_key_of(report), body="Tambahan: setoran kedua 5 April."
    )
    services.handler_message_add(
        report_id=report.pk,
        user=world.inspektorat_binjai,
        private_key=key_of(world.inspektorat_binjai),
        body="Terima kasih, kami periksa.",
    )
    dump = every_stored_byte()
    for secret in (
        SECRET_TEXT,
        SECRET_NAME,
        "Zulkarnain",
        "0812-3456-7890",
        "setoran kedua",
        "kami periksa",
        SECRET_FILE_TEXT,
        "kuitansi.pdf",
        receipt,
    ):
        assert secret.encode() not in dump, secret
    assert b"%PDF" not in dump and b"JFIF" not in dump  # no file in clear at all
    # Yet everything opens with the handler's key.
    view = report_view(
        report=report, key=opened_by(report, world.inspektorat_binjai), for_handler=True
    )
    assert SECRET_TEXT in view.content.what
    assert [name for _, name, _ in view.attachments] == ["lampiran-1.pdf", "lampiran-2.jpg"]
    _name, _, content = services.attachment_open(
        attachment_id=view.attachments[0][0],
        user=world.inspektorat_binjai,
        private_key=key_of(world.inspektorat_binjai),
    )
    assert SECRET_FILE_TEXT in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def _stripped(name: str, data: bytes) -> bytes:
    """What the WBS upload policy keeps of a file: checked, then stripped."""
    checked = inspect_upload(
        name=name,
        file=io.BytesIO(data),
        allowed=services.ATTACHMENT_UPLOADS.allowed,
        max_bytes=10**7,
    )
    return strip_metadata(data, checked.extension)


def test_a_jpeg_with_gps_comes_out_without_any_exif() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there going in
    clean = _stripped("foto.jpg", original)
    image = Image.open(io.BytesIO(clean))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif() and "exif" not in image.info
    assert b"PhoneMaker" not in clean and b"Rahasia" not in clean
    red = image.getpixel((10, 10))
    assert isinstance(red, tuple) and red[0] > 180  # still the same red picture


def test_a_pdf_loses_its_author_and_keeps_its_text() -> None:
    clean = _stripped("bukti.pdf", pdf_with("Isi bukti", "Rahmawati"))
    reader = PdfReader(io.BytesIO(clean))
    assert reader.metadata is None or not reader.metadata.get("/Author")
    assert b"Rahmawati" not in clean and b"Scanner" not in clean
    assert "Isi bukti" in reader.pages[0].extract_text()


def test_an_office_file_loses_its_author_company_and_dates() -> None:
    clean = _stripped("catatan.docx", docx_with_author("Rahmawati"))
    archive = zipfile.ZipFile(io.BytesIO(clean))
    assert b"Rahmawati" not in archive.read("docProps/core.xml")
    assert b"Dinas PUPR" not in archive.read("docProps/app.xml")
    assert archive.read("word/document.xml") == b"<w:document>Isi dokumen</w:document>"
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_key_command_creates_the_file_and_tells_what_is_sealed_to_what(
    submit, settings, tmp_path
) -> None:
    from django.core.management import call_command

    settings.WBS_KEY_FILE = tmp_path / "fresh.keys"
    out = io.StringIO()
    call_command("wbs_keys", "init", stdout=out)
    assert (tmp_path / "fresh.keys").stat().st_mode & 0o777 == 0o600
    # The file holds the receipt salt and no key that opens a report.
    assert crypto.keyring().keys == ()
    submit()
    call_command("wbs_keys", "status", stdout=out)
    status = out.getvalue()
    assert "still sealed with a master key: 0" in status
    assert "sealed to no handler: 0" in status
    assert "escrow: off (the default)" in status
