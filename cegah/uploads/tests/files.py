"""Real files, made in memory, for upload tests: valid ones and hostile ones."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

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


# --- PDF: active content written so that a search of the raw bytes does not find it.

# The action's names written with #xx escapes, which a PDF reader decodes: /J#61vaScript is
# /JavaScript, /J#53 is /JS, /L#61unch is /Launch.
PDF_WITH_ESCAPED_SCRIPT = PDF.replace(
    b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"
)
PDF_WITH_ESCAPED_LAUNCH = PDF.replace(
    b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/L#61unch/F(cmd.exe)>>"
)
# A page-open destination: shows page 1 fitted to the window, runs nothing. Word and LaTeX
# write these; they are accepted.
PDF_OPENING_AT_A_PAGE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_with_object_stream(catalog_extra: bytes, *more: bytes) -> bytes:
    """A PDF 1.5 whose catalog (with `catalog_extra`) and `more` objects sit inside a compressed
    object stream, found through a compressed cross-reference stream: none of their bytes
    appear in the file as written."""
    members = [
        b"<</Type/Catalog/Pages 3 0 R" + catalog_extra + b">>",
        b"<</Type/Pages/Kids[]/Count 0>>",
        *more,
    ]
    numbers = range(2, 2 + len(members))  # object 1 is the object stream itself
    offsets, body = [], b""
    for member in members:
        offsets.append(len(body))
        body += member + b"\n"
    header = b" ".join(b"%d %d" % (n, o) for n, o in zip(numbers, offsets, strict=True)) + b"\n"
    packed = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += (
        b"1 0 obj<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n"
        % (len(members), len(header), len(packed))
        + packed
        + b"\nendstream endobj\n"
    )
    xref_number = 2 + len(members)
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535), struct.pack(">BIH", 1, stream_at, 0)]
    rows += [struct.pack(">BIH", 2, 1, index) for index in range(len(members))]
    rows.append(struct.pack(">BIH", 1, xref_at, 0))
    table = zlib.compress(b"".join(rows))
    out += (
        b"%d 0 obj<</Type/XRef/Size %d/W[1 4 2]/Root 2 0 R/Filter/FlateDecode/Length %d>>stream\n"
        % (xref_number, xref_number + 1, len(table))
        + table
        + b"\nendstream endobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return bytes(out)


PDF_WITH_HIDDEN_OPEN_ACTION = pdf_with_object_stream(
    b"/OpenAction 4 0 R", b"<</S/JavaScript/JS(app.launchURL('http://x.invalid'))>>"
)
PDF_WITH_HIDDEN_EMBEDDED_FILE = pdf_with_object_stream(
    b"/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>", b"<</Type/Filespec/F(a.exe)>>"
)
PDF_WITH_XFA = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/AcroForm<</Fields[]/XFA 9 0 R>>")
PDF_WITH_PAGE_ACTION = PDF.replace(
    b"/Type/Catalog", b"/Type/Catalog/AA<</WC<</S/URI/URI(http://x.invalid)>>>>"
)


# --- OLE (Word 97-2003 .doc, Excel 97-2003 .xls): a compound file written sector by sector.

OLE_SECTOR = 512
OLE_FREE, OLE_END, OLE_FAT, OLE_NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
OLE_STORAGE, OLE_STREAM, OLE_ROOT = 1, 2, 5


@dataclass
class _OleEntry:
    name: str
    kind: int
    start: int = OLE_END
    size: int = 0
    children: list[int] = field(default_factory=list)


OleTree = dict[str, "bytes | OleTree"]


def ole(tree: OleTree) -> bytes:
    """A compound file (MS-CFB version 3) holding `tree`: a name maps to bytes (a stream) or to
    another dict (a storage). Every stream is padded to 4096 bytes so that it lives in regular
    sectors (smaller ones belong in the mini stream, which this writer does not make)."""
    entries = [_OleEntry("Root Entry", OLE_ROOT)]
    sectors: list[bytes] = []  # numbered from 0, after the 512-byte header
    fat: list[int] = []

    def chain(count: int) -> int:
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(OLE_END)
        return start

    def add(name: str, node: bytes | OleTree) -> int:
        entries.append(entry := _OleEntry(name, OLE_STORAGE))
        index = len(entries) - 1
        if isinstance(node, bytes):
            data = node.ljust(4096, b"\x00")
            entry.kind, entry.size = OLE_STREAM, len(data)
            entry.start = chain(len(data) // OLE_SECTOR)
            sectors.extend(data[i : i + OLE_SECTOR] for i in range(0, len(data), OLE_SECTOR))
        else:
            entry.children = [add(child, sub) for child, sub in node.items()]
        return index

    entries[0].children = [add(name, node) for name, node in tree.items()]
    # Siblings form a binary tree ordered by name length, then upper-cased name: here each one
    # is the right sibling of the one before, and the parent points at the first.
    right: dict[int, int] = {}
    first: dict[int, int] = {}
    for parent, entry in enumerate(entries):
        ordered = sorted(
            entry.children, key=lambda i: (len(entries[i].name), entries[i].name.upper())
        )
        if ordered:
            first[parent] = ordered[0]
            right.update(itertools.pairwise(ordered))
    directory = b""
    for index, entry in enumerate(entries):
        name = entry.name.encode("utf-16-le") + b"\x00\x00"
        directory += (
            name.ljust(64, b"\x00")
            + struct.pack("<HBB", len(name), entry.kind, 1)
            + struct.pack("<III", OLE_NONE, right.get(index, OLE_NONE), first.get(index, OLE_NONE))
            + b"\x00" * 36
            + struct.pack("<IQ", entry.start, entry.size)
        )
    directory = directory.ljust(-(-len(directory) // OLE_SECTOR) * OLE_SECTOR, b"\x00")
    directory_at = chain(len(directory) // OLE_SECTOR)
    fat_at = len(fat)
    fat.append(OLE_FAT)
    assert len(fat) <= OLE_SECTOR // 4  # one FAT sector is enough for these small files
    fat_sector = struct.pack("<128I", *fat, *[OLE_FREE] * (128 - len(fat)))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<9I", 0, 1, directory_at, 0, 4096, OLE_END, 0, OLE_END, 0)
        + struct.pack("<109I", fat_at, *[OLE_FREE] * 108)
    )
    return header + b"".join(sectors) + directory + fat_sector


def doc(*, macro: bool = False) -> bytes:
    """A Word 97-2003 document; with `macro`, it carries a VBA project (Macros/PROJECT,
    Macros/VBA/dir and Macros/VBA/_VBA_PROJECT, as Word stores one)."""
    tree: OleTree = {"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\x00"}
    if macro:
        tree["Macros"] = {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\n',
            "VBA": {
                "dir": b"\x01" + b"\x00" * 31,
                "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
                "ThisDocument": b'Attribute VB_Name = "ThisDocument"\r\nSub AutoOpen()\r\nEnd Sub\r\n',
            },
        }
    return ole(tree)


# --- A Word document that pulls in an HTML chunk (altChunk), which Word renders as a web page.


def docx(extra: dict[str, bytes] | None = None, *, alt_chunk: bool = False) -> bytes:
    relationships = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships">'
    )
    body = "<w:p><w:r><w:t>Laporan</w:t></w:r></w:p>"
    if alt_chunk:
        relationships += (
            '<Relationship Id="rIdHtml" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/aFChunk" Target="bagian.html"/>'
        )
        body += '<w:altChunk r:id="rIdHtml"/>'
    relationships += "</Relationships>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="html" ContentType="text/html"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<w:body>{body}</w:body></w:document>",
        )
        archive.writestr("word/_rels/document.xml.rels", relationships)
        if alt_chunk:
            archive.writestr("word/bagian.html", HTML)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xls(*, macro: bool = False) -> bytes:
    """An Excel 97-2003 workbook; with `macro`, its VBA project as Excel stores one."""
    tree: OleTree = {"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"}
    if macro:
        tree["_VBA_PROJECT_CUR"] = {
            "PROJECT": b"Document=ThisWorkbook/&H00000000\r\n",
            "VBA": {"dir": b"\x01" + b"\x00" * 31, "_VBA_PROJECT": b"\xcc\x61\xff\xff"},
        }
    return ole(tree)


def pdf_locked(user_password: str) -> bytes:
    """A one-page PDF encrypted by pypdf: with an empty user password it opens for everyone
    (only printing or copying is restricted, as many offices do); with one, it does not."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Documents as a reporter's phone and office make them: a GPS-tagged photo pasted in, an
