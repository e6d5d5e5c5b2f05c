"""Reading a Pemda's staff list (the HR office's spreadsheet) into a plan of what loading it
would change. Nothing here writes: the plan is shown as a dry run, and
`staff_services.staff_import` loads it only when it holds no problem.

One row per civil servant (ASN), with the columns HR offices write: `nip`, `nama`, `email`,
`opd` (or `unit kerja`), optionally `jabatan` and `nip atasan` (case and spaces do not matter).

- A NIP is 18 digits; spaces (as printed on a card: "19800101 200501 1 001") and Excel's text
  mark (a leading ') are dropped. A NIP Excel kept as a number comes back whole when it was typed
  whole; one Excel rounded (it keeps 15 digits) ends in 000, which no NIP does, and is refused
  saying so.
- The OPD is matched by name or short name among the Pemda's active OPD, ignoring case and
  spaces.
- The superior's NIP must be in the same file: the file is the whole staff list, so a superior
  missing from it would be marked as left by this very import. Empty is the top official.
  Superiors may not form a loop; each loop is reported once, with its lines.
- A NIP already belonging to an employee of another Pemda is refused: moving staff between
  Pemda is a later feature.

docs/conventions/inputs.md, "Tables people upload"; cegah/mcp/history.py is the model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from cegah.core.errors import DomainError
from cegah.core.tables import Column, Problem, Row, StreamedTable, Table
from cegah.regions.models import Opd, Pemda

from .models import Employee, User

# What each column may be titled (after cegah.core.tables.header_key: lower case, spaces as _).
TITLES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip_pegawai", "nip_baru"),
    "name": ("nama", "nama_lengkap", "nama_pegawai"),
    "email": ("email", "e_mail", "surel", "alamat_email"),
    "opd": ("opd", "unit_kerja", "perangkat_daerah", "skpd", "nama_opd"),
    "position": ("jabatan", "nama_jabatan"),
    "superior": ("nip_atasan", "nip_atasan_langsung", "atasan", "atasan_langsung"),
}
REQUIRED = ("nip", "name", "email", "opd")
NIP = re.compile(r"\d{18}")
# Rows are checked against the database, and loaded, this many at a time: a fixed number of
# queries per chunk, and only a chunk's rows in memory (SQLite and PostgreSQL's planner also
# prefer bounded IN lists).
CHUNK = 500

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def nip_normalised(text: str) -> str:
    """ "19800101 200501 1 001" → "198001012005011001"; Excel's text mark and a number's ".0"
    (a NIP kept as a number) go too. What remains is checked, not guessed."""
    text = re.sub(r"\s+", "", text.replace("\u00a0", " ")).removeprefix("'")
    return text.removesuffix(".0") if re.fullmatch(r"\d+\.0", text) else text


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class StaffRow:
    line: int
    nip: str
    name: str
    email: str  # lower case
    opd: Opd
    position: str
    superior_nip: str  # "" for the top official


@dataclass(frozen=True)
class Columns:
    nip: Column
    name: Column
    email: Column
    opd: Column
    position: Column | None
    superior: Column | None


# An employee as the plan compares it: nip, full name, OPD, position, superior's NIP, active,
# invited at, account and its email (values, not model instances: a chunk's worth at a time).
Current = tuple[str, str, int, str, str | None, bool, datetime | None, int, str]
CURRENT_FIELDS = (
    "nip",
    "full_name",
    "opd_id",
    "position",
    "superior__nip",
    "is_active",
    "invited_at",
    "user_id",
    "user__email",
)


@dataclass
class StaffPlan:
    """What loading the file would do; `problems` empty when it may be loaded.

    Only keys are kept for the whole list (each listed NIP with its line and its superior's NIP,
    each email with its line), since duplicates, loops and leavers are questions about the whole
    list; everything else is read from the file a chunk at a time, when checking and again when
    loading (`staff_rows`)."""

    pemda: Pemda
    problems: list[Problem] = field(default_factory=list)
    columns: Columns | None = None
    opds: dict[str, Opd] = field(default_factory=dict)
    # Listed NIP → its line and its superior's NIP ("" for the top official).
    lines: dict[str, int] = field(default_factory=dict)
    superior_of: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    returning: int = 0
    # NIP of the active employees the file does not list.
    leaving: list[str] = field(default_factory=list)
    invitations: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "returning": self.returning,
            "leaving": len(self.leaving),
            "invitations": self.invitations,
        }


def _missing(table: Table | StreamedTable) -> list[Problem]:
    problems = []
    for key in REQUIRED:
        if not any(table.column(title) for title in TITLES[key]):
            problems.append(
                Problem(
                    1,
                    None,
                    _(
                        "kolom “%(title)s” tidak ada. Baris pertama harus memuat nip, nama, "
                        "email, opd (atau unit kerja); boleh juga jabatan dan nip atasan."
                    )
                    % {"title": TITLES[key][0]},
                )
            )
    return problems


def _column(table: Table | StreamedTable, key: str) -> Column | None:
    return next((c for title in TITLES[key] if (c := table.column(title)) is not None), None)


def _columns(table: Table | StreamedTable) -> Columns:
    """The columns, once _missing has found the required ones there."""
    found = {key: _column(table, key) for key in TITLES}
    nip, name, email, opd = (found[key] for key in REQUIRED)
    if nip is None or name is None or email is None or opd is None:
        raise KeyError("columns")
    return Columns(nip, name, email, opd, found["position"], found["superior"])


def _opd_lookup(pemda: Pemda) -> dict[str, Opd]:
    """Active OPD by name and by short name, case and spaces ignored; a name wins over another
    OPD's short name."""
    opds = list(Opd.objects.filter(pemda=pemda, is_active=True))
    found: dict[str, Opd] = {}
    for opd in opds:
        if opd.short_name:
            found[_words(opd.short_name)] = opd
    for opd in opds:
        found[_words(opd.name)] = opd
    return found


