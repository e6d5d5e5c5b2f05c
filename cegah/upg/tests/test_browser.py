"""Gratification control in a real browser, from report to KPK's decision: a civil servant
writes the report and sees the exemption check change as they type, sends it with a photo of the
gift; the UPG returns it as incomplete; the reporter completes it; the UPG takes the item into
custody and forwards the report to KPK (asked first); KPK's decision is recorded; the reporter
reads the outcome; the public page shows the count as "< 5" the next day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cegah.core.tests.browser import (  # noqa: F401 - the page fixture
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)
from cegah.upg.models import CustodyItem, Report
from cegah.uploads.tests import files

from .conftest import Upg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_report_to_kpk_decision(page, live_server, upg: Upg, tmp_path) -> None:  # noqa: F811
    photo = tmp_path / "foto-jam-tangan.pdf"
    photo.write_bytes(files.PDF)
    received = timezone.localdate() - timedelta(days=4)
    url = live_server.url

    # The civil servant writes the report; the check follows what they type.
    sign_in(page, url, upg.reporter.user)
    page.get_by_role("link", name="Gratifikasi saya").first.click()
    page.get_by_role("button", name="Laporkan gratifikasi").click()
    page.get_by_label("Tanggal diterima (atau ditolak)").fill(received.strftime("%d-%m-%Y"))
    page.get_by_label("Nama pemberi").fill("Ibu Rahma")
    page.get_by_label("Hubungan dengan pemberi").fill("Rekan kerja satu bidang")
    page.get_by_label("Jenis pemberian").select_option(
        label="Pemberian sesama rekan kerja, bukan uang"
    )
    page.get_by_label("Bentuk").select_option(label="Barang")
    page.get_by_label("Uraian pemberian").fill("Jam tangan")
    page.get_by_label("Perkiraan nilai").fill("Rp450.000")
    page.get_by_label("Perkiraan nilai").blur()
    page.get_by_text("Tampaknya tidak wajib dilaporkan").wait_for()
    assert "Rp450.000" in page.inner_text("#check")
    page.get_by_label("Perkiraan nilai").fill("Rp3.000.000")
    page.get_by_label("Perkiraan nilai").blur()
    page.get_by_text("melebihi batas Rp500.000 per pemberian").wait_for()
    assert "Wajib dilaporkan" in page.inner_text("#check")
    page.get_by_label("Tempat").fill("Ruang kerja BPKAD")
    page.get_by_label("Peristiwa atau dalam rangka").fill("Ulang tahun saya")
    page.get_by_label("Kronologi").fill("Diberikan di ruang kerja pada jam istirahat.")
    page.get_by_label("NIK").fill("1275010101850002")
    page.get_by_label("Alamat rumah").fill("Jl. Gatot Subroto 5, Binjai")
    page.get_by_label("Berkas bukti (foto barang, dokumen; paling banyak 5)").set_input_files(
        str(photo)
    )
    assert_accessible(page)
    page.get_by_role("button", name="Kirim laporan ke UPG").click()
    page.get_by_text("terkirim ke UPG").wait_for()
    report = Report.objects.get()
    assert page.get_by_text(report.number).first.is_visible()

    # The UPG finds it in the queue and returns it as incomplete.
    sign_in(page, url, upg.upg)
    page.get_by_role("link", name="Laporan gratifikasi").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=report.number).click()
    page.get_by_label("Yang perlu dilengkapi pelapor").fill("Foto kotak dan kartu ucapannya.")
    page.get_by_role("button", name="Kembalikan ke pelapor").click()
    page.get_by_text("Laporan dikembalikan ke pelapor untuk dilengkapi.").wait_for()

    # The reporter completes it from their own page.
    sign_in(page, url, upg.reporter.user)
    page.goto(f"{url}/gratifikasi/laporan/{report.pk}/")
    page.get_by_text("Foto kotak dan kartu ucapannya.").first.wait_for()
    page.get_by_role("button", name="Lengkapi laporan").click()
    assert page.get_by_label("Perkiraan nilai").input_value() == "3.000.000"
    page.get_by_label("Kronologi").fill(
        "Diberikan di ruang kerja pada jam istirahat, dalam kotak dengan kartu ucapan."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Kirim kembali ke UPG").click()
    page.get_by_text("Laporan dilengkapi dan dikirim kembali ke UPG.").wait_for()

    # The UPG keeps the watch and forwards the report to KPK, asked first.
    sign_in(page, url, upg.upg)
    page.goto(f"{url}/gratifikasi/laporan/{report.pk}/")
    page.get_by_label("Barang:", exact=True).fill("Jam tangan dalam kotak")
    page.get_by_label("Disimpan di").fill("Lemari besi Inspektorat")
    page.get_by_role("button", name="Catat di register titipan").click()
    page.get_by_text("Barang dicatat di register titipan.").wait_for()
    page.get_by_role("button", name="Teruskan ke KPK").click()
    page.get_by_text("Laporan dinyatakan lengkap").wait_for()
    assert "Rp3.000.000" in page.inner_text("main")
    page.get_by_role("button", name="Teruskan ke KPK").click()
    page.get_by_text("Laporan diteruskan ke KPK.").wait_for()

    # KPK's decision arrives: state property; the item is handed over.
    page.get_by_label("Milik negara").check()
    page.get_by_label("Nomor SK").fill("45/GRA/KPK/2026")
    page.get_by_label("Tanggal SK").fill(timezone.localdate().strftime("%d-%m-%Y"))
    page.get_by_label("Penyerahan barang").fill("Diserahkan ke KPK dengan berita acara.")
    assert_accessible(page)
    page.get_by_role("button", name="Catat penetapan").click()
    page.get_by_text("Penetapan KPK dicatat.").wait_for()
    page.get_by_role("link", name="Register barang titipan").first.click()
    page.get_by_text("Catat keluar").click()
    page.get_by_label("Keluar sebagai").select_option(label="Diserahkan ke KPK/negara")
    page.get_by_label("Diserahkan kepada").fill("KPK, Direktorat Gratifikasi")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Keluarnya barang dicatat.").wait_for()
    assert CustodyItem.objects.get().state == CustodyItem.State.HANDED_OVER
    assert_accessible(page)
    assert_fits_the_screen(page)

    # The reporter reads the outcome.
    sign_in(page, url, upg.reporter.user)
    page.goto(f"{url}/gratifikasi/")
    assert "Ditetapkan KPK: Milik negara" in page.inner_text("main")

    # The next day, the public page counts it without pointing at anyone.
    Report.objects.update(submitted_on=timezone.localdate() - timedelta(days=1))
    page.context.clear_cookies()
    page.goto(f"{url}/publik/gratifikasi/pemda/{upg.world.binjai.code}/")
    assert "< 5" in page.inner_text("main")
    assert "Rp3.000.000" not in page.inner_text("main")
    assert_accessible(page)
