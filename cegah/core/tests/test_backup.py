"""A backup restores: into a new installation, every table's rows, every file's bytes, the audit
chain and a WBS report that still opens with its handler's password (on SQLite and on
PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from cegah.core.backup import row_counts
from cegah.testing.factories import PASSWORD
from cegah.uploads.tests.files import PDF
from cegah.wbs.services import ReportContent, Upload, report_submit
from cegah.wbs.tests.conftest import jpeg_with_gps, key_of

pytestmark = pytest.mark.django_db(transaction=True)
BASE = Path(__file__).resolve().parents[3]
RESTORED_CHECK = """
import hashlib, json
from django.core.files.storage import default_storage
from cegah.core.backup import _stored_names, row_counts
from cegah.accounts.models import User
from cegah.wbs import services
from cegah.wbs.models import Report
from cegah.wbs.selectors import report_view
files = {}
for name in _stored_names(default_storage):
    with default_storage.open(name, "rb") as f:
        files[name] = hashlib.sha256(f.read()).hexdigest()
report = Report.objects.get()
handler = User.objects.get(email="irda@binjai.test")
opened = services.handler_key_open(user=handler, password="@PASSWORD@")
view = report_view(
    report=report,
    key=services.report_key_for(report=report, user=handler, private_key=opened),
    for_handler=True,
)
print(json.dumps({"rows": row_counts(), "files": files, "what": view.content.what,
                  "attachments": [name for _pk, name, _size in view.attachments]}))
""".replace("@PASSWORD@", PASSWORD)


def _new_database() -> tuple[str, object]:
    """A DATABASE_URL for an empty database of the same kind, and how to drop it."""
    if connection.vendor == "sqlite":
        path = Path(settings.MEDIA_ROOT).parent / "restored.sqlite3"
        return f"sqlite:///{path}", lambda: None
    if shutil.which("pg_dump") is None:
        pytest.skip("PostgreSQL's client tools (pg_dump, pg_restore) are not installed")
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"

    def drop() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return url, drop


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE, env=env, capture_output=True, text=True, check=False
    )


def test_a_backup_restores_into_a_new_installation(world, tmp_path) -> None:
    key_of(world.inspektorat_binjai)  # the handler has signed in once: the report is sealed to them
    report_submit(
        pemda=world.binjai,
        type="korupsi",
        content=ReportContent(what="Setoran 10% dari setiap pencairan dana BOS."),
        identity=None,
        names_inspectorate=False,
        uploads=[Upload("kwitansi.jpg", io.BytesIO(jpeg_with_gps()))],
    )
    call_command("audit_key", "init", verbosity=0)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("evidence/12.75/ab/notulen.pdf", ContentFile(PDF))
    before_rows = row_counts()
    before_files = {}
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            name = path.relative_to(settings.MEDIA_ROOT).as_posix()
            before_files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(before_files) == 2

    call_command("backup", str(tmp_path / "backups"), verbosity=0)
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {f["name"] for f in manifest["files"]} == set(before_files)
    assert "WBS_KEY_FILE" in manifest["not_included"]
    assert not any("key" in p.name for p in folder.rglob("*") if p.is_file())

    url, drop = _new_database()
    try:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "ENV_FILE": "",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "SECRET_KEY": "restore-test-secret-key-0123456789-abcdefghijklmnopq",
            "WBS_KEY_FILE": str(settings.WBS_KEY_FILE),  # the keys, put back first
            "AUDIT_KEY_FILE": str(settings.AUDIT_KEY_FILE),
            "DEMO": "false",
        }
        restored = _run(["manage.py", "restore", str(folder)], env)
        assert restored.returncode == 0, restored.stderr
        assert "all match the manifest" in restored.stdout
        assert "Audit chain intact" in restored.stdout
        again = _run(["manage.py", "restore", str(folder)], env)
        assert again.returncode != 0 and "empty installation" in again.stderr
        check = _run(["manage.py", "shell", "-c", RESTORED_CHECK], env)
        assert check.returncode == 0, check.stderr
        after = json.loads(check.stdout.strip().splitlines()[-1])
    finally:
        drop()  # type: ignore[operator]
    assert after["rows"] == before_rows
    assert after["files"] == before_files
    # Opens with the handler's password (the restored key pair), as it did before.
    assert after["what"] == "Setoran 10% dari setiap pencairan dana BOS."
    assert after["attachments"] == ["lampiran-1.jpg"]  # named by its number, never its file


def test_a_damaged_backup_is_refused_before_anything_is_loaded(world, tmp_path) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("evidence/x.pdf", ContentFile(PDF))
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    (folder,) = (tmp_path / "b").iterdir()
    (folder / "files" / "evidence" / "x.pdf").write_bytes(PDF + b"%tampered")
    url, drop = _new_database()
    try:
        env = {
            **os.environ,
            "ENV_FILE": "",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / "m"),
            "SECRET_KEY": "restore-test-secret-key-0123456789-abcdefghijklmnopq",
            "DEMO": "false",
        }
        refused = _run(["manage.py", "restore", str(folder)], env)
        assert refused.returncode != 0 and "does not match its SHA-256" in refused.stderr
        assert not (tmp_path / "m").exists() or not any((tmp_path / "m").rglob("*.pdf"))
    finally:
        drop()  # type: ignore[operator]


def test_restoring_a_folder_that_is_no_backup_is_a_clear_error(tmp_path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path))
