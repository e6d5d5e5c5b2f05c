"""File storage on the server's disk that never leaves a half-written file under a real name.

Django's FileSystemStorage writes straight into the final name: a full disk, or a process killed
mid-write, leaves a truncated file there. An upload that is kept once per content (named by its
SHA-256) would then find that file and take it for the same bytes. Here the bytes go to a hidden
temporary file beside the others first, and are renamed to the final name only when complete
(a rename within one filesystem is atomic); a failed write removes the temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage

# Left only by a process killed mid-write; never a name the application stores or serves.
PARTIAL_PREFIX = ".part-"


class _Complete(File[bytes]):
    """A finished temporary file, which FileSystemStorage moves into place by renaming."""

    def __init__(self, path: str) -> None:
        super().__init__(None, name=path)
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        Path(self.location).mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=self.location)
        try:
            with os.fdopen(handle, "wb") as target:
                for chunk in content.chunks():
                    target.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                target.flush()
                os.fsync(target.fileno())  # complete on disk before it has a real name
            # Django moves a finished temporary file into place (its stubs omit _save).
            saved: str = super()._save(name, _Complete(partial))  # type: ignore[misc]
            return saved
        finally:
            Path(partial).unlink(missing_ok=True)  # moved into place, or failed
