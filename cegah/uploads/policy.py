"""What one use of uploads accepts and how it keeps the files: one policy per use."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from .inspection import ACCEPTED
from .metadata import STRIPPABLE


@dataclass(frozen=True)
class UploadPolicy:
    purpose: str  # stored with each file: "mcp.evidence"
    allowed: tuple[str, ...]  # extensions; each must be one inspection knows
    max_mb_setting: str  # the setting that holds the size limit in MB, read at upload time
    folder: str  # where in storage, below MEDIA_ROOT or the bucket
    strip_metadata: bool = False  # re-encode images, drop authors and dates (WBS)
    deduplicate: bool = False  # the same bytes within a scope are stored once (MCP, per Pemda)
    # File times in storage show the day only (a time of day could point at a reporter).
    day_only_times: bool = False
    # Sealing (encryption) applied to the checked content before it is stored.
    seal: Callable[[bytes], bytes] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        unknown = [ext for ext in self.allowed if ext not in ACCEPTED]
        if unknown:
            raise ValueError(f"{self.purpose}: unknown file types {unknown}")
        if self.strip_metadata and any(ext not in STRIPPABLE for ext in self.allowed):
            raise ValueError(f"{self.purpose}: metadata cannot be stripped from {self.allowed}")
        if self.deduplicate and self.seal is not None:
            raise ValueError(f"{self.purpose}: sealed files are never the same bytes twice")

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_mb_setting)) * 1024 * 1024

    def sealed_with(self, seal: Callable[[bytes], bytes]) -> UploadPolicy:
        """The same policy, sealing each file with a key known only to the caller."""
        return dataclasses.replace(self, seal=seal)
