"""A recommendation in a real browser, from written to done: the verifier writes it, the Pemda's
admin records the follow-up with a file and asks for acceptance, the verifier accepts."""

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
from cegah.mcp.models import Recommendation
from cegah.uploads.tests import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recommendation_from_written_to_done(
    page,  # noqa: F811
    live_server,
    world,
    reporting,
    tmp_path,
) -> None:
    due = timezone.localdate() + timedelta(days=21)
    pdf = tmp_path / "perwal-sop.pdf"
    pdf.write_bytes(files.PDF)

    # The verifier writes it for Binjai, about PRC.1, from the list.
    sign_in(page, live_server.url, world.verifier_sumut)
    page.get_by_role("link", name="Rekomendasi", exact=True).click()
    page.get_by_role("link", name="Tulis rekomendasi").click()
    page.get_by_label("Pemda").select_option("12.75")
    page.get_by_label("Indikator (bila ada)").select_option(label="PRC.1 Musrenbang terdokumentasi")
    page.get_by_label("Judul").fill("Tetapkan SOP pengadaan")
    page.get_by_label("Rekomendasi perbaikan").fill("SOP memuat pemeriksaan konflik kepentingan.")
    page.get_by_label("Tenggat").fill(due.strftime("%d-%m-%Y"))
    assert_accessible(page)
    page.get_by_role("button", name="Simpan rekomendasi").click()
    page.get_by_text("Rekomendasi untuk Kota Binjai disimpan").wait_for()
    assert due.strftime("%d-%m-%Y") in page.inner_text("main")
    rec = Recommendation.objects.get()
    assert (getattr(rec.indicator, "code", None), rec.due_on) == ("PRC.1", due)

    # The Admin Pemda hears of it, records the follow-up with a file, and asks for acceptance.
    sign_in(page, live_server.url, world.admin_binjai)
    page.get_by_role("link", name="Notifikasi").click()
    page.get_by_role("link", name="Rekomendasi MCP baru: Tetapkan SOP pengadaan").click()
    page.get_by_label("Tindak lanjut yang sudah dilakukan").fill("SOP ditetapkan dengan Perwal.")
    page.get_by_label("Berkas bukti (bila ada, paling banyak 5)").set_input_files(str(pdf))
    page.get_by_role("button", name="Catat tindak lanjut").click()
    page.get_by_text("Tindak lanjut dicatat dengan 1 berkas.").wait_for()
    assert page.get_by_role("link", name="perwal-sop.pdf").count() == 1
    page.get_by_role("button", name="Selesai ditindaklanjuti: ajukan untuk diterima").click()
    page.get_by_text("Diajukan untuk diterima").wait_for()
    assert_accessible(page)
    assert_fits_the_screen(page)

    # The verifier reads the evidence and accepts.
    sign_in(page, live_server.url, world.verifier_sumut)
    page.get_by_role("link", name="Notifikasi").click()
    page.get_by_role(
        "link", name="Tindak lanjut menunggu penerimaan: Tetapkan SOP pengadaan"
    ).click()
    assert page.get_by_role("link", name="perwal-sop.pdf").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Terima: rekomendasi selesai").click()
    page.get_by_text("Tindak lanjut diterima; rekomendasi ini selesai.").wait_for()

    # The list shows it done.
    page.get_by_role("link", name="Daftar rekomendasi").click()
    row = page.locator("table.recommendations tr", has_text="Tetapkan SOP pengadaan")
    assert "Selesai" in row.inner_text()
    assert_accessible(page)
    rec.refresh_from_db()
    assert rec.state == Recommendation.State.DONE
