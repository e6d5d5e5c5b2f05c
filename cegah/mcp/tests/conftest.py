from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cegah.mcp.models import CatalogueVersion, Period
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
