"""The year's answers added up by the database, as exact integers, for the score roll-up.

A national recompute reads about 420,000 answers of a year. Fetching them into Python alone took
longer than the database needs to add them all up, so the database computes each Pemda's exact
sums (`scoring.Sums`) and Python only divides and rounds them (`scoring.roll_up`).

The sums are integers, scaled so that nothing is rounded: values and weights have 3 decimal
places, fractions 6 (`scoring.FRACTION`). SQLite, which has no decimal type, and PostgreSQL
therefore give the same sums, equal to `scoring.answer_sums` in Decimal (tested). Number answers
(value / target) are few and divide, so they are read as values and scored in Python.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection

from cegah.mcp import scoring
from cegah.mcp.models import Answer, Evidence, Period
from cegah.regions.models import Pemda

VALUE_PLACES = 3  # of Answer.value and the weights
VALUE_SCALE = 10**VALUE_PLACES
FRACTION_SCALE = 10**6  # scoring.FRACTION
KINDS = tuple(Pemda.Kind.values)
# How the SQL tells the answer types apart; the rest (number) count 0 there.
YES_NO, CHOICE, PERCENTAGE, DOCUMENT, IN_PYTHON = 1, 2, 3, 4, 0
TYPE_CODES = {"yes_no": YES_NO, "choice": CHOICE, "percentage": PERCENTAGE, "document": DOCUMENT}


class DecimalReader:
    """Turns the database's raw answer values into Decimals as Django's own converters would,
    once per distinct value: a recompute reads many answers, with few distinct values."""

    def __init__(self, places: int = VALUE_PLACES) -> None:
        self.quantum = Decimal(1).scaleb(-places)
        self.create = decimal.Context(prec=15).create_decimal_from_float
        self.memo: dict[Any, Decimal] = {}

    def __call__(self, raw: Any) -> Decimal | None:
        if raw is None or isinstance(raw, Decimal):  # PostgreSQL's driver gives Decimals
            return raw
        found = self.memo.get(raw)
        if found is None:
            found = self.memo[raw] = self.create(raw).quantize(self.quantum)
        return found


def _scaled(x: Decimal, scale: int) -> int:
    scaled = x * scale
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{x} has more decimal places than the sums allow")
    return int(scaled)


class Catalogue:
    """The rules as the SQL's constant table, and how to turn its integers back.

    One row per sub-indicator and kind of Pemda it applies to, found by one integer key (a
    composite key on a constant table left SQLite scanning it), with a choice's option
    fractions as columns: no join per option."""

    def __init__(self, rules: tuple[scoring.AreaRule, ...]) -> None:
        self.rules = rules
        self.area_codes = [area.code for area in rules]
        self.indicator_codes: list[str] = []
        self.indicator_weights: list[int] = []  # x 10^3
        self.indicator_areas: list[int] = []
        self.plans = {kind: scoring.plan_for(rules, kind) for kind in KINDS}
        self.options = max(
            (len(s.option_values) for a in rules for i in a.indicators for s in i.subs), default=0
        )
        rule_rows: dict[str, list[tuple[int, ...]]] = {kind: [] for kind in KINDS}
        # Scored in Python: {(kind, sub id): (sub rule, area code, indicator code, weight)}
        self.in_python: dict[tuple[str, int], tuple[scoring.SubRule, str, str, Decimal]] = {}
        for area_index, area in enumerate(rules):
            for indicator in area.indicators:
                indicator_index = len(self.indicator_codes)
                self.indicator_codes.append(indicator.code)
                self.indicator_weights.append(_scaled(indicator.weight, VALUE_SCALE))
                self.indicator_areas.append(area_index)
                for sub in indicator.subs:
                    code = TYPE_CODES.get(sub.answer_type, IN_PYTHON)
                    fractions = [
                        _scaled(
                            option.quantize(scoring.FRACTION, decimal.ROUND_HALF_UP),
                            FRACTION_SCALE,
                        )
                        for option in (sub.option_values if code == CHOICE else ())
                    ]
                    fractions += [0] * (self.options - len(fractions))
                    for kind in sorted(indicator.applies):
                        if code == IN_PYTHON:
                            self.in_python[kind, sub.pk] = (
                                sub,
                                area.code,
                                indicator.code,
                                indicator.weight,
                            )
                        rule_rows[kind].append(
                            (
                                sub.pk * len(KINDS) + KINDS.index(kind),
                                area_index,
                                indicator_index,
                                _scaled(indicator.weight * sub.weight, VALUE_SCALE**2),
                                _scaled(sub.weight, VALUE_SCALE),
                                code,
                                *fractions,
                            )
                        )
        # Integers only, made here from the catalogue's Decimals: safe to write into the SQL.
        self.rule_values = {
            kind: ", ".join(f"({', '.join(map(str, row))})" for row in rows)
            for kind, rows in rule_rows.items()
        }
        self.area_scale = Decimal(1).scaleb(-12)  # weight x weight x fraction
        self.indicator_scale = Decimal(1).scaleb(-9)  # weight x fraction

    def rule_table(self, kind: str | None = None) -> str:
        """The rules of one kind of Pemda, or of all: a one-Pemda update sends a third."""
        options = "".join(f", option{i}" for i in range(self.options))
        columns = f"key, area, indicator, area_weight, weight, answer_type{options}"
        values = [v for k, v in self.rule_values.items() if kind in (None, k) and v]
        if not values:  # no indicator applies to this kind: a row that matches no answer
            values = [f"({', '.join(['-1'] + ['0'] * (5 + self.options))})"]
        return f"rule ({columns}) AS (VALUES {', '.join(values)})"

    def fraction(self, column: str, *, self_assessed: bool) -> str:
        """SQL for one answer's fraction x 10^6, as `scoring.sub_fraction` gives it. Values are
        compared as stored (whole numbers compare exactly on both databases); only a
        percentage's is scaled to an integer, once."""
        value = f"a.{column}"
        choice = " ".join(f"WHEN {i} THEN r.option{i}" for i in range(self.options))
        # A document-only self-assessment is its current document; its verification 1 or 0.
        document = (
            f"CASE WHEN EXISTS (SELECT 1 FROM {Evidence._meta.db_table} e "  # noqa: S608 - a model's table
            "WHERE e.answer_id = a.id AND e.replaced_at IS NULL) "
            f"THEN {FRACTION_SCALE} ELSE 0 END"
            if self_assessed
            else f"CASE WHEN {value} = 1 THEN {FRACTION_SCALE} ELSE 0 END"
        )
        percent = FRACTION_SCALE // 100
        return f"""CASE r.answer_type
            WHEN {YES_NO} THEN CASE WHEN {value} = 1 THEN {FRACTION_SCALE} ELSE 0 END
            WHEN {CHOICE} THEN {f"CASE {value} {choice} ELSE 0 END" if choice else "0"}
            WHEN {PERCENTAGE} THEN CASE
                WHEN {value} IS NULL OR {value} <= 0 THEN 0
                WHEN {value} >= 100 THEN {FRACTION_SCALE}
                ELSE CAST(ROUND({value} * {percent}) AS BIGINT) END
            WHEN {DOCUMENT} THEN {document}
            ELSE 0 END"""


