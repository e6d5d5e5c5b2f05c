"""The shipped catalogues follow KPK's published counts, say what is illustrative, and group the
2025 indicators under the three published aspects (docs/domain/mcp.md, "Catalogues")."""

from __future__ import annotations

import pytest

from cegah.mcp.catalogue_file import parse_catalogue
from cegah.mcp.models import Indicator
from cegah.mcp.services import catalogue_import
from cegah.mcp.tests.conftest import REAL_CATALOGUES

# Published counts: areas, sasaran, indicators, sub-indicators (docs/domain/mcp.md).
PUBLISHED = {2023: (8, 0, 30, 63), 2024: (8, 0, 26, 62), 2025: (8, 16, 111, 122)}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_each_shipped_catalogue_follows_the_published_counts_and_says_what_is_illustrative(
    year: int,
) -> None:
    parsed = parse_catalogue(REAL_CATALOGUES / f"mcp-{year}.yaml")
    counts = (
        len(parsed.areas),
        len(parsed.sasaran),
        len(parsed.indicators),
        sum(len(i["subs"]) for i in parsed.indicators),
    )
    assert counts == PUBLISHED[year]
    assert "ilustratif" in parsed.illustrative["id"].lower()
    assert parsed.illustrative["en"]


def test_every_2025_indicator_has_one_of_the_three_published_aspects(db) -> None:
    parsed = parse_catalogue(REAL_CATALOGUES / "mcp-2025.yaml")
    assert [a["code"] for a in parsed.aspects] == ["transparansi", "regulasi", "akuntabilitas"]
    used = {i["aspect"] for i in parsed.indicators}
    assert used == {"transparansi", "regulasi", "akuntabilitas"}
    catalogue_import(path=REAL_CATALOGUES / "mcp-2024.yaml")
    catalogue = catalogue_import(path=REAL_CATALOGUES / "mcp-2025.yaml").catalogue
    assert not Indicator.objects.filter(catalogue=catalogue, aspect="").exists()
