"""The MCP scoring rules, as pure functions. Written down in README "Scoring rules".

- A sub-indicator scores a fraction from 0 to 1 of its weight: yes/no 1 or 0; a choice its
  option's value; a percentage value/100; a number value/target, capped at 1; a document-only
  question 1 when its document is there (self-assessed) or accepted (verified). No answer: 0.
- An indicator scores 0 to 100: the weighted sum of its sub-indicators (weights sum to 100).
- An area scores the weighted mean of the indicators that apply to the Pemda's kind; weights
  are renormalised over those. An area with no applicable indicator is left out.
- A Pemda scores the weighted mean of its areas, renormalised the same way.
- Fractions count to 6 decimal places, so the weighted sums are exact: the database adds them
  up in integers (`cegah.mcp.score_sums`), and this module's `answer_sums` is the reference.
- Arithmetic is Decimal throughout and rounded half-up to 2 decimals only at the end, so a
  recompute gives the same numbers on every machine and database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from django.conf import settings

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
CENT = Decimal("0.01")
# Fractions count to 6 decimal places (a number's value / target, a choice's value), so every
# weighted sum is exact and adds up the same in Python and in the database's integers.
FRACTION = Decimal("0.000001")


@dataclass(frozen=True)
class SubRule:
    pk: int
    code: str
    weight: Decimal
    answer_type: str
    option_values: tuple[Decimal, ...] = ()
    target: Decimal | None = None


@dataclass(frozen=True)
class IndicatorRule:
    pk: int
    code: str
    weight: Decimal
    applies: frozenset[str]
    subs: tuple[SubRule, ...]


@dataclass(frozen=True)
class AreaRule:
    code: str
    weight: Decimal
    indicators: tuple[IndicatorRule, ...]


class SubInput(NamedTuple):
    """What scoring needs of one answer: the Pemda's value, the verifier's, and whether a current
    document backs it. A tuple: a national recompute builds half a million of them."""

    value: Decimal | None = None
    verified: Decimal | None = None
    has_document: bool = False


@dataclass
class Score:
    self_assessed: Decimal
    verified: Decimal


@dataclass
class PemdaResult:
    total: Score
    areas: dict[str, Score] = field(default_factory=dict)
    indicators: dict[str, Score] = field(default_factory=dict)


def _clamp(x: Decimal) -> Decimal:
    return max(ZERO, min(ONE, x))


def sub_fraction(rule: SubRule, value: Decimal | None, has_document: bool) -> Decimal:
    if rule.answer_type == "document":
        return ONE if (value == ONE if value is not None else has_document) else ZERO
    if value is None:
        return ZERO
    if rule.answer_type == "yes_no":
        return ONE if value == ONE else ZERO
    if rule.answer_type == "choice":
        index = int(value)
        valid = value == index and 0 <= index < len(rule.option_values)
        return rule.option_values[index].quantize(FRACTION, ROUND_HALF_UP) if valid else ZERO
    if rule.answer_type == "percentage":
        return _clamp(value / HUNDRED)
    if rule.answer_type == "number" and rule.target:
        return _clamp((value / rule.target).quantize(FRACTION, ROUND_HALF_UP))
    return ZERO


@dataclass
class Sums:
    """One Pemda's termin as exact sums, before any division: per area, the sum of indicator
    weight x sub-indicator weight x fraction; per indicator, the sum of sub-indicator weight x
    fraction (the indicator's score). Self-assessed and verified, in that order. The database
    adds these up in integers (`cegah.mcp.score_sums`); `answer_sums` is the same in Python."""

    areas: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    indicators: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaPlan:
    code: str
    weight: Decimal
    indicator_weight: Decimal  # of the indicators that apply: the area's denominator
    indicator_codes: tuple[str, ...]


def plan_for(areas: Iterable[AreaRule], kind: str) -> tuple[AreaPlan, ...]:
    """The areas and indicators that count for one kind of Pemda, with their denominators. An
    area with no applicable indicator (or only weightless ones) is left out."""
    plans = []
    for area in areas:
        applicable = [i for i in area.indicators if kind in i.applies]
        weight = sum((i.weight for i in applicable), ZERO)
        if applicable and weight != ZERO:
            plans.append(
                AreaPlan(area.code, area.weight, weight, tuple(i.code for i in applicable))
            )
    return tuple(plans)


def answer_sums(areas: Iterable[AreaRule], kind: str, inputs: Mapping[int, SubInput]) -> Sums:
    empty = SubInput()
    sums = Sums()
    for area in areas:
        area_own = area_verified = ZERO
        for indicator in area.indicators:
            if kind not in indicator.applies:
                continue
            own = verified = ZERO
            for sub in indicator.subs:
                given = inputs.get(sub.pk, empty)
                # A document-only self-assessment is its document; its verification is 1 or 0.
                own_value = None if sub.answer_type == "document" else given.value
                own += sub.weight * sub_fraction(sub, own_value, given.has_document)
                verified += sub.weight * sub_fraction(sub, given.verified, False)
            sums.indicators[indicator.code] = (own, verified)
            area_own += indicator.weight * own
            area_verified += indicator.weight * verified
        sums.areas[area.code] = (area_own, area_verified)
    return sums


def _weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    pairs = list(pairs)
    total_weight = sum((w for w, _ in pairs), ZERO)
    if not pairs or total_weight == ZERO:
        return None
    return sum((w * s for w, s in pairs), ZERO) / total_weight


def rounded(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


NO_SUMS = (ZERO, ZERO)


def roll_up(plan: tuple[AreaPlan, ...], sums: Sums, *, with_indicators: bool = True) -> PemdaResult:
    """The Pemda's total and area scores from its sums, and its indicator scores unless told they
    are not needed (a termin before the year's last only stores totals and areas)."""
    indicator_scores: dict[str, Score] = {}
    area_scores: dict[str, Score] = {}
    area_pairs_self: list[tuple[Decimal, Decimal]] = []
    area_pairs_verified: list[tuple[Decimal, Decimal]] = []
    for area in plan:
        own_sum, verified_sum = sums.areas.get(area.code, NO_SUMS)
        own_area = own_sum / area.indicator_weight
        verified_area = verified_sum / area.indicator_weight
        area_scores[area.code] = Score(rounded(own_area), rounded(verified_area))
        area_pairs_self.append((area.weight, own_area))
        area_pairs_verified.append((area.weight, verified_area))
        if with_indicators:
            for code in area.indicator_codes:
                own, verified = sums.indicators.get(code, NO_SUMS)
                indicator_scores[code] = Score(rounded(own), rounded(verified))
    total_self = _weighted_mean(area_pairs_self) or ZERO
    total_verified = _weighted_mean(area_pairs_verified) or ZERO
    return PemdaResult(
        Score(rounded(total_self), rounded(total_verified)), area_scores, indicator_scores
    )


def score_pemda(
    areas: Iterable[AreaRule],
    kind: str,
    inputs: Mapping[int, SubInput],
    *,
    with_indicators: bool = True,
) -> PemdaResult:
    """The rules in one place, from one Pemda's answers: what the database's sums must match."""
    areas = tuple(areas)
    return roll_up(
        plan_for(areas, kind), answer_sums(areas, kind, inputs), with_indicators=with_indicators
    )


def competition_ranks(scores: Mapping[Any, Decimal]) -> dict[Any, int]:
    """Standard competition ranking, highest first: equal scores share a rank and the next rank
    skips (1, 2, 2, 4)."""
    ordered = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    ranks: dict[Any, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


@dataclass(frozen=True)
class Category:
    code: str
    name: dict[str, str]
    up_to: Decimal
    colour: str


@cache
def categories() -> tuple[Category, ...]:
    path = Path(settings.BASE_DIR) / "data" / "mcp" / "categories.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = tuple(
        Category(c["code"], c["name"], Decimal(str(c["up_to"])), c["colour"])
        for c in data["categories"]
    )
    return tuple(sorted(found, key=lambda c: c.up_to))


def category_for(score: Decimal) -> Category:
    return next((c for c in categories() if score <= c.up_to), categories()[-1])


@cache
def award_rules() -> tuple[dict[str, Any], ...]:
    path = Path(settings.BASE_DIR) / "data" / "mcp" / "awards.yaml"
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8"))["awards"])
