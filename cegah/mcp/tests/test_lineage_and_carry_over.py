"""Cross-year mapping, the shipped catalogues, and corrections that carry answers over."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from cegah.mcp.catalogue_file import CatalogueInvalid, parse_catalogue
from cegah.mcp.models import (
    Answer,
    CatalogueVersion,
    Indicator,
    IndicatorAssignment,
    IndicatorLineage,
    SubIndicator,
)
from cegah.mcp.selectors import catalogue_changes
from cegah.mcp.services import catalogue_import

from .conftest import CATALOGUES, REAL_CATALOGUES, make_period

pytestmark = pytest.mark.django_db


def _variant(tmp_path: Path, old: str, new: str, source: Path = CATALOGUES / "valid.yaml") -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "katalog.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_catalogues_have_eight_areas_and_2025_has_111_indicators(
    real_catalogues,
) -> None:
    old, new = real_catalogues
    assert new.areas.count() == old.areas.count() == 8
    assert Indicator.objects.filter(catalogue=new).count() == 111
    assert new.areas.filter(sasaran__isnull=False).distinct().count() == 8
    assert sum(a.sasaran.count() for a in new.areas.all()) == 16
    assert [a.name_id for a in new.areas.all()] == [
        "Perencanaan",
        "Penganggaran",
        "Pengadaan Barang dan Jasa",
        "Pelayanan Publik",
        "Pengawasan APIP",
        "Manajemen ASN",
        "Pengelolaan Barang Milik Daerah",
        "Optimalisasi Pajak dan Pendapatan Daerah",
    ]
    for area in new.areas.all():
        assert sum(i.weight for i in area.indicators.all()) == Decimal(100)
    land = SubIndicator.objects.get(indicator__catalogue=new, code="BMD.05.1")
    assert land.answer_type == "number" and land.target == 500000


PUBLISHED_COUNTS = {  # year: (areas, sasaran, indicators, sub-indicators); docs/domain/mcp.md
    2023: (8, 0, 30, 63),
    2024: (8, 0, 26, 62),
    2025: (8, 16, 111, 122),
}


@pytest.mark.parametrize("year", sorted(PUBLISHED_COUNTS))
def test_the_shipped_catalogues_follow_the_published_counts(year) -> None:
    path = REAL_CATALOGUES / f"mcp-{year}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    indicators = document["indicators"]
    assert (
        len(document["areas"]),
        len(document.get("sasaran", [])),
        len(indicators),
        sum(len(i["sub_indicators"]) for i in indicators),
    ) == PUBLISHED_COUNTS[year]
    assert document["illustrative"]["id"] and document["illustrative"]["en"]
    catalogue = parse_catalogue(path)  # valid as it stands
    assert len(catalogue.indicators) == PUBLISHED_COUNTS[year][2]


def test_every_2025_indicator_is_under_one_of_the_three_aspects() -> None:
    document = yaml.safe_load((REAL_CATALOGUES / "mcp-2025.yaml").read_text(encoding="utf-8"))
    aspects = [a["code"] for a in document["aspects"]]
    assert aspects == ["transparansi", "regulasi", "akuntabilitas"]
    used = [i.get("aspect") for i in document["indicators"]]
    assert set(used) == set(aspects)  # each used, and no indicator without one


def test_the_2025_changes_follow_the_stated_mapping(real_catalogues) -> None:
    changes = catalogue_changes(year=2025)
    assert changes is not None
    # 2024 has 26 indicators: 2025's 111 less the 21 that continue one, 2 splits and 1 merge.
    assert len(changes.added) == 87
    assert {"PRC.11", "YAN.13", "ASN.13", "PAD.13"} <= {c.indicator.code for c in changes.added}
    assert {i.code for i in changes.removed} == {"ANG.15", "BMD.15"}
    assert {c.indicator.code for c in changes.split} == {"PBJ.08", "PBJ.11"}
    assert all([p.code for p in c.previous] == ["PBJ.08"] for c in changes.split)
    (merged,) = changes.merged
    assert merged.indicator.code == "YAN.09"
    assert sorted(p.code for p in merged.previous) == ["APIP.16", "YAN.09"]
    (moved,) = changes.moved
    assert (moved.previous[0].code, moved.indicator.code) == ("APIP.15", "YAN.12")
    assert moved.previous[0].area.code == "APIP" and moved.indicator.area.code == "YAN"
    # PRC had 3 indicators in 2024 and 12 in 2025, so the weight of each of the 3 changed.
    prc = [c for c in changes.reweighted if c.indicator.area.code == "PRC"]
    assert [c.indicator.code for c in prc] == ["PRC.01", "PRC.04", "PRC.05"]


def test_a_same_code_indicator_continues_without_saying_so(catalogues) -> None:
    _old, new = catalogues
    links = IndicatorLineage.objects.filter(indicator__catalogue=new)
    assert {(x.indicator.code, x.kind, x.previous_code) for x in links} == {
        ("PRC.1", "continues", "PRC.1"),
        ("BMD.1", "continues", "BMD.1"),
    }
    changes = catalogue_changes(year=2025)
    assert changes is not None
    assert [i.code for i in changes.removed] == ["PRC.9"]
    assert [c.indicator.code for c in changes.added] == ["BMD.2"]


BAD_MAPPINGS = [
    (
        "unknown previous code",
        "    applies_to: [provinsi]\n",
        "    applies_to: [provinsi]\n    previous: {kind: continues, codes: [BMD.7]}\n",
        "kode BMD.7 tidak ada di katalog 2024",
    ),
    (
        "split into one indicator only",
        "    applies_to: [provinsi]\n",
        "    applies_to: [provinsi]\n    previous: {kind: split, codes: [PRC.9]}\n",
        "pemecahan butuh dua indikator atau lebih",
    ),
    (
        "merge of one indicator",
        "    applies_to: [provinsi]\n",
        "    applies_to: [provinsi]\n    previous: {kind: merge, codes: [PRC.9]}\n",
        "'merge' menyebut dua kode",
    ),
    (
        "unknown kind of mapping",
        "    applies_to: [provinsi]\n",
        "    applies_to: [provinsi]\n    previous: {kind: renamed, codes: [PRC.9]}\n",
        "jenis hubungan 'renamed' tidak dikenal",
    ),
    (
        "two indicators continue the same one",
        "    applies_to: [provinsi]\n",
        "    applies_to: [provinsi]\n    previous: {kind: continues, codes: [BMD.1]}\n",
        "BMD.1 sudah dilanjutkan oleh BMD.1",
    ),
]


@pytest.mark.parametrize(
    ("kind", "old", "new", "words"), BAD_MAPPINGS, ids=[b[0] for b in BAD_MAPPINGS]
)
def test_a_bad_mapping_is_refused_and_nothing_is_written(tmp_path, kind, old, new, words) -> None:
    catalogue_import(path=CATALOGUES / "small-2024.yaml")
    with pytest.raises(CatalogueInvalid) as caught:
        catalogue_import(path=_variant(tmp_path, old, new))
    assert any(words in p.message for p in caught.value.problems), caught.value.problems
    assert any(p.line > 0 and p.file == "katalog.yaml" for p in caught.value.problems)
    assert not CatalogueVersion.objects.filter(year=2025).exists()


def test_a_mapping_before_the_previous_year_is_loaded_is_refused(tmp_path) -> None:
    path = _variant(
        tmp_path,
        "    applies_to: [provinsi]\n",
        "    applies_to: [provinsi]\n    previous: {kind: continues, codes: [PRC.9]}\n",
    )
    with pytest.raises(CatalogueInvalid, match="katalog tahun 2024 belum dimuat"):
        catalogue_import(path=path)
    assert CatalogueVersion.objects.count() == 0


def _correction(tmp_path: Path, replacements: list[tuple[str, str]]) -> Path:
    text = (CATALOGUES / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1", "version: 2\nreason: Pertanyaan PRC.1.2 diperjelas", 1)
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "koreksi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_correction_carries_answers_over_where_codes_did_not_change(tmp_path, world) -> None:
    v1 = catalogue_import(path=CATALOGUES / "valid.yaml").catalogue
    period = make_period()
    v1.opened_at = timezone.now()
    v1.save()
    sub = {s.code: s for s in SubIndicator.objects.filter(indicator__catalogue=v1)}
    kept = Answer.objects.create(
        pemda=world.binjai, period=period, sub_indicator=sub["PRC.1.1"], value=1
    )
    retyped = Answer.objects.create(
        pemda=world.binjai, period=period, sub_indicator=sub["BMD.1.1"], value=8000
    )
    assignment = IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=sub["PRC.1.1"].indicator,
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    # v2 asks BMD.1.1 as a percentage instead of a number: that answer cannot be read the same.
    path = _correction(tmp_path, [("{type: number, target: 10000}", "{type: percentage}")])
    result = catalogue_import(path=path)

    v2 = result.catalogue
    assert (result.carried_answers, result.answers_left_behind) == (1, 1)
    assert v2.opened_at is not None  # reporting goes on, on the corrected version
    kept.refresh_from_db()
    retyped.refresh_from_db()
    assert kept.sub_indicator.indicator.catalogue == v2 and kept.value == 1
    assert retyped.sub_indicator.indicator.catalogue == v1  # kept, not lost, with its version
    assignment.refresh_from_db()
    assert assignment.indicator.catalogue == v2
    assert CatalogueVersion.objects.get(pk=v1.pk).opened_at is not None


def test_replacing_a_draft_keeps_the_opd_assignments(tmp_path, world) -> None:
    v1 = catalogue_import(path=CATALOGUES / "valid.yaml").catalogue
    IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=v1.indicators.get(code="PRC.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    result = catalogue_import(
        path=_variant(tmp_path, "Musrenbang terdokumentasi", "Musrenbang tercatat")
    )
    assert result.status == "replaced" and result.carried_assignments == 1
    (assignment,) = IndicatorAssignment.objects.all()
    assert assignment.indicator.name_id == "Musrenbang tercatat"
