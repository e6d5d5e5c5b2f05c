"""Playwright driving Debian's chromium against Django's live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # a development dependency (package.json)


@pytest.fixture
def page(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs Debian's chromium as root)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary synchronous calls. The browser asks for English on purpose: Cegah
    # still answers in Bahasa Indonesia until the person chooses English.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        pg = context.new_page()
        yield pg
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def sign_in(page: Any, base_url: str, user: Any) -> None:
    """Signs a test user in through the real pages, both steps."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cegah.accounts.services import totp_current_token
    from cegah.testing.factories import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base_url}/akun/masuk/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/akun/dua-langkah/**")
    # A person signs in again within the same 30-second window here; a real one would wait for
    # the next code, as django-otp refuses a code twice.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(
        totp_current_token(device=device)
    )
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(f"{base_url}/")


def assert_fits_the_screen(page: Any) -> None:
    """Nothing makes the page itself scroll sideways, and no form control runs off the screen
    (a wide table may scroll in its own box)."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    for control in page.locator("main select, main input:visible, main button:visible").all():
        box = control.bounding_box()
        if box is not None and not control.evaluate("e => !!e.closest('.overflow-auto')"):
            assert box["x"] + box["width"] <= width, (page.url, control.get_attribute("name"))


def assert_accessible(page: Any) -> None:
    """The page as shown passes axe-core's WCAG 2 A/AA and best-practice rules: names for every
    control, link and image, contrast, landmarks, headings, ARIA, language, and the rest.
    axe is evaluated through the browser's debugging protocol, so the strict CSP stays on."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;0")
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map(n => n.html).join(' | ')}`)"""
    )
    assert not violations, f"{page.url}\n" + "\n".join(violations)