def _nip_problem(nip: str, *, superior: bool) -> str | None:
    if NIP.fullmatch(nip):
        if nip.endswith("000"):
            return _(
                "NIP %(nip)s berakhir 000: Excel menyimpannya sebagai angka dan membulatkannya "
                "(Excel hanya menyimpan 15 angka). Jadikan kolom ini Teks lalu ketik ulang NIP."
            ) % {"nip": nip}
        return None
    digits = sum(ch.isdigit() for ch in nip)
    what = _("NIP atasan") if superior else _("NIP")
    return _("%(what)s “%(nip)s” bukan 18 angka (%(count)d angka).") % {
        "what": what,
        "nip": nip,
        "count": digits,
    }


def _loops(superior_of: dict[str, str], lines: dict[str, int]) -> list[list[str]]:
    """Each loop of superiors once (as NIPs), starting at its first line (a walk per row, each
    row walked once: linear in the rows)."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    loops: list[list[str]] = []
    for start in superior_of:
        path: list[str] = []
        nip = start
        while nip in superior_of and state.get(nip) is None:
            state[nip] = 1
            path.append(nip)
            nip = superior_of[nip]
        if nip in superior_of and state.get(nip) == 1:
            members = path[path.index(nip) :]
            first = min(range(len(members)), key=lambda i: lines[members[i]])
            loops.append(members[first:] + members[:first])
        for n in path:
            state[n] = 2
    return sorted(loops, key=lambda loop: lines[loop[0]])


@dataclass(frozen=True)
class Parsed:
    """A row read alone: its problems, and the keys the whole-list checks need (each "" when
    the cell is empty or refused)."""

    row: StaffRow | None  # None when the row has a problem
    problems: list[Problem]
    nip: str
    email: str
    superior: str


def _parse(row: Row, columns: Columns, opds: dict[str, Opd], pemda: Pemda) -> Parsed:
    """A row's own values and their problems, by line and column (what needs no other row)."""
    problems: list[Problem] = []
    line = row.line
    nip = nip_normalised(row.cell(columns.nip))
    if not nip:
        problems.append(Problem(line, columns.nip, _("NIP kosong.")))
    elif (message := _nip_problem(nip, superior=False)) is not None:
        problems.append(Problem(line, columns.nip, message))
    name = " ".join(row.cell(columns.name).split())
    if not name:
        problems.append(Problem(line, columns.name, _("nama kosong.")))
    elif len(name) > 150:
        problems.append(Problem(line, columns.name, _("nama lebih dari 150 huruf.")))
    email = row.cell(columns.email).strip().lower()
    if not email:
        problems.append(Problem(line, columns.email, _("email kosong.")))
    else:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(
                Problem(
                    line,
                    columns.email,
                    _("“%(email)s” bukan alamat email.") % {"email": row.cell(columns.email)},
                )
            )
    opd_text = row.cell(columns.opd)
    opd = opds.get(_words(opd_text))
    if opd is None:
        problems.append(
            Problem(
                line,
                columns.opd,
                _("OPD “%(opd)s” tidak ada di antara OPD aktif %(pemda)s.")
                % {"opd": opd_text, "pemda": pemda}
                if opd_text
                else _("OPD kosong."),
            )
        )
    position = " ".join(row.cell(columns.position).split()) if columns.position else ""
    if len(position) > 200:
        problems.append(Problem(line, columns.position, _("jabatan lebih dari 200 huruf.")))
    superior = nip_normalised(row.cell(columns.superior)) if columns.superior else ""
    if superior:
        if (message := _nip_problem(superior, superior=True)) is not None:
            problems.append(Problem(line, columns.superior, message))
        elif superior == nip:
            problems.append(
                Problem(line, columns.superior, _("atasan tidak boleh dirinya sendiri."))
            )
    keys = {
        "nip": nip if nip and not any(p.column == columns.nip for p in problems) else "",
        "email": email if email and not any(p.column == columns.email for p in problems) else "",
        "superior": superior
        if superior and not any(p.column == columns.superior for p in problems)
        else "",
    }
    if problems or opd is None:
        return Parsed(None, problems, **keys)
    return Parsed(StaffRow(line, nip, name, email, opd, position, superior), problems, **keys)


