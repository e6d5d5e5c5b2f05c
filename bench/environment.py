"""The settings every benchmark script runs under, and the databases they measure on: set
before Django is set up (each script imports this first)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
VAR.mkdir(exist_ok=True)


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def ensure_database(url: str) -> None:
    """A PostgreSQL database named in `url` is created when missing (kept when it exists: the
    dataset in it is reused)."""
    if not _is_postgres(url):
        return
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fresh_database(name: str) -> str:
    """A database of the benchmark's own, made afresh with its own audit chain: SQLite
    bench/var/<name>.sqlite3, or with BENCH_DATABASE_URL a PostgreSQL database beside it named
    <its name>_<name> (the national dataset's stays as it is). Returns its URL."""
    (VAR / f"{name}-audit.key").unlink(missing_ok=True)
    os.environ["AUDIT_KEY_FILE"] = str(VAR / f"{name}-audit.key")
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not _is_postgres(url):
        sqlite = VAR / f"{name}.sqlite3"
        sqlite.unlink(missing_ok=True)
        return f"sqlite:///{sqlite}"
    import psycopg
    from psycopg import sql

    server, base = url.rsplit("/", 1)
    own = f"{base}_{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(own)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(own)))
    return f"{server}/{own}"


def configure(database_url: str, **settings: str) -> None:
    """Production-like settings (no debug, no .env file, quiet logs, plain static files) on
    `database_url`; `settings` adds or overrides environment variables."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "ENV_FILE": "",
            "DEBUG": "false",
            "HTTPS": "false",
            "LOG_LEVEL": "WARNING",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            **settings,
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
