"""Versioned data files (rules that change by regulation, reference lists): one abstract row per
loaded version, and the one way to load a version, shared by the domains that ship such files.

A version once loaded never changes: loading the same file again says so, and a file that
differs under a loaded version's number is refused (a correction is a new version)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from cegah.core.errors import DomainError


class DataVersion(models.Model):
    version = models.PositiveSmallIntegerField(unique=True)
    # The validated file as plain data: what the code reads.
    structure = models.JSONField()
    source_name = models.CharField(max_length=200)
    source_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-version"]


V = TypeVar("V", bound=DataVersion)


def version_load(
    model: type[V], *, version: int, sha256: str, create: Callable[[], V]
) -> tuple[V, str]:
    """(the row, "loaded" or "unchanged"); DomainError for a changed file under a loaded number.
    Runs inside the caller's transaction, which audits the load."""
    existing = model._default_manager.filter(version=version).first()
    if existing is not None:
        if existing.source_sha256 == sha256:
            return existing, "unchanged"
        raise DomainError(
            _("Versi %(v)d sudah dimuat dengan isi lain; koreksi dimuat sebagai versi baru.")
            % {"v": version},
            code="version_changed",
        )
    return create(), "loaded"