def staff_plan(*, pemda: Pemda, table: Table | StreamedTable) -> StaffPlan:
    """Every problem of the file, by line and column, and what loading it would change. The
    file is walked once; its rows are compared with the database a chunk at a time (a fixed
    number of queries per 500 rows)."""
    plan = StaffPlan(pemda=pemda)
    plan.problems = _missing(table) + table.repeated_columns()
    if plan.problems:
        return plan
    columns = plan.columns = _columns(table)
    plan.opds = _opd_lookup(pemda)
    problems = plan.problems
    emails: dict[str, int] = {}
    # Rows (with a problem of their own) naming a superior not listed before them: checked
    # once the whole list is known.
    pending: list[tuple[int, str]] = []
    chunk: list[StaffRow] = []
    for row in table.rows:
        parsed = _parse(row, columns, plan.opds, pemda)
        problems.extend(parsed.problems)
        duplicate = False
        if parsed.nip:
            if parsed.nip in plan.lines:
                duplicate = True
                problems.append(
                    Problem(
                        row.line,
                        columns.nip,
                        _("NIP %(nip)s sudah ada di baris %(line)d.")
                        % {"nip": parsed.nip, "line": plan.lines[parsed.nip]},
                    )
                )
            else:
                plan.lines[sys.intern(parsed.nip)] = row.line
        if parsed.email:
            if parsed.email in emails:
                duplicate = True
                problems.append(
                    Problem(
                        row.line,
                        columns.email,
                        _("email %(email)s sudah dipakai di baris %(line)d.")
                        % {"email": parsed.email, "line": emails[parsed.email]},
                    )
                )
            else:
                emails[parsed.email] = row.line
        if parsed.row is not None and not duplicate:
            # Interned: a superior's NIP is the same string as their own row's key.
            plan.superior_of[sys.intern(parsed.nip)] = sys.intern(parsed.row.superior_nip)
            plan.rows += 1
            chunk.append(parsed.row)
            if len(chunk) == CHUNK:
                _against_database(plan, columns, chunk)
                chunk = []
        elif parsed.superior and parsed.superior not in plan.lines:
            pending.append((row.line, parsed.superior))
    if chunk:
        _against_database(plan, columns, chunk)
    missing = [
        (line, superior)
        for line, superior in pending
        + [(plan.lines[nip], sup) for nip, sup in plan.superior_of.items() if sup]
        if superior not in plan.lines
    ]
    for line, superior in missing:
        problems.append(
            Problem(
                line,
                columns.superior,
                _(
                    "NIP atasan %(nip)s tidak ada dalam berkas ini. Atasan harus ikut dalam "
                    "daftar pegawai yang sama (kosongkan untuk pimpinan tertinggi)."
                )
                % {"nip": superior},
            )
        )
    for loop in _loops(plan.superior_of, plan.lines):
        lines = " → ".join(str(plan.lines[nip]) for nip in [*loop, loop[0]])
        problems.append(
            Problem(
                plan.lines[loop[0]],
                columns.superior,
                _("atasan membentuk lingkaran: baris %(lines)s.") % {"lines": lines},
            )
        )
    problems.sort(key=lambda p: (p.line, p.column.index if p.column else -1))
    if not problems:
        plan.leaving = [
            nip
            for nip in Employee.objects.filter(pemda=pemda, is_active=True)
            .values_list("nip", flat=True)
            .iterator(chunk_size=2000)
            if nip not in plan.lines
        ]
    return plan


