"""A conflict of interest in a real browser, from declaration to decision: a civil servant
declares, their superior finds it on the home page and hands the decision to a colleague, the
named official and the declarant read it, and the Inspektorat sees it in the register."""

from __future__ import annotations

import pytest

from cegah.coi.models import Declaration, Handling
from cegah.core.tests.browser import (  # noqa: F401 - the page fixture
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)

from .conftest import Coi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_declaration_to_decision(page, live_server, coi: Coi) -> None:  # noqa: F811
    url = live_server.url
    sign_in(page, url, coi.declarant.user)
    page.get_by_role("link", name="Benturan kepentingan").first.click()
    page.get_by_role("button", name="Nyatakan benturan kepentingan").click()
    assert "Ahmad Harahap" in page.inner_text("main")  # whom it goes to
    page.get_by_label("Jenis urusan").select_option(label="Paket pengadaan barang/jasa")
    page.get_by_label("Urusan yang terdampak").fill("Tender rehabilitasi gedung DPRD 2026")
    page.get_by_label("Aktual").check()
    page.get_by_label("Sumber benturan").select_option(label="Hubungan keluarga atau kekerabatan")
    page.get_by_label("Orang atau perusahaan yang terkait").fill(
        "CV Karya Mandiri (adik ipar saya)"
    )
    page.get_by_label("Sejak").fill("02-01-2026")
    page.get_by_label("Uraian").fill("Adik ipar saya direktur salah satu peserta tender.")
    assert_accessible(page)
    page.get_by_role("button", name="Kirim pernyataan").click()
    page.get_by_text("terkirim ke atasan Anda").wait_for()
    declaration = Declaration.objects.get()
    assert "tidak ikut mengambil keputusan" in page.inner_text("main")

    # The superior sees it waiting on the home page and decides.
    sign_in(page, url, coi.head.user)
    page.get_by_text("1 pernyataan benturan kepentingan menunggu keputusan Anda").wait_for()
    page.goto(f"{url}/benturan-kepentingan/")
    page.get_by_role("link", name=declaration.number).click()
    page.get_by_label("Keputusan dialihkan ke pejabat lain").check()
    page.get_by_label("Alasan").fill("Peserta tender dimiliki keluarga dekat yang menyatakan.")
    page.get_by_label("Pejabat yang mengambil alih keputusan (bila dialihkan)").select_option(
        label=str(coi.colleague)
    )
    assert_accessible(page)
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_text("Keputusan dicatat.").wait_for()
    declaration.refresh_from_db()
    assert (declaration.handling, declaration.delegate) == (Handling.DELEGATED, coi.colleague)

    # The named official is told and reads what they take over.
    sign_in(page, url, coi.colleague.user)
    page.goto(f"{url}/benturan-kepentingan/")
    page.get_by_role("link", name=declaration.number).click()
    assert "Tender rehabilitasi gedung DPRD 2026" in page.inner_text("main")
    assert_fits_the_screen(page)

    # The Inspektorat finds it in the register.
    sign_in(page, url, coi.world.inspektorat_binjai)
    page.get_by_role("link", name="Register benturan kepentingan").first.click()
    assert declaration.number in page.inner_text("main")
    assert "Keputusan dialihkan ke pejabat lain" in page.inner_text("main")
    assert_accessible(page)
