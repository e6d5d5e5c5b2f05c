"""Storing uploaded files: checked, cleaned or sealed as the use's policy says, then kept through
Django's storage API, and removed again if the transaction that refers to them rolls back."""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .inspection import UploadRejected, inspect_and_read
from .metadata import strip_metadata
from .models import StoredFile
from .policy import UploadPolicy

# The names stored inside the innermost atomic_with_files block, to delete on rollback.
_stored_here: ContextVar[list[str] | None] = ContextVar("uploads_stored_here", default=None)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """transaction.atomic that also deletes the files stored inside it when it rolls back.

    Django has no rollback hook, so the block keeps the names itself. A block nested in another
    hands its names to the outer one on success: the outer rollback still removes them.
    """
    outer = _stored_here.get()
    stored: list[str] = []
    token = _stored_here.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete_files(stored)
        raise
    finally:
        _stored_here.reset(token)
    if outer is not None:
        outer.extend(stored)


@dataclass(frozen=True)
class Accepted:
    stored: StoredFile
    name: str  # the uploader's file name, checked and normalised
    extension: str


def _set_day(name: str, day: date) -> None:
    """The file's access and modification times, and its folder's (which a new file moves to
    the moment it was added), become midnight of the day. The inode's change time (ctime)
    cannot be set by anyone but the clock; see docs/subsystems/wbs-privacy.md."""
    try:
        midnight = time.mktime(day.timetuple())
        path = default_storage.path(name)
    except NotImplementedError:
        return  # object storage keeps its own upload time; it is not linked to the file's row
    os.utime(path, (midnight, midnight))
    os.utime(Path(path).parent, (midnight, midnight))


def upload_store(
    *,
    policy: UploadPolicy,
    name: str,
    file: IO[bytes],
    scope: str = "",
    allowed: Sequence[str] | None = None,
    day: date | None = None,
) -> Accepted:
    """Checks one upload against the policy and stores it, or raises UploadRejected.

    `allowed` narrows the policy's types for one question; `scope` (e.g. the Pemda's code) is
    where identical bytes are kept once when the policy de-duplicates.
    """
    stored_here = _stored_here.get()
    if stored_here is None:
        raise RuntimeError("upload_store runs inside uploads.services.atomic_with_files")
    types = tuple(allowed) if allowed is not None else policy.allowed
    if any(ext not in policy.allowed for ext in types):
        raise ValueError(f"{policy.purpose}: {types} is not within {policy.allowed}")
    inspected, data = inspect_and_read(
        name=name, file=file, allowed=types, max_bytes=policy.max_bytes
    )
    content = strip_metadata(data, inspected.extension) if policy.strip_metadata else data
    kept = policy.seal(content) if policy.seal is not None else content
    sha256 = inspected.sha256 if kept is data else hashlib.sha256(kept).hexdigest()
    day = day or timezone.localdate()
    if policy.deduplicate and scope:
        existing = StoredFile.objects.filter(
            purpose=policy.purpose, scope=scope, sha256=sha256
        ).first()
        if existing is not None:
            return Accepted(existing, inspected.name, inspected.extension)
        # Named by content, never by the uploader's file name.
        wanted = f"{policy.folder}/{scope}/{sha256[:2]}/{sha256}.{inspected.extension}"
    else:
        # A random name: the original name may identify someone, and is kept (or sealed) by
        # the module that owns the file.
        wanted = f"{policy.folder}/{secrets.token_hex(16)}"
    if policy.deduplicate and default_storage.exists(wanted):
        stored_name = wanted  # left by a rolled-back row of an earlier version: same bytes
    else:
        stored_name = _save(wanted, kept)
        stored_here.append(stored_name)
        if policy.day_only_times:
            _set_day(stored_name, day)
    stored = StoredFile.objects.create(
        purpose=policy.purpose,
        scope=scope if policy.deduplicate else "",
        file=stored_name,
        sha256=sha256,
        size=len(content),
        content_type=inspected.content_type,
        stored_on=day,
    )
    return Accepted(stored, inspected.name, inspected.extension)


# The disk (or the account's quota) is full: said to the person, who can try again later.
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def _save(wanted: str, content: bytes) -> str:
    """Stores the bytes under `wanted` (or a free name beside it). The storage leaves nothing
    behind when a write fails (cegah/core/storage.py)."""
    try:
        return default_storage.save(wanted, ContentFile(content))
    except OSError as error:
        if error.errno not in _NO_SPACE:
            raise
        raise UploadRejected(
            _(
                "Ruang penyimpanan server sedang penuh, jadi berkas belum tersimpan. "
                "Coba lagi nanti, atau beri tahu admin."
            )
        ) from error


def stored_file_read(stored: StoredFile) -> bytes:
    with default_storage.open(str(stored.file.name), "rb") as opened:
        data: bytes = opened.read()
    return data


def stored_file_replace(*, stored: StoredFile, content: bytes, day: date) -> StoredFile:
    """Writes new bytes for a stored file (a re-encryption) under a new random name; the old
    file goes once the transaction commits, the new one if it rolls back. Runs inside
    atomic_with_files. The size stays the original content's, as upload_store records it."""
    stored_here = _stored_here.get()
    if stored_here is None:
        raise RuntimeError("stored_file_replace runs inside uploads.services.atomic_with_files")
    old_name = str(stored.file.name)
    folder = old_name.rsplit("/", 1)[0] if "/" in old_name else ""
    new_name = default_storage.save(f"{folder}/{secrets.token_hex(16)}", ContentFile(content))
    stored_here.append(new_name)
    _set_day(new_name, day)
    stored.file.name = new_name
    stored.sha256 = hashlib.sha256(content).hexdigest()
    stored.save(update_fields=["file", "sha256"])
    transaction.on_commit(lambda: _delete_files([old_name]))
    return stored


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def stored_files_delete(*, ids: Sequence[int]) -> int:
    """Deletes the rows now and their files once the transaction commits."""
    rows = StoredFile.objects.filter(pk__in=ids)
    names = list(rows.values_list("file", flat=True))
    count, _by_model = rows.delete()
    transaction.on_commit(lambda: _delete_files(names))
    return count


__all__ = [
    "Accepted",
    "UploadRejected",
    "atomic_with_files",
    "stored_file_read",
    "stored_file_replace",
    "stored_files_delete",
    "upload_store",
]
