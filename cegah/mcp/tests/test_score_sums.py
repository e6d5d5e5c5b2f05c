"""The database's score sums against the scoring rules' own, on every answer type.

A recompute lets the database add up the answers in integers (`score_sums`). These tests fill a
catalogue of every answer type with awkward values and check that the database's sums, and the
stored scores, equal what `scoring` computes from the same answers in Decimal."""

import random
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.utils import timezone

from cegah.mcp import score_sums, scoring
from cegah.mcp.models import (
    YEAR,
    Answer,
    AreaScore,
    Evidence,
    IndicatorScore,
    PemdaScore,
    Period,
    SubIndicator,
)
from cegah.mcp.services import catalogue_import
from cegah.mcp.services.scores import score_rules, scores_recompute
from cegah.uploads.models import StoredFile

from .conftest import CATALOGUES, make_period

pytestmark = pytest.mark.django_db

# Raw values as stored: in range, at and past the edges, and ones no form would give.
VALUES = {
    "yes_no": [None, "0", "1", "0.5", "2"],
    "choice": [None, "0", "1", "2", "3", "4", "1.5", "-1"],
    "percentage": [None, "-5", "0", "12.345", "33.333", "99.999", "100", "150"],
    "number": [None, "-2", "0", "0.001", "3", "6.999", "7", "100", "1234567.891"],
    "document": [None, "0", "1", "0.5"],
}


@pytest.fixture
def answered(world):
    """Four termin of the every-type catalogue (the fourth still planned) answered at random
    by a kota, a kabupaten and a province; another kota reports only termin 1, with one answer
    its kind has no rule for."""
    catalogue = catalogue_import(path=CATALOGUES / "every-type.yaml").catalogue
    catalogue.opened_at = timezone.now()
    catalogue.save()
    periods = {
        n: make_period(number=n, state=Period.State.PLANNED if n == 4 else Period.State.CLOSED)
        for n in (1, 2, 3, 4)
    }
    subs = list(SubIndicator.objects.filter(indicator__catalogue=catalogue))
    draw = random.Random(2025)
    uploader = world.admin_binjai
    revision = 0
    for pemda in (world.binjai, world.kab_pekalongan, world.sumut):
        for period in periods.values():
            for sub in subs:
                if draw.random() < 0.15:
                    continue  # not answered
                values = VALUES[sub.answer_type]
                value = draw.choice(values)
                verified = draw.choice(values)
                answer = Answer.objects.create(
                    pemda=pemda,
                    period=period,
                    sub_indicator=sub,
                    value=None if value is None else D(value),
                    verified_value=None if verified is None else D(verified),
                    state="approved" if verified is not None else "submitted",
                )
                if sub.answer_type == "document" and draw.random() < 0.7:
                    revision += 1
                    kept = StoredFile.objects.create(
                        purpose="mcp.evidence",
                        scope=pemda.code,
                        sha256=f"{revision:064d}",
                        size=1,
                        content_type="application/pdf",
                        file=f"evidence/{revision}.pdf",
                        stored_on=timezone.localdate(),
                    )
                    # Some documents have only a replaced revision: they no longer count.
                    replaced = timezone.now() if draw.random() < 0.3 else None
                    Evidence.objects.create(
                        answer=answer,
                        stored_file=kept,
                        revision=1,
                        original_name="bukti.pdf",
                        effective_date=timezone.localdate(),
                        uploaded_by=uploader,
                        replaced_at=replaced,
                    )
    not_for_a_kota = next(s for s in subs if s.code == "BBB.1.1")
    Answer.objects.create(
        pemda=world.kota_pekalongan, period=periods[1], sub_indicator=not_for_a_kota, value=D(88)
    )
    return catalogue


def _reference_inputs(pemda) -> dict[int, dict[int, scoring.SubInput]]:
    """{termin: {sub id: input}} through the ORM, as the rules take them."""
    inputs: dict[int, dict[int, scoring.SubInput]] = defaultdict(dict)
    answers = Answer.objects.filter(pemda=pemda).exclude(period__state=Period.State.PLANNED)
    for answer in answers.select_related("period"):
        has_document = answer.evidence.filter(replaced_at__isnull=True).exists()
        inputs[answer.period.number][answer.sub_indicator_id] = scoring.SubInput(
            answer.value, answer.verified_value, has_document
        )
    return inputs