# author, tracked changes and comments, the editors' account ids, custom XML and a thumbnail.

AUTHOR = "Rahmawati Siregar"
AUTHOR_INITIALS = "RS"
AUTHOR_ACCOUNT = "S::rahmawati.siregar@inspektorat.example"
PHOTO_OWNER = "Rahmawati HP"
EDIT_DATE = "2026-12-05T14:32:12Z"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


def gps_photo(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG as a phone writes it: camera, its owner's name, a comment and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x013B] = AUTHOR  # Artist
    details = exif.get_ifd(0x8769)
    details[0xA430] = PHOTO_OWNER  # CameraOwnerName
    details[0x9003] = "2026:12:05 14:32:12"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (3.0, 35.0, 52.0)  # Binjai, 3°35'N
    gps[3] = "E"
    gps[4] = (98.0, 29.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def docx_with_photo(*, text: str = "Kuitansi proyek jalan terlampir.") -> bytes:
    """A Word file with a GPS-tagged photo, a tracked insertion and a comment by AUTHOR, the
    editors' list (people.xml), custom XML, a thumbnail, editing-session ids and the path of
    the template on the author's computer."""
    photo = gps_photo()
    who = f'w:author="{AUTHOR}" w:date="{EDIT_DATE}"'
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="jpeg" ContentType="image/jpeg"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/comments.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
            '<Override PartName="/word/people.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.people+xml"/>'
            '<Override PartName="/word/settings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
            '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.customXmlProperties+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
            'openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
            'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.'
            f'org/dc/elements/1.1/"><dc:creator>{AUTHOR}</dc:creator></cp:coreProperties>'
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
            'openxmlformats.org/officeDocument/2006/extended-properties"><Company>Dinas PUPR'
            "</Company></Properties>"
        ),
        "docProps/thumbnail.jpeg": photo,
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="http://schemas.openxmlformats.'
            'org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.'
            'org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/'
            '2006/picture"><w:body>'
            '<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6"><w:commentRangeStart w:id="0"/>'
            f'<w:r><w:t>{text}</w:t></w:r><w:commentRangeEnd w:id="0"/>'
            '<w:r><w:commentReference w:id="0"/></w:r>'
            f'<w:ins w:id="1" {who}><w:r w:rsidR="00D4E5F6"><w:t>Setoran kedua.</w:t></w:r>'
            f'</w:ins><w:del w:id="2" {who}><w:r><w:delText>Dihapus.</w:delText></w:r></w:del>'
            "</w:p>"
            '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="609600" cy="457200"/>'
            '<wp:docPr id="1" name="IMG_20261205_143212.jpg" descr="Foto kuitansi"/><a:graphic><a:graphicData uri="http://schemas.'
            'openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0"'
            ' name="IMG_20261205_143212.jpg" descr="C:\\Users\\rahmawati.siregar\\Pictures\\'
            'IMG_20261205_143212.jpg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
            '<a:blip r:embed="rIdPhoto"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData>'
            "</a:graphic></wp:inline></w:drawing></w:r></w:p>"
            '<w:sectPr w:rsidR="00A1B2C3"/></w:body></w:document>'
        ),
        "word/_rels/document.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            '<Relationship Id="rIdPhoto" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/image" Target="media/image1.jpeg"/>'
            '<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/comments" Target="comments.xml"/>'
            '<Relationship Id="rIdPeople" Type="http://schemas.microsoft.com/office/2011/'
            'relationships/people" Target="people.xml"/>'
            '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/settings" Target="settings.xml"/>'
            '<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument'
            '/2006/relationships/customXml" Target="../customXml/item1.xml"/>'
            "</Relationships>"
        ),
        "word/media/image1.jpeg": photo,
        "word/comments.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}">'
            f'<w:comment w:id="0" {who} w:initials="{AUTHOR_INITIALS}"><w:p><w:r>'
            "<w:t>Ini uang setoran untuk Kabid.</w:t></w:r></w:p></w:comment></w:comments>"
        ),
        "word/people.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="http://schemas.'
            f'microsoft.com/office/word/2012/wordml"><w15:person w15:author="{AUTHOR}">'
            f'<w15:presenceInfo w15:providerId="AD" w15:userId="{AUTHOR_ACCOUNT}"/>'
            "</w15:person></w15:people>"
        ),
        "word/settings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="{W}" xmlns:r="{R}" '
            'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
            '<w:attachedTemplate r:id="rIdTemplate"/><w:rsids><w:rsidRoot w:val="00A1B2C3"/>'
            '<w:rsid w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids>'
            '<w14:docId w14:val="1A2B3C4D"/></w:settings>'
        ),
        "word/_rels/settings.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            '<Relationship Id="rIdTemplate" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\'
            'rahmawati.siregar\\Templates\\Normal.dotm" TargetMode="External"/></Relationships>'
        ),
        "customXml/item1.xml": f"<dms><owner>{AUTHOR_ACCOUNT}</owner></dms>",
        "customXml/itemProps1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><ds:datastoreItem ds:itemID="{0}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>'
        ),
        "customXml/_rels/item1.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>'
        ),
    }
    # Word's own order: the content types, the package relationships, then the document (the
    # type is recognised from the first members' names).
    first = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in first + [name for name in parts if name not in first]:
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 5, 14, 32, 12))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name])
    return buffer.getvalue()


