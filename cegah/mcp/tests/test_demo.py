"""The demo's national picture is published through the same services, once."""

import pytest

from cegah.accounts.demo import demo_world_seed
from cegah.mcp.demo_scores import national_scores_seed
from cegah.mcp.models import YEAR, PemdaScore, ScoreSnapshot
from cegah.mcp.services import catalogue_import

from .conftest import REAL_CATALOGUES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions", "demo_on")]


def test_demo_scores_are_published_once_and_follow_the_seeds() -> None:
    demo_world_seed()
    for year in (2023, 2024):
        catalogue_import(path=REAL_CATALOGUES / f"mcp-{year}.yaml")
    codes = ["12.75", "16.71", "33.75", "12.71", "33.74"]
    published = national_scores_seed(years=(2023, 2024), pemda_codes=codes)
    assert [s.year for s in published] == [2022, 2023, 2024]
    assert national_scores_seed(years=(2023, 2024), pemda_codes=codes) == []
    # 2022 comes through the history import, labelled as generated, with KPK-style awards.
    earlier = published[0]
    assert earlier.imported and earlier.catalogue is None
    assert "dibangkitkan" in earlier.source_name and "bukan angka KPK" in earlier.source_name
    assert earlier.pemdas.filter(termin=YEAR).count() == len(codes)
    assert [a["code"] for a in earlier.area_names][:3] == ["PRC", "PBJ", "IZN"]
    assert earlier.awards.filter(announced=True).count() == 3  # the five are kota: a top three
    rows = {
        (r.snapshot.year, r.pemda.code): r.verified_score
        for r in PemdaScore.objects.filter(
            snapshot__state="published", termin=YEAR, pemda__code__in=codes
        ).select_related("snapshot", "pemda")
    }
    # Binjai climbs sharply in 2024; Palembang stays high (docs/domain/mcp.md#rankings).
    assert rows[(2024, "12.75")] - rows[(2023, "12.75")] > 15
    assert rows[(2024, "16.71")] > 80
    catalogue = ScoreSnapshot.objects.get(year=2024, state="published").catalogue
    assert catalogue is not None
    assert catalogue.opened_at
