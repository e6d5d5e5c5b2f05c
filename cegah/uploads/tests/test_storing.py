"""Storing uploads by policy: what is kept, where, once, and what a rollback leaves behind."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from cegah.uploads.models import StoredFile
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.responses import download_response
from cegah.uploads.services import (
    UploadRejected,
    atomic_with_files,
    stored_file_read,
    stored_files_delete,
    upload_store,
)
from cegah.uploads.tests import files

pytestmark = pytest.mark.django_db

SHARED = UploadPolicy(
    purpose="test.shared",
    allowed=("pdf", "png"),
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="test",
    deduplicate=True,
)
PRIVATE = UploadPolicy(
    purpose="test.private",
    allowed=("pdf", "png"),
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="private",
    strip_metadata=True,
    day_only_times=True,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cegah.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


def _files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_policy_refuses_types_inspection_does_not_know_or_cannot_strip() -> None:
    with pytest.raises(ValueError, match="unknown file types"):
        UploadPolicy(purpose="x", allowed=("exe",), max_mb_setting="EVIDENCE_MAX_MB", folder="x")
    with pytest.raises(ValueError, match="cannot be stripped"):
        UploadPolicy(
            purpose="x",
            allowed=("csv",),
            max_mb_setting="EVIDENCE_MAX_MB",
            folder="x",
            strip_metadata=True,
        )


def test_the_same_bytes_in_one_scope_are_stored_once_and_named_by_content(_media) -> None:
    with atomic_with_files():
        first = upload_store(policy=SHARED, name="a.pdf", file=io.BytesIO(files.PDF), scope="12.75")
        again = upload_store(policy=SHARED, name="b.pdf", file=io.BytesIO(files.PDF), scope="12.75")
        other = upload_store(policy=SHARED, name="a.pdf", file=io.BytesIO(files.PDF), scope="33.75")
    assert first.stored == again.stored != other.stored
    assert (first.name, again.name) == ("a.pdf", "b.pdf")
    assert (
        first.stored.file.name == f"test/12.75/{first.stored.sha256[:2]}/{first.stored.sha256}.pdf"
    )
    assert len(_files_in(_media)) == 2
    assert stored_file_read(first.stored) == files.PDF


def test_files_stored_in_a_block_that_fails_are_removed_with_its_rows(_media) -> None:
    with pytest.raises(UploadRejected), atomic_with_files():
        upload_store(policy=SHARED, name="a.pdf", file=io.BytesIO(files.PDF), scope="12.75")
        upload_store(policy=PRIVATE, name="b.png", file=io.BytesIO(files.png()))
        upload_store(policy=SHARED, name="c.pdf", file=io.BytesIO(files.EXE), scope="12.75")
    assert not StoredFile.objects.exists()
    assert _files_in(_media) == []


def test_a_nested_block_that_succeeded_is_removed_when_the_outer_one_fails(_media):
    with pytest.raises(RuntimeError), atomic_with_files():
        with atomic_with_files():
            upload_store(policy=PRIVATE, name="b.png", file=io.BytesIO(files.png()))
        raise RuntimeError("the caller's own write failed")
    assert _files_in(_media) == [] and not StoredFile.objects.exists()


def test_storing_outside_a_block_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError, match="atomic_with_files"):
        upload_store(policy=PRIVATE, name="b.png", file=io.BytesIO(files.png()))


def test_private_files_get_a_random_name_the_day_only_and_no_metadata(_media) -> None:
    with atomic_with_files():
        accepted = upload_store(
            policy=PRIVATE,
            name="IMG_20261205_143212.png",
            file=io.BytesIO(files.png()),
            day=date(2026, 12, 5),
        )
    stored = accepted.stored
    name = str(stored.file.name)
    assert "IMG_" not in name and name.startswith("private/")
    assert stored.scope == "" and stored.stored_on == date(2026, 12, 5)
    path = Path(default_storage.path(name))
    mtime = path.stat().st_mtime
    assert date.fromtimestamp(mtime) == date(2026, 12, 5)
    assert mtime % 60 == 0  # midnight: no time of day


def test_sealing_stores_what_the_seal_returns_and_hashes_that(_media) -> None:
    sealed = PRIVATE.sealed_with(lambda content: b"SEALED" + content[::-1])
    with atomic_with_files():
        accepted = upload_store(policy=sealed, name="b.png", file=io.BytesIO(files.png()))
    kept = stored_file_read(accepted.stored)
    assert kept.startswith(b"SEALED") and b"PNG" not in kept
    assert accepted.stored.sha256 == hashlib.sha256(kept).hexdigest()


def test_deleting_removes_rows_now_and_files_after_commit(
    _media, django_capture_on_commit_callbacks
) -> None:
    with atomic_with_files():
        accepted = upload_store(policy=PRIVATE, name="b.png", file=io.BytesIO(files.png()))
    with django_capture_on_commit_callbacks(execute=True):
        assert stored_files_delete(ids=[accepted.stored.pk]) == 1
    assert not StoredFile.objects.exists() and _files_in(_media) == []


def test_a_download_is_an_attachment_never_sniffed_or_cached(_media) -> None:
    with atomic_with_files():
        accepted = upload_store(
            policy=SHARED, name="a.pdf", file=io.BytesIO(files.PDF), scope="12.75"
        )
    for response in (
        download_response(
            filename="Notulen rapat “final”.pdf",
            content_type="application/pdf",
            stored=accepted.stored,
        ),
        download_response(filename="foto.png", content_type="image/png", content=b"x"),
    ):
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-store, private"
