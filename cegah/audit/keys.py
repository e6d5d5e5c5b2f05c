"""The audit chain's key, kept in a file outside the database (docs/subsystems/audit-chain.md).

Someone who can write the database can delete entries and recompute plain SHA-256 hashes; an
HMAC needs this key, which the database does not hold. Entries from `since_seq` on are keyed;
older ones (written before the key existed) stay plain SHA-256 and are checked as such.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    since_seq: int


_cache: dict[str, tuple[float, AuditKey]] = {}


def _path() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def audit_key() -> AuditKey | None:
    """The key, or None when the file does not exist. Read once per change of the file."""
    path = _path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == mtime:
        return cached[1]
    raw = json.loads(path.read_text(encoding="utf-8"))
    key = AuditKey(base64.b64decode(raw["key"]), int(raw["since_seq"]))
    _cache[str(path)] = (mtime, key)
    return key


def required_audit_key() -> AuditKey:
    key = audit_key()
    if key is None:
        raise ImproperlyConfigured(
            f"The audit key file {_path()} is missing: run `manage.py audit_key init` once "
            "(README, Production). Keep it out of database backups."
        )
    return key


def write_audit_key(*, since_seq: int) -> AuditKey:
    """A new random key for entries from since_seq on; the file is readable by its owner only."""
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AuditKey(secrets.token_bytes(32), since_seq)
    body = json.dumps({"key": base64.b64encode(key.secret).decode(), "since_seq": since_seq})
    temporary = path.with_suffix(".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(body)
    temporary.replace(path)  # atomic: a crash never leaves half a key file
    _cache.pop(str(path), None)
    return key