def test_the_database_adds_up_every_answer_type_exactly_as_the_rules(answered, world) -> None:
    rules = score_rules(answered)
    catalogue = score_sums.Catalogue(rules)
    pemdas = [world.binjai, world.kab_pekalongan, world.sumut, world.kota_pekalongan]
    sums = dict(score_sums.year_sums(catalogue, 2025, [p.pk for p in pemdas]))
    for pemda in pemdas:
        inputs = _reference_inputs(pemda)
        # Every reported termin, the planned fourth left out, and nothing else.
        assert (
            set(sums[pemda.pk])
            == set(inputs)
            == ({1} if pemda == world.kota_pekalongan else {1, 2, 3})
        )
        latest = max(inputs)
        for number, given in inputs.items():
            expected = scoring.answer_sums(rules, pemda.kind, given)
            found = sums[pemda.pk][number]
            for area in catalogue.plans[pemda.kind]:
                assert found.areas.get(area.code, scoring.NO_SUMS) == expected.areas[area.code], (
                    pemda,
                    number,
                    area.code,
                )
            if number == latest:
                assert {
                    code: found.indicators.get(code, scoring.NO_SUMS)
                    for code in expected.indicators
                } == expected.indicators
            else:
                assert found.indicators == {}


def test_a_recompute_stores_what_the_rules_give(answered, world) -> None:
    snapshot = scores_recompute(year=2025)
    rules = score_rules(answered)
    for pemda in (world.binjai, world.kab_pekalongan, world.sumut, world.kota_pekalongan):
        inputs = _reference_inputs(pemda)
        latest = max(inputs)
        results = {n: scoring.score_pemda(rules, pemda.kind, given) for n, given in inputs.items()}
        results[YEAR] = results[latest]
        stored = {
            row.termin: (row.self_score, row.verified_score)
            for row in PemdaScore.objects.filter(snapshot=snapshot, pemda=pemda)
        }
        assert stored == {n: (r.total.self_assessed, r.total.verified) for n, r in results.items()}
        areas = set(
            AreaScore.objects.filter(snapshot=snapshot, pemda=pemda).values_list(
                "termin", "area_code", "self_score", "verified_score"
            )
        )
        assert areas == {
            (n, code, s.self_assessed, s.verified)
            for n, r in results.items()
            for code, s in r.areas.items()
        }
        indicators = set(
            IndicatorScore.objects.filter(snapshot=snapshot, pemda=pemda).values_list(
                "indicator_code", "self_score", "verified_score"
            )
        )
        assert indicators == {
            (code, s.self_assessed, s.verified) for code, s in results[latest].indicators.items()
        }
    # The scores are not all zero: the values drawn reach every rule.
    assert PemdaScore.objects.filter(snapshot=snapshot, verified_score__gt=0).count() >= 6


def test_the_sums_scale_matches_the_stored_decimal_places() -> None:
    from django.db import models

    from cegah.mcp.models import Area, Indicator

    fields = [
        *(Answer._meta.get_field(name) for name in ("value", "verified_value")),
        *(model._meta.get_field("weight") for model in (SubIndicator, Indicator, Area)),
    ]
    for field in fields:
        assert isinstance(field, models.DecimalField)
        assert field.decimal_places == score_sums.VALUE_PLACES, field


def test_a_kind_with_no_indicator_of_its_own_scores_zero(world, catalogue_2025) -> None:
    """Rules whose indicators all apply to provinces: a kota that answered still gets its sums
    (none) and a zero score, not an error."""
    province_only = scoring.IndicatorRule(
        1, "A.1", D(100), frozenset({"provinsi"}), (scoring.SubRule(1, "A.1.1", D(100), "yes_no"),)
    )
    catalogue = score_sums.Catalogue((scoring.AreaRule("A", D(100), (province_only,)),))
    period = make_period(state=Period.State.OPEN)
    Answer.objects.create(
        pemda=world.binjai,
        period=period,
        sub_indicator=SubIndicator.objects.filter(indicator__catalogue=catalogue_2025)[0],
        value=D(1),
    )
    sums = dict(score_sums.year_sums(catalogue, 2025, [world.binjai.pk], kind="kota"))
    assert sums == {world.binjai.pk: {1: scoring.Sums()}}
    result = scoring.roll_up(catalogue.plans["kota"], sums[world.binjai.pk][1])
    assert result.total.verified == D("0.00") and result.areas == {}
