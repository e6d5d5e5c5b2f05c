"""A citizen in a real browser: from the site's address, finds their Pemda as they type, reads
its integrity profile with MCP and SPI side by side, and opens the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from cegah.core.tables import read_table
from cegah.core.tests.browser import (  # noqa: F401 - the page fixture
    assert_accessible,
    assert_fits_the_screen,
    page,
)
from cegah.spi import services as spi
from cegah.spi.results import read_scores
from cegah.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_finds_their_pemdas_profile(page, live_server, world: World, published) -> None:  # noqa: F811
    for path in sorted((Path(settings.BASE_DIR) / "data" / "spi").glob("spi-*.yaml")):
        spi.reference_import(path=path)
    plan = read_scores(
        read_table(b"tahun,kode_pemda,nilai\n2024,12.75,70.1\n2025,12.75,73.4\n", filename="s.csv")
    )
    spi.scores_import(actor=world.koordinator, plan=plan, source=spi.Source("jaga.id"))

    page.goto(live_server.url + "/")
    page.get_by_role("heading", name="Integritas pemerintah daerah Anda").wait_for()
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.get_by_label("Cari Pemda Anda (nama atau kode)").fill("binj")
    page.get_by_role("link", name="Kota Binjai").click()
    page.get_by_role("heading", name="Profil integritas Kota Binjai").wait_for()
    text = page.inner_text("main")
    assert "73,40" in text and "Waspada" in text  # SPI 2025 and its category
    assert "Belum ada data." in text  # no ZI, WBS, gratification or conflicts here
    page.locator("canvas[data-drawn='true']").wait_for()  # MCP and SPI drawn side by side
    assert_accessible(page)
    assert_fits_the_screen(page)
    with page.expect_response(lambda r: r.url.endswith("profil.pdf")) as answer:
        page.get_by_role("link", name="Cetak (PDF)").click()
    assert answer.value.headers["content-type"] == "application/pdf"
