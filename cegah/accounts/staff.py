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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from cegah.core.tables import Column, Problem, Table
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
# What a plan reads of the Pemda's employees and their accounts.
EMPLOYEE_FIELDS = (
    "nip",
    "full_name",
    "opd",
    "position",
    "superior",
    "is_active",
    "left_at",
    "invited_at",
    "user",
    "pemda",
    "updated_at",
)
USER_FIELDS = ("email", "full_name", "nip")
NIP = re.compile(r"\d{18}")
# IN lists are read in chunks: SQLite (and PostgreSQL's planner) prefer bounded parameter lists.
CHUNK = 2000

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


@dataclass
class StaffPlan:
    """What loading the file would do; `problems` empty when it may be loaded."""

    pemda: Pemda
    rows: list[StaffRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The Pemda's employees as they are now, by NIP (active and left), with their accounts.
    existing: dict[str, Employee] = field(default_factory=dict)
    # Accounts matched by email (lower case) for NIP not yet known here.
    accounts: dict[str, User] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    returning: int = 0
    leaving: list[Employee] = field(default_factory=list)
    invitations: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "returning": self.returning,
            "leaving": len(self.leaving),
            "invitations": self.invitations,
        }


def _missing(table: Table) -> list[Problem]:
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


def _column(table: Table, key: str) -> Column | None:
    return next((c for title in TITLES[key] if (c := table.column(title)) is not None), None)


def _present(table: Table, key: str) -> Column:
    """A column _missing has checked is there."""
    found = _column(table, key)
    if found is None:
        raise KeyError(key)
    return found


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


def _loops(rows: Iterable[StaffRow]) -> list[list[StaffRow]]:
    """Each loop of superiors once, starting at its first line (a walk per row, each row walked
    once: linear in the rows)."""
    by_nip = {r.nip: r for r in rows}
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    loops: list[list[StaffRow]] = []
    for start in by_nip:
        path: list[str] = []
        nip = start
        while nip in by_nip and state.get(nip) is None:
            state[nip] = 1
            path.append(nip)
            nip = by_nip[nip].superior_nip
        if nip in by_nip and state.get(nip) == 1:
            members = [by_nip[n] for n in path[path.index(nip) :]]
            first = min(range(len(members)), key=lambda i: members[i].line)
            loops.append(members[first:] + members[:first])
        for n in path:
            state[n] = 2
    return sorted(loops, key=lambda loop: loop[0].line)


def staff_plan(*, pemda: Pemda, table: Table) -> StaffPlan:
    """Every problem of the file, by line and column, and what loading it would change. A fixed
    number of queries whatever the file's length (chunks of 2,000 rows aside)."""
    plan = StaffPlan(pemda=pemda)
    plan.problems = _missing(table) + table.repeated_columns()
    if plan.problems:
        return plan
    nip_col, name_col, email_col, opd_col = (_present(table, key) for key in REQUIRED)
    position_col, superior_col = _column(table, "position"), _column(table, "superior")
    opds = _opd_lookup(pemda)
    problems = plan.problems
    seen_nip: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    candidates: list[StaffRow] = []
    superiors: list[tuple[int, str]] = []
    # Every NIP the file holds, also in refused rows: a row's own problem is reported once,
    # not again on each of its subordinates.
    listed = {nip_normalised(row.cell(nip_col)) for row in table.rows}
    for row in table.rows:
        before = len(problems)
        nip = nip_normalised(row.cell(nip_col))
        if not nip:
            problems.append(Problem(row.line, nip_col, _("NIP kosong.")))
        elif (message := _nip_problem(nip, superior=False)) is not None:
            problems.append(Problem(row.line, nip_col, message))
        elif nip in seen_nip:
            problems.append(
                Problem(
                    row.line,
                    nip_col,
                    _("NIP %(nip)s sudah ada di baris %(line)d.")
                    % {"nip": nip, "line": seen_nip[nip]},
                )
            )
        else:
            seen_nip[nip] = row.line
        name = " ".join(row.cell(name_col).split())
        if not name:
            problems.append(Problem(row.line, name_col, _("nama kosong.")))
        elif len(name) > 150:
            problems.append(Problem(row.line, name_col, _("nama lebih dari 150 huruf.")))
        email = row.cell(email_col).strip().lower()
        if not email:
            problems.append(Problem(row.line, email_col, _("email kosong.")))
        else:
            try:
                validate_email(email)
                if len(email) > 254:
                    raise ValidationError("too long")
            except ValidationError:
                problems.append(
                    Problem(
                        row.line,
                        email_col,
                        _("“%(email)s” bukan alamat email.") % {"email": row.cell(email_col)},
                    )
                )
            else:
                if email in seen_email:
                    problems.append(
                        Problem(
                            row.line,
                            email_col,
                            _("email %(email)s sudah dipakai di baris %(line)d.")
                            % {"email": email, "line": seen_email[email]},
                        )
                    )
                else:
                    seen_email[email] = row.line
        opd_text = row.cell(opd_col)
        opd = opds.get(_words(opd_text))
        if opd is None:
            problems.append(
                Problem(
                    row.line,
                    opd_col,
                    _("OPD “%(opd)s” tidak ada di antara OPD aktif %(pemda)s.")
                    % {"opd": opd_text, "pemda": pemda}
                    if opd_text
                    else _("OPD kosong."),
                )
            )
        position = " ".join(row.cell(position_col).split()) if position_col else ""
        if len(position) > 200:
            problems.append(Problem(row.line, position_col, _("jabatan lebih dari 200 huruf.")))
        superior = nip_normalised(row.cell(superior_col)) if superior_col else ""
        if superior:
            if (message := _nip_problem(superior, superior=True)) is not None:
                problems.append(Problem(row.line, superior_col, message))
            elif superior == nip:
                problems.append(
                    Problem(row.line, superior_col, _("atasan tidak boleh dirinya sendiri."))
                )
            elif superior not in listed:
                superiors.append((row.line, superior))
        if len(problems) == before and opd is not None:
            candidates.append(StaffRow(row.line, nip, name, email, opd, position, superior))
    for line, superior in superiors:
        problems.append(
            Problem(
                line,
                superior_col,
                _(
                    "NIP atasan %(nip)s tidak ada dalam berkas ini. Atasan harus ikut dalam "
                    "daftar pegawai yang sama (kosongkan untuk pimpinan tertinggi)."
                )
                % {"nip": superior},
            )
        )
    for loop in _loops(candidates):
        lines = " → ".join(str(r.line) for r in [*loop, loop[0]])
        problems.append(
            Problem(
                loop[0].line,
                superior_col,
                _("atasan membentuk lingkaran: baris %(lines)s.") % {"lines": lines},
            )
        )
    plan.rows = candidates
    _against_database(plan, {s.nip: s.line for s in plan.rows}, nip_col, email_col)
    plan.problems.sort(key=lambda p: (p.line, p.column.index if p.column else -1))
    if not plan.problems:
        _count(plan)
    return plan


