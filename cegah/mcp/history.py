"""Reading KPK's published MCP results (2018-2024 exist only as figures) from a table people
made, into a plan of what loading it would change. Nothing here writes: the plan is shown as a
dry run, and `services.history` loads it only when it holds no problem.

Results: one row per Pemda and year, columns `tahun`, `kode_pemda`, `nilai`, optionally
`peringkat` (the rank as announced) and one column per area: the year's area codes where Cegah
has that year's catalogue, free area names otherwise. Awards: one row per award and Pemda,
columns `tahun`, `penghargaan`, `kategori`, `kode_pemda`, optionally `peringkat`, `tanggal` (the
day it was handed over) and `acara`. docs/domain/mcp.md, "Published history".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.core.inputs import DateNotUnderstood, parse_date_text
from cegah.core.tables import (
    Column,
    Problem,
    Row,
    Table,
    missing_columns,
    score_cell,
    whole_cell,
    year_cell,
)
from cegah.mcp.models import YEAR, Area, Award, CatalogueVersion, PemdaScore, ScoreSnapshot
from cegah.regions.models import Pemda
from cegah.regions.tables import pemda_cell

FIRST_YEAR = 2015
# Columns people add for their own reading; they are not loaded.
IGNORED = {"pemda", "nama_pemda", "nama", "provinsi", "jenis", "no", "nomor"}
KINDS = {"provinsi": "provinsi", "kabupaten": "kabupaten", "kota": "kota"}


@dataclass(frozen=True)
class AreaColumn:
    column: Column
    code: str  # the catalogue's code, or one made for a free name
    name: str


@dataclass(frozen=True)
class ResultRow:
    line: int
    pemda: Pemda
    score: Decimal
    areas: dict[str, Decimal]
    rank: int | None


@dataclass
class YearPlan:
    year: int
    catalogue: CatalogueVersion | None
    areas: list[AreaColumn]
    rows: list[ResultRow] = field(default_factory=list)
    previous: ScoreSnapshot | None = None
    changed: int = 0
    added: int = 0
    dropped: int = 0
    # Provinces whose kabupaten/kota the file does not all hold: (name, in the file, in all).
    incomplete: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.previous.version + 1 if self.previous else 1

    def warning(self) -> str:
        """Ranks are computed among the Pemda in the file; where a province is incomplete, its
        ranks say less than they seem to."""
        if not self.incomplete:
            return ""
        shown = ", ".join(
            _("%(province)s %(given)d dari %(all)d") % {"province": p, "given": g, "all": a}
            for p, g, a in self.incomplete[:5]
        )
        more = len(self.incomplete) - 5
        if more > 0:
            shown += " " + _("dan %(count)d provinsi lain") % {"count": more}
        return _(
            "%(year)d: peringkat dihitung di antara Pemda dalam berkas; kabupaten/kota tidak "
            "lengkap di %(provinces)s."
        ) % {"year": self.year, "provinces": shown}

    def line(self) -> str:
        said = ngettext(
            "%(year)d: %(count)d Pemda", "%(year)d: %(count)d Pemda", len(self.rows)
        ) % {"year": self.year, "count": len(self.rows)}
        if self.areas:
            said += ", " + _("%(count)d area") % {"count": len(self.areas)}
        if self.catalogue is None:
            said += " " + _("(tanpa katalog di Cegah)")
        if self.previous is None:
            return said + " — " + _("diterbitkan sebagai versi 1.")
        return (
            said
            + " — "
            + _(
                "versi %(version)d menggantikan versi %(previous)d: %(changed)d nilai berubah, "
                "%(added)d Pemda baru, %(dropped)d Pemda tidak ada lagi."
            )
            % {
                "version": self.version,
                "previous": self.previous.version,
                "changed": self.changed,
                "added": self.added,
                "dropped": self.dropped,
            }
        )


@dataclass
class ResultsPlan:
    years: list[YearPlan]
    problems: list[Problem]

    def lines(self) -> list[str]:
        return [y.line() for y in self.years] + [y.warning() for y in self.years if y.incomplete]


def _rank(row: Row, column: Column | None, problems: list[Problem]) -> int | None:
    if column is None or not row.cell(column):
        return None
    rank = whole_cell(row.cell(column))
    if not rank:
        problems.append(
            Problem(
                row.line,
                column,
                _("peringkat “%(text)s” bukan bilangan bulat positif.")
                % {"text": row.cell(column)},
            )
        )
    return rank or None


def _free_area_code(name: str, known: dict[str, str], taken: set[str]) -> str:
    """The code of an area named in a year Cegah has no catalogue for: a catalogue's code when
    the column is one (or bears one's name, so the years line up); else one made from the name."""
    upper = name.strip().upper()
    if upper in known.values():
        return upper
    if (code := known.get(name.strip().lower())) is not None:
        return code
    base = (slugify(name).upper() or "AREA")[:18]
    code, n = base, 2
    while code in taken:
        code, n = f"{base[:17]}{n}", n + 1
    return code


def read_results(table: Table) -> ResultsPlan:
    """Every problem of the file, by line and column, and what loading it would change."""
    required = ("tahun", "kode_pemda", "nilai")
    problems = missing_columns(table, required) + table.repeated_columns()
    if problems:
        return ResultsPlan([], problems)
    year_col, code_col, score_col = (table.present(k) for k in required)
    rank_col = table.column("peringkat")
    extra = [
        c
        for c in table.columns
        if c not in (year_col, code_col, score_col, rank_col) and c.key not in IGNORED
    ]
    for column in extra:
        if not column.title:
            problems.append(Problem(1, column, _("kolom tanpa judul.")))
    pemdas = {p.code: p for p in Pemda.objects.select_related("province")}
    catalogues: dict[int, CatalogueVersion | None] = {}
    # Area codes and names of every catalogue: a free name that matches one joins its history.
    known = {
        name.lower(): code
        for code, name in Area.objects.order_by("catalogue__year").values_list("code", "name_id")
    } | {code.lower(): code for code in Area.objects.values_list("code", flat=True)}
    plans: dict[int, YearPlan] = {}
    seen: dict[tuple[int, str], int] = {}
    for row in table.rows:
        year = year_cell(row, year_col, problems, first=FIRST_YEAR)
        pemda = pemda_cell(row, code_col, pemdas, problems)
        score = score_cell(row, score_col, problems, required=True)
        rank = _rank(row, rank_col, problems)
        if year is None:
            continue
        if year not in plans:
            plans[year] = _year_plan(year, extra, catalogues, known)
        plan = plans[year]
        areas: dict[str, Decimal] = {}
        for area in plan.areas:
            value = score_cell(row, area.column, problems, required=False)
            if value is not None:
                areas[area.code] = value
        for column in extra:
            if row.cell(column) and column not in [a.column for a in plan.areas]:
                problems.append(
                    Problem(
                        row.line,
                        column,
                        _("bukan kode area katalog %(year)d (%(codes)s).")
                        % {"year": year, "codes": ", ".join(_codes(plan.catalogue))},
                    )
                )
        if pemda is None:
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
        if score is not None:
            plan.rows.append(ResultRow(row.line, pemda, score, areas, rank))
    if not table.rows:
        problems.append(Problem(2, None, _("tidak ada baris data.")))
    years = [plans[y] for y in sorted(plans)]
    in_province: dict[int, int] = {}
    for p in pemdas.values():
        if p.kind != Pemda.Kind.PROVINSI:
            in_province[p.province_id] = in_province.get(p.province_id, 0) + 1
    for plan in years:
        _compare(plan)
        given: dict[int, int] = {}
        for r in plan.rows:
            if r.pemda.kind != Pemda.Kind.PROVINSI:
                given[r.pemda.province_id] = given.get(r.pemda.province_id, 0) + 1
        names = {r.pemda.province_id: r.pemda.province.name for r in plan.rows}
        plan.incomplete = sorted(
            (names[pid], n, in_province[pid]) for pid, n in given.items() if n < in_province[pid]
        )
    return ResultsPlan(
        years, sorted(problems, key=lambda p: (p.line, p.column.index if p.column else -1))
    )


def _codes(catalogue: CatalogueVersion | None) -> list[str]:
    return list(catalogue.areas.values_list("code", flat=True)) if catalogue else []


def _year_plan(
    year: int,
    extra: list[Column],
    catalogues: dict[int, CatalogueVersion | None],
    known: dict[str, str],
) -> YearPlan:
    catalogue = (
        CatalogueVersion.objects.filter(year=year).order_by("-version").first()
        if year not in catalogues
        else catalogues[year]
    )
    catalogues[year] = catalogue
    areas: list[AreaColumn] = []
    if catalogue is not None:
        by_code = {a.code.upper(): a for a in catalogue.areas.all()}
        for column in extra:
            found = by_code.get(column.title.strip().upper())
            if found is not None:
                areas.append(AreaColumn(column, found.code, found.name_id))
    else:
        taken: set[str] = set()
        for column in extra:
            if column.title:
                code = _free_area_code(column.title, known, taken)
                taken.add(code)
                areas.append(AreaColumn(column, code, column.title.strip()))
    return YearPlan(year, catalogue, areas)


def _compare(plan: YearPlan) -> None:
    plan.previous = (
        ScoreSnapshot.objects.filter(year=plan.year, state=ScoreSnapshot.State.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if plan.previous is None:
        return
    before = dict(
        PemdaScore.objects.filter(snapshot=plan.previous, termin=YEAR).values_list(
            "pemda_id", "verified_score"
        )
    )
    now = {r.pemda.pk: r.score for r in plan.rows}
    plan.added = len(now.keys() - before.keys())
    plan.dropped = len(before.keys() - now.keys())
    plan.changed = sum(1 for pk in now.keys() & before.keys() if now[pk] != before[pk])


def award_rule(name: str) -> str:
    """An announced award's code, unique with its category and Pemda like a computed rule's."""
    return ("diumumkan-" + slugify(name))[:50]


@dataclass(frozen=True)
class AwardRow:
    line: int
    year: int
    name: str
    category: str  # a Pemda kind or a province code, like computed awards
    pemda: Pemda
    rank: int | None
    handed_over_on: date | None
    event: str


@dataclass
class AwardsPlan:
    rows: list[AwardRow]
    problems: list[Problem]
    # Per year: the published version the awards join, and how many announced awards it has now.
    targets: dict[int, ScoreSnapshot] = field(default_factory=dict)
    replaced: dict[int, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        lines = []
        for year, snapshot in sorted(self.targets.items()):
            count = sum(1 for r in self.rows if r.year == year)
            lines.append(
                _(
                    "%(year)d: %(count)d penghargaan diumumkan, pada skor terbitan versi "
                    "%(version)d (menggantikan %(replaced)d yang dimuat sebelumnya)."
                )
                % {
                    "year": year,
                    "count": count,
                    "version": snapshot.version,
                    "replaced": self.replaced.get(year, 0),
                }
            )
        return lines


def _category(
    row: Row, column: Column, pemda: Pemda | None, provinces: set[str], problems: list[Problem]
) -> str | None:
    text = row.cell(column).strip()
    kind = KINDS.get(text.lower())
    if kind is not None:
        return kind
    if text in provinces:
        if pemda is not None and pemda.province.code != text:
            problems.append(
                Problem(
                    row.line,
                    column,
                    _("%(pemda)s tidak berada di provinsi %(code)s.")
                    % {"pemda": pemda.name, "code": text},
                )
            )
        return text
    problems.append(
        Problem(
            row.line,
            column,
            _("kategori “%(text)s”: tulis provinsi, kabupaten, kota, atau kode provinsi (mis. 33).")
            % {"text": text},
        )
    )
    return None


def read_awards(table: Table) -> AwardsPlan:
    required = ("tahun", "penghargaan", "kategori", "kode_pemda")
    problems = missing_columns(table, required) + table.repeated_columns()
    if problems:
        return AwardsPlan([], problems)
    year_col, name_col, category_col, code_col = (table.present(k) for k in required)
    rank_col, date_col, event_col = (table.column(k) for k in ("peringkat", "tanggal", "acara"))
    pemdas = {p.code: p for p in Pemda.objects.select_related("province")}
    provinces = {p.province.code for p in pemdas.values()}
    plan = AwardsPlan([], problems)
    seen: dict[tuple[int, str, str, str], int] = {}
    for row in table.rows:
        year = year_cell(row, year_col, problems, first=FIRST_YEAR)
        pemda = pemda_cell(row, code_col, pemdas, problems)
        name = row.cell(name_col)
        if not name:
            problems.append(Problem(row.line, name_col, _("nama penghargaan kosong.")))
        elif len(name) > 200:
            problems.append(
                Problem(row.line, name_col, _("nama penghargaan lebih dari 200 huruf."))
            )
            name = ""
        category = _category(row, category_col, pemda, provinces, problems)
        rank = _rank(row, rank_col, problems)
        handed: date | None = None
        if date_col is not None and row.cell(date_col):
            try:
                handed = parse_date_text(row.cell(date_col))
            except DateNotUnderstood:
                problems.append(
                    Problem(
                        row.line,
                        date_col,
                        _("“%(text)s” bukan tanggal (tulis seperti 27-03-2024).")
                        % {"text": row.cell(date_col)},
                    )
                )
        if year is not None and year not in plan.targets:
            snapshot = (
                ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.PUBLISHED)
                .order_by("-version")
                .first()
            )
            if snapshot is None:
                problems.append(
                    Problem(
                        row.line,
                        year_col,
                        _("belum ada skor terbitan %(year)d: muat hasilnya lebih dulu.")
                        % {"year": year},
                    )
                )
            else:
                plan.targets[year] = snapshot
                plan.replaced[year] = Award.objects.filter(
                    snapshot=snapshot, announced=True
                ).count()
        if handed is not None and year is not None and handed.year <= year and date_col is not None:
            # Awards for year N are handed over in N+1 or later (docs/domain/mcp.md).
            problems.append(
                Problem(
                    row.line,
                    date_col,
                    _(
                        "penghargaan tahun %(year)d diserahkan pada tahun berikutnya atau sesudahnya."
                    )
                    % {"year": year},
                )
            )
        if year is None or pemda is None or not name or category is None:
            continue
        # Two spellings of one name ("Terbaik I", "Terbaik-I") are one award.
        key = (year, award_rule(name), category, pemda.code)
        if key in seen:
            problems.append(
                Problem(
                    row.line,
                    code_col,
                    _("penghargaan yang sama sudah ada di baris %(line)d.") % {"line": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        event = row.cell(event_col) if event_col is not None else ""
        if len(event) > 300:
            problems.append(Problem(row.line, event_col, _("acara lebih dari 300 huruf.")))
            continue
        plan.rows.append(AwardRow(row.line, year, name, category, pemda, rank, handed, event))
    if not table.rows:
        problems.append(Problem(2, None, _("tidak ada baris data.")))
    plan.problems = sorted(problems, key=lambda p: (p.line, p.column.index if p.column else -1))
    return plan
