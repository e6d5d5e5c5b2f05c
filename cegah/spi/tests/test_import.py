"""SPI as KPK publishes it: the file habits of Indonesian offices, every bad row named by line
and column with nothing loaded, a re-import kept as a new version, and the categories at their
boundaries."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from cegah.core.errors import DomainError
from cegah.core.tables import read_table
from cegah.spi import selectors, services
from cegah.spi.models import Release, Score
from cegah.spi.results import Plan, read_scores
from cegah.spi.services import Source
from cegah.testing.clients import sign_in
from cegah.testing.world import World

pytestmark = pytest.mark.django_db

REFERENCE = sorted((Path(settings.BASE_DIR) / "data" / "spi").glob("spi-*.yaml"))


@pytest.fixture(autouse=True)
def reference(regions: None) -> None:
    for path in REFERENCE:
        services.reference_import(path=path)


def plan_of(text: str, name: str = "spi.csv") -> Plan:
    return read_scores(read_table(text.encode("utf-8-sig"), filename=name))


def test_semicolons_decimal_commas_and_a_bom(world: World) -> None:
    plan = plan_of(
        "tahun;kode_pemda;nama_pemda;nilai;transparansi;responden_internal\n"
        "2025;12.75;Kota Binjai;74,35;70,5;120\n"
        "2025;16.71;Kota Palembang;79,1;;98\n"
    )
    assert plan.problems == []
    (year,) = plan.years
    assert [(r.pemda.code, r.value) for r in year.rows] == [
        ("12.75", Decimal("74.35")),
        ("16.71", Decimal("79.1")),
    ]
    assert year.rows[0].elements == {"transparansi": Decimal("70.5")}
    assert year.rows[0].respondents == {"respondents_internal": 120}
    loaded = services.scores_import(actor=world.koordinator, plan=plan, source=Source("jaga.id"))
    assert [(r.year, r.version) for r in loaded] == [(2025, 1)]
    assert Score.objects.get(pemda__code="16.71").value == Decimal("79.10")


def test_excel_as_offices_save_it(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tahun", "Kode Pemda", "Nilai"])
    sheet.append([2024, 33.1, 71.53])  # 33.10 taken for a number by the spreadsheet
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_scores(read_table(buffer.getvalue(), filename="spi.xlsx"))
    assert plan.problems == []
    assert plan.years[0].rows[0].pemda.code == "33.10"


def test_every_bad_row_is_named_and_nothing_loads(world: World) -> None:
    plan = plan_of(
        "tahun,kode_pemda,nilai,transparansi,responden_ahli,warna\n"
        "2025,12.75,74.35,,,\n"
        "2016,12.75,70,,,\n"  # before the first SPI
        "2025,99.99,70,,,\n"  # no such Pemda
        "2025,33.75,101,,,\n"  # above 100
        "2025,33.26,abc,,,\n"  # no number
        "2025,12.75,75,,,\n"  # twice in a year
        "2025,12,72.123,,,\n"  # three decimals
        "2025,33,70,-3,,\n"  # an element below 0
        "2025,33.74,70,,sepuluh,\n"  # respondents not a count
    )
    said = [str(p) for p in plan.problems]
    assert said[0].startswith("Baris 1, kolom F (warna): kolom tidak dikenal")
    for expected in (
        "Baris 3, kolom A (tahun): “2016” bukan tahun antara 2017",
        "Baris 4, kolom B (kode_pemda): kode Pemda “99.99” tidak dikenal",
        "Baris 5, kolom C (nilai): 101 di luar rentang 0 sampai 100.",
        "Baris 6, kolom C (nilai): “abc” bukan angka",
        "Baris 7, kolom B (kode_pemda): Kota Binjai sudah ada untuk 2025 di baris 2.",
        "Baris 8, kolom C (nilai): 72.123: paling banyak dua desimal.",
        "Baris 9, kolom D (transparansi): -3 di luar rentang 0 sampai 100.",
        "Baris 10, kolom E (responden_ahli): “sepuluh” bukan jumlah responden.",
    ):
        assert any(s.startswith(expected) for s in said), (expected, said)
    with pytest.raises(DomainError):
        services.scores_import(actor=world.koordinator, plan=plan, source=Source("jaga.id"))
    assert not Release.objects.exists()
    missing = plan_of("tahun,nilai\n2025,70\n")
    assert "kolom “kode_pemda” tidak ada" in str(missing.problems[0])


def test_a_reimport_is_a_new_version_with_a_reason(world: World) -> None:
    first = plan_of("tahun,kode_pemda,nilai\n2025,12.75,74.35\n2025,16.71,79.10\n")
    services.scores_import(actor=world.koordinator, plan=first, source=Source("jaga.id"))
    again = plan_of("tahun,kode_pemda,nilai\n2025,12.75,74.53\n2025,16.71,79.10\n")
    assert "versi 2 menggantikan versi 1 (1 nilai berubah)" in again.lines()[0]
    with pytest.raises(DomainError, match="alasan"):
        services.scores_import(actor=world.koordinator, plan=again, source=Source("jaga.id"))
    services.scores_import(
        actor=world.koordinator,
        plan=again,
        source=Source("jaga.id", reason="Ralat KPK: nilai Binjai tertukar digitnya."),
    )
    assert list(Release.objects.order_by("version").values_list("version", "is_current")) == [
        (1, False),
        (2, True),
    ]
    assert selectors.scores_of_year(2025).get(pemda__code="12.75").value == Decimal("74.53")
    assert Score.objects.filter(release__version=1, pemda__code="12.75").get().value == Decimal(
        "74.35"
    )


@pytest.mark.parametrize(
    ("year", "value", "category"),
    [
        (2024, "0", "rentan"),
        (2024, "72.9", "rentan"),
        (2024, "72.99", "rentan"),
        (2024, "73", "waspada"),
        (2025, "77.9", "waspada"),
        (2025, "78", "terjaga"),
        (2025, "100", "terjaga"),
        (2023, "60", None),  # no categories in the data before 2024
    ],
)
def test_categories_at_their_boundaries(year: int, value: str, category: str | None) -> None:
    found = selectors.category(year, Decimal(value))
    assert (found.code if found else None) == category


def test_the_command_checks_then_loads(world: World, tmp_path: Path) -> None:
    file = tmp_path / "spi-2025.csv"
    file.write_text("tahun;kode_pemda;nilai\n2025;12.75;74,35\n", encoding="utf-8-sig")
    out = io.StringIO()
    call_command("spi", "import", str(file), "--dry-run", stdout=out)
    assert "2025: 1 Pemda" in out.getvalue() and not Release.objects.exists()
    call_command(
        "spi", "import", str(file), "--sumber", "jaga.id", "--terbit", "20-11-2025", stdout=out
    )
    assert Release.objects.get().published_on.isoformat() == "2025-11-20"  # type: ignore[union-attr]


def test_the_koordinators_page(world: World) -> None:
    url = reverse("spi:import")
    for outsider in (world.admin_binjai, world.verifier_sumut, world.inspektorat_binjai):
        assert sign_in(Client(), outsider).get(url).status_code == 404
    client = sign_in(Client(), world.koordinator)
    checked = client.post(
        url,
        {
            "file": SimpleUploadedFile("spi.csv", b"tahun;kode_pemda;nilai\n2025;12.75;74,35\n"),
            "source_name": "jaga.id",
        },
    )
    assert checked.status_code == 200
    assert "2025: 1 Pemda" in checked.content.decode()
    assert not Release.objects.exists()
    held = checked.context["form"].data["checked"]
    loaded = client.post(url, {"checked": held, "source_name": "jaga.id", "load": "1"})
    assert loaded.status_code == 302
    assert Release.objects.get().loaded_by == world.koordinator
