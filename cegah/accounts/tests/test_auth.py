"""Signing in: language, wrong passwords, lockout, the second factor, password reset."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.services import totp_current_token
from cegah.audit.models import AuditEntry
from cegah.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
HOME = reverse("home:home")


def _post_login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_page_is_indonesian_and_switches_to_english(client) -> None:
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Masuk ke Cegah" in page.content.decode()
    assert 'lang="id"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    page = client.get(LOGIN)
    assert "Sign in to Cegah" in page.content.decode()
    assert 'lang="en"' in page.content.decode()


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client) -> None:
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke Cegah" in page.content.decode()


def test_the_switch_remembers_a_signed_in_persons_choice(client, world, login) -> None:
    """What Cegah writes to a person later (notifications, emails) follows their last choice."""
    client.post(reverse("set_language"), {"language": "en"})  # anonymous: the cookie only
    assert client.cookies["django_language"].value == "en"
    signed_in = login(world.operator_binjai)
    signed_in.post(reverse("set_language"), {"language": "en"})
    world.operator_binjai.refresh_from_db()
    assert world.operator_binjai.language == "en"
    signed_in.post(reverse("set_language"), {"language": "fr"})  # not one of Cegah's
    signed_in.get(reverse("set_language"), {"language": "id"})  # a link cannot change it
    world.operator_binjai.refresh_from_db()
    assert world.operator_binjai.language == "en"
    signed_in.post(reverse("set_language"), {"language": "id"})
    world.operator_binjai.refresh_from_db()
    assert world.operator_binjai.language == "id"
    assert not type(world.operator_binjai).objects.filter(language="en").exists()


def test_a_persons_language_follows_them_to_a_browser_where_none_was_chosen(world) -> None:
    type(world.operator_binjai).objects.filter(pk=world.operator_binjai.pk).update(language="en")
    fresh = Client()
    _post_login(fresh, world.operator_binjai.email, PASSWORD)
    assert fresh.cookies["django_language"].value == "en"
    assert 'lang="en"' in fresh.get(reverse("accounts:otp_verify")).content.decode()
    # Indonesian chosen in this browser just before signing in stays the choice here, and is
    # now what Cegah writes to them in.
    chosen = Client()
    chosen.post(reverse("set_language"), {"language": "id", "next": LOGIN})
    _post_login(chosen, world.operator_binjai.email, PASSWORD)
    assert chosen.cookies["django_language"].value == "id"
    world.operator_binjai.refresh_from_db()
    assert world.operator_binjai.language == "id"
    # Someone who never chose English gets no cookie: Indonesian, the default.
    other = Client()
    _post_login(other, world.admin_binjai.email, PASSWORD)
    assert "django_language" not in other.cookies


def test_english_chosen_on_the_sign_in_page_is_what_cegah_writes_to_them_in(world) -> None:
    browser = Client()
    browser.post(reverse("set_language"), {"language": "en", "next": f"{LOGIN}?next=/"})
    _post_login(browser, world.operator_binjai.email, PASSWORD)
    world.operator_binjai.refresh_from_db()
    assert world.operator_binjai.language == "en"
    # The next person on the same office computer: the cookie stays, the choice does not.
    browser.post(reverse("accounts:logout"))
    _post_login(browser, world.admin_binjai.email, PASSWORD)
    world.admin_binjai.refresh_from_db()
    assert world.admin_binjai.language == "id"
    assert browser.cookies["django_language"].value == "en"  # the page stays as chosen here


def test_a_public_visitor_switching_language_gets_no_session(client) -> None:
    """The public pages and anonymous reporters: the cookie only, nothing kept on the server."""
    client.post(reverse("set_language"), {"language": "en", "next": "/lapor/"})
    assert client.cookies["django_language"].value == "en"
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client) -> None:
    """A staff page sends a visitor to sign in; the site's address is the public front door."""
    response = client.get("/notifikasi/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    front = client.get(HOME)
    assert front.status_code == 200 and "Masuk untuk petugas" in front.content.decode()


def test_wrong_password_gets_a_translated_error(client, world) -> None:
    page = _post_login(client, world.operator_binjai.email, "salah")
    assert "Email atau kata sandi salah." in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, world, settings
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, world.operator_binjai.email, "salah")
    locked = _post_login(client, world.operator_binjai.email, PASSWORD)
    assert locked.status_code == 429
    assert "dikunci sementara" in locked.content.decode()
    assert "_auth_user_id" not in client.session


