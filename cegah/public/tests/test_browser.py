"""The public dashboard in a real browser: table, filter, charts, province click-through."""

import pytest

from cegah.core.tests.browser import (  # noqa: F401 - fixture
    assert_accessible,
    assert_fits_the_screen,
    page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reads_filters_and_clicks_through(page, live_server, published) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/publik/")
    page.wait_for_url("**/publik/mcp/2025/")
    assert page.get_by_role("heading", level=1).inner_text() == "Skor MCP 2025"
    # The charts are drawn (Chart.js from the npm registry) and each has its table.
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 3")
    assert page.get_by_role("table", name="Rata-rata nasional per tahun").is_visible()
    # Charts side by side keep one height: the doughnut is not drawn as a column-wide square.
    doughnut = page.locator("canvas[data-chart=doughnut]").bounding_box()
    trend = page.locator("canvas[data-source=chart-trend]").bounding_box()
    assert doughnut is not None and trend is not None
    assert doughnut["height"] <= doughnut["width"] / 2 + 1
    assert abs(doughnut["height"] - trend["height"]) <= 2
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 38  # the provinsi: each kind is ranked, and listed, apart
    assert_accessible(page)  # the dashboard: charts with their tables, filters, the ranking

    page.evaluate("window.__stayed = true")
    page.get_by_label("Jenis").select_option("kota")
    page.locator("#ranking p", has_text="93 Pemda").wait_for()
    page.get_by_label("Cari Pemda").fill("pekalongan")
    page.locator("#ranking p", has_text="1 Pemda").wait_for()
    assert page.evaluate("window.__stayed") is True
    assert "jenis=kota" in page.url and "q=pekalongan" in page.url
    assert "Kota Pekalongan" in rows.first.inner_text()

    page.get_by_role("link", name="Jawa Tengah").first.click()
    page.wait_for_url("**/publik/mcp/2025/provinsi/33/")
    assert "Kota Pekalongan peringkat 1 dari 35 kabupaten/kota di Jawa Tengah" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Kota Pekalongan", exact=True).click()
    page.wait_for_url("**/publik/pemda/33.75/**")
    page.wait_for_function("document.querySelector('canvas[data-drawn]') !== null")
    assert page.get_by_role("heading", level=1).inner_text() == "Kota Pekalongan"
    # Each area's line is drawn in the colour the page gives it.
    drawn = page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-drawn]'))"
        ".data.datasets.map(d => d.borderColor)"
    )
    given = page.evaluate(
        "JSON.parse(document.getElementById('chart-history').textContent).series.map(s => s.colour)"
    )
    assert drawn == given and len(set(drawn)) == len(drawn) == 2
    assert_accessible(page)  # the Pemda page


def test_the_ranking_and_a_pemda_page_fit_a_phone(page, live_server, published) -> None:  # noqa: F811
    """At 390 px (the fixture's viewport) nothing scrolls sideways: the tile map's 16 columns
    share the screen, and the ranking pages through one kind at a time."""
    assert page.viewport_size["width"] == 390
    page.goto(f"{live_server.url}/publik/mcp/2025/")
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_fits_the_screen(page)
    tiles = page.locator(".tile-map")
    assert tiles.evaluate("m => m.scrollWidth <= m.clientWidth")  # the map itself too
    box = page.locator(".tile-map li").first.bounding_box()
    assert box is not None and box["width"] > 10  # squares, not slivers
    assert_accessible(page)

    page.get_by_label("Jenis").select_option("kabupaten")
    page.locator("#ranking p", has_text="415 Pemda").wait_for()
    assert page.locator("#ranking tbody tr").count() == 50
    page.locator("#ranking").get_by_role("link", name="Berikutnya").click()
    page.locator("#ranking", has_text="Halaman 2 dari 9").first.wait_for()
    assert "halaman=2" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)  # the ranking's second page, with its pager

    page.goto(f"{live_server.url}/publik/pemda/12.75/?tahun=2025")
    page.wait_for_function("document.querySelector('canvas[data-drawn]') !== null")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_fits_the_screen(page)
    assert page.locator("#belum-terpenuhi").is_visible()
    assert_accessible(page)
