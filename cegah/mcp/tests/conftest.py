from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cegah.mcp.models import CatalogueVersion, IndicatorAssignment, Period, SubIndicator
from cegah.mcp.services import catalogue_import

CATALOGUES = Path(__file__).parent / "catalogues"
REAL_CATALOGUES = Path(__file__).resolve().parents[3] / "data" / "mcp"


@pytest.fixture
def catalogue_2025(db) -> CatalogueVersion:
    """The small test catalogue: PRC.1 (all kinds), BMD.1 (kabupaten/kota), BMD.2 (provinsi)."""
    return catalogue_import(path=CATALOGUES / "valid.yaml").catalogue


@pytest.fixture
def catalogues(db) -> tuple[CatalogueVersion, CatalogueVersion]:
    old = catalogue_import(path=CATALOGUES / "small-2024.yaml").catalogue
    return old, catalogue_import(path=CATALOGUES / "valid.yaml").catalogue


@pytest.fixture
def real_catalogues(db) -> tuple[CatalogueVersion, CatalogueVersion]:
    old = catalogue_import(path=REAL_CATALOGUES / "mcp-2024.yaml").catalogue
    return old, catalogue_import(path=REAL_CATALOGUES / "mcp-2025.yaml").catalogue


def make_period(year: int = 2025, number: int = 1, *, days: int = 30, **extra: object) -> Period:
    now = timezone.now()
    return Period.objects.create(
        year=year,
        number=number,
        opens_at=now - timedelta(days=1),
        upload_deadline=now + timedelta(days=days),
        verification_deadline=now + timedelta(days=days + 14),
        **extra,
    )


@dataclass
class Reporting:
    """An open termin of the small 2025 catalogue with Binjai's indicators assigned:
    PRC.1 to BPKAD (operator_binjai), BMD.1 to PUPR (operator_pupr_binjai)."""

    period: Period
    catalogue: CatalogueVersion
    subs: dict[str, SubIndicator]


@pytest.fixture
def reporting(world, catalogue_2025, settings, tmp_path) -> Reporting:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cegah.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    period = make_period(state=Period.State.OPEN)
    catalogue_2025.opened_at = timezone.now()
    catalogue_2025.save()
    for code, opd in (("PRC.1", world.bpkad_binjai), ("BMD.1", world.pupr_binjai)):
        IndicatorAssignment.objects.create(
            pemda=world.binjai,
            indicator=catalogue_2025.indicators.get(code=code),
            opd=opd,
            assigned_by=world.admin_binjai,
        )
    for code, opd in (("PRC.1", world.bpbj_pekalongan),):
        IndicatorAssignment.objects.create(
            pemda=world.kota_pekalongan,
            indicator=catalogue_2025.indicators.get(code=code),
            opd=opd,
            assigned_by=world.admin_pekalongan,
        )
    subs = {s.code: s for s in SubIndicator.objects.filter(indicator__catalogue=catalogue_2025)}
    return Reporting(period, catalogue_2025, subs)


def write_recommendation(
    world,
    reporting: Reporting,
    *,
    author=None,
    pemda=None,
    indicator: str | None = "PRC.1",
    days: int = 10,
    title: str = "Perbaiki SOP pengadaan",
):
    """A recommendation written through the service, due in `days` days of the Pemda's own
    calendar: by Sumatera Utara's verifier for Binjai about PRC.1 unless told otherwise."""
    from cegah.mcp.services.recommendations import recommendation_create

    pemda = pemda or world.binjai
    indicator_id = (
        reporting.catalogue.indicators.get(code=indicator).pk if indicator is not None else None
    )
    return recommendation_create(
        author=author or world.verifier_sumut,
        pemda=pemda,
        year=reporting.catalogue.year,
        title=title,
        text="Tetapkan SOP pengadaan yang memuat pemeriksaan konflik kepentingan.",
        due_on=timezone.localdate(timezone=pemda.zoneinfo) + timedelta(days=days),
        indicator_id=indicator_id,
    )
