"""Backups that restore: the database, every stored file and a manifest of their SHA-256.

`manage.py backup DIR` writes DIR/cegah-backup-<time>/ with the database (SQLite's online
backup API, or pg_dump's custom format on PostgreSQL), the files under `files/` as the storage
names them, and `manifest.json` (each file's SHA-256 and size, the database dump's SHA-256 and
the row count of every table). The key files (WBS, audit) are never in it: beside the database,
the WBS file's receipt salt would let receipts be searched for (and its old master keys, until
`wbs_keys migrate` has moved every report, would open reports); they are backed up apart.

`manage.py restore DIR` loads such a backup into an empty installation and checks it against its
manifest: every file's SHA-256 and every table's row count.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FILES = "files"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file the storage holds, through the storage API (a file system or S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def row_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools are needed).")
    return found


def _dump_database(target: Path) -> Path:
    if connection.vendor == "sqlite":
        out = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(out)
        try:
            # SQLite's online backup: a consistent copy while the server keeps writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return out
    if connection.vendor == "postgresql":
        out = target / "database.pgdump"
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(out), name],
            check=True,
            env=env,
            capture_output=True,
        )
        return out
    raise BackupError(f"No backup for the {connection.vendor} database.")


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    files: int
    tables: int


def backup_write(*, into: Path) -> BackupResult:
    folder = into / f"cegah-backup-{timezone.now():%Y%m%d-%H%M%S}"
    (folder / FILES).mkdir(parents=True, exist_ok=False)
    folder.chmod(0o700)
    counts = row_counts()  # before the dump: a busy server may add rows, never remove them
    dump = _dump_database(folder)
    files = []
    for name in _stored_names(default_storage):
        target = folder / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        files.append({"name": name, "sha256": _sha256_file(target), "size": target.stat().st_size})
    manifest: dict[str, Any] = {
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": connection.vendor,
            "file": dump.name,
            "sha256": _sha256_file(dump),
        },
        "row_counts": counts,
        "files": files,
        "not_included": {
            "WBS_KEY_FILE": str(settings.WBS_KEY_FILE),
            "AUDIT_KEY_FILE": str(settings.AUDIT_KEY_FILE),
            "why": "keys are backed up apart: with the database they would let WBS receipts be "
            "searched for and the audit chain be rewritten",
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return BackupResult(folder, len(files), len(counts))


def _ensure_empty() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"The database already has {len(tables)} tables: restore goes into an empty "
            "installation only (a new database, before `migrate`)."
        )
    if next(_stored_names(default_storage), None) is not None:
        raise BackupError("The file storage is not empty: restore goes into an empty one.")


def _load_database(folder: Path, manifest: dict[str, Any]) -> None:
    dump = folder / str(manifest["database"]["file"])
    if _sha256_file(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump.name} does not match its SHA-256 in the manifest.")
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"A {vendor} backup cannot be restored into {connection.vendor}.")
    if vendor == "sqlite":
        source = sqlite3.connect(dump)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    args, env = _pg_env()
    name = str(connection.settings_dict["NAME"])
    connection.close()  # pg_restore works on its own connection
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [_tool("pg_restore"), *args, "--no-owner", "--exit-on-error", "--dbname", name, str(dump)],
        check=True,
        env=env,
        capture_output=True,
    )


@dataclass(frozen=True)
class RestoreResult:
    files: int
    tables: int


def backup_restore(*, source: Path) -> RestoreResult:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}: not a backup folder.") from exc
    _ensure_empty()
    for entry in manifest["files"]:  # every file checked before anything is loaded
        if _sha256_file(source / FILES / entry["name"]) != entry["sha256"]:
            raise BackupError(f"{entry['name']} does not match its SHA-256 in the manifest.")
    _load_database(source, manifest)
    for entry in manifest["files"]:
        with (source / FILES / entry["name"]).open("rb") as data:
            saved = default_storage.save(entry["name"], File(data))
        if saved != entry["name"]:
            raise BackupError(f"{entry['name']} was stored as {saved}.")
        with default_storage.open(saved, "rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
        if digest != entry["sha256"]:
            raise BackupError(f"{saved} changed on its way into the storage.")
    counts = row_counts()
    if counts != manifest["row_counts"]:
        differ = sorted(
            t
            for t in counts.keys() | manifest["row_counts"].keys()
            if counts.get(t) != manifest["row_counts"].get(t)
        )
        raise BackupError(f"Row counts differ from the manifest in: {', '.join(differ)}.")
    return RestoreResult(len(manifest["files"]), len(counts))
