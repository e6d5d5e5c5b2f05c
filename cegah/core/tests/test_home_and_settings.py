import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cegah.audit.models import AuditEntry
from cegah.core.i18n import in_reader_language, text_in_reader_language

BASE = Path(settings.BASE_DIR)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("operator_binjai", "Laporan MCP Badan Pengelolaan Keuangan dan Aset Daerah"),
        ("admin_binjai", "Kelola OPD Kota Binjai"),
        ("inspektorat_binjai", "0 laporan terbuka, 0 melewati batas waktu."),
        ("verifier_jateng", "Anda ditugaskan memverifikasi 3 Pemda."),
        ("koordinator", "Penugasan verifikator"),
        ("nobody", "Anda belum memegang peran apa pun"),
    ],
)
def test_home_page_says_what_each_role_does_next(client, world, login, who, expected) -> None:
    login(getattr(world, who))
    page = client.get(reverse("home:home"))
    assert page.status_code == 200
    assert expected in page.content.decode()


@pytest.mark.django_db
def test_home_page_in_english(client, world, login) -> None:
    login(world.admin_binjai)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("home:home")).content.decode()
    assert "What to do next" in page and "Manage the OPD of Kota Binjai" in page


@pytest.mark.django_db
def test_audit_entries_carry_the_request_id(client, world, login) -> None:
    login(world.admin_binjai)
    response = client.post(
        reverse("accounts:opd_list", kwargs={"code": "12.75"}),
        {"name": "Dinas Sosial"},
        HTTP_X_REQUEST_ID="req-1234567890",
    )
    assert response.headers["X-Request-ID"] == "req-1234567890"
    assert AuditEntry.objects.get(action="regions.opd.create").request_id == "req-1234567890"


def test_english_catalogue_is_complete() -> None:
    po = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
    out = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in out.stderr and "fuzzy" not in out.stderr, out.stderr


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**env, "ENV_FILE": ""}  # only what the test sets, not a developer's .env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_under_production_settings(tmp_path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HTTPS", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="x" * 20 + "production-like-secret-key-with-entropy-9f3",
        ALLOWED_HOSTS="cegah.example.id",
        AUDIT_KEY_FILE=str(tmp_path / "audit.key"),
    )
    missing = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert missing.returncode != 0 and "audit_key init" in missing.stderr + missing.stdout
    assert _manage("audit_key", "init", env=env).returncode == 0
    assert (tmp_path / "audit.key").stat().st_mode & 0o777 == 0o600
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DEBUG"] = "false"
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_no_template_sets_a_variable_outside_its_blocks() -> None:
    """A child template renders only its blocks: `{% get_current_language as LANG %}` before
    the first block never runs, and LANG is then empty (English readers got Indonesian names,
    and cached fragments were shared between the languages)."""
    for template in BASE.glob("cegah/*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if "{% extends" in text:
            before_blocks = text.partition("{% block ")[0]
            assert " as " not in before_blocks, template


def test_texts_kept_in_both_languages_follow_the_reader_and_fall_back_to_indonesian() -> None:
    with translation.override("en"):
        assert in_reader_language("Perencanaan", "Planning") == "Planning"
        assert in_reader_language("Perencanaan", "") == "Perencanaan"
        assert text_in_reader_language({"id": "Ya", "en": "Yes"}) == "Yes"
        assert text_in_reader_language({"id": "Ya"}) == "Ya"
    with translation.override("id"):
        assert in_reader_language("Perencanaan", "Planning") == "Perencanaan"


def test_no_template_reads_one_language_of_a_text_kept_in_both() -> None:
    """Catalogue and award names, questions and guidance are read through `name`, `question` and
    `guidance` (`cegah.core.i18n`): a template reading `name_id` showed Indonesian to English
    readers on the report card, the province page and the catalogue changes."""
    one_language = re.compile(r"\.(name|question|guidance)_(id|en)\b")
    for template in BASE.glob("cegah/*/templates/**/*.html"):
        assert not one_language.search(template.read_text(encoding="utf-8")), template


def test_a_new_release_reads_the_shared_cache_under_a_new_prefix(tmp_path) -> None:
    """Fragments cached by the old templates (in Redis, which outlives a deploy) are not served
    by the new release."""
    from config.settings import release_fingerprint

    (tmp_path / "cegah" / "mcp" / "templates").mkdir(parents=True)
    row = tmp_path / "cegah" / "mcp" / "templates" / "row.html"
    row.write_text("<td>{{ a.question }}</td>")
    (tmp_path / "cegah" / "views.py").write_text("x = 1\n")
    before = release_fingerprint(tmp_path)
    assert release_fingerprint(tmp_path) == before  # the same release, the same cache
    row.write_text("<td>{{ a.question }}<br>{{ a.indicator }}</td>")
    assert release_fingerprint(tmp_path) != before
    assert settings.CACHES["default"]["KEY_PREFIX"] == release_fingerprint(BASE)
