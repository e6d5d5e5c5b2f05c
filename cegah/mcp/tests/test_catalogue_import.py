"""Importing MCP catalogue files: every kind of bad file is refused, saying where and why."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp.catalogue_file import CatalogueInvalid
from cegah.mcp.models import CatalogueVersion, Indicator, SubIndicator
from cegah.mcp.services import catalogue_import

pytestmark = pytest.mark.django_db
VALID = Path(__file__).parent / "catalogues" / "valid.yaml"


def _variant(tmp_path: Path, old: str, new: str, name: str = "katalog.yaml") -> Path:
    text = VALID.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_valid_file_loads_areas_indicators_and_sub_indicators() -> None:
    result = catalogue_import(path=VALID)
    assert result.status == "created"
    version = result.catalogue
    assert (version.year, version.version) == (2025, 1)
    assert [a.code for a in version.areas.all()] == ["PRC", "BMD"]
    bmd = Indicator.objects.get(catalogue=version, code="BMD.1")
    assert (bmd.applies_provinsi, bmd.applies_kabupaten, bmd.applies_kota) == (False, True, True)
    sasaran = Indicator.objects.get(code="PRC.1").sasaran
    assert sasaran is not None and sasaran.code == "PRC.S1"
    choice = SubIndicator.objects.get(code="PRC.1.2")
    assert [o["value"] for o in choice.options] == [1, 0.5, 0]
    assert SubIndicator.objects.get(code="BMD.1.1").target == 10000
    assert SubIndicator.objects.get(code="PRC.1.1").evidence[0]["file_types"] == ["pdf"]
    assert AuditEntry.objects.filter(action="mcp.catalogue.created").count() == 1


def test_reimporting_the_identical_file_changes_nothing() -> None:
    first = catalogue_import(path=VALID).catalogue
    before = AuditEntry.objects.count()
    again = catalogue_import(path=VALID)
    assert again.status == "unchanged" and again.catalogue.pk == first.pk
    assert AuditEntry.objects.count() == before


BAD_FILES = [
    # (kind, replace this, with this, expected line, field, words in the message)
    (
        "bad weight sum",
        "    weight: 40\n",
        "    weight: 45\n",
        5,
        "areas",
        "jumlah bobot area adalah 105",
    ),
    (
        "duplicate code",
        "  - code: BMD\n",
        "  - code: PRC\n",
        9,
        "areas[1].code",
        "kode PRC sudah dipakai di baris 6",
    ),
    (
        "unknown answer type",
        "{type: yes_no}",
        "{type: esai}",
        25,
        "answer.type",
        "jenis jawaban 'esai' tidak dikenal",
    ),
    (
        "missing translation",
        "en: Regional asset management}",
        "en: ''}",
        10,
        "areas[1].name.en",
        "terjemahan 'en' tidak ada",
    ),
    (
        "unknown parent area",
        "    area: BMD\n",
        "    area: XYZ\n",
        40,
        "indicators[1].area",
        "area induk 'XYZ' tidak ada",
    ),
    (
        "unknown parent sasaran",
        "    sasaran: PRC.S1\n",
        "    sasaran: PRC.S9\n",
        19,
        "indicators[0].sasaran",
        "sasaran induk 'PRC.S9' tidak ada",
    ),
    (
        "weight not a number",
        "        weight: 100\n        guidance",
        "        weight: seratus\n        guidance",
        48,
        "weight",
        "bobot harus angka",
    ),
    (
        "unknown file type",
        "file_types: [pdf]",
        "file_types: [exe]",
        29,
        "file_types",
        "jenis berkas tidak dikenal: exe",
    ),
    (
        "number without target",
        "{type: number, target: 10000}",
        "{type: number}",
        47,
        "answer.target",
        "membutuhkan target",
    ),
    (
        "unknown Pemda kind",
        "[kabupaten, kota]",
        "[kabupaten, desa]",
        43,
        "applies_to",
        "berlaku untuk harus daftar dari",
    ),
    ("malformed YAML", "title: {id:", "title: {id: [", 4, "-", "YAML tidak valid"),
    ("year out of range", "year: 2025", "year: 1925", 2, "year", "tahun harus bilangan"),
    (
        "choice value above 1",
        "value: 0.5}",
        "value: 5}",
        36,
        "options[1].value",
        "nilai pilihan harus angka 0 sampai 1",
    ),
    (
        "sasaran in an unknown area",
        "    area: PRC\n    name: {id: Perencanaan yang",
        "    area: XYZ\n    name: {id: Perencanaan yang",
        14,
        "sasaran[0].area",
        "area induk 'XYZ' tidak ada",
    ),
    (
        "indicator in an unknown area",
        "  - code: BMD.1\n    area: BMD",
        "  - code: BMD.1\n    area: XYZ",
        40,
        "indicators[1].area",
        "area induk 'XYZ' tidak ada",
    ),
    (
        "correction without reason",
        "version: 1",
        "version: 2",
        3,
        "reason",
        "wajib menyebut alasannya",
    ),
]


@pytest.mark.parametrize(
    ("kind", "old", "new", "line", "field", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_each_kind_of_bad_file_is_refused_and_nothing_is_written(
    tmp_path, kind, old, new, line, field, words
) -> None:
    path = _variant(tmp_path, old, new)
    with pytest.raises(CatalogueInvalid) as caught:
        catalogue_import(path=path)
    problems = caught.value.problems
    match = [p for p in problems if words in p.message]
    assert match, [str(p) for p in problems]
    assert match[0].file == "katalog.yaml"
    assert field in match[0].field
    if line:
        assert match[0].line == line, str(match[0])
    assert CatalogueVersion.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="mcp.").exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path) -> None:
    path = tmp_path / "biner.yaml"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(CatalogueInvalid, match="bukan teks UTF-8"):
        catalogue_import(path=path)


def test_the_command_names_file_line_and_field_and_loads_nothing(tmp_path) -> None:
    path = _variant(tmp_path, "    weight: 40\n", "    weight: 45\n")
    with pytest.raises(CommandError) as caught:
        call_command("mcp_catalogue", "import", str(path))
    assert "katalog.yaml:5: areas: jumlah bobot area adalah 105, harus 100." in str(caught.value)
    assert CatalogueVersion.objects.count() == 0


def test_a_draft_may_be_replaced_before_reporting_opens(tmp_path) -> None:
    catalogue_import(path=VALID)
    changed = _variant(tmp_path, "Musrenbang terdokumentasi", "Musrenbang tercatat")
    assert catalogue_import(path=changed).status == "replaced"
    assert Indicator.objects.get(code="PRC.1").name_id == "Musrenbang tercatat"
    assert CatalogueVersion.objects.count() == 1


def test_an_opened_catalogue_is_immutable_and_a_correction_is_a_new_version(tmp_path) -> None:
    opened = catalogue_import(path=VALID).catalogue
    CatalogueVersion.objects.filter(pk=opened.pk).update(opened_at=timezone.now())
    changed = _variant(tmp_path, "Musrenbang terdokumentasi", "Musrenbang tercatat")
    with pytest.raises(DomainError, match="sudah dibuka untuk pelaporan"):
        catalogue_import(path=changed)
    assert (
        Indicator.objects.get(catalogue=opened, code="PRC.1").name_id == "Musrenbang terdokumentasi"
    )
    correction = tmp_path / "koreksi.yaml"
    correction.write_text(
        changed.read_text().replace("version: 1", "version: 2\nreason: Nama indikator diperbaiki"),
        encoding="utf-8",
    )
    result = catalogue_import(path=correction)
    assert (result.status, result.catalogue.version) == ("created", 2)
    assert result.catalogue.reason == "Nama indikator diperbaiki"
    assert CatalogueVersion.objects.count() == 2


def test_a_correction_cannot_skip_a_version(tmp_path) -> None:
    path = _variant(tmp_path, "version: 1", "version: 3\nreason: Lompat")
    with pytest.raises(DomainError, match="sebelum versi 2"):
        catalogue_import(path=path)


def test_problems_are_reported_in_english_when_english_is_active(tmp_path) -> None:
    path = _variant(tmp_path, "    weight: 40\n", "    weight: 45\n")
    with translation.override("en"), pytest.raises(CatalogueInvalid) as caught:
        catalogue_import(path=path)
    assert str(caught.value.problems[0]) == (
        "katalog.yaml:5: areas: the weights of the areas add up to 105; they must add up to 100."
    )
