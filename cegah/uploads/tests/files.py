"""Real files, made in memory, for upload tests: valid ones and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PDF_WITH_SCRIPT = PDF.replace(
    b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"
HTML = b"<!doctype html><html><body><script>fetch('/akun/keluar/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def png_broken() -> bytes:
    """A PNG whose image data chunk claims 8 bytes fewer than it holds: the next chunk header is
    read from the middle of the pixels."""
    data = bytearray(png(40, 30))
    length = data.index(b"IDAT") - 4
    claimed = struct.unpack(">I", data[length : length + 4])[0]
    data[length : length + 4] = struct.pack(">I", claimed - 8)
    return bytes(data)


def xlsx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_damaged(how: str) -> bytes:
    """A spreadsheet damaged on the way, its zip directory still readable: a member's bytes
    changed after its checksum was taken ("checksum"), or its directory entry claiming a zip
    version ("version") or a compression method ("method") that nothing reads, or a password
    ("encrypted")."""
    buffer = io.BytesIO(xlsx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>Rp 1.250.000</sst>")
    data = bytearray(buffer.getvalue())
    if how == "checksum":
        return bytes(data).replace(b"Rp 1.250.000", b"Rp 9.250.000")
    entry = data.index(b"PK\x01\x02")  # the first member's central directory entry
    field, value = {"version": (6, 216), "encrypted": (8, 1), "method": (10, 99)}[how]
    data[entry + field : entry + field + 2] = value.to_bytes(2, "little")
    return bytes(data)


def xlsx_bomb() -> bytes:
    # 300 MB of zeros packs into a few hundred kilobytes.
    buffer = io.BytesIO(xlsx())
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        zeros = b"\x00" * (1024 * 1024)
        for _ in range(300):
            member.write(zeros)
    return buffer.getvalue()