def odt_with_photo() -> bytes:
    """A LibreOffice text with a GPS-tagged photo, a tracked change and a note by AUTHOR, a
    thumbnail and the office printer in its settings."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    change = (
        f"<office:change-info><dc:creator>{AUTHOR}</dc:creator><dc:date>2026-12-05T14:32:12"
        "</dc:date></office:change-info>"
    )
    manifest_entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in (
            ("/", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "text/xml"),
            ("settings.xml", "text/xml"),
            ("Pictures/foto.jpg", "image/jpeg"),
            ("Thumbnails/thumbnail.png", "image/png"),
        )
    )
    parts: dict[str, bytes] = {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.'
            'org/dc/elements/1.1/" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
            ' xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:text>'
            '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion>'
            f"{change}</text:insertion></text:changed-region></text:tracked-changes>"
            f"<text:p>Kuitansi terlampir.<office:annotation><dc:creator>{AUTHOR}</dc:creator>"
            "<dc:date>2026-12-05T14:32:12</dc:date><text:p>Setoran kedua.</text:p>"
            '</office:annotation></text:p><text:p><draw:frame><draw:image xlink:href="Pictures/'
            'foto.jpg"/></draw:frame></text:p></office:text></office:body>'
            "</office:document-content>"
        ).encode(),
        "settings.xml": b"<office:document-settings>HP LaserJet Ruang Irban</office:document-settings>",
        "meta.xml": f"<office:document-meta><dc:creator>{AUTHOR}</dc:creator></office:document-meta>".encode(),
        "Pictures/foto.jpg": gps_photo(),
        "Thumbnails/thumbnail.png": png(),
        "META-INF/manifest.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            f'names:tc:opendocument:xmlns:manifest:1.0">{manifest_entries}</manifest:manifest>'
        ).encode(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 5, 14, 32, 12))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def pdf_with_photo(*, text: str = "Kuitansi proyek jalan") -> bytes:
    """A one-page PDF as a scanner or phone app writes one: the GPS-tagged photo as a JPEG image
    (its EXIF inside), an /Author, XMP on the catalogue, the page and the image, page
    application data, a thumbnail, a modification date and a comment by AUTHOR."""
    photo = gps_photo()
    xmp = (
        f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator><xmp:CreateDate>{EDIT_DATE}"
        "</xmp:CreateDate></x:xmpmeta>"
    ).encode()
    content = f"q 64 0 0 48 72 600 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()

    def stream(head: bytes, data: bytes) -> bytes:
        return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> /Metadata 7 0 R "
        b"/LastModified (D:20261205143212+07'00') /Thumb 8 0 R /Annots [10 0 R] "
        b"/PieceInfo << /Illustrator << /LastModified (D:20261205143212) /Private "
        + f"({AUTHOR})".encode()
        + b" >> >> >>",
        stream(b"", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(
            b"/Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Metadata 7 0 R",
            photo,
        ),
        stream(b"/Type /Metadata /Subtype /XML", xmp),
        stream(
            b"/Width 64 /Height 48 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            photo,
        ),
        f"<< /Author ({AUTHOR}) /Creator (Kantor Scanner 3000) /CreationDate "
        "(D:20261205143212+07'00') >>".encode(),
        b"<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (Setoran kedua) "
        + f"/T ({AUTHOR}) /M (D:20261205143212) /CreationDate (D:20261205143212) >>".encode(),
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
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 9 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