# Pemda kinds are the model's constant codes: written into the SQL as the rules' kind numbers.
KIND_NUMBER = (
    "CASE p.kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + " END"
)


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _query(
    catalogue: Catalogue,
    *,
    periods: int,
    latest: dict[int, int],
    pemdas: int | None,
    kind: str | None = None,
) -> str:
    """One pass over the answers of the given periods (of the given Pemda, or all): each Pemda's
    latest termin summed per indicator (sub-indicator weight x fraction), the earlier ones per
    area (indicator weight x sub-indicator weight x fraction); self-assessed and verified.
    Ordered by Pemda id, so the rows can be read as a stream, one Pemda after another. (By id,
    not code: the answers' own column spares a sort on a joined one, 7 % of the query's time
    on SQLite and 16 % on PostgreSQL.)

    `latest` ({Pemda id: period id}) is written as (period = X AND Pemda IN (...)) terms: a
    constant list is looked up by the database, where a joined table of pairs led SQLite to scan
    it for every answer, or to index every answer of every year."""
    by_period: dict[int, list[int]] = defaultdict(list)
    for pemda, period in latest.items():
        by_period[int(period)].append(int(pemda))
    in_latest = " OR ".join(
        f"(a.period_id = {period} AND a.pemda_id IN ({', '.join(map(str, ids))}))"
        for period, ids in sorted(by_period.items())
    )
    weight = f"CASE WHEN {in_latest} THEN r.weight ELSE r.area_weight END"
    indicator = f"CASE WHEN {in_latest} THEN r.indicator END"
    own = catalogue.fraction("value", self_assessed=True)
    verified = catalogue.fraction("verified_value", self_assessed=False)
    only = f"a.pemda_id IN ({_marks(pemdas)}) AND " if pemdas is not None else ""
    return f"""
        WITH {catalogue.rule_table(kind)}
        SELECT a.pemda_id, a.period_id, r.area, {indicator},
               SUM(({weight}) * ({own})), SUM(({weight}) * ({verified}))
        FROM {Answer._meta.db_table} a
        JOIN {Pemda._meta.db_table} p ON p.id = a.pemda_id
        LEFT JOIN rule r ON r.key = a.sub_indicator_id * {len(KINDS)} + {KIND_NUMBER}
        WHERE {only}a.period_id IN ({_marks(periods)})
        GROUP BY a.pemda_id, a.period_id, r.area, {indicator}
        ORDER BY a.pemda_id
    """  # noqa: S608 - integers, constant codes and the models' table names only


