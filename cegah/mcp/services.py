from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import DomainError

from .catalogue_file import Catalogue, parse_catalogue
from .models import Area, CatalogueVersion, Indicator, Sasaran, SubIndicator


@dataclass(frozen=True)
class ImportResult:
    catalogue: CatalogueVersion
    status: str  # "created", "replaced" or "unchanged"


def _write(catalogue: Catalogue) -> CatalogueVersion:
    version = CatalogueVersion.objects.create(
        year=catalogue.year,
        version=catalogue.version,
        title_id=catalogue.title["id"],
        title_en=catalogue.title["en"],
        reason=catalogue.reason,
        note=catalogue.note,
        source_name=catalogue.source_name,
        source_sha256=catalogue.sha256,
    )
    areas = {}
    for pos, a in enumerate(catalogue.areas):
        areas[a["code"]] = Area.objects.create(
            catalogue=version,
            code=a["code"],
            name_id=a["name"]["id"],
            name_en=a["name"]["en"],
            weight=a["weight"],
            position=pos,
        )
    sasaran = {}
    for pos, s in enumerate(catalogue.sasaran):
        sasaran[s["code"]] = Sasaran.objects.create(
            area=areas[s["area"]],
            code=s["code"],
            name_id=s["name"]["id"],
            name_en=s["name"]["en"],
            position=pos,
        )
    subs: list[SubIndicator] = []
    for pos, i in enumerate(catalogue.indicators):
        indicator = Indicator.objects.create(
            catalogue=version,
            area=areas[i["area"]],
            sasaran=sasaran.get(str(i["sasaran"])) if i["sasaran"] is not None else None,
            code=i["code"],
            name_id=i["name"]["id"],
            name_en=i["name"]["en"],
            weight=i["weight"],
            applies_provinsi="provinsi" in i["applies"],
            applies_kabupaten="kabupaten" in i["applies"],
            applies_kota="kota" in i["applies"],
            position=pos,
        )
        subs += [
            SubIndicator(
                indicator=indicator,
                code=s["code"],
                question_id=s["question"]["id"],
                question_en=s["question"]["en"],
                answer_type=s["answer_type"],
                options=s["options"],
                target=s["target"],
                weight=s["weight"],
                guidance_id=s["guidance"]["id"],
                guidance_en=s["guidance"]["en"],
                evidence=s["evidence"],
                position=n,
            )
            for n, s in enumerate(i["subs"])
        ]
    SubIndicator.objects.bulk_create(subs)
    return version


@transaction.atomic
def catalogue_import(*, path: Path, actor: User | None = None) -> ImportResult:
    """Validate and load one catalogue file. Loads nothing when the file has any problem.

    Re-importing an identical file changes nothing. A version not yet opened for reporting may be
    replaced; once opened it is immutable, and a correction must come as a new version number
    with a reason.
    """
    catalogue = parse_catalogue(path)  # raises CatalogueInvalid
    existing = (
        CatalogueVersion.objects.select_for_update()
        .filter(year=catalogue.year, version=catalogue.version)
        .first()
    )
    if existing is not None and existing.source_sha256 == catalogue.sha256:
        return ImportResult(existing, "unchanged")
    if existing is not None and existing.opened_at is not None:
        raise DomainError(
            _(
                "Katalog %(year)s versi %(version)d sudah dibuka untuk pelaporan dan tidak dapat "
                "diubah. Terbitkan koreksi sebagai versi %(next)d dengan alasan."
            )
            % {"year": catalogue.year, "version": catalogue.version, "next": catalogue.version + 1},
            code="immutable",
        )
    if (
        existing is None
        and catalogue.version > 1
        and not CatalogueVersion.objects.filter(
            year=catalogue.year, version=catalogue.version - 1
        ).exists()
    ):
        raise DomainError(
            _("Versi %(version)d tidak bisa dimuat sebelum versi %(previous)d tahun %(year)s.")
            % {
                "version": catalogue.version,
                "previous": catalogue.version - 1,
                "year": catalogue.year,
            },
            code="version_gap",
        )
    status = "created"
    if existing is not None:
        existing.delete()
        status = "replaced"
    version = _write(catalogue)
    audit.record(
        actor=actor,
        action=f"mcp.catalogue.{status}",
        obj=version,
        data={
            "year": version.year,
            "version": version.version,
            "sha256": version.source_sha256,
            "reason": version.reason,
            "indicators": len(catalogue.indicators),
        },
    )
    return ImportResult(version, status)
