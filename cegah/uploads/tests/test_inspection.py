"""Every kind of bad upload is refused with a translated reason; good files pass."""

import io

import pytest
from django.utils import translation

from cegah.uploads.inspection import UploadRejected, inspect_upload
from cegah.uploads.tests import files

MB = 1024 * 1024
ALL = ["pdf", "jpg", "png", "xlsx", "docx", "csv", "doc", "xls"]


def _inspect(name: str, data: bytes, allowed: list[str] = ALL, max_bytes: int = 20 * MB):
    return inspect_upload(name=name, file=io.BytesIO(data), allowed=allowed, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("Perkada RKPD 2025.pdf", files.PDF, "application/pdf"),
        ("dibuka di halaman 1.pdf", files.PDF_OPENING_AT_A_PAGE, "application/pdf"),
        ("objek terkompresi.pdf", files.pdf_with_object_stream(b""), "application/pdf"),
        ("hanya boleh dibaca.pdf", files.pdf_locked(""), "application/pdf"),
        ("surat lama.doc", files.doc(), "ole-storage"),
        ("rekap lama.xls", files.xls(), "ole-storage"),
        ("surat.docx", files.docx(), "wordprocessingml"),
        ("foto-papan-nama.png", files.png(), "image/png"),
        ("rekap SIRUP.xlsx", files.xlsx(), "sheetml"),
        ("rekap.csv", b"kode;nilai\nPBJ.04;87,5\n", "text/csv"),
    ],
)
def test_good_files_pass_with_their_type_size_and_hash(name, data, kind) -> None:
    inspected = _inspect(name, data)
    assert kind in inspected.content_type
    assert inspected.size == len(data) and len(inspected.sha256) == 64
    assert inspected.name == name


BAD = [
    ("renamed executable", "laporan.pdf", files.EXE, "tidak sesuai dengan jenisnya"),
    ("empty file", "kosong.pdf", b"", "Berkas kosong"),
    ("oversized", "besar.pdf", files.PDF + b"0" * (2 * MB), "lebih besar dari batas 1 MB"),
    ("HTML with script as pdf", "bukti.pdf", files.HTML, "tidak sesuai dengan jenisnya"),
    ("HTML as csv", "data.csv", files.HTML, "bukan CSV"),
    (
        "csv with a formula",
        "rekap.csv",
        b'nama;jumlah\nBinjai;=HYPERLINK("http://x";"klik")\n',
        "Baris 2 kolom 2 berisi rumus",
    ),
    ("csv with an @ command", "rekap.csv", b"a,b\n1,@SUM(1+1)\n", "Baris 2 kolom 2"),
    ("PDF that is a web page", "bukti.pdf", b"%PDF-1.4\n" + files.HTML, "PDF"),
    ("SVG with script as png", "logo.png", files.SVG, "tidak sesuai dengan jenisnya"),
    ("SVG by its own name", "logo.svg", files.SVG, "Jenis berkas .svg tidak diterima"),
    ("zip bomb as xlsx", "rekap.xlsx", files.xlsx_bomb(), "zip bomb"),
    ("xlsx with a damaged member", "rekap.xlsx", files.xlsx_damaged("checksum"), "rusak"),
    ("xlsx of an unknown zip version", "rekap.xlsx", files.xlsx_damaged("version"), "rusak"),
    ("xlsx of an unknown compression", "rekap.xlsx", files.xlsx_damaged("method"), "rusak"),
    ("xlsx behind a password", "rekap.xlsx", files.xlsx_damaged("encrypted"), "kata sandi"),
    ("path traversal", "../../config/settings.pdf", files.PDF, "tidak boleh berisi folder"),
    ("backslash path", "..\\..\\boot.ini.pdf", files.PDF, "tidak boleh berisi folder"),
    ("null byte in name", "bukti.pdf\x00.exe", files.PDF, "tidak boleh berisi folder"),
    ("double extension", "laporan.pdf.exe", files.EXE, "Jenis berkas .exe tidak diterima"),
    ("spreadsheet named pdf", "rekap.pdf", files.xlsx(), "tidak sesuai dengan jenisnya"),
    (
        "macro in office file",
        "rekap.xlsx",
        files.xlsx({"xl/vbaProject.bin": b"\x00macro"}),
        "berisi makro",
    ),
    ("PDF with JavaScript", "surat.pdf", files.PDF_WITH_SCRIPT, "PDF berisi skrip"),
    (
        "PDF with JavaScript, its names #xx-escaped",
        "surat.pdf",
        files.PDF_WITH_ESCAPED_SCRIPT,
        "PDF berisi skrip",
    ),
    (
        "PDF launching a program, its name #xx-escaped",
        "surat.pdf",
        files.PDF_WITH_ESCAPED_LAUNCH,
        "menjalankan program",
    ),
    (
        "PDF whose OpenAction script sits in a compressed object stream",
        "surat.pdf",
        files.PDF_WITH_HIDDEN_OPEN_ACTION,
        "PDF berisi skrip",
    ),
    (
        "PDF with an embedded file in a compressed object stream",
        "surat.pdf",
        files.PDF_WITH_HIDDEN_EMBEDDED_FILE,
        "berkas tertanam",
    ),
    ("PDF with an XFA form", "formulir.pdf", files.PDF_WITH_XFA, "XFA"),
    ("PDF with a page action", "surat.pdf", files.PDF_WITH_PAGE_ACTION, "berjalan sendiri"),
    ("PDF behind a password", "surat.pdf", files.pdf_locked("kunci"), "kata sandi"),
    ("Word 97-2003 with a VBA project", "surat.doc", files.doc(macro=True), "berisi makro"),
    ("Excel 97-2003 with a VBA project", "rekap.xls", files.xls(macro=True), "berisi makro"),
    ("OLE file cut short", "surat.doc", files.doc()[:1024], "rusak"),
    ("Word with an HTML altChunk", "surat.docx", files.docx(alt_chunk=True), "altChunk"),
    (
        "CSV not UTF-8",
        "data.csv",
        "kode;nama\n1;Dinas Pendapatan Daerah\xa9\n".encode("latin-1"),
        "UTF-8",
    ),
    ("no extension", "laporan", files.PDF, "harus berakhiran jenisnya"),
    ("control characters in name", "lap\u202eoran.pdf", files.PDF, "karakter"),
]


@pytest.mark.parametrize(("kind", "name", "data", "words"), BAD, ids=[b[0] for b in BAD])
def test_each_kind_of_bad_upload_is_refused_with_a_reason(kind, name, data, words) -> None:
    with pytest.raises(UploadRejected) as caught:
        _inspect(name, data, max_bytes=MB)
    assert words in caught.value.message


def test_a_type_the_sub_indicator_does_not_ask_for_is_refused() -> None:
    with pytest.raises(UploadRejected, match=r"\.png tidak diterima di sini. Gunakan: pdf"):
        _inspect("foto.png", files.png(), allowed=["pdf"])


def test_reasons_are_given_in_english_to_english_readers() -> None:
    with translation.override("en"), pytest.raises(UploadRejected) as caught:
        _inspect("laporan.pdf", files.EXE)
    assert caught.value.message == (
        "The file's content does not match its type (.pdf). The file was refused."
    )
