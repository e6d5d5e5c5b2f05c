"""Files on the server's disk get their name only once complete: a write that fails midway (a
full disk, a killed process) leaves no file, neither under the name nor beside it."""

import errno
from pathlib import Path

import pytest
from django.core.files.base import ContentFile, File

from cegah.core.storage import AtomicFileSystemStorage
from cegah.testing.disk import fill, small_filesystem


class _FailsMidway(File[bytes]):
    def __init__(self) -> None:
        super().__init__(None, name="x.pdf")

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.4 the first half"
        raise OSError(errno.ENOSPC, "No space left on device")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_complete_file_is_stored_under_its_name(tmp_path) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path, file_permissions_mode=0o600)
    name = storage.save("bukti/ab/abc.pdf", ContentFile(b"%PDF-1.4 whole"))
    assert name == "bukti/ab/abc.pdf"
    assert (tmp_path / name).read_bytes() == b"%PDF-1.4 whole"
    assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    assert _files(tmp_path) == [tmp_path / name]
    # The same name again gets a free one beside it, as Django's storage does.
    assert storage.save("bukti/ab/abc.pdf", ContentFile(b"other")) != name


def test_a_write_that_fails_midway_leaves_nothing(tmp_path) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError, match="No space"):
        storage.save("bukti/ab/abc.pdf", _FailsMidway())
    assert _files(tmp_path) == []


def test_a_full_disk_leaves_nothing(tmp_path) -> None:
    with small_filesystem(tmp_path / "media", kib=512) as media:
        fill(media, leave_kib=64)
        storage = AtomicFileSystemStorage(location=media)
        with pytest.raises(OSError) as raised:
            storage.save("bukti/ab/abc.pdf", ContentFile(b"x" * 200_000))
        assert raised.value.errno == errno.ENOSPC
        assert _files(media) == [media / "filler"]
