"""A national picture for the demo: 2022 as published figures only (loaded through the history
import), and year-end verified answers of all 546 Pemda for 2023 to 2025, generated reproducibly so the published national averages follow the reported ones
(2023 ≈ 75.1, 2024 ≈ 76 with the 2024 area averages), then published through the same services
as real scores. Never run against production data."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from cegah.accounts.models import User
from cegah.core.tables import read_table
from cegah.mcp.demo import termin_dates
from cegah.mcp.history import read_awards, read_results
from cegah.mcp.models import Answer, Period, ScoreSnapshot, SubIndicator
from cegah.mcp.selectors import current_catalogue
from cegah.mcp.services.history import history_awards_import, history_import
from cegah.mcp.services.scores import scores_publish
from cegah.regions.models import Pemda

WIB = ZoneInfo("Asia/Jakarta")
# Reported area averages (docs/domain/mcp.md#scores): 2024 as published; 2023 set so the nation averages 75.1;
# 2025 a modest rise.
AREA_MEANS = {
    2023: {"PRC": 84, "PBJ": 70, "IZN": 80, "APIP": 70, "ASN": 78, "PAD": 72, "BMD": 68, "DES": 79},
    2024: {"PRC": 88, "ANG": 75, "PBJ": 68, "YAN": 78, "APIP": 72, "ASN": 81, "BMD": 70, "PAD": 74},
    2025: {"PRC": 89, "ANG": 77, "PBJ": 70, "YAN": 79, "APIP": 74, "ASN": 82, "BMD": 72, "PAD": 75},
}
# The Pemda of the news reports behind the project (docs/domain/mcp.md#awards): Binjai rises most in 2024 and certifies the most land among the kota;
# Palembang stays near 90; Kota Pekalongan ranks high in Central Java.
OFFSETS = {"12.75": {2023: -14, 2024: 13, 2025: 12}, "16.71": {}, "33.75": {}}
CONSTANT_OFFSETS = {"16.71": 15, "33.75": 11}
LAND_CODES = ("BMD.05.1", "BMD-5.1")
# Yes/no and choice answers come in steps, which pulls the realised averages a little below the
# targets above; this lifts them back to the reported national averages.
YEAR_BIAS = {2023: 0.5, 2024: 1.2, 2025: 0.0}


def _clamp(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, x))


def _value(rng: random.Random, sub: SubIndicator, target: float) -> Decimal | None:
    noisy = _clamp(target + rng.gauss(0, 0.12))
    if sub.answer_type == "yes_no":
        return Decimal(1 if rng.random() < target else 0)
    if sub.answer_type == "choice":
        values = [float(o["value"]) for o in sub.options]
        return Decimal(min(range(len(values)), key=lambda i: abs(values[i] - noisy)))
    if sub.answer_type == "percentage":
        return Decimal(str(round(noisy * 100, 1)))
    if sub.answer_type == "number" and sub.target:
        return sub.target * Decimal(str(round(_clamp(target + rng.gauss(0, 0.1), 0, 1.2), 3)))
    return None


def _year(year: int, pemdas: list[Pemda]) -> None:
    catalogue = current_catalogue(year=year)
    if catalogue is None or year not in AREA_MEANS:
        return
    if catalogue.opened_at is None:
        # The year was reported on: its catalogue is frozen, as opening a termin would have done.
        catalogue.opened_at = datetime(year, 1, 2, 8, 0, tzinfo=WIB)
        catalogue.save(update_fields=["opened_at"])
    periods = []
    for number in range(1, 5):
        opens, upload, verify = termin_dates(year, number)
        period, _ = Period.objects.get_or_create(
            year=year,
            number=number,
            defaults={
                "opens_at": opens,
                "upload_deadline": upload,
                "verification_deadline": verify,
                "state": Period.State.CLOSED,
            },
        )
        periods.append(period)
    year_end = periods[-1]
    subs = list(
        SubIndicator.objects.filter(indicator__catalogue=catalogue).select_related(
            "indicator__area"
        )
    )
    means = AREA_MEANS[year]
    batch: list[Answer] = []
    for pemda in pemdas:
        rng = random.Random(f"cegah-demo-{year}-{pemda.code}")  # noqa: S311 - demo data
        base = random.Random(f"cegah-demo-{pemda.code}").gauss(0, 8)  # noqa: S311
        offset = base + CONSTANT_OFFSETS.get(pemda.code, 0) + YEAR_BIAS.get(year, 0)
        offset += OFFSETS.get(pemda.code, {}).get(year, 0) + rng.gauss(0, 3)
        area_targets = {
            code: _clamp((mean + offset + rng.gauss(0, 5)) / 100, 0.05, 1.0)
            for code, mean in means.items()
        }
        for sub in subs:
            if not sub.indicator.applies_to(pemda.kind):
                continue
            target = area_targets.get(sub.indicator.area.code, 0.7)
            verified = _value(rng, sub, target)
            if sub.code in LAND_CODES and pemda.code == "12.75" and year == 2024:
                verified = (sub.target or Decimal(0)) * 3  # Binjai's certification drive
            if sub.answer_type == "document":
                verified = Decimal(1 if rng.random() < target else 0)
                value = None
            else:
                # Self-assessments run a little above what verifiers accept.
                value = (
                    _value(rng, sub, min(1.0, target + 0.08)) if rng.random() < 0.2 else verified
                )
            batch.append(
                Answer(
                    pemda=pemda,
                    period=year_end,
                    sub_indicator=sub,
                    value=value,
                    verified_value=verified if verified is not None else Decimal(0),
                    state=Answer.State.APPROVED,
                )
            )
        if len(batch) >= 20000:
            Answer.objects.bulk_create(batch, batch_size=2000)
            batch = []
    Answer.objects.bulk_create(batch, batch_size=2000)


# An earlier year as KPK publishes it (figures only, no answers), loaded through the history
# import like a real file: 2022's national average was about 76.29 (docs/domain/mcp.md#scores).
HISTORY_YEAR = 2022
HISTORY_MEAN = 76.7  # areas clamped to 0-100 pull the realised average to about 76.3
HISTORY_AREAS = (  # 2022 areas by their 2023 names, so their history lines up
    "Perencanaan dan Penganggaran APBD",
    "Pengadaan Barang dan Jasa",
    "Perizinan",
    "Pengawasan APIP",
    "Manajemen ASN",
    "Optimalisasi Pajak Daerah",
    "Manajemen Aset Daerah",
    "Tata Kelola Keuangan Desa",
)
HISTORY_SOURCE = "Data contoh Cegah (dibangkitkan, bukan angka KPK)"


def _comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def history_file(pemdas: list[Pemda]) -> str:
    """The generated year as an Indonesian office would save it: semicolons, decimal commas."""
    lines = [";".join(("tahun", "kode_pemda", "nama_pemda", "nilai", *HISTORY_AREAS))]
    for pemda in pemdas:
        rng = random.Random(f"cegah-demo-{HISTORY_YEAR}-{pemda.code}")  # noqa: S311 - demo data
        base = random.Random(f"cegah-demo-{pemda.code}").gauss(0, 8)  # noqa: S311
        centre = HISTORY_MEAN + base + CONSTANT_OFFSETS.get(pemda.code, 0)
        areas = [max(0.0, min(100.0, centre + rng.gauss(0, 6))) for _ in HISTORY_AREAS]
        total = sum(areas) / len(areas)
        lines.append(
            ";".join(
                (str(HISTORY_YEAR), pemda.code, pemda.name, _comma(total), *map(_comma, areas))
            )
        )
    return "\n".join(lines) + "\n"


def _history_seed(pemdas: list[Pemda], koordinator: User) -> ScoreSnapshot:
    plan = read_results(read_table(history_file(pemdas).encode(), filename="mcp-2022.csv"))
    (snapshot,) = history_import(
        actor=koordinator,
        plan=plan,
        source_name=HISTORY_SOURCE,
        announced_on=date(HISTORY_YEAR + 1, 3, 20),
        announced_event="Contoh: peluncuran MCP 2023",
        via="demo",
    )
    # KPK's top three of each kind, as an announced award list.
    rows = ["tahun;penghargaan;kategori;kode_pemda;peringkat;tanggal;acara"]
    for kind in Pemda.Kind.values:
        top = list(
            snapshot.pemdas.filter(termin=0, pemda__kind=kind)
            .order_by("-verified_score", "pemda__code")
            .values_list("pemda__code", flat=True)[:3]
        )
        rows += [
            f"{HISTORY_YEAR};Tiga terbaik MCP;{kind};{code};{rank};27-03-{HISTORY_YEAR + 1};"
            "Contoh: penyerahan penghargaan MCP"
            for rank, code in enumerate(top, start=1)
        ]
    awards = read_awards(read_table("\n".join(rows).encode(), filename="penghargaan.csv"))
    history_awards_import(actor=koordinator, plan=awards, via="demo")
    return snapshot


@transaction.atomic
def national_scores_seed(
    *, years: tuple[int, ...] = (2023, 2024, 2025), pemda_codes: list[str] | None = None
) -> list[ScoreSnapshot]:
    """Generates and publishes each year once; a year already published is left alone."""
    koordinator = User.objects.get(email="koordinator@cegah.test")
    pemdas = list(Pemda.objects.order_by("code"))
    if pemda_codes is not None:
        pemdas = [p for p in pemdas if p.code in pemda_codes]
    published = []
    if not ScoreSnapshot.objects.filter(year=HISTORY_YEAR).exists():
        published.append(_history_seed(pemdas, koordinator))
    for year in years:
        if ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.PUBLISHED).exists():
            continue
        if not Answer.objects.filter(period__year=year).exists():
            _year(year, pemdas)
        published.append(scores_publish(actor=koordinator, year=year))
    return published