def _reported(
    cursor: Any, pemda_ids: list[int] | None, period_ids: list[int]
) -> list[tuple[int, int]]:
    """(Pemda, termin) pairs with any answer, read from an index alone."""
    only = f"pemda_id IN ({_marks(len(pemda_ids))}) AND " if pemda_ids is not None else ""
    cursor.execute(
        f"SELECT DISTINCT pemda_id, period_id FROM {Answer._meta.db_table} "  # noqa: S608
        f"WHERE {only}period_id IN ({_marks(len(period_ids))})",
        [*(pemda_ids or []), *period_ids],
    )
    rows: list[tuple[int, int]] = cursor.fetchall()
    return rows


def reported_periods(year: int) -> dict[int, int]:
    """{period id: termin number} of the year's open and closed termin."""
    return dict(
        Period.objects.filter(year=year)
        .exclude(state=Period.State.PLANNED)
        .values_list("pk", "number")
    )


class _PemdaSums:
    """One Pemda's termin as the stream gives them, the latest termin's area sums added up from
    its indicators' (exact integers)."""

    def __init__(self, catalogue: Catalogue, pemda_id: int, termins: set[int], latest: int) -> None:
        self.catalogue = catalogue
        self.pemda_id = pemda_id
        self.latest = latest
        self.termins = {number: scoring.Sums() for number in termins}
        self.latest_areas: dict[int, list[int]] = {}

    def add(self, number: int, area: int, indicator: int | None, own: Any, verified: Any) -> None:
        catalogue = self.catalogue
        if indicator is None:
            self.termins[number].areas[catalogue.area_codes[area]] = (
                Decimal(own) * catalogue.area_scale,
                Decimal(verified) * catalogue.area_scale,
            )
            return
        self.termins[number].indicators[catalogue.indicator_codes[indicator]] = (
            Decimal(own) * catalogue.indicator_scale,
            Decimal(verified) * catalogue.indicator_scale,
        )
        weight = catalogue.indicator_weights[indicator]
        found = self.latest_areas.setdefault(area, [0, 0])
        found[0] += weight * int(own)
        found[1] += weight * int(verified)

    def finish(
        self, number_answers: list[tuple[Any, ...]], reader: DecimalReader
    ) -> tuple[int, dict[int, scoring.Sums]]:
        catalogue = self.catalogue
        latest = self.termins[self.latest]
        for area, (area_own, area_verified) in self.latest_areas.items():
            latest.areas[catalogue.area_codes[area]] = (
                Decimal(area_own) * catalogue.area_scale,
                Decimal(area_verified) * catalogue.area_scale,
            )
        # Number answers divide (value / target): few, and scored here with the rules' own code.
        for kind, number, sub_id, value, verified in number_answers:
            found = catalogue.in_python.get((kind, sub_id))
            if found is None:
                continue
            sub, area_code, indicator_code, indicator_weight = found
            own = sub.weight * scoring.sub_fraction(sub, reader(value), False)
            checked = sub.weight * scoring.sub_fraction(sub, reader(verified), False)
            termin = self.termins[number]
            sum_own, sum_verified = termin.areas.get(area_code, scoring.NO_SUMS)
            termin.areas[area_code] = (
                sum_own + indicator_weight * own,
                sum_verified + indicator_weight * checked,
            )
            if number == self.latest:
                ind_own, ind_verified = termin.indicators.get(indicator_code, scoring.NO_SUMS)
                termin.indicators[indicator_code] = (ind_own + own, ind_verified + checked)
        return self.pemda_id, self.termins


