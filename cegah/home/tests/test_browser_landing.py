"""Each role signs in through the real pages and lands on its work, on a desktop screen and on a
phone: nothing scrolls sideways at 390 px, and axe-core finds nothing at either width."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cegah.core.tests.browser import (  # noqa: F401 - fixture
    assert_accessible,
    assert_fits_the_screen,
    page,
    sign_in,
)
from cegah.mcp.models import Area, Period
from cegah.wbs.models import Report
from cegah.wbs.tests.conftest import key_of

from .test_landing import _binjai_in_every_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _at_both_widths(page) -> None:  # noqa: F811
    """The landing as a desktop and a phone show it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    assert_fits_the_screen(page)
    assert_accessible(page)


@pytest.fixture
def busy_binjai(world, reporting, submit):
    """Binjai mid-termin: one item waiting, one returned with a reason, PUPR's untouched; an
    overdue WBS report for its Inspektorat. Area names as long as the real catalogue's."""
    Area.objects.filter(code="BMD").update(name_id="Optimalisasi Pajak dan Pendapatan Daerah")
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() + timedelta(days=5)
    )
    _binjai_in_every_state(world, reporting)
    key_of(world.inspektorat_binjai)  # signed in since key pairs came: sealed to them
    report, _code = submit(type="benturan")
    Report.objects.filter(pk=report.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    return report


@pytest.mark.parametrize(
    ("who", "heading", "seen", "work"),
    [
        (
            "operator_binjai",
            "Laporan MCP Badan Pengelolaan Keuangan dan Aset Daerah",
            "RKPD belum ditetapkan.",
            "Laporan MCP",
        ),
        ("admin_binjai", "Laporan MCP Kota Binjai", "RKPD belum ditetapkan.", "Laporan MCP"),
        ("verifier_sumut", "Antrean verifikasi", "Buka antrean: 1 item", "Antrean verifikasi"),
        ("inspektorat_binjai", "Laporan WBS", "terlambat", "Laporan WBS"),
        ("koordinator", "Ringkasan nasional MCP", "Pemda yang sudah mengirim", "Termin"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_work(
    page,  # noqa: F811
    live_server,
    world,
    busy_binjai,
    who,
    heading,
    seen,
    work,
) -> None:
    sign_in(page, live_server.url, getattr(world, who))  # ends on the home: the landing
    first = page.locator("section.work-section h2").first
    assert first.inner_text() == heading
    assert page.locator("main").get_by_text(seen).first.is_visible()
    # After the brand (the home, this landing), the menu leads with the role's work pages; it
    # has no link for citizens' reports.
    menu = page.get_by_role("navigation", name="Navigasi utama").get_by_role("link")
    assert [menu.nth(0).inner_text(), menu.nth(1).inner_text()] == ["Cegah", work]
    assert page.get_by_role("link", name="Laporkan dugaan pelanggaran").count() == 0
    _at_both_widths(page)


def test_the_handler_follows_the_landing_to_the_overdue_report(
    page,  # noqa: F811
    live_server,
    world,
    busy_binjai,
) -> None:
    sign_in(page, live_server.url, world.inspektorat_binjai)
    page.get_by_role("link", name=str(busy_binjai)).click()
    page.wait_for_url(f"**/wbs/{busy_binjai.pk}/")
    page.get_by_text("Pungutan liar saat pengurusan izin usaha").wait_for()


def test_a_citizen_is_offered_to_report_a_suspected_violation(page, live_server, world) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/publik/")
    page.get_by_role("link", name="Laporkan dugaan pelanggaran").click()
    page.wait_for_url("**/lapor/")
    _at_both_widths(page)


def test_the_operator_goes_from_the_landing_to_the_returned_item_and_filters_on_a_phone(
    page,  # noqa: F811
    live_server,
    world,
    reporting,
    busy_binjai,
) -> None:
    sign_in(page, live_server.url, world.operator_binjai)
    page.locator("ul.work-lines").get_by_role("link", name="PRC.1.2").click()
    page.wait_for_url("**/mcp/lapor/**")
    row = page.locator(f"#sub-{reporting.subs['PRC.1.2'].pk}")
    assert row.locator("details").first.get_attribute("open") is not None
    assert "RKPD belum ditetapkan." in row.inner_text()
    page.goto(f"{live_server.url}/mcp/lapor/")
    page.get_by_label("Status").select_option("dikembalikan")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**status=dikembalikan**")
    assert page.locator("article.work-row").count() == 1
    page.get_by_text("1 dari 2 item sesuai saringan.").wait_for()
    assert_fits_the_screen(page)
    assert_accessible(page)
