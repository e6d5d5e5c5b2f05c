"""The catalogue browser and the year comparison, in a real browser."""

import pytest
from django.conf import settings
from django.core.management import call_command

from cegah.accounts.demo import demo_world_seed
from cegah.core.tests.browser import assert_accessible, page  # noqa: F401 - fixture
from cegah.core.tests.test_browser import _sign_in

from .conftest import REAL_CATALOGUES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("regions", "demo_on"),
]


def test_a_person_searches_the_catalogue_switches_year_and_compares(page, live_server) -> None:  # noqa: F811
    demo_world_seed()
    call_command(
        "mcp_catalogue",
        "import",
        str(REAL_CATALOGUES / "mcp-2024.yaml"),
        str(REAL_CATALOGUES / "mcp-2025.yaml"),
        verbosity=0,
    )
    _sign_in(page, live_server, "operator.binjai@cegah.test", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="Katalog MCP").click()
    page.wait_for_url("**/mcp/katalog/2025/")
    assert page.get_by_role("heading", level=1).inner_text() == "Katalog MCP 2025"
    assert page.locator("details.indicator").count() == 111

    page.evaluate("window.__stayed = true")
    page.get_by_label("Cari indikator, pertanyaan atau panduan").fill("tanah")
    page.get_by_role("status").filter(has_text="cocok dengan “tanah”").wait_for()
    assert page.evaluate("window.__stayed") is True  # results came in place, no reload
    assert "q=tanah" in page.url
    first = page.locator("details.indicator").first
    assert first.get_attribute("open") is not None
    assert "tanah" in first.inner_text().lower()
    assert_accessible(page)  # the catalogue with its search results open

    page.get_by_role("link", name="2024", exact=True).click()
    page.wait_for_url("**/mcp/katalog/2024/?q=tanah")
    assert page.get_by_role("heading", level=1).inner_text() == "Katalog MCP 2024"

    page.goto(f"{live_server.url}/mcp/katalog/2025/")
    page.get_by_role("link", name="Perubahan 2025 dibanding 2024").click()
    page.wait_for_url("**/mcp/katalog/2025/perubahan/")
    merged = page.locator("#merged").inner_text()
    assert "YAN.09 + APIP.16" in merged.replace("\n", " ") or (
        "APIP.16" in merged and "YAN.09" in merged
    )
    moved = page.locator("#moved").inner_text()
    assert "APIP.15 (APIP) → YAN.12 (YAN)" in moved
    assert "PRC.11" in page.locator("#added").inner_text()
    assert_accessible(page)  # the changes between two years
