"""The scoring rules, checked against numbers worked out by hand."""

from decimal import Decimal as D

from cegah.mcp.scoring import (
    AreaRule,
    IndicatorRule,
    SubInput,
    SubRule,
    category_for,
    competition_ranks,
    score_pemda,
)

ALL = frozenset({"provinsi", "kabupaten", "kota"})

# Area A (weight 50): A1 (weight 50) = yes/no 40 + choice 60; A2 (weight 50) = percentage 100.
# Area B (weight 30): B1 (weight 100, kabupaten/kota only) = number (target 200) 70 + document 30.
# Area C (weight 20): C1 applies to provinsi only.
YN = SubRule(1, "A1.1", D(40), "yes_no")
CH = SubRule(2, "A1.2", D(60), "choice", (D(1), D("0.5"), D(0)))
PC = SubRule(3, "A2.1", D(100), "percentage")
NUM = SubRule(4, "B1.1", D(70), "number", target=D(200))
DOC = SubRule(5, "B1.2", D(30), "document")
PROV = SubRule(6, "C1.1", D(100), "yes_no")
RULES = (
    AreaRule(
        "A",
        D(50),
        (
            IndicatorRule(11, "A1", D(50), ALL, (YN, CH)),
            IndicatorRule(12, "A2", D(50), ALL, (PC,)),
        ),
    ),
    AreaRule(
        "B", D(30), (IndicatorRule(21, "B1", D(100), frozenset({"kabupaten", "kota"}), (NUM, DOC)),)
    ),
    AreaRule("C", D(20), (IndicatorRule(31, "C1", D(100), frozenset({"provinsi"}), (PROV,)),)),
)


def test_weights_fractions_and_the_roll_up() -> None:
    inputs = {
        1: SubInput(value=D(1), verified=D(1)),
        2: SubInput(value=D(1), verified=D(2)),  # Sebagian (0.5) claimed, Tidak (0) verified
        3: SubInput(value=D(80), verified=D(60)),
        4: SubInput(value=D(150), verified=D(300)),  # above target: capped at 1
        5: SubInput(has_document=True, verified=D(0)),
    }
    result = score_pemda(RULES, "kota", inputs)
    # A1 self: 40*1 + 60*0.5 = 70; verified: 40*1 + 60*0 = 40. A2: 80 / 60.
    assert result.indicators["A1"].self_assessed == D("70.00")
    assert result.indicators["A1"].verified == D("40.00")
    # Area A self: (50*70 + 50*80) / 100 = 75; verified: (50*40 + 50*60) / 100 = 50.
    assert result.areas["A"].self_assessed == D("75.00") and result.areas["A"].verified == D(
        "50.00"
    )
    # B1 self: 70*0.75 + 30*1 = 82.5; verified: 70*1 + 30*0 = 70.
    assert result.areas["B"].self_assessed == D("82.50") and result.areas["B"].verified == D(
        "70.00"
    )
    # C applies to provinsi only: left out, weights renormalised over A (50) and B (30).
    assert "C" not in result.areas
    # Total self: (50*75 + 30*82.5) / 80 = 77.8125 → 77.81; verified: (50*50 + 30*70)/80 = 57.5.
    assert result.total.self_assessed == D("77.81")
    assert result.total.verified == D("57.50")


def test_missing_answers_count_zero() -> None:
    result = score_pemda(RULES, "kota", {1: SubInput(value=D(1), verified=D(1))})
    assert result.indicators["A1"].verified == D("40.00")
    assert result.indicators["A2"].verified == D("0.00")
    # A: (50*40 + 50*0)/100 = 20; B: 0 → total (50*20 + 30*0)/80 = 12.5
    assert result.total.verified == D("12.50")
    assert score_pemda(RULES, "kota", {}).total.verified == D("0.00")


def test_a_province_is_scored_on_its_own_indicators_only() -> None:
    result = score_pemda(RULES, "provinsi", {6: SubInput(value=D(1), verified=D(1))})
    assert set(result.areas) == {"A", "C"}
    # A: 0; C: 100 → (50*0 + 20*100) / 70 = 28.5714… → 28.57
    assert result.total.verified == D("28.57")


def test_rounding_is_half_up_at_the_end_only() -> None:
    rules = (
        AreaRule(
            "A",
            D(100),
            (IndicatorRule(1, "A1", D(100), ALL, (SubRule(1, "x", D(100), "percentage"),)),),
        ),
    )
    assert score_pemda(rules, "kota", {1: SubInput(verified=D("12.345"))}).total.verified == D(
        "12.35"
    )


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    ranks = competition_ranks({"a": D(90), "b": D(80), "c": D(80), "d": D(70), "e": D(90)})
    assert ranks == {"a": 1, "e": 1, "b": 3, "c": 3, "d": 5}


def test_colour_categories_come_from_the_data_file() -> None:
    assert [category_for(D(x)).code for x in ("0", "25", "25.01", "50", "75", "75.01", "100")] == [
        "merah",
        "merah",
        "kuning",
        "kuning",
        "biru",
        "hijau",
        "hijau",
    ]


def test_a_fraction_counts_to_six_decimal_places_rounded_half_up() -> None:
    from cegah.mcp.scoring import sub_fraction

    third = SubRule(7, "x", D(100), "number", target=D(3))
    assert sub_fraction(third, D(1), False) == D("0.333333")
    assert sub_fraction(third, D(2), False) == D("0.666667")
    assert sub_fraction(third, D(4), False) == D(1)  # above target: capped
    odd = SubRule(8, "y", D(100), "choice", (D("0.1234565"), D("0.1234564")))
    assert sub_fraction(odd, D(0), False) == D("0.123457")
    assert sub_fraction(odd, D(1), False) == D("0.123456")
