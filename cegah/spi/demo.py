"""The demo's SPI: generated scores for every Pemda in 2024 and 2025 (never KPK's figures: the
source says so, as every demo page does)."""

from __future__ import annotations

import random
from decimal import Decimal

from cegah.regions.models import Pemda

from .models import Release, Score

SOURCE = "Data contoh (dibuat acak, bukan SPI KPK)"


def spi_demo_seed() -> int:
    if Release.objects.exists():
        return 0
    rng = random.Random(2024)  # noqa: S311 - example figures, not a secret
    pemdas = list(Pemda.objects.order_by("code"))
    made = 0
    for year, centre in ((2024, 71.5), (2025, 72.3)):
        release = Release.objects.create(
            year=year, version=1, source_name=SOURCE, loaded_via="seed_demo"
        )
        Score.objects.bulk_create(
            Score(
                release=release,
                pemda=p,
                value=Decimal(str(round(min(95.0, max(55.0, rng.gauss(centre, 5))), 2))),
            )
            for p in pemdas
        )
        made += len(pemdas)
    return made