def year_sums(
    catalogue: Catalogue, year: int, pemda_ids: list[int] | None = None, kind: str | None = None
) -> Iterator[tuple[int, dict[int, scoring.Sums]]]:
    """(Pemda id, {termin number: sums}) of every Pemda (or the given ones, all of `kind` if
    given) that reported in the year's open or closed termin, in the order of Pemda ids: every
    termin with any answer, indicator sums only for the latest, whose indicator scores are stored.

    One query reads the year, streamed: memory holds one Pemda's sums at a time. Per batch of
    Pemda, PostgreSQL read the whole year's answers through the termin index each time."""
    periods = reported_periods(year)
    if not periods or pemda_ids == []:
        return
    with connection.cursor() as cursor:
        reported = _reported(cursor, pemda_ids, list(periods))
        number_answers = _number_answers(cursor, catalogue, year, pemda_ids)
    termins: dict[int, set[int]] = defaultdict(set)
    for pemda_id, period_id in reported:
        termins[pemda_id].add(periods[period_id])
    if not termins:
        return
    latest = {pemda_id: max(numbers) for pemda_id, numbers in termins.items()}
    by_number = {number: pk for pk, number in periods.items()}
    sql = _query(
        catalogue,
        periods=len(periods),
        latest={pemda_id: by_number[number] for pemda_id, number in latest.items()},
        pemdas=None if pemda_ids is None else len(pemda_ids),
        kind=kind,
    )
    reader = DecimalReader()
    current: _PemdaSums | None = None
    # Only the whole year needs to stream. PostgreSQL plans a server-side cursor for its first
    # tenth of rows (cursor_tuple_fraction): for one Pemda's 130 rows that meant matching every
    # answer against every rule, 20 ms where a plain query takes 4.
    with connection.chunked_cursor() if pemda_ids is None else connection.cursor() as cursor:
        cursor.execute(sql, [*(pemda_ids or []), *periods])
        while rows := cursor.fetchmany(STREAM_ROWS):
            for pemda_id, period_id, area, indicator, own, verified in rows:
                if current is None or pemda_id != current.pemda_id:
                    if current is not None:
                        yield current.finish(number_answers.pop(current.pemda_id, []), reader)
                    current = _PemdaSums(catalogue, pemda_id, termins[pemda_id], latest[pemda_id])
                if area is not None:  # answers outside the Pemda's rules only mark the termin
                    current.add(periods[period_id], area, indicator, own, verified)
    if current is not None:
        yield current.finish(number_answers.pop(current.pemda_id, []), reader)


STREAM_ROWS = 2000


def _number_answers(
    cursor: Any, catalogue: Catalogue, year: int, pemda_ids: list[int] | None
) -> dict[int, list[tuple[Any, ...]]]:
    """{Pemda id: [(kind, termin number, sub id, value, verified value)]} of the answers scored
    in Python: three sub-indicators of 222 in the 2025 catalogue."""
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    if not catalogue.in_python:
        return found
    sub_ids = sorted({sub.pk for sub, *_ in catalogue.in_python.values()})
    query = Answer.objects.filter(period__year=year, sub_indicator_id__in=sub_ids).exclude(
        period__state=Period.State.PLANNED
    )
    if pemda_ids is not None:
        query = query.filter(pemda_id__in=pemda_ids)
    sql, params = query.values_list(
        "pemda_id", "pemda__kind", "period__number", "sub_indicator_id", "value", "verified_value"
    ).query.sql_with_params()
    cursor.execute(sql, params)
    for pemda_id, *rest in cursor.fetchall():
        found[pemda_id].append(tuple(rest))
    return found
