import pytest

from cegah.mcp.models import Answer, Period, ScoreSnapshot, SubIndicator
from cegah.mcp.services import catalogue_import
from cegah.mcp.services.scores import scores_publish
from cegah.mcp.tests.conftest import CATALOGUES, make_period


@pytest.fixture
def published(world) -> dict[int, ScoreSnapshot]:
    """2024 and 2025 published for the small test catalogues; Binjai rises, Kota Pekalongan
    stays best in Central Java."""
    catalogue_import(path=CATALOGUES / "small-2024.yaml")
    catalogue_import(path=CATALOGUES / "valid.yaml")
    answers = {
        2024: {"12.75": {"PRC.1.1": 0, "BMD.1.1": 2000}, "33.75": {"PRC.1.1": 1, "BMD.1.1": 9000}},
        2025: {
            "12.75": {"PRC.1.1": 1, "PRC.1.2": 0, "BMD.1.1": 9000},
            "33.75": {"PRC.1.1": 1, "PRC.1.2": 0, "BMD.1.1": 10000},
            "33.26": {"PRC.1.1": 1},
        },
    }
    snapshots = {}
    for year, by_pemda in answers.items():
        period = make_period(year, 4, state=Period.State.CLOSED)
        subs = {s.code: s for s in SubIndicator.objects.filter(indicator__catalogue__year=year)}
        for code, values in by_pemda.items():
            for sub_code, value in values.items():
                Answer.objects.create(
                    pemda=getattr(
                        world,
                        {"12.75": "binjai", "33.75": "kota_pekalongan", "33.26": "kab_pekalongan"}[
                            code
                        ],
                    ),
                    period=period,
                    sub_indicator=subs[sub_code],
                    value=value,
                    verified_value=value,
                    state="approved",
                )
        snapshots[year] = scores_publish(actor=world.koordinator, year=year)
    return snapshots
