import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.demo import demo_world_seed
from cegah.accounts.services import totp_current_token
from cegah.core.tests.browser import assert_accessible, page  # noqa: F401 - fixture
from cegah.regions.models import Opd

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("regions", "demo_on"),
]


def _sign_in(page, live_server, email: str, password: str) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/akun/dua-langkah/**")
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(
        totp_current_token(device=device)
    )
    page.get_by_role("button", name="Verifikasi").click()


def test_demo_operator_signs_in_and_sees_the_indonesian_home_page(page, live_server) -> None:  # noqa: F811
    demo_world_seed()
    _sign_in(page, live_server, "operator.binjai@cegah.test", settings.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Selamat datang, Rina"
    assert page.get_by_text("Laporan MCP Badan Pengelolaan Keuangan dan Aset Daerah").is_visible()
    # The accounts alone, no termin: the task says so instead of showing a progress of nothing.
    assert page.get_by_text("Belum ada termin yang dibuka.").is_visible()
    assert_accessible(page)


def test_login_page_switches_to_english(page, live_server) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/akun/masuk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Masuk ke Cegah"
    assert_accessible(page)
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Cegah"


def test_admin_adds_an_opd_without_leaving_the_page(page, live_server) -> None:  # noqa: F811
    demo_world_seed()
    _sign_in(page, live_server, "admin.binjai@cegah.test", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="Kelola OPD Kota Binjai").click()
    page.wait_for_url("**/akun/pemda/12.75/opd/")
    page.evaluate("window.__stayed = true")  # lost if the browser loaded a new page
    page.get_by_label("Nama OPD").fill("Dinas Komunikasi dan Informatika")
    page.get_by_label("Singkatan").fill("Diskominfo")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.get_by_role("cell", name="Dinas Komunikasi dan Informatika", exact=True).wait_for()
    assert page.evaluate("window.__stayed") is True
    assert (
        page.get_by_role("status").inner_text()
        == "OPD “Dinas Komunikasi dan Informatika” ditambahkan."
    )
    assert Opd.objects.filter(pemda__code="12.75", short_name="Diskominfo").exists()
    assert_accessible(page)  # the OPD list with its forms and the message


def test_koordinator_is_asked_before_removing_a_verifier(page, live_server) -> None:  # noqa: F811
    demo_world_seed()
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_server, "koordinator@cegah.test", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/akun/verifikator/")
    remove = page.get_by_role("button", name="Cabut Kota Binjai dari Hendra Ginting")
    remove.click()
    page.get_by_role("heading", name="Cabut penugasan verifikator").wait_for()
    assert page.get_by_text("Kota Binjai tidak lagi punya verifikator").is_visible()
    assert_accessible(page)  # the confirmation
    yes = page.get_by_role("button", name="Ya, cabut")
    back = page.get_by_role("button", name="Batal")
    # The answer and the way back side by side, not one full-width button above the other.
    yes_box, back_box = yes.bounding_box(), back.bounding_box()
    assert yes_box and back_box and abs(yes_box["y"] - back_box["y"]) < 2
    assert yes_box["width"] < 400
    back.click()
    page.wait_for_url(f"{live_server.url}/akun/verifikator/")
    remove.click()
    page.get_by_role("button", name="Ya, cabut").click()
    page.get_by_text("Penugasan dicabut.").wait_for()
    assert remove.count() == 0
