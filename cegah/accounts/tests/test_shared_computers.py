"""Low-risk findings of the security review: shared office computers, password links, private
files, deactivated OPD."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cegah.accounts.tokens import reset_tokens
from cegah.core.sessions import LAST_SEEN
from cegah.regions.models import Opd
from cegah.testing.clients import sign_in

pytestmark = pytest.mark.django_db
BASE = Path(__file__).resolve().parents[3]


def test_signed_in_pages_are_never_stored(world) -> None:
    signed = sign_in(Client(), world.admin_binjai).get("/")
    assert signed.status_code == 200
    assert "no-store" in signed["Cache-Control"] and "private" in signed["Cache-Control"]
    public = Client().get("/akun/masuk/")
    for response in (signed, public):
        assert "camera=()" in response["Permissions-Policy"]


def test_an_idle_session_ends(world, settings) -> None:
    client = sign_in(Client(), world.admin_binjai)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    assert client.get("/notifikasi/").status_code == 302  # back to the sign-in page
    assert "_auth_user_id" not in client.session


def test_a_busy_session_stays(world, settings) -> None:
    client = sign_in(Client(), world.admin_binjai)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_MINUTES * 60 + 60
    session.save()
    assert client.get("/").status_code == 200


def test_passwords_are_twelve_characters_and_not_common(world) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("Pendek-123a", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=world.operator_binjai)
    validate_password("kopi-tubruk-pagi-hari", user=world.operator_binjai)


def test_a_reset_link_lives_an_hour_and_an_invitation_three_days(world, monkeypatch) -> None:
    from django.contrib.auth.tokens import default_token_generator

    user = world.operator_binjai
    reset = reset_tokens.make_token(user)
    invitation = default_token_generator.make_token(user)
    now = reset_tokens._num_seconds(reset_tokens._now())
    later = now + 2 * 60 * 60  # two hours on
    for generator in (reset_tokens, default_token_generator):
        monkeypatch.setattr(generator, "_num_seconds", lambda _dt, t=later: t)
    from cegah.accounts.tokens import invitation_or_reset_tokens

    assert not invitation_or_reset_tokens.check_token(user, reset)
    assert invitation_or_reset_tokens.check_token(user, invitation)


def test_reset_emails_are_throttled(world) -> None:
    client = Client()
    for _ in range(3):
        page = client.post(
            reverse("accounts:password_reset"), {"email": world.operator_binjai.email}
        )
        assert page.status_code == 302  # the same answer each time
    assert len(mail.outbox) == 1


def test_files_and_the_database_are_created_private(tmp_path) -> None:
    env = {
        **os.environ,
        "ENV_FILE": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'private.sqlite3'}",
        "SECRET_KEY": "x" * 50,
        "AUDIT_KEY_FILE": str(tmp_path / "audit.key"),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE, env=env, check=True)
    assert (tmp_path / "private.sqlite3").stat().st_mode & 0o077 == 0


def test_a_deactivated_opd_stops_its_operators(world) -> None:
    client = sign_in(Client(), world.operator_binjai)
    assert client.get(reverse("mcp:my_indicators")).status_code == 200
    Opd.objects.filter(pk=world.bpkad_binjai.pk).update(is_active=False)
    client = sign_in(Client(), world.operator_binjai)
    page = client.get(reverse("mcp:my_indicators"))
    assert world.bpkad_binjai.name not in page.content.decode()
