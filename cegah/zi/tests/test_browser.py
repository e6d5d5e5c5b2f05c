"""Zona Integritas in a real browser, from declaration to designation: the Admin Pemda adds and
declares a unit, the unit fills in its LKE and sends it, the TPI assesses it, the predicate page
names what blocks WBBM, the Pemda proposes the unit for WBK, the TPN records each stage and
designates it, and the public page shows the predicate."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cegah.accounts.models import Role
from cegah.core.tests.browser import (  # noqa: F401 - the page fixture
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.uploads.tests import files
from cegah.zi import services
from cegah.zi.models import Assessment
from cegah.zi.tests.test_lke_and_scoring import ANSWERS, TEST_LKE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, prefix: str, code: str, value: str) -> None:  # noqa: F811
    field = page.locator(f"[id='{prefix}-{code}']")
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value.upper() if len(value) == 1 else value.capitalize())
    else:
        field.fill(value)


def test_from_declaration_to_designation(page, live_server, world, tmp_path) -> None:  # noqa: F811
    services.lke_import(path=TEST_LKE)
    pact = tmp_path / "pakta-integritas.pdf"
    pact.write_bytes(files.PDF)
    tpi = make_user("tono@binjai.test", "Tono Lubis")
    RoleAssignmentFactory.create(user=tpi, role=Role.TPI, pemda=world.binjai)
    tpn = make_user("tpn@menpan.test", "Tim Penilai Nasional")
    RoleAssignmentFactory.create(user=tpn, role=Role.TPN)
    # Next year's LKE: this year's proposals closed on 31 May.
    year = timezone.localdate().year + 1

    # The Admin Pemda adds the unit and records its declaration.
    sign_in(page, live_server.url, world.admin_binjai)
    page.get_by_role("link", name="Zona Integritas").click()
    page.get_by_label("OPD").select_option(label=world.bpkad_binjai.name)
    page.get_by_label("Nama unit").fill("BPKAD Kota Binjai")
    page.get_by_role("button", name="Tambah unit").click()
    page.get_by_text("Unit ditambahkan.").wait_for()
    page.get_by_label("Tanggal pencanangan").fill(timezone.localdate().strftime("%d-%m-%Y"))
    page.get_by_label("Pakta integritas yang ditandatangani (PDF atau foto)").set_input_files(
        str(pact)
    )
    page.get_by_label("BPKAD Kota Binjai").check()
    assert_accessible(page)
    page.get_by_role("button", name="Catat pencanangan").click()
    page.get_by_text("Pencanangan dicatat.").wait_for()
    page.get_by_label("Tahun").first.select_option(str(year))
    page.get_by_role("button", name="Buka LKE").click()

    # The unit answers every question and sends its LKE.
    page.get_by_role("heading", name="LKE BPKAD Kota Binjai").wait_for()
    for code, value in ANSWERS.items():
        _answer(page, "v", code, value)
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Tersimpan.").wait_for()
    page.get_by_role("button", name="Kirim ke TPI").click()
    page.get_by_text(f"{len(ANSWERS)} jawaban dikirim ke TPI.").wait_for()
    assessment = Assessment.objects.get()

    # The TPI assesses: the unit's answers everywhere, its own IPKP reading.
    sign_in(page, live_server.url, tpi)
    page.get_by_role("link", name="Zona Integritas").click()
    page.get_by_role("link", name=str(assessment.year), exact=True).click()
    for code, value in (ANSWERS | {"IPKP": "3,80"}).items():
        page.locator(f"input[name='tpi-{code}'][value='value']").check()
        _answer(page, "tv", code, value)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Tersimpan.").wait_for()
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.REVIEWED

    # The predicate page: WBK met on both sides; WBBM blocked, each reason named.
    page.get_by_role("link", name="Predikat dan ambang").click()
    text = page.inner_text("main")
    assert "Indeks Persepsi Kualitas Pelayanan 14,00, di bawah 15,75" in text
    assert text.count("belum berpredikat WBK") == 2
    assert_accessible(page)
    assert_fits_the_screen(page)

    # The Pemda proposes the unit for WBK.
    sign_in(page, live_server.url, world.admin_binjai)
    page.get_by_role("link", name="Zona Integritas").click()
    page.get_by_role("button", name=f"Usulkan ({year})").click()
    page.get_by_text("Unit diusulkan untuk WBK.").wait_for()

    # The TPN records each stage and designates it.
    sign_in(page, live_server.url, tpn)
    page.get_by_role("link", name="Usulan ZI").click()
    page.get_by_role("link", name="BPKAD Kota Binjai").click()
    for _stage in ("Pra-evaluasi", "Evaluasi desk", "Evaluasi lapangan"):
        page.get_by_role("button", name="Catat tahap").click()
        page.get_by_text("Tahap dicatat.").wait_for()
    assert_accessible(page)
    page.get_by_label("Ditetapkan", exact=True).check()
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_text("Ditetapkan WBK pada").wait_for()

    # Anyone reads the predicate on the public page.
    page.goto(f"{live_server.url}/publik/zi/pemda/12.75/")
    assert "BPKAD Kota Binjai" in page.inner_text("main") and "WBK" in page.inner_text("main")
    assert_accessible(page)
