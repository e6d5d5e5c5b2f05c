"""Loading SPI: the reference data and a year's published scores, each load a version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.data_versions import version_load
from cegah.core.errors import DomainError

from .models import Reference, Release, Score
from .reference_file import parse_reference
from .results import Plan


@transaction.atomic
def reference_import(*, path: Path) -> tuple[Reference, str]:
    parsed = parse_reference(path)
    ref, status = version_load(
        Reference,
        version=parsed.version,
        sha256=parsed.sha256,
        create=lambda: Reference.objects.create(
            version=parsed.version,
            structure=parsed.structure,
            source_name=path.name,
            source_sha256=parsed.sha256,
        ),
    )
    if status == "loaded":
        audit.record(
            actor=None, action="spi.reference.import", obj=ref, data={"version": ref.version}
        )
    return ref, status


@dataclass(frozen=True)
class Source:
    name: str
    url: str = ""
    published_on: date | None = None
    reason: str = ""


@transaction.atomic
def scores_import(
    *, actor: User | None, plan: Plan, source: Source, via: str = ""
) -> list[Release]:
    """Loads each year of a checked plan as a new version; a year already loaded needs a
    reason, and its earlier version is kept (no longer current)."""
    if plan.problems:
        raise DomainError(_("Berkas masih bermasalah: tidak ada yang dimuat."), code="problems")
    if not source.name.strip():
        raise DomainError(_("Sebutkan sumbernya."), code="source")
    loaded = []
    for year_plan in plan.years:
        previous = (
            Release.objects.select_for_update().filter(year=year_plan.year, is_current=True).first()
        )
        if previous is not None and not source.reason.strip():
            raise DomainError(
                _("SPI %(year)d sudah dimuat (versi %(version)d): tuliskan alasan memuat ulang.")
                % {"year": year_plan.year, "version": previous.version},
                code="reason",
            )
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        release = Release.objects.create(
            year=year_plan.year,
            version=previous.version + 1 if previous else 1,
            source_name=source.name.strip(),
            source_url=source.url.strip(),
            published_on=source.published_on,
            reason=source.reason.strip() if previous else "",
            loaded_by=actor,
            loaded_via=via,
        )
        Score.objects.bulk_create(
            Score(
                release=release,
                pemda=row.pemda,
                value=row.value,
                elements={k: str(v) for k, v in row.elements.items()},
                **row.respondents,
            )
            for row in year_plan.rows
        )
        audit.record(
            actor=actor,
            action="spi.scores.import",
            obj=release,
            data={"year": release.year, "version": release.version, "rows": len(year_plan.rows)},
        )
        loaded.append(release)
    return loaded
