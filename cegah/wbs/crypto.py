"""Encryption at rest for WBS reports (libsodium through PyNaCl), after GlobaLeaks' key model.

Every report has its own random key (a secret box). Its text, the reporter's identity, messages,
notes and attachments are sealed with that key. The report key itself is stored only sealed
(X25519 sealed boxes) to public keys:

- each handler of the responsible level (`ReportGrant`); a handler's private key is stored
  sealed with a key derived from their password (Argon2id, `HandlerKey`) and opened only when
  they type it;
- the reporter, whose private key is derived from their receipt (Argon2id with the report's own
  salt) and is never stored;
- optionally the escrow key (settings.WBS_ESCROW_PUBLIC_KEY), whose private half the
  Koordinator keeps offline.

The server keeps none of those private keys, so a copy of the database, the stored files and the
key file reads nothing. The key file now holds:

    receipt-salt <base64, 16 bytes>      salt of the receipt-code lookup hash (never rotated)
    key <id> <base64, 32 bytes>          master keys of reports made before key pairs, only
                                         until `manage.py wbs_keys migrate` has moved them
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.secret
import nacl.utils
from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
SALT_BYTES = 16
# Kept apart from the lookup hash: the same receipt yields the lookup hash (installation salt)
# and the reporter's private key (this prefix and the report's own salt), never one from the other.
RECEIPT_KEY_CONTEXT = b"cegah-wbs-reporter-key:"

CryptoError = nacl.exceptions.CryptoError


@dataclass(frozen=True)
class KeyRing:
    receipt_salt: bytes
    keys: tuple[tuple[str, bytes], ...]  # legacy master keys (id, key); the first is newest

    def key(self, key_id: str) -> bytes:
        for found_id, key in self.keys:
            if found_id == key_id:
                return key
        raise ImproperlyConfigured(f"WBS key {key_id!r} is not in the key file")

    def render(self) -> str:
        lines = [
            "# Cegah WBS key file. It holds the salt of the receipt lookup hash and, until",
            "# `manage.py wbs_keys migrate` has moved every report to handlers' key pairs, the",
            "# old master keys. Keep it outside the database and its backups.",
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
    if len(salt) < SALT_BYTES:
        raise ImproperlyConfigured("WBS key file needs a receipt-salt")
    return KeyRing(receipt_salt=salt, keys=tuple(keys))


def new_key_id() -> str:
    return f"k{date.today():%Y%m%d}-{secrets.token_hex(3)}"


def new_secret_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_ring() -> KeyRing:
    return KeyRing(receipt_salt=secrets.token_bytes(SALT_BYTES), keys=())


_cache: dict[str, tuple[float, KeyRing]] = {}


def keyring() -> KeyRing:
    """The key file's contents, read again whenever the file changes."""
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


def unwrap_legacy_key(key_id: str, sealed_key: bytes) -> bytes:
    """A report key sealed with a master key of the key file (reports made before key pairs)."""
    return unseal(keyring().key(key_id), sealed_key)


# Migrations 0006 and 0008 open report keys under this name.
unwrap_report_key = unwrap_legacy_key


# --- Public-key sealing ----------------------------------------------------------------------


def seal_to(public_key: bytes, report_key: bytes) -> bytes:
    """Anyone may seal to a public key; only its private key opens it (X25519 sealed box)."""
    return bytes(
        nacl.public.SealedBox(nacl.public.PublicKey(bytes(public_key))).encrypt(report_key)
    )


def open_sealed(private_key: bytes, sealed: bytes) -> bytes:
    return bytes(nacl.public.SealedBox(nacl.public.PrivateKey(private_key)).decrypt(bytes(sealed)))


def public_key_of(private_key: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(private_key).public_key)


def new_private_key() -> bytes:
    return bytes(nacl.public.PrivateKey.generate())


def _argon2id(secret: bytes, salt: bytes, *, time_cost: int, memory_kib: int) -> bytes:
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=1,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


@dataclass(frozen=True)
class SealedPrivateKey:
    public_key: bytes
    sealed_private_key: bytes
    salt: bytes
    time_cost: int
    memory_kib: int


def password_key(password: str, salt: bytes, *, time_cost: int, memory_kib: int) -> bytes:
    return _argon2id(password.encode(), salt, time_cost=time_cost, memory_kib=memory_kib)


def private_key_seal(private_key: bytes, password: str) -> SealedPrivateKey:
    """A handler's private key, sealed with a key derived from their password."""
    salt = secrets.token_bytes(SALT_BYTES)
    time_cost = int(settings.WBS_HANDLER_ARGON2_TIME_COST)
    memory_kib = int(settings.WBS_HANDLER_ARGON2_MEMORY_KIB)
    wrapping = password_key(password, salt, time_cost=time_cost, memory_kib=memory_kib)
    return SealedPrivateKey(
        public_key=public_key_of(private_key),
        sealed_private_key=seal(wrapping, private_key),
        salt=salt,
        time_cost=time_cost,
        memory_kib=memory_kib,
    )


def private_key_open(sealed: SealedPrivateKey, password: str) -> bytes:
    """Raises CryptoError when the password is not the one the key was sealed with."""
    wrapping = password_key(
        password, sealed.salt, time_cost=sealed.time_cost, memory_kib=sealed.memory_kib
    )
    return unseal(wrapping, sealed.sealed_private_key)


def reporter_private_key(receipt: str, salt: bytes) -> bytes:
    """The reporter's private key for one report, derived from the receipt and never stored."""
    return _argon2id(
        RECEIPT_KEY_CONTEXT + receipt.encode(),
        bytes(salt),
        time_cost=settings.WBS_RECEIPT_ARGON2_TIME_COST,
        memory_kib=settings.WBS_RECEIPT_ARGON2_MEMORY_KIB,
    )


def escrow_public_key() -> bytes | None:
    """The Koordinator's offline escrow key, when one is configured (off by default)."""
    configured = str(settings.WBS_ESCROW_PUBLIC_KEY or "").strip()
    if not configured:
        return None
    try:
        key = base64.b64decode(configured, validate=True)
    except ValueError:
        key = b""
    if len(key) != nacl.public.PublicKey.SIZE:
        raise ImproperlyConfigured("WBS_ESCROW_PUBLIC_KEY is not a base64 X25519 public key")
    return key


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode()


def decode_private_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != nacl.public.PrivateKey.SIZE:
        raise ValueError("not a base64 X25519 private key")
    return key


def receipt_hash(receipt: str) -> str:
    """Argon2id of the receipt with the installation's salt: slow to guess, yet a lookup key."""
    digest = _argon2id(
        receipt.encode(),
        keyring().receipt_salt,
        time_cost=settings.WBS_RECEIPT_ARGON2_TIME_COST,
        memory_kib=settings.WBS_RECEIPT_ARGON2_MEMORY_KIB,
    )
    return digest.hex()


def new_receipt() -> str:
    """16 random digits, the first never 0 so the code always reads as 16 digits."""
    return str(secrets.randbelow(9 * 10**15) + 10**15)