def _against_database(
    plan: StaffPlan, lines: dict[str, int], nip_col: Column, email_col: Column
) -> None:
    """What the rows meet in the database: the Pemda's employees (one query), NIP held in other
    Pemda and accounts with the same email (a query per 2,000 rows each)."""
    plan.existing = {
        e.nip: e
        # Only what the comparison and the load use: 8,000 full rows with their accounts were
        # most of a re-import's memory.
        for e in Employee.objects.filter(pemda=plan.pemda)
        .select_related("user")
        .only(*EMPLOYEE_FIELDS, *(f"user__{f}" for f in USER_FIELDS))
    }
    new_nips = [nip for nip in lines if nip not in plan.existing]
    for part in chunks(new_nips):
        for nip, pemda_name in Employee.objects.filter(nip__in=part).values_list(
            "nip", "pemda__name"
        ):
            plan.problems.append(
                Problem(
                    lines[nip],
                    nip_col,
                    _(
                        "NIP %(nip)s terdaftar sebagai pegawai %(pemda)s. Perpindahan pegawai "
                        "antar-Pemda belum dapat dilakukan di Cegah (fitur berikutnya); minta "
                        "Pemda itu mencatatnya keluar lebih dulu, atau hubungi Koordinator."
                    )
                    % {"nip": nip, "pemda": pemda_name},
                )
            )
    emails = [r.email for r in plan.rows]
    by_email: dict[str, User] = {}
    for part in chunks(emails):
        for user in (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=part)
            .select_related("employee")
        ):
            by_email[user.email.lower()] = user
    for r in plan.rows:
        holder = by_email.get(r.email)
        current = plan.existing.get(r.nip)
        if holder is None or (current is not None and current.user_id == holder.pk):
            continue  # a new address, or the same person's own
        other = holder.employee if _has_employee(holder) else None
        if other is not None:
            message = _("email %(email)s sudah dipakai pegawai NIP %(nip)s (%(name)s).") % {
                "email": r.email,
                "nip": other.nip,
                "name": other.full_name,
            }
        elif current is None:
            # An account without an employee record (an OPD operator who is also an ASN): the
            # same person, who keeps their roles and gains the Pegawai one.
            plan.accounts[r.email] = holder
            continue
        else:
            message = _(
                "email %(email)s milik akun lain (%(name)s), sedangkan NIP %(nip)s memakai %(own)s."
            ) % {"email": r.email, "name": holder, "nip": r.nip, "own": current.user.email}
        plan.problems.append(Problem(r.line, email_col, message))


def _has_employee(user: User) -> bool:
    try:
        user.employee  # noqa: B018 - loaded by select_related; raises when there is none
    except Employee.DoesNotExist:
        return False
    return True


def _count(plan: StaffPlan) -> None:
    # A superior is always an employee of the same Pemda, so among those already loaded.
    nip_of = {e.pk: nip for nip, e in plan.existing.items()}
    listed = set()
    for r in plan.rows:
        listed.add(r.nip)
        current = plan.existing.get(r.nip)
        if current is None:
            # Each new employee is invited: a new account to set its password, an existing one
            # (someone with another role already) to learn of the Pegawai role.
            plan.created += 1
            plan.invitations += 1
            continue
        if not current.is_active:
            plan.returning += 1
        elif staff_row_changes(current, r, nip_of):
            plan.updated += 1
        else:
            plan.unchanged += 1
        if current.invited_at is None:
            plan.invitations += 1
    plan.leaving = [e for nip, e in plan.existing.items() if e.is_active and nip not in listed]


def staff_row_changes(employee: Employee, row: StaffRow, nip_of: dict[int, str]) -> list[str]:
    """The fields the row changes on the employee (and its account's email)."""
    superior = nip_of.get(employee.superior_id, "") if employee.superior_id else ""
    changes = []
    if employee.full_name != row.name:
        changes.append("full_name")
    if employee.opd_id != row.opd.pk:
        changes.append("opd")
    if employee.position != row.position:
        changes.append("position")
    if superior != row.superior_nip:
        changes.append("superior")
    if employee.user.email.lower() != row.email:
        changes.append("email")
    return changes


def staff_search(text: str) -> Q:
    """A name or NIP search on employees (spaces in a NIP ignored)."""
    nip = nip_normalised(text)
    query = Q(full_name__icontains=text.strip())
    if nip.isdigit():
        query |= Q(nip__startswith=nip)
    return query
