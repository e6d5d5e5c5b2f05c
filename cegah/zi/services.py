"""Writes of the Zona Integritas domain."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import DomainError
from cegah.zi.lke_file import parse_lke
from cegah.zi.models import LkeVersion


@dataclass(frozen=True)
class LkeImport:
    version: LkeVersion
    status: str  # created | replaced | unchanged


@transaction.atomic
def lke_import(*, path: Path, actor: User | None = None) -> LkeImport:
    """Validates one LKE file and loads it; nothing loads when it has any problem (LkeInvalid).
    The same file again changes nothing; a version not yet used may be replaced; one an
    assessment uses is frozen, and a correction comes as the next version with a reason."""
    lke = parse_lke(path)
    existing = LkeVersion.objects.select_for_update().filter(version=lke.version).first()
    if existing is not None and existing.source_sha256 == lke.sha256:
        return LkeImport(existing, "unchanged")
    if existing is not None and existing.frozen_at is not None:
        raise DomainError(
            _(
                "LKE versi %(version)d sudah dipakai penilaian dan tidak dapat diubah. "
                "Muat koreksi sebagai versi %(next)d dengan alasan."
            )
            % {"version": lke.version, "next": lke.version + 1},
            code="frozen",
        )
    if (
        existing is None
        and lke.version > 1
        and not LkeVersion.objects.filter(version=lke.version - 1).exists()
    ):
        raise DomainError(
            _("Versi %(version)d tidak bisa dimuat sebelum versi %(previous)d.")
            % {"version": lke.version, "previous": lke.version - 1},
            code="version_gap",
        )
    fields = {
        "name_id": lke.title["id"],
        "name_en": lke.title["en"],
        "regulation": lke.regulation,
        "illustrative_id": lke.illustrative["id"],
        "illustrative_en": lke.illustrative["en"],
        "reason": lke.reason,
        "structure": lke.structure(),
        "source_name": lke.source_name,
        "source_sha256": lke.sha256,
    }
    version, created = LkeVersion.objects.update_or_create(version=lke.version, defaults=fields)
    audit.record(
        actor=actor,
        action="zi.lke.import",
        obj=version,
        data={"version": lke.version, "file": lke.source_name, "sha256": lke.sha256},
    )
    return LkeImport(version, "created" if created else "replaced")
