"""Encryption at rest for WBS reports (libsodium through PyNaCl).

Every report has its own random key. Its text, the reporter's identity, messages and attachments
are sealed with that key; the report key itself is stored sealed with the installation's current
master key, which lives in the key file (settings.WBS_KEY_FILE), never in the database. A stolen
database or storage bucket therefore holds only ciphertext. Rotating the master key re-seals the
report keys only; the bulk of the data is untouched.

The key file is plain text, one entry per line:

    receipt-salt <base64, 16 bytes>      salt of the receipt-code hash (never rotated)
    key <id> <base64, 32 bytes>          master keys, the first one is current
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nacl.secret
import nacl.utils
from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
SALT_BYTES = 16


@dataclass(frozen=True)
class KeyRing:
    receipt_salt: bytes
    keys: tuple[tuple[str, bytes], ...]  # (id, key); the first is current

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def key(self, key_id: str) -> bytes:
        for found_id, key in self.keys:
            if found_id == key_id:
                return key
        raise ImproperlyConfigured(f"WBS key {key_id!r} is not in the key file")

    def render(self) -> str:
        lines = [
            "# Cegah WBS keys. Keep this file outside the database and its backups, and back it",
            "# up separately: without it no report can be read. The first key is current.",
            f"receipt-salt {base64.b64encode(self.receipt_salt).decode()}",
        ]
        lines += [f"key {key_id} {base64.b64encode(key).decode()}" for key_id, key in self.keys]
        return "\n".join(lines) + "\n"


def parse(text: str) -> KeyRing:
    salt = b""
    keys: list[tuple[str, bytes]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        try:
            if parts[0] == "receipt-salt" and len(parts) == 2:
                salt = base64.b64decode(parts[1], validate=True)
            elif parts[0] == "key" and len(parts) == 3:
                key = base64.b64decode(parts[2], validate=True)
                if len(key) != KEY_BYTES:
                    raise ValueError
                keys.append((parts[1], key))
            else:
                raise ValueError
        except ValueError:
            raise ImproperlyConfigured(f"WBS key file, line {number}: not understood") from None
    if len(salt) < SALT_BYTES or not keys:
        raise ImproperlyConfigured("WBS key file needs a receipt-salt and at least one key")
    return KeyRing(receipt_salt=salt, keys=tuple(keys))


def new_key_id() -> str:
    return f"k{date.today():%Y%m%d}-{secrets.token_hex(3)}"


def new_secret_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_ring() -> KeyRing:
    return KeyRing(
        receipt_salt=secrets.token_bytes(SALT_BYTES),
        keys=((new_key_id(), new_secret_key()),),
    )


_cache: dict[str, tuple[float, KeyRing]] = {}


def keyring() -> KeyRing:
    """The key file's contents, read again whenever the file changes (after a rotation)."""
    path = Path(settings.WBS_KEY_FILE)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"WBS key file {path} is missing; create it with `manage.py wbs_keys init`"
        ) from None
    cached = _cache.get(str(path))
    if cached is None or cached[0] != mtime:
        cached = (mtime, parse(path.read_text(encoding="utf-8")))
        _cache[str(path)] = cached
    return cached[1]


def write_keyring(ring: KeyRing) -> None:
    path = Path(settings.WBS_KEY_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".new")
    temporary.write_text(ring.render(), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)  # atomic: a crash never leaves half a key file
    _cache.pop(str(path), None)


def seal(key: bytes, plaintext: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(plaintext))


def unseal(key: bytes, ciphertext: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).decrypt(bytes(ciphertext)))


def wrap_report_key(report_key: bytes) -> tuple[str, bytes]:
    ring = keyring()
    return ring.current_id, seal(ring.key(ring.current_id), report_key)


def unwrap_report_key(key_id: str, sealed_key: bytes) -> bytes:
    return unseal(keyring().key(key_id), sealed_key)


def receipt_hash(receipt: str) -> str:
    """Argon2id of the receipt with the installation's salt: slow to guess, yet a lookup key."""
    digest = hash_secret_raw(
        secret=receipt.encode(),
        salt=keyring().receipt_salt,
        time_cost=settings.WBS_RECEIPT_ARGON2_TIME_COST,
        memory_cost=settings.WBS_RECEIPT_ARGON2_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return digest.hex()


def new_receipt() -> str:
    """16 random digits, the first never 0 so the code always reads as 16 digits."""
    return str(secrets.randbelow(9 * 10**15) + 10**15)