STAFF_PAGES = (
    "home:home",
    "mcp:catalogue_latest",
    "mcp:period_list",
    "mcp:my_indicators",
    "mcp:work",
    "mcp:verify_queue",
    "mcp:score_admin",
    "notifications:list",
    "wbs:queue",
    "accounts:verifier_list",
)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_password_alone_does_not_open_any_page(client, world, page) -> None:
    # The Koordinator has a role in every app: a page refused to them is refused to anyone.
    response = _post_login(client, world.koordinator.email.upper(), PASSWORD)
    assert response.status_code == 302
    opened = client.get(reverse(page))
    assert opened.status_code == 302
    assert opened.url.startswith(reverse("accounts:otp_verify"))


def test_the_right_totp_code_completes_sign_in(client, world, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling has its own test below
    _post_login(client, world.operator_binjai.email, PASSWORD)
    device = TOTPDevice.objects.get(user=world.operator_binjai)
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000", "next": HOME})
    assert "Kode tidak cocok." in wrong.content.decode()
    ok = client.post(
        reverse("accounts:otp_verify"), {"token": totp_current_token(device=device), "next": HOME}
    )
    assert ok.status_code == 302 and ok.url == HOME
    assert "Selamat datang" in client.get(HOME).content.decode()


def test_guessing_totp_codes_is_throttled(client, world) -> None:
    _post_login(client, world.operator_binjai.email, PASSWORD)
    device = TOTPDevice.objects.get(user=world.operator_binjai)
    client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    # Right after a wrong guess even the right code is refused for a while.
    page = client.post(reverse("accounts:otp_verify"), {"token": totp_current_token(device=device)})
    assert "Terlalu banyak percobaan" in page.content.decode()
    assert client.get(HOME).status_code == 302


def test_otp_next_parameter_cannot_redirect_off_site(client, world) -> None:
    _post_login(client, world.operator_binjai.email, PASSWORD)
    device = TOTPDevice.objects.get(user=world.operator_binjai)
    ok = client.post(
        reverse("accounts:otp_verify"),
        {"token": totp_current_token(device=device), "next": "https://evil.test/"},
    )
    assert ok.url == HOME


def test_an_account_without_authenticator_must_enrol_first(client, world) -> None:
    TOTPDevice.objects.filter(user=world.admin_binjai).delete()
    _post_login(client, world.admin_binjai.email, PASSWORD)
    response = client.get(HOME)
    assert response.url.startswith(reverse("accounts:otp_setup"))
    page = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.admin_binjai, confirmed=False)
    bad = client.post(reverse("accounts:otp_setup"), {"token": "123456"})
    assert "Kode tidak cocok" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=world.admin_binjai, confirmed=True).exists()
    client.post(reverse("accounts:otp_setup"), {"token": totp_current_token(device=device)})
    assert TOTPDevice.objects.filter(user=world.admin_binjai, confirmed=True).count() == 1
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(
        action="accounts.totp.enrol", object_id=str(world.admin_binjai.pk)
    ).exists()


def test_password_reset_by_email_sets_a_new_password(client, world) -> None:
    client.post(reverse("accounts:password_reset"), {"email": world.operator_binjai.email})
    assert len(mail.outbox) == 1
    found = re.search(r"http://\S+/akun/sandi/atur/\S+/", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "sandi-baru-yang-panjang-42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    world.operator_binjai.refresh_from_db()
    assert world.operator_binjai.check_password(new)
    assert AuditEntry.objects.filter(action="accounts.password.set").exists()


def test_password_reset_for_unknown_email_reveals_nothing(client, world) -> None:
    response = client.post(
        reverse("accounts:password_reset"), {"email": "siapa@entah.test"}, follow=True
    )
    assert "Periksa email Anda" in response.content.decode()
    assert mail.outbox == []


def test_security_headers_are_sent(client) -> None:
    response = client.get(LOGIN)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(response.headers["X-Request-ID"]) == 32
