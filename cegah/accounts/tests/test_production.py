"""A server that is not the demo never seeds demo accounts and does not start with any."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cegah.accounts.demo import demo_world_seed, refuse_demo_accounts_outside_demo
from cegah.accounts.models import Role, RoleAssignment, User
from cegah.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions")]
BASE = Path(__file__).resolve().parents[3]


def _setting_demo(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEMO", "DATABASE_URL", "DEBUG"}}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEMO)"],
        cwd=BASE,
        env={
            **clean,
            "ENV_FILE": "",
            "SECRET_KEY": "x" * 50,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_a_server_with_a_database_url_and_debug_off_is_not_a_demo() -> None:
    assert _setting_demo({}) == "True"  # make run: the embedded database
    assert _setting_demo({"DATABASE_URL": "postgres://db/cegah"}) == "False"
    assert _setting_demo({"DATABASE_URL": "postgres://db/cegah", "DEMO": "true"}) == "True"
    assert _setting_demo({"DATABASE_URL": "postgres://db/cegah", "DEBUG": "true"}) == "True"


def test_outside_the_demo_nothing_is_seeded(settings) -> None:
    settings.DEMO = False
    with pytest.raises(CommandError, match="not a demo"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="not a demo"):
        call_command("demo_totp")
    assert not User.objects.exists()


def test_the_server_refuses_to_start_while_demo_accounts_can_sign_in(settings, client) -> None:
    settings.DEMO = True
    demo_world_seed()
    settings.DEMO = False
    with pytest.raises(ImproperlyConfigured, match="demo account"):
        refuse_demo_accounts_outside_demo()
    sys.modules.pop("config.wsgi", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("config.wsgi")  # what gunicorn loads
    credentials = {"username": "superadmin@cegah.test", "password": settings.DEMO_PASSWORD}
    assert Client().post("/akun/masuk/", credentials).status_code == 302  # signs in, today
    call_command("demo_accounts_disable")
    refuse_demo_accounts_outside_demo()  # starts now
    refused = client.post("/akun/masuk/", credentials)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert not RoleAssignment.objects.filter(user__email__endswith="@cegah.test").exists()
    assert AuditEntry.objects.filter(action="demo.accounts_disable").exists()


def test_the_first_superadmin_is_made_by_a_command_with_a_link_to_set_a_password(
    capsys, settings
) -> None:
    settings.DEMO = False
    call_command("superadmin_create", "--email", "Kepala.TI@Pemda.go.id", "--name", "Kepala TI")
    out = capsys.readouterr().out
    user = User.objects.get(email="kepala.ti@pemda.go.id")
    assert not user.has_usable_password() and user.is_superuser
    assert RoleAssignment.objects.filter(user=user, role=Role.SUPERADMIN).exists()
    link = next(line.strip() for line in out.splitlines() if "/akun/" in line)
    page = Client().get(link.removeprefix(settings.SITE_URL.rstrip("/")), follow=True)
    assert page.status_code == 200 and "password" in page.content.decode().lower()
    with pytest.raises(CommandError, match="Sudah ada Superadmin"):
        call_command("superadmin_create", "--email", "lain@pemda.go.id", "--name", "Lain")


def test_a_server_on_a_database_not_yet_migrated_starts(tmp_path) -> None:
    """Nothing to refuse before `migrate`: the check must not stop a new installation's server."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEMO", "DEBUG"}}
    started = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=BASE,
        env={
            **clean,
            "ENV_FILE": "",
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
            "DEMO": "false",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr


def test_the_first_superadmin_needs_a_real_email(settings) -> None:
    with pytest.raises(CommandError, match="tidak valid"):
        call_command("superadmin_create", "--email", "bukan-email", "--name", "X")
    assert not User.objects.exists()
