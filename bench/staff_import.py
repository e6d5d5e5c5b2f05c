"""The staff import at a large Pemda's size (issue 27: 8,000 staff in under a minute, memory
flat). `make bench` runs it after bench/run.py; alone: `.venv/bin/python bench/staff_import.py`.

Generates Kota Medan's staff list (8,000 civil servants in 40 OPD, a superior tree five levels
deep) as Excel and as a semicolon CSV, then times, through the same service as the page and the
command: a dry run of the Excel file, the first load of the CSV (8,000 new employees, accounts
and roles), and a re-import of an Excel file in which 5 % moved OPD, 2 % left and 1 % are new.
Each is timed without tracing, then run again under tracemalloc for its peak; the peak at 4,000
and at 8,000 rows says how memory grows with the file. Invitations are timed apart: 8,000 emails
through the background task (to Django's in-memory mailbox).

Database: made afresh each run, SQLite bench/var/staff.sqlite3, or with BENCH_DATABASE_URL a
PostgreSQL database beside it named <its name>_staff.
Writes bench/results/staff_import-<database>.md and .json.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import VAR, configure, fresh_database  # noqa: E402

configure(
    fresh_database("staff"),
    # Queued, not run: the import is timed alone, and the invitation batches are run one by
    # one after.
    TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from cegah.accounts.models import Employee, StaffImport  # noqa: E402
from cegah.accounts.staff_services import staff_import  # noqa: E402
from cegah.accounts.tasks import staff_invitations_send  # noqa: E402
from cegah.core.tables import stream_table  # noqa: E402
from cegah.regions.models import Opd, Pemda  # noqa: E402

PEMDA = "12.71"  # Kota Medan
STAFF = 8_000
OPDS = 40
HEADER = ["NIP", "Nama", "Email", "Unit Kerja", "Jabatan", "NIP Atasan"]


def nip(n: int) -> str:
    # Birth day, appointment month, sex, sequence: 18 digits, never ending 000.
    return f"{1965 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{1990 + n % 30}{1 + n % 12:02d}{1 + n % 2}{1 + n % 999:03d}"


def staff_rows(
    count: int, *, moved: float = 0.0, left: float = 0.0, new: float = 0.0
) -> list[list[str]]:
    """The Sekretaris Daerah, a head per OPD under them, and in each OPD a tree in which everyone
    has up to five subordinates (five levels deep at 8,000)."""
    nips: list[str] = []
    seen: set[str] = set()
    n = 0
    while len(nips) < count + int(count * new):
        candidate = nip(n)
        n += 1
        if candidate not in seen:
            seen.add(candidate)
            nips.append(candidate)
    rows = [[nips[0], "Sekretaris Daerah", "p0@medan.test", "OPD 00", "Sekda", ""]]
    for i in range(1, count):
        level, opd = divmod(i - 1, OPDS)  # the i-th person is the level-th of their OPD
        superior = 0 if level == 0 else (level - 1) // 5 * OPDS + opd + 1
        rows.append(
            [
                nips[i],
                f"Pegawai {i}",
                f"p{i}@medan.test",
                f"OPD {opd:02d}",
                "Analis",
                nips[superior],
            ]
        )
    if moved:
        for row in rows[1 :: round(1 / moved)]:
            row[3] = f"OPD {(int(row[3][4:]) + 1) % OPDS:02d}"
    if left:
        # The last rows are the lowest level: nobody reports to those who leave.
        rows = rows[: count - int(count * left)]
    for i in range(count, count + int(count * new)):
        rows.append([nips[i], f"Pegawai {i}", f"p{i}@medan.test", "OPD 01", "Analis", nips[1]])
    return rows


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(rows: list[list[str]]) -> bytes:
    return ("\ufeff" + "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n").encode()


def run(content: bytes, name: str, *, dry_run: bool) -> StaffImport:
    record, _plan = staff_import(
        actor=None,
        pemda=Pemda.objects.get(code=PEMDA),
        table=stream_table(content, filename=name),
        file_name=name,
        file_sha256=hashlib.sha256(content).hexdigest(),
        dry_run=dry_run,
        via="bench/staff_import.py",
    )
    return record


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak_mb(fn: Callable[[], Any]) -> float:
    # Garbage of an earlier step collected first: a collection that happens to fall inside the
    # traced run would otherwise move its peak by megabytes.
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def reset() -> None:
    """An empty Pemda again: the employees of an earlier pass, their accounts and roles."""
    from cegah.accounts.models import RoleAssignment, User

    medan = Pemda.objects.get(code=PEMDA)
    users = list(Employee.objects.filter(pemda=medan).values_list("user_id", flat=True))
    Employee.objects.filter(pemda=medan).update(superior=None)
    Employee.objects.filter(pemda=medan).delete()
    RoleAssignment.objects.filter(pemda=medan).delete()
    User.objects.filter(pk__in=users).delete()
    StaffImport.objects.filter(pemda=medan).delete()


def main() -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    call_command("audit_key", "init", verbosity=0)
    call_command("load_regions", verbosity=0)
    medan = Pemda.objects.get(code=PEMDA)
    for i in range(OPDS):
        Opd.objects.get_or_create(
            pemda=medan, name=f"OPD {i:02d}", defaults={"short_name": f"O{i:02d}"}
        )
    reset()
    first = staff_rows(STAFF)
    again = staff_rows(STAFF, moved=0.05, left=0.02, new=0.01)
    files = {
        "first.xlsx": xlsx(first),
        "first.csv": csv(first),
        "again.xlsx": xlsx(again),
        "half.xlsx": xlsx(staff_rows(STAFF // 2)),
        "half.csv": csv(staff_rows(STAFF // 2)),
    }
    for name, content in files.items():
        (VAR / f"staff-{name}").write_bytes(content)
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "when": datetime.now(UTC).isoformat(),
        "rows": STAFF,
        "files_kb": {name: len(content) // 1024 for name, content in files.items()},
    }
    steps: dict[str, dict[str, Any]] = {}
    seconds, record = timed(lambda: run(files["first.xlsx"], "first.xlsx", dry_run=True))
    steps["dry run (xlsx, 8,000 new)"] = {"s": round(seconds, 2), "created": record.created}
    seconds, record = timed(lambda: run(files["first.csv"], "first.csv", dry_run=False))
    steps["first import (csv, 8,000 new)"] = {"s": round(seconds, 2), "created": record.created}
    seconds, record = timed(lambda: run(files["again.xlsx"], "again.xlsx", dry_run=False))
    steps["re-import (xlsx: 5 % moved, 2 % left, 1 % new)"] = {
        "s": round(seconds, 2),
        "created": record.created,
        "updated": record.updated,
        "unchanged": record.unchanged,
        "leaving": record.leaving,
    }
    seconds, record = timed(lambda: run(files["again.xlsx"], "again.xlsx", dry_run=False))
    steps["re-import, nothing changed (xlsx)"] = {
        "s": round(seconds, 2),
        "unchanged": record.unchanged,
    }
    figures["steps"] = steps
    print(steps, flush=True)
    # Memory: the same work traced (slower), at half and at full size, each from an empty
    # Pemda: the first load, a dry run of the same list as CSV and as Excel, and a re-import.
    # What grows from half to full is what the import keeps per row.
    peaks: dict[str, float] = {}
    for rows, suffix in (("4,000", "half"), ("8,000", "first")):
        reset()
        peaks[f"first import, {rows} rows (csv)"] = peak_mb(
            lambda suffix=suffix: run(files[f"{suffix}.csv"], f"{suffix}.csv", dry_run=False)  # type: ignore[misc]
        )
        for kind in ("csv", "xlsx"):
            # The lower of two: the first traced Excel read of a process once cost 5 MB more
            # (something openpyxl or the zip reader sets up once), which is not the import's.
            peaks[f"dry run, {rows} rows ({kind})"] = min(
                peak_mb(
                    lambda name=f"{suffix}.{kind}": run(files[name], name, dry_run=True)  # type: ignore[misc]
                )
                for _ in range(2)
            )
        peaks[f"re-import, {rows} rows (xlsx)"] = peak_mb(
            lambda suffix=suffix: run(files[f"{suffix}.xlsx"], f"{suffix}.xlsx", dry_run=False)  # type: ignore[misc]
        )
    figures["peak_mb"] = peaks
    figures["bytes_per_row"] = {
        step: round((peaks[step.replace("4,000", "8,000")] - mb) * 2**20 / (STAFF - STAFF // 2))
        for step, mb in peaks.items()
        if "4,000" in step
    }
    print(figures["peak_mb"], flush=True)
    record = StaffImport.objects.filter(dry_run=False).latest("pk")
    queued = staff_invitations_send.get_backend()
    queued.clear()  # type: ignore[attr-defined]

    def invite() -> None:
        # Each batch queues the next (on the dummy backend here): run them as a worker would.
        staff_invitations_send.call(record.pk)
        while queued.results:  # type: ignore[attr-defined]
            task = queued.results.pop(0)  # type: ignore[attr-defined]
            staff_invitations_send.call(*task.args, **task.kwargs)

    seconds, _ = timed(invite)
    record.refresh_from_db()
    figures["invitations"] = {
        "s": round(seconds, 1),
        "sent": record.invitations_sent,
        "failed": record.invitations_failed,
        "emails": len(mail.outbox),
    }
    write(figures)


def write(figures: dict[str, Any]) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"staff_import-{figures['database']}"
    (out / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    lines = [
        f"# Staff import on {figures['database']}",
        "",
        f"Kota Medan, {figures['rows']:,} civil servants in {OPDS} OPD; files "
        + ", ".join(f"{n} {kb} KB" for n, kb in figures["files_kb"].items())
        + f". Measured {figures['when'][:16]} UTC. Goal: under 60 s each, memory flat.",
        "",
        "| step | seconds | what it did |",
        "|---|---|---|",
    ]
    for step, f in figures["steps"].items():
        did = ", ".join(f"{k} {v:,}" for k, v in f.items() if k != "s")
        lines.append(f"| {step} | {f['s']} | {did} |")
    inv = figures["invitations"]
    lines.append(
        f"| invitations (background task, in-memory mailbox) | {inv['s']} | sent {inv['sent']:,}, failed {inv['failed']} |"
    )
    lines += ["", "| traced peak memory | MB |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in figures["peak_mb"].items()]
    lines += ["", "| growth from 4,000 to 8,000 rows | bytes per row |", "|---|---|"]
    lines += [
        f"| {k.replace(', 4,000 rows', '')} | {v:,} |" for k, v in figures["bytes_per_row"].items()
    ]
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
