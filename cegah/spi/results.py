"""Reading a year's published SPI scores from a table the Koordinator prepared: columns `tahun`,
`kode_pemda`, `nilai`, optionally one per element (its code) and the respondents
(`responden_internal`, `responden_eksternal`, `responden_ahli`). Nothing here writes: the plan
is shown as a dry run and loaded only without a problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.core.tables import (
    Column,
    Problem,
    Table,
    missing_columns,
    score_cell,
    year_cell,
)
from cegah.regions.models import Pemda
from cegah.regions.tables import pemda_cell

from . import selectors
from .models import Release, Score

FIRST_YEAR = 2017
RESPONDENTS = {
    "responden_internal": "respondents_internal",
    "responden_eksternal": "respondents_external",
    "responden_ahli": "respondents_expert",
}
IGNORED = {"pemda", "nama_pemda", "nama", "provinsi", "no", "nomor", "kategori"}


@dataclass(frozen=True)
class ScoreRow:
    line: int
    pemda: Pemda
    value: Decimal
    elements: dict[str, Decimal]
    respondents: dict[str, int]


@dataclass
class YearPlan:
    year: int
    rows: list[ScoreRow] = field(default_factory=list)
    previous: Release | None = None
    changed: int = 0

    @property
    def version(self) -> int:
        return self.previous.version + 1 if self.previous else 1

    def line(self) -> str:
        said = ngettext(
            "%(year)d: %(count)d Pemda", "%(year)d: %(count)d Pemda", len(self.rows)
        ) % {
            "year": self.year,
            "count": len(self.rows),
        }
        if self.previous is None:
            return said + " — " + _("versi 1.")
        return (
            said
            + " — "
            + _(
                "versi %(version)d menggantikan versi %(previous)d (%(changed)d nilai berubah); "
                "versi lama disimpan."
            )
            % {"version": self.version, "previous": self.previous.version, "changed": self.changed}
        )


@dataclass
class Plan:
    years: list[YearPlan]
    problems: list[Problem]

    def lines(self) -> list[str]:
        return [y.line() for y in self.years]


def read_scores(table: Table) -> Plan:
    required = ("tahun", "kode_pemda", "nilai")
    problems = missing_columns(table, required) + table.repeated_columns()
    if problems:
        return Plan([], problems)
    year_col, code_col, value_col = (table.present(k) for k in required)
    element_codes = {code for code, _name in selectors.elements()}
    element_cols: dict[str, Column] = {}
    respondent_cols: dict[str, Column] = {}
    for column in table.columns:
        if column in (year_col, code_col, value_col) or column.key in IGNORED:
            continue
        if column.key in element_codes:
            element_cols[column.key] = column
        elif column.key in RESPONDENTS:
            respondent_cols[RESPONDENTS[column.key]] = column
        else:
            problems.append(
                Problem(
                    1,
                    column,
                    _("kolom tidak dikenal. Elemen: %(codes)s; responden: %(respondents)s.")
                    % {
                        "codes": ", ".join(sorted(element_codes)),
                        "respondents": ", ".join(RESPONDENTS),
                    },
                )
            )
    pemdas = {p.code: p for p in Pemda.objects.all()}
    plans: dict[int, YearPlan] = {}
    seen: dict[tuple[int, str], int] = {}
    for row in table.rows:
        year = year_cell(row, year_col, problems, first=FIRST_YEAR)
        pemda = pemda_cell(row, code_col, pemdas, problems)
        value = score_cell(row, value_col, problems, required=True)
        elements = {}
        for code, column in element_cols.items():
            score = score_cell(row, column, problems, required=False)
            if score is not None:
                elements[code] = score
        respondents = {}
        for name, column in respondent_cols.items():
            text = row.cell(column)
            if not text:
                continue
            digits = text.strip().removesuffix(".0")
            count = int(digits) if digits.isascii() and digits.isdigit() else None
            if count is None:
                problems.append(
                    Problem(
                        row.line,
                        column,
                        _("“%(text)s” bukan jumlah responden.") % {"text": text},
                    )
                )
            else:
                respondents[name] = count
        if year is None or pemda is None or value is None:
            continue
        if (year, pemda.code) in seen:
            problems.append(
                Problem(
                    row.line,
                    code_col,
                    _("%(pemda)s sudah ada untuk %(year)d di baris %(line)d.")
                    % {"pemda": pemda.name, "year": year, "line": seen[(year, pemda.code)]},
                )
            )
            continue
        seen[(year, pemda.code)] = row.line
        plans.setdefault(year, YearPlan(year)).rows.append(
            ScoreRow(row.line, pemda, value, elements, respondents)
        )
    if not table.rows:
        problems.append(Problem(2, None, _("tidak ada baris data.")))
    years = [plans[y] for y in sorted(plans)]
    for plan in years:
        plan.previous = selectors.current_release(plan.year)
        if plan.previous is not None:
            before = dict(
                Score.objects.filter(release=plan.previous).values_list("pemda_id", "value")
            )
            plan.changed = sum(1 for r in plan.rows if before.get(r.pemda.pk) != r.value)
    return Plan(years, sorted(problems, key=lambda p: (p.line, p.column.index if p.column else -1)))
