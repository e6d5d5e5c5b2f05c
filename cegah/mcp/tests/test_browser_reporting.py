"""The reporting loop once in a real browser: upload, submit, return, fix, approve, locked."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cegah.core.tests.browser import (  # noqa: F401
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)
from cegah.mcp.models import Answer, Area, Period
from cegah.mcp.services import reporting as reporting_services
from cegah.testing.clients import sign_in as client_sign_in
from cegah.uploads.tests import files

from .test_reporting import _answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:  # noqa: F811
    sign_in(page, live_server.url, user)


def test_operator_admin_and_verifier_complete_the_loop(
    page,  # noqa: F811
    live_server,
    world,
    reporting,
    tmp_path,
) -> None:
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() + timedelta(days=5)
    )
    pdf = tmp_path / "notulen.pdf"
    pdf.write_bytes(files.PDF)
    signed = tmp_path / "notulen-ttd.pdf"
    signed.write_bytes(files.PDF.replace(b"%%EOF", b"% ttd\n%%EOF"))

    # The operator answers and uploads on the work page, without reloading it.
    _sign_in(page, live_server, world.operator_binjai)
    page.get_by_role("link", name="Laporan MCP Badan Pengelolaan Keuangan dan Aset Daerah").click()
    page.wait_for_url("**/mcp/lapor/**")
    page.evaluate("window.__stayed = true")
    # Rows open on demand: the forms arrive when the operator opens the item.
    row = page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}")
    assert row.get_by_role("button", name="Simpan jawaban").count() == 0
    row.locator("summary").click()
    row.get_by_label("Ya").check()
    row.get_by_role("button", name="Simpan jawaban").click()
    row = page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}")
    row.get_by_text("Jawaban disimpan:").wait_for()
    row.get_by_label("Berkas bukti").set_input_files(str(pdf))
    row.get_by_role("button", name="Unggah").click()
    page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}").get_by_text(
        "Bukti “notulen.pdf” diunggah."
    ).wait_for()
    second = page.locator(f"#sub-{reporting.subs['PRC.1.2'].pk}")
    second.locator("summary").click()
    second.get_by_label("Sesuai", exact=True).check()
    second.get_by_role("button", name="Simpan jawaban").click()
    page.locator(f"#sub-{reporting.subs['PRC.1.2'].pk}").get_by_text("Jawaban disimpan:").wait_for()
    assert page.evaluate("window.__stayed") is True
    assert_accessible(page)  # the work page with an item open, its forms and their messages

    # The Admin Pemda submits.
    _sign_in(page, live_server, world.admin_binjai)
    page.goto(f"{live_server.url}/mcp/pemda/12.75/laporan/")
    page.get_by_role("button", name="Kirim item yang lengkap").click()
    page.get_by_role("button", name="Ya, kirim").click()  # after saying what goes
    page.get_by_text("2 item dikirim ke verifikator.").wait_for()
    assert_accessible(page)
    # On a desktop screen both progress tables show every column without scrolling sideways.
    page.set_viewport_size({"width": 1280, "height": 900})
    scrollers = page.locator("div.overflow-auto:has(table.progress)")
    assert scrollers.count() == 2
    for scroller in scrollers.all():
        assert scroller.evaluate("s => s.scrollWidth <= s.clientWidth")
    page.set_viewport_size({"width": 390, "height": 844})

    # The verifier returns the first item with a reason.
    _sign_in(page, live_server, world.verifier_sumut)
    page.get_by_role("link", name="Verifikasi").click()
    page.get_by_role("link", name="PRC.1.1").click()
    assert_accessible(page)  # the item with its evidence and the decision form
    page.get_by_role("radio", name="Kembalikan").check()
    page.get_by_label("Alasan (wajib bila dikembalikan)").fill("Notulen belum ditandatangani.")
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_text("Item dikembalikan ke Pemda.").wait_for()

    # The operator sees why, replaces the document and resubmits.
    _sign_in(page, live_server, world.operator_binjai)
    page.get_by_role("link", name="Notifikasi").click()
    page.get_by_role("link", name="PRC.1.1 dikembalikan").click()
    row = page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}")
    assert "Notulen belum ditandatangani." in row.inner_text()
    row.get_by_text("Ganti bukti").click()
    row.get_by_label("Berkas bukti").set_input_files(str(signed))
    row.get_by_role("button", name="Unggah").click()
    row = page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}")
    row.get_by_text("Bukti “notulen-ttd.pdf” diunggah.").wait_for()
    row.get_by_role("button", name="Kirim ulang ke verifikator").click()
    page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}").get_by_text(
        "Dikirim ulang ke verifikator."
    ).wait_for()

    # The verifier approves; the item is locked for the operator.
    _sign_in(page, live_server, world.verifier_sumut)
    answer = Answer.objects.get(pemda=world.binjai, sub_indicator=reporting.subs["PRC.1.1"])
    page.goto(f"{live_server.url}/mcp/verifikasi/{answer.pk}/")
    page.get_by_role("radio", name="Setujui").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_text("Item disetujui dan dikunci.").wait_for()

    _sign_in(page, live_server, world.operator_binjai)
    page.goto(f"{live_server.url}/mcp/lapor/")
    row = page.locator(f"#sub-{reporting.subs['PRC.1.1'].pk}")
    assert "Disetujui" in row.inner_text()
    row.locator("summary").click()
    row.get_by_text("Bukti yang diminta").wait_for()
    assert row.get_by_role("button", name="Simpan jawaban").count() == 0
    assert row.get_by_role("button", name="Unggah").count() == 0
    answer.refresh_from_db()
    assert answer.state == "approved"


def test_the_verifier_reads_the_queue_on_a_phone(page, live_server, world, reporting) -> None:  # noqa: F811
    _answer(client_sign_in(Client(), world.operator_binjai), reporting, "PRC.1.2", "1")
    reporting_services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    # As long as the 2025 catalogue's longest area name, which the area filter lists.
    Area.objects.filter(code="BMD").update(name_id="Optimalisasi Pajak dan Pendapatan Daerah")
    _sign_in(page, live_server, world.verifier_sumut)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/mcp/verifikasi/")
    item = page.locator("table.queue td", has=page.get_by_role("link", name="PRC.1.2"))
    box = item.bounding_box()
    # The question is read a line at a time, not a word: the table scrolls in its own box.
    assert box and box["width"] >= 250
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroller = page.locator(".overflow-auto:has(table.queue)")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert_fits_the_screen(page)  # the filters, the area list of long names among them
    assert_accessible(page)


def test_the_admins_report_and_assignment_pages_fit_a_phone(
    page,  # noqa: F811
    live_server,
    world,
    reporting,
) -> None:
    # As long as the 2025 catalogue's longest area name; the OPD list holds "Badan Pengelolaan
    # Keuangan dan Aset Daerah".
    Area.objects.filter(code="BMD").update(name_id="Optimalisasi Pajak dan Pendapatan Daerah")
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() + timedelta(days=5)
    )
    _sign_in(page, live_server, world.admin_binjai)
    for path in ("laporan", "penugasan"):
        page.goto(f"{live_server.url}/mcp/pemda/12.75/{path}/")
        assert_fits_the_screen(page)
        assert_accessible(page)


def test_the_koordinators_termin_page_fits_a_phone(page, live_server, world, reporting) -> None:  # noqa: F811
    _sign_in(page, live_server, world.koordinator)
    page.goto(f"{live_server.url}/mcp/termin/")
    assert_fits_the_screen(page)
    assert_accessible(page)
