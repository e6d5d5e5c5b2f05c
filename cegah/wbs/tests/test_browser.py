"""The reporter's and the handler's journeys in a real browser (Playwright + Debian chromium)."""

from __future__ import annotations

import re

import pytest

from cegah.core.tests.browser import (  # noqa: F401
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)
from cegah.wbs.models import Report, ReportState
from cegah.wbs.services import ReporterIdentity

from .conftest import jpeg_with_gps, key_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:  # noqa: F811
    sign_in(page, live_server.url, user)


def _follow(page, live_server, code: str) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/lapor/ikuti/")
    page.get_by_label("Kode tanda terima (16 angka)").fill(code)
    page.get_by_role("button", name="Buka laporan").click()
    page.wait_for_url("**/lapor/ikuti/laporan/")


def test_a_citizen_reports_keeps_the_receipt_and_follows_up(
    page,  # noqa: F811
    live_server,
    world,
    tmp_path,
) -> None:
    photo = tmp_path / "kwitansi.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Nama provinsi, kabupaten atau kota").fill("binjai")
    page.get_by_role("link", name="Kota Binjai").click()  # the list came without a reload
    page.wait_for_url("**/lapor/12.75/")
    page.get_by_label("Dugaan korupsi").check()
    page.get_by_label("Apa yang terjadi?").fill(
        "Bendahara meminta setoran 10% dari setiap pencairan dana BOS."
    )
    page.get_by_label("Siapa yang terlibat? (nama)").fill("Bendahara sekolah")
    page.get_by_label("Perkiraan kerugian (Rp)").fill("45000000")
    page.get_by_label("Bukti (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS)").set_input_files(str(photo))
    page.get_by_text("Siap dikirim.").wait_for()  # the proof of work ran in the browser
    assert_accessible(page)  # the report form, filled in
    page.get_by_role("button", name="Kirim laporan").click()

    page.get_by_role("heading", name="Laporan Anda sudah terkirim").wait_for()
    code = page.locator("#receipt-code").inner_text().replace(" ", "")
    assert_accessible(page)  # the receipt
    assert re.fullmatch(r"\d{16}", code)
    page.get_by_role("button", name="Salin kode").click()
    page.get_by_text("Kode tersalin.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    report = Report.objects.get()
    assert report.attachments.count() == 1

    _follow(page, live_server, code)
    page.get_by_text("Laporan Anda sudah kami terima").wait_for()
    assert page.title() == "Laporan saya · Cegah"
    page.get_by_label("Pesan atau keterangan tambahan").fill("Pencairan berikutnya Juli 2026.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_text("Pencairan berikutnya Juli 2026.").wait_for()
    assert_accessible(page)  # the follow page with the conversation
    # The page's script is loaded (it once sat inside <title>, as text): a double click on a
    # slow connection sends the message once.
    page.get_by_label("Pesan atau keterangan tambahan").fill("Dikirim sekali saja.")
    page.locator("#reporter-message").get_by_text("Siap dikirim.").wait_for()
    page.evaluate(
        """() => {
          const form = document.querySelector("form#reporter-message");
          [1, 2].forEach(() => form.dispatchEvent(new Event("submit", {cancelable: true})));
        }"""
    )
    page.get_by_text("Dikirim sekali saja.").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Dikirim sekali saja.").count() == 1
    page.get_by_role("button", name="Selesai, tutup laporan ini di perangkat ini").click()
    page.wait_for_url(f"{live_server.url}/lapor/")
    page.goto(f"{live_server.url}/lapor/ikuti/laporan/")
    page.wait_for_url("**/lapor/ikuti/")  # the device no longer opens it


def test_the_inspectorate_handles_a_report_and_the_reporter_reads_the_outcome(
    page,  # noqa: F811
    live_server,
    world,
    submit,
) -> None:
    from cegah.testing.factories import RoleAssignmentFactory, UserFactory

    # A colleague who had signed in before the report came: it is sealed to both of them.
    colleague = UserFactory.create(email="irban2@binjai.test", full_name="Irban Dua")
    RoleAssignmentFactory.create(user=colleague, role="inspektorat", pemda=world.binjai)
    key_of(colleague)
    report, code = submit(identity=ReporterIdentity(name="Ani Wijaya", contact="0812000111"))
    _sign_in(page, live_server, world.inspektorat_binjai)
    page.goto(f"{live_server.url}/wbs/")
    page.get_by_role("link", name=str(report)).click()
    page.get_by_text("Pungutan liar saat pengurusan izin usaha").wait_for()
    page.get_by_role("button", name="Mulai verifikasi").click()
    page.get_by_text("Status laporan: Verifikasi.").wait_for()

    page.get_by_label("Alasan membuka identitas pelapor").fill(
        "Perlu konfirmasi langsung atas kronologi penyerahan uang."
    )
    page.get_by_role("button", name="Minta buka identitas").click()
    page.get_by_text("menunggu persetujuan penangan lain").wait_for()
    assert page.get_by_text("Ani Wijaya").count() == 0  # one handler's wish is not enough
    # A second handler of the same level reads the reason and approves.
    _sign_in(page, live_server, colleague)
    page.goto(f"{live_server.url}/wbs/{report.pk}/")
    page.get_by_text("kronologi penyerahan uang").wait_for()
    page.get_by_role("button", name="Setujui").click()
    page.get_by_text("Permintaan disetujui").wait_for()
    _sign_in(page, live_server, world.inspektorat_binjai)
    page.goto(f"{live_server.url}/wbs/{report.pk}/")
    page.get_by_text("Ani Wijaya").wait_for()
    assert_accessible(page)  # the handler's report page, its forms and the identity shown

    page.get_by_label("Pesan untuk pelapor").fill("Mohon sebutkan nomor izin yang diurus.")
    page.get_by_label(re.compile("Minta informasi tambahan")).check()
    page.get_by_role("button", name="Kirim pesan").click()
    page.get_by_text("Pesan terkirim.").wait_for()

    # The reporter, on another device, reads the question and answers it.
    page.context.clear_cookies()
    _follow(page, live_server, code)
    page.get_by_text("Identitas Anda dibuka untuk penangan").wait_for()  # and on which day
    page.get_by_text("Penangan menunggu jawaban Anda.").wait_for()
    page.get_by_text("Mohon sebutkan nomor izin yang diurus.").wait_for()
    page.get_by_label("Pesan atau keterangan tambahan").fill("Izin nomor 503/123/DPMPTSP/2026.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_text("Izin nomor 503/123/DPMPTSP/2026.").wait_for()

    page.context.clear_cookies()
    _sign_in(page, live_server, world.inspektorat_binjai)
    page.goto(f"{live_server.url}/wbs/{report.pk}/")
    page.get_by_text("Izin nomor 503/123/DPMPTSP/2026.").wait_for()
    page.get_by_label("Penjelasan untuk pelapor").fill(
        "Audit investigatif atas layanan perizinan DPMPTSP dimulai bulan ini."
    )
    page.get_by_role("button", name="Tindak lanjuti").click()
    page.get_by_text("Status laporan: Ditindaklanjuti.").wait_for()

    page.context.clear_cookies()
    _follow(page, live_server, code)
    page.get_by_text("Laporan sedang ditindaklanjuti dengan audit").wait_for()
    page.get_by_text("Audit investigatif atas layanan perizinan DPMPTSP").wait_for()
    report.refresh_from_db()
    assert report.state == ReportState.FOLLOWED_UP


def test_the_statistics_tables_side_by_side_keep_their_own_row_height(
    page,  # noqa: F811
    live_server,
    world,
    submit,
) -> None:
    submit()
    page.set_viewport_size({"width": 1280, "height": 900})  # the two tables side by side
    page.goto(f"{live_server.url}/lapor/statistik/")
    by_type = page.get_by_role("table", name="Menurut jenis").locator("tbody tr").first
    by_state = page.get_by_role("table", name="Menurut status").locator("tbody tr").first
    type_box, state_box = by_type.bounding_box(), by_state.bounding_box()
    assert type_box is not None and state_box is not None
    # The shorter table is not stretched to the taller one's height.
    assert abs(type_box["height"] - state_box["height"]) <= 1
    assert_accessible(page)


def test_the_handlers_queue_fits_a_phone(page, live_server, world) -> None:  # noqa: F811
    _sign_in(page, live_server, world.inspektorat_binjai)
    page.goto(f"{live_server.url}/wbs/")
    page.get_by_role("button", name="Tampilkan").wait_for()
    assert_fits_the_screen(page)  # three filters side by side were 816 px wide
    assert_accessible(page)


def test_a_refused_report_keeps_its_text_and_its_files(
    page,  # noqa: F811
    live_server,
    world,
    tmp_path,
) -> None:
    photo = tmp_path / "kwitansi.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.goto(f"{live_server.url}/lapor/12.75/")
    page.get_by_label("Dugaan korupsi").check()
    what = "Pungutan Rp500.000 untuk setiap izin usaha mikro."
    page.get_by_label("Apa yang terjadi?").fill(what)
    page.get_by_label("Perkiraan kerugian (Rp)").fill("50.00.000")  # fits no reading
    page.get_by_label("Bukti (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS)").set_input_files(str(photo))
    page.get_by_text("Siap dikirim.").wait_for()
    page.get_by_role("button", name="Kirim laporan").click()

    page.get_by_text("tidak terbaca sebagai angka").wait_for()
    assert not Report.objects.exists()
    assert page.get_by_label("Apa yang terjadi?").input_value() == what
    assert page.get_by_label("Perkiraan kerugian (Rp)").input_value() == "50.00.000"
    chosen = page.get_by_label("Bukti (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS)")
    assert chosen.evaluate("input => Array.from(input.files).map(f => f.name)") == ["kwitansi.jpg"]
    assert_accessible(page)  # the refused form, with its message

    page.get_by_label("Perkiraan kerugian (Rp)").fill("Rp50.000.000")
    page.get_by_text("Siap dikirim.").wait_for()  # a new challenge, solved again
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", name="Laporan Anda sudah terkirim").wait_for()
    report = Report.objects.get()
    assert report.attachments.count() == 1
    # The handler reads the amount back as the reporter typed it.
    _sign_in(page, live_server, world.inspektorat_binjai)
    page.goto(f"{live_server.url}/wbs/{report.pk}/")
    page.get_by_text("Rp50.000.000").wait_for()
    assert_accessible(page)


def test_leaving_a_report_half_written_asks_first(
    page,  # noqa: F811
    live_server,
    world,
) -> None:
    page.goto(f"{live_server.url}/lapor/12.75/")
    page.get_by_label("Apa yang terjadi?").fill("Setengah tertulis")
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="Ganti pemerintah daerah").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/lapor/12.75/")  # dismissed: the person stays with the text


def test_a_file_over_the_limit_is_named_before_anything_is_sent(
    page,  # noqa: F811
    live_server,
    world,
    tmp_path,
    settings,
) -> None:
    settings.WBS_ATTACHMENT_MAX_MB = 1
    big = tmp_path / "video-rapat.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    page.goto(f"{live_server.url}/lapor/12.75/")
    page.get_by_label("Dugaan korupsi").check()
    page.get_by_label("Apa yang terjadi?").fill("Rekaman rapat pembagian fee proyek.")
    page.get_by_label("Bukti (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS)").set_input_files(str(big))
    page.get_by_text("Siap dikirim.").wait_for()
    page.get_by_role("button", name="Kirim laporan").click()
    alert = page.locator(".form-problem")
    alert.wait_for()
    assert "video-rapat.pdf" in alert.inner_text()
    assert not Report.objects.exists()
    assert_accessible(page)
