import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.regions.models import Opd, Pemda, Province, TimeZone
from cegah.regions.services import DEFAULT_SOURCE, regions_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions")]


def test_exactly_546_pemda_by_kind() -> None:
    assert Province.objects.count() == 38
    assert Pemda.objects.filter(kind=Pemda.Kind.PROVINSI).count() == 38
    assert Pemda.objects.filter(kind=Pemda.Kind.KABUPATEN).count() == 415
    assert Pemda.objects.filter(kind=Pemda.Kind.KOTA).count() == 93
    assert Pemda.objects.count() == 546


@pytest.mark.parametrize(
    ("province", "kabupaten", "kota"),
    [("Jawa Tengah", 29, 6), ("Sumatera Selatan", 13, 4), ("Sumatera Utara", 25, 8)],
)
def test_counts_per_province(province, kabupaten, kota) -> None:
    pemdas = Pemda.objects.filter(province__name=province)
    assert pemdas.filter(kind=Pemda.Kind.KABUPATEN).count() == kabupaten
    assert pemdas.filter(kind=Pemda.Kind.KOTA).count() == kota
    assert pemdas.filter(kind=Pemda.Kind.PROVINSI).count() == 1


def test_jakarta_administrative_units_are_not_pemda() -> None:
    assert not Pemda.objects.filter(
        code__in=["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    ).exists()
    dki = Pemda.objects.get(code="31")
    assert dki.kind == Pemda.Kind.PROVINSI
    assert list(Pemda.objects.filter(province=dki.province).values_list("code", flat=True)) == [
        "31"
    ]


def test_seed_report_pemda_have_codes_names_and_time_zones() -> None:
    assert Pemda.objects.get(code="12.75").name == "Kota Binjai"
    assert Pemda.objects.get(code="33.26").name == "Kabupaten Pekalongan"
    assert Pemda.objects.get(code="33.75").name == "Kota Pekalongan"
    assert Pemda.objects.get(code="16.71").name == "Kota Palembang"
    assert Pemda.objects.get(code="33").name == "Provinsi Jawa Tengah"
    assert Pemda.objects.get(code="12.75").time_zone == TimeZone.WIB
    assert Pemda.objects.get(code="73.71").time_zone == TimeZone.WITA  # Kota Makassar
    assert Pemda.objects.get(code="91.71").time_zone == TimeZone.WIT  # Kota Jayapura
    assert str(Pemda.objects.get(code="51").zoneinfo) == "Asia/Makassar"  # Bali


def test_loading_again_changes_nothing() -> None:
    before = AuditEntry.objects.count()
    result = regions_load()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 546)
    assert AuditEntry.objects.count() == before
    call_command("load_regions", verbosity=0)
    assert Pemda.objects.count() == 546


def test_a_renamed_source_row_is_updated_in_place(tmp_path: Path) -> None:
    source = tmp_path / "regions"
    shutil.copytree(DEFAULT_SOURCE, source)
    csv_path = source / "idn-area-data" / "regencies.csv"
    csv_path.write_text(csv_path.read_text().replace("Kota Binjai", "Kota Binjai Baru"))
    binjai_pk = Pemda.objects.get(code="12.75").pk
    result = regions_load(source=source)
    assert (result.created, result.updated) == (0, 1)
    assert Pemda.objects.get(pk=binjai_pk).name == "Kota Binjai Baru"


BROKEN_SOURCES = [
    (
        "unknown province",
        lambda rows: rows + "99.01,99,Kabupaten Tak Dikenal\n",
        "Kode provinsi tidak dikenal",
    ),
    (
        "no Kabupaten/Kota prefix",
        lambda rows: rows.replace("Kota Binjai", "Binjai"),
        "tanpa awalan",
    ),
    (
        "one Pemda too many",
        lambda rows: rows + "12.99,12,Kabupaten Tambahan\n",
        "Jumlah Pemda tidak sesuai",
    ),
]


@pytest.mark.parametrize(
    ("change", "words"), [b[1:] for b in BROKEN_SOURCES], ids=[b[0] for b in BROKEN_SOURCES]
)
def test_a_broken_source_is_refused_and_writes_nothing(tmp_path: Path, change, words) -> None:
    source = tmp_path / "regions"
    shutil.copytree(DEFAULT_SOURCE, source)
    csv_path = source / "idn-area-data" / "regencies.csv"
    csv_path.write_text(change(csv_path.read_text()))
    before = list(Pemda.objects.order_by("code").values_list("code", "name", "kind"))
    with pytest.raises(DomainError, match=words):
        regions_load(source=source)
    assert list(Pemda.objects.order_by("code").values_list("code", "name", "kind")) == before


def test_opd_names_are_unique_within_a_pemda_ignoring_case(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Opd.objects.create(pemda=world.binjai, name=world.bpkad_binjai.name.upper())
    # The same name is fine in another Pemda.
    Opd.objects.create(pemda=world.kota_pekalongan, name=world.bpkad_binjai.name)
