"""The LKE as data and its scoring (issue 26, items 2 and 6): a hand-computed LKE is scored
exactly, each threshold failing alone blocks its predicate and is named, the file is validated
whole with file, line and field, and `zi_score` agrees with the scoring for the same answers."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cegah.core.errors import DomainError
from cegah.zi.lke_file import LkeInvalid, parse_lke
from cegah.zi.models import LkeVersion
from cegah.zi.scoring import AreaScore, Breakdown, score, verdicts
from cegah.zi.services import lke_import

TEST_LKE = Path(__file__).parent / "lke-test.yaml"

# Every area has one Pemenuhan and one Reform sub-component, each worth half the area's weight.
ANSWERS = {
    # MP Pemenuhan (weight 4): Ya = 1, B of A/B/C = 0.5, B of A-D = 0.67.
    "MP.P1.a": "Ya",
    "MP.P1.b": "B",
    "MP.P1.c": "b",
    # MP Reform (weight 4): 80 % = 0.8.
    "MP.R1.a": "80%",
    # PW Reform (weight 7.5): 2 breaches, within "max 2" = 0.5.
    "PW.R1.a": "2",
    # Hasil: IPAK 3,60 of 4; capaian kinerja 90 %; IPKP 3,20 of 4.
    "IPAK": "3,60",
    "CAPAIAN": "90",
    "IPKP": "3.20",
}
for code in ("TT", "SDM", "AK", "PP"):
    ANSWERS |= {f"{code}.P1.a": "Ya", f"{code}.R1.a": "Ya"}
ANSWERS["PW.P1.a"] = "Ya"


def _structure() -> dict[str, Any]:
    return parse_lke(TEST_LKE).structure()


def test_a_hand_computed_lke_is_scored_exactly() -> None:
    result = score(_structure(), ANSWERS)
    # MP Pemenuhan: 4 x (1 + 0.5 + 0.67) / 3 = 4 x 0.72333… = 2.89333… → shown 2.89.
    assert result.subcomponents["MP.P1"] == Decimal("2.89")
    # MP Reform: 4 x 0.8 = 3.20. The area: 6.09333… → 6.09, 76.17 % of its weight 8.
    mp = next(a for a in result.areas if a.code == "MP")
    assert (mp.total, mp.share) == (Decimal("6.09"), Decimal("76.17"))
    # PW: Pemenuhan 7.5 x 1 + Reform 7.5 x 0.5 = 11.25, 75 % of 15.
    pw = next(a for a in result.areas if a.code == "PW")
    assert (pw.total, pw.share) == (Decimal("11.25"), Decimal("75.00"))
    # Pengungkit: 6.09333… + TT 7 + SDM 10 + AK 10 + PW 11.25 + PP 10 = 54.34333… → 54.34.
    assert result.pengungkit == Decimal("54.34")
    # IPAK 3.60 / 4 x 17.5 = 15.75; capaian 90 % x 5 = 4.50; bersih 20.25; IPKP 3.20 / 4 x 17.5.
    assert result.hasil == {
        "IPAK": Decimal("15.75"),
        "CAPAIAN": Decimal("4.50"),
        "IPKP": Decimal("14.00"),
    }
    assert (result.bersih, result.pelayanan) == (Decimal("20.25"), Decimal("14.00"))
    # Total: 54.34333… + 20.25 + 14 = 88.59333… → 88.59 (rounded once, at the end).
    assert result.total == Decimal("88.59")
    assert result.unanswered == []
    wbk, wbbm = result.verdicts
    assert wbk.met and wbk.blockers == []
    # WBBM: IPKP 14.00 is under 15.75, and the unit does not hold WBK yet.
    assert not wbbm.met
    assert wbbm.blockers == [
        "Indeks Persepsi Kualitas Pelayanan 14,00, di bawah 15,75",
        "belum berpredikat WBK",
    ]
    assert score(_structure(), ANSWERS, held={"WBK"}).verdicts[1].blockers == [
        "Indeks Persepsi Kualitas Pelayanan 14,00, di bawah 15,75"
    ]


def test_rounding_happens_once_at_the_end() -> None:
    """Three sub-components of 2.89333… each would add to 8.67 rounded one by one; the total is
    taken from the exact figures."""
    result = score(_structure(), ANSWERS)
    exact = (
        Decimal(4) * (Decimal(1) + Decimal("0.5") + Decimal("0.67")) / 3
        + Decimal("3.2")
        + 7
        + 10
        + 10
        + Decimal("11.25")
        + 10
        + Decimal("20.25")
        + 14
    )
    assert result.total == exact.quantize(Decimal("0.01"))


# A breakdown that meets every WBBM threshold, then one figure lowered at a time.
PASSING = {
    "total": "90",
    "pengungkit": "50",
    "bersih": "20",
    "ipak": "16",
    "capaian": "4",
    "ipkp": "16",
}


def _breakdown(**lowered: str) -> Breakdown:
    figures = {k: Decimal(v) for k, v in (PASSING | lowered).items() if k != "area"}
    base = score(_structure(), ANSWERS)
    areas = [
        AreaScore(a.code, a.weight, a.weight * Decimal("0.4"), a.weight * Decimal("0.4"))
        for a in base.areas
    ]
    if "area" in lowered:
        areas[4] = AreaScore("PW", Decimal(15), Decimal("4"), Decimal("4"))  # 53.33 %
    return replace(
        base,
        total=figures["total"],
        pengungkit=figures["pengungkit"],
        bersih=figures["bersih"],
        hasil={"IPAK": figures["ipak"], "CAPAIAN": figures["capaian"], "IPKP": figures["ipkp"]},
        areas=areas,
    )


@pytest.mark.parametrize(
    ("lowered", "named"),
    [
        ({"total": "74.99"}, "Nilai total 74,99, di bawah 75,00"),
        ({"pengungkit": "39.99"}, "Pengungkit 39,99, di bawah 40,00"),
        ({"area": "yes"}, "Area Penguatan Pengawasan 53,33% dari bobotnya, di bawah 60%"),
        ({"bersih": "18.24"}, "Birokrasi bersih dan akuntabel 18,24, di bawah 18,25"),
        ({"ipak": "15.74"}, "Indeks Persepsi Anti Korupsi 15,74, di bawah 15,75"),
        ({"capaian": "2.49"}, "Capaian kinerja 2,49, di bawah 2,50"),
        ({"ipkp": "13.99"}, "Indeks Persepsi Kualitas Pelayanan 13,99, di bawah 14,00"),
    ],
)
def test_each_wbk_threshold_failing_alone_blocks_wbk_and_is_named(lowered, named) -> None:
    structure = _structure()
    assert verdicts(structure, _breakdown(), held={"WBK"})[0].met
    wbk = verdicts(structure, _breakdown(**lowered), held={"WBK"})[0]
    assert not wbk.met
    assert wbk.blockers == [named]


def test_answers_outside_their_type_are_refused() -> None:
    from cegah.zi.scoring import AnswerInvalid

    for code, text in (("MP.P1.a", "Mungkin"), ("MP.P1.b", "D"), ("MP.R1.a", "120"), ("IPAK", "5")):
        with pytest.raises(AnswerInvalid):
            score(_structure(), ANSWERS | {code: text})


def test_a_bad_lke_file_names_every_problem_with_its_line(tmp_path: Path) -> None:
    text = TEST_LKE.read_text(encoding="utf-8")
    text = text.replace(
        '{code: TT, name: {id: "Penataan Tatalaksana", en: "TT"}, weight: 7}',
        '{code: TT, name: {id: "Penataan Tatalaksana", en: "TT"}, weight: 9}',
    )
    text = text.replace("answer: {type: abc}", "answer: {type: abx}")
    bad = tmp_path / "lke-1.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LkeInvalid) as refused:
        parse_lke(bad)
    said = [str(p) for p in refused.value.problems]
    assert any("areas: jumlah bobot area adalah 62, harus 60." in p for p in said)
    assert any("area TT pemenuhan" in p and "adalah 3.5, harus 4.5" in p for p in said)
    assert any(".answer.type: jenis jawaban 'abx' tidak dikenal" in p for p in said)
    assert all(p.startswith("lke-1.yaml:") for p in said)


@pytest.mark.django_db
def test_a_version_in_use_is_frozen(tmp_path: Path) -> None:
    first = lke_import(path=TEST_LKE)
    assert first.status == "created" and lke_import(path=TEST_LKE).status == "unchanged"
    LkeVersion.objects.update(frozen_at="2026-01-01T00:00:00Z")
    changed = tmp_path / "lke-test.yaml"
    changed.write_text(TEST_LKE.read_text(encoding="utf-8").replace("LKE uji", "LKE uji 2"))
    with pytest.raises(DomainError) as refused:
        lke_import(path=changed)
    assert refused.value.code == "frozen"


@pytest.mark.django_db
def test_zi_score_agrees_with_the_scoring_and_reports_bad_lines(tmp_path: Path) -> None:
    call_command("zi_lke", "import", str(TEST_LKE), stdout=io.StringIO())
    good = tmp_path / "lke.csv"
    good.write_text(
        "kode;jawaban\n" + "".join(f"{c};{v}\n" for c, v in ANSWERS.items()), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("zi_score", "--lke", "1", str(good), stdout=out)
    printed = json.loads(out.getvalue())
    expected = score(_structure(), ANSWERS).as_dict()
    assert printed["total"] == "88.59" == expected["total"]
    assert printed["verdicts"] == expected["verdicts"]
    assert printed["areas"]["MP"] == {
        "pemenuhan": "2.89",
        "reform": "3.20",
        "total": "6.09",
        "percent_of_weight": "76.17",
    }
    bad = tmp_path / "salah.csv"
    rows = dict(ANSWERS) | {"MP.P1.b": "Z"}
    rows.pop("IPKP")
    bad.write_text(
        "kode,jawaban\n" + "".join(f"{c},{v}\n" for c, v in rows.items()) + "XX.1,Ya\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was scored"):
        call_command("zi_score", "--lke", "1", str(bad), stdout=io.StringIO(), stderr=err)
    said = err.getvalue()
    assert "Baris 3, kolom B (jawaban): “Z”: jawab salah satu dari A, B, C." in said
    assert "kolom A (kode): kode “XX.1” tidak ada di LKE ini." in said
    assert "tidak ada jawaban untuk: IPKP." in said


def test_the_shipped_lke_follows_the_published_figures() -> None:
    lke = parse_lke(Path(__file__).resolve().parents[3] / "data" / "zi" / "lke-1.yaml")
    assert {a["code"]: a["weight"] for a in lke.areas} == {
        "MP": 8,
        "TT": 7,
        "SDM": 10,
        "AK": 10,
        "PW": 15,
        "PP": 10,
    }
    per_part = {
        part: sum(len(s["questions"]) for s in lke.subcomponents if s["part"] == part)
        for part in ("pemenuhan", "reform")
    }
    assert per_part == {"pemenuhan": 87, "reform": 23}
    assert len(lke.hasil) == 3
    wbk, wbbm = lke.thresholds
    assert (wbk["total"], wbk["pengungkit"], wbk["area_share"], wbk["bersih"]) == (
        75,
        40,
        60,
        Decimal("18.25"),
    )
    assert (wbbm["total"], wbbm["pengungkit"], wbbm["area_share"], wbbm["requires"]) == (
        85,
        48,
        75,
        "WBK",
    )
    assert wbbm["hasil"] == {
        "IPAK": Decimal("15.75"),
        "CAPAIAN": Decimal("3.75"),
        "IPKP": Decimal("15.75"),
    }
    assert "ilustratif" in lke.illustrative["id"].lower()


@pytest.mark.parametrize(
    ("lowered", "named"),
    [
        ({"total": "84.99"}, "Nilai total 84,99, di bawah 85,00"),
        ({"pengungkit": "47.99"}, "Pengungkit 47,99, di bawah 48,00"),
        ({"bersih": "19.49"}, "Birokrasi bersih dan akuntabel 19,49, di bawah 19,50"),
        ({"capaian": "3.74"}, "Capaian kinerja 3,74, di bawah 3,75"),
        ({"ipkp": "15.74"}, "Indeks Persepsi Kualitas Pelayanan 15,74, di bawah 15,75"),
    ],
)
def test_each_wbbm_threshold_failing_alone_blocks_wbbm_and_is_named(lowered, named) -> None:
    """Lowered below WBBM's minimum but not WBK's: WBK stays met, WBBM is blocked by that alone."""
    structure = _structure()
    wbk, wbbm = verdicts(structure, _breakdown(**lowered), held={"WBK"})
    assert wbk.met
    assert not wbbm.met and wbbm.blockers == [named]


def test_an_area_under_75_percent_blocks_wbbm_alone(monkeypatch) -> None:
    structure = _structure()
    base = _breakdown()
    areas = list(base.areas)
    areas[4] = AreaScore("PW", Decimal(15), Decimal("5.5"), Decimal("5.5"))  # 73.33 %
    wbk, wbbm = verdicts(structure, replace(base, areas=areas), held={"WBK"})
    assert wbk.met
    assert wbbm.blockers == ["Area Penguatan Pengawasan 73,33% dari bobotnya, di bawah 75%"]