def staff_rows(plan: StaffPlan, table: Table | StreamedTable) -> Iterator[list[StaffRow]]:
    """The rows of a file whose plan has no problem, read again, a chunk at a time."""
    if plan.problems or plan.columns is None:
        raise DomainError(_("Berkas ditolak."), code="refused")
    chunk: list[StaffRow] = []
    for row in table.rows:
        parsed = _parse(row, plan.columns, plan.opds, plan.pemda)
        if parsed.row is None:  # the file changed between the check and the load
            raise DomainError(_("Berkas berubah sejak diperiksa."), code="changed")
        chunk.append(parsed.row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _against_database(plan: StaffPlan, columns: Columns, rows: list[StaffRow]) -> None:
    """What a chunk of rows meets in the database (three queries): the Pemda's employees with
    these NIP, the same NIP in another Pemda, accounts with the same email; and what loading
    them would change."""
    nips = [r.nip for r in rows]
    current: dict[str, Current] = {
        values[0]: values
        for values in Employee.objects.filter(pemda=plan.pemda, nip__in=nips).values_list(
            *CURRENT_FIELDS
        )
    }
    new_nips = [nip for nip in nips if nip not in current]
    for nip, pemda_name in Employee.objects.filter(nip__in=new_nips).values_list(
        "nip", "pemda__name"
    ):
        plan.problems.append(
            Problem(
                plan.lines[nip],
                columns.nip,
                _(
                    "NIP %(nip)s terdaftar sebagai pegawai %(pemda)s. Perpindahan pegawai "
                    "antar-Pemda belum dapat dilakukan di Cegah (fitur berikutnya); minta "
                    "Pemda itu mencatatnya keluar lebih dulu, atau hubungi Koordinator."
                )
                % {"nip": nip, "pemda": pemda_name},
            )
        )
    holders = {
        email: (pk, str(full_name or email), employee_nip, employee_name)
        for email, pk, full_name, employee_nip, employee_name in User.objects.annotate(
            email_lower=Lower("email")
        )
        .filter(email_lower__in=[r.email for r in rows])
        .values_list("email_lower", "pk", "full_name", "employee__nip", "employee__full_name")
    }
    for r in rows:
        now = current.get(r.nip)
        holder = holders.get(r.email)
        if holder is not None and (now is None or now[7] != holder[0]):
            _pk, holder_name, other_nip, other_name = holder
            if other_nip is not None:
                message = _("email %(email)s sudah dipakai pegawai NIP %(nip)s (%(name)s).") % {
                    "email": r.email,
                    "nip": other_nip,
                    "name": other_name,
                }
                plan.problems.append(Problem(r.line, columns.email, message))
            elif now is not None:
                message = _(
                    "email %(email)s milik akun lain (%(name)s), sedangkan NIP %(nip)s memakai "
                    "%(own)s."
                ) % {"email": r.email, "name": holder_name, "nip": r.nip, "own": now[8]}
                plan.problems.append(Problem(r.line, columns.email, message))
            # else: an account without an employee record (an OPD operator who is also an ASN):
            # the same person, who keeps their roles and gains the Pegawai one.
        if now is None:
            # Each new employee is invited: a new account to set its password, an existing one
            # (someone with another role already) to learn of the Pegawai role.
            plan.created += 1
            plan.invitations += 1
            continue
        if not now[5]:
            plan.returning += 1
        elif staff_row_changes(now, r):
            plan.updated += 1
        else:
            plan.unchanged += 1
        if now[6] is None:
            plan.invitations += 1


def staff_row_changes(current: Current, row: StaffRow) -> list[str]:
    """The fields the row changes on the employee (and its account's email)."""
    _nip, full_name, opd_id, position, superior, _active, _invited, _user, email = current
    changes = []
    if full_name != row.name:
        changes.append("full_name")
    if opd_id != row.opd.pk:
        changes.append("opd")
    if position != row.position:
        changes.append("position")
    if (superior or "") != row.superior_nip:
        changes.append("superior")
    if email.lower() != row.email:
        changes.append("email")
    return changes


def staff_search(text: str) -> Q:
    """A name or NIP search on employees (spaces in a NIP ignored)."""
    nip = nip_normalised(text)
    query = Q(full_name__icontains=text.strip())
    if nip.isdigit():
        query |= Q(nip__startswith=nip)
    return query
