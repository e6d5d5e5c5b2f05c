"""`make loadtest`: a deadline surge against gunicorn + PostgreSQL on this machine's loopback.

300 operators save answers and upload 1-5 MB evidence while verifiers work the queue, for a
bounded time. Reports the error count, p95 under load against idle p95, and checks that every
acknowledged upload is stored with a matching SHA-256. Writes bench/results/loadtest.md/.json.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
VAR.mkdir(exist_ok=True)
URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cegah_load")
HOST, PORT = "127.0.0.1", int(os.environ.get("LOAD_PORT", "8140"))  # loopback only
USERS = int(os.environ.get("LOAD_USERS", "300"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "90"))
RAMP = int(os.environ.get("LOAD_RAMP", "10"))  # new users a second: operators arrive over ~30 s
# Seconds a person spends between actions (reading, finding the file, typing): "low,high".
THINK = os.environ.get("LOAD_THINK", "5,15")
PASSWORD = "beban-uji-2026"  # noqa: S105 - load-test accounts on a throwaway database


# The shipped default, each process's own memory, unless LOAD_CACHE_URL names another (for
# example redis://127.0.0.1:6379/15, emptied before each run; install '.[redis]'). With
# keep-alive a person's requests stay with one process, so its memory serves them well.
CACHE_URL = os.environ.get("LOAD_CACHE_URL", "")
SERVER_ENV = {
    "DATABASE_URL": URL,
    "SECRET_KEY": "load-test-only-secret-key-0123456789-abcdefghij",
    "ENV_FILE": "",
    "DEBUG": "false",
    "HTTPS": "false",
    "TWO_FACTOR_REQUIRED": "false",
    "ALLOWED_HOSTS": HOST,
    "MEDIA_ROOT": str(VAR / "load-media"),
    "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "LOG_LEVEL": "WARNING",
    "AXES_FAILURE_LIMIT": "1000",
}
if CACHE_URL:
    SERVER_ENV["CACHE_URL"] = CACHE_URL
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))


def fresh_database() -> None:
    import psycopg

    name = URL.rsplit("/", 1)[1]
    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    # The previous run's uploads belong to the database just dropped (about 0.4 GB a run).
    shutil.rmtree(SERVER_ENV["MEDIA_ROOT"], ignore_errors=True)


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def prepare() -> dict[str, Any]:
    """100 kabupaten/kota with 3 OPD and an operator each (300 operators), 10 verifiers, the 2025
    catalogue assigned by area, an open termin, and 2,000 items already waiting in the queue."""
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils import timezone

    from cegah.accounts.models import Role, RoleAssignment, User, VerifierAssignment
    from cegah.mcp.models import Answer, IndicatorAssignment, Period, SubIndicator
    from cegah.mcp.services import catalogue_import
    from cegah.regions.models import Opd, Pemda

    call_command("migrate", verbosity=0)
    call_command("audit_key", "init", verbosity=0)
    cache.clear()  # a shared cache (LOAD_CACHE_URL) still holds the dropped database's pages
    call_command("load_regions", verbosity=0)
    catalogue_import(path=ROOT / "data" / "mcp" / "mcp-2024.yaml")  # 2025 maps onto it
    catalogue = catalogue_import(path=ROOT / "data" / "mcp" / "mcp-2025.yaml").catalogue
    now = timezone.now()
    period = Period.objects.create(
        year=2025,
        number=4,
        opens_at=now - timedelta(days=60),
        upload_deadline=now + timedelta(days=2),
        verification_deadline=now + timedelta(days=20),
        state=Period.State.OPEN,
    )
    catalogue.opened_at = now
    catalogue.save()
    pemdas = list(Pemda.objects.exclude(kind="provinsi").order_by("code")[: USERS // 3])
    hashed = make_password(PASSWORD)
    plan: dict[str, Any] = {"password": PASSWORD, "operators": [], "verifiers": []}
    subs = list(
        SubIndicator.objects.filter(indicator__catalogue=catalogue).select_related(
            "indicator__area"
        )
    )
    # Items already waiting for the verifiers; operators work on the others.
    waiting = [s for s in subs if s.answer_type == "yes_no"][:20]
    waiting_ids = {s.pk for s in waiting}
    for pemda in pemdas:
        opds = [Opd.objects.create(pemda=pemda, name=f"OPD {n}") for n in range(3)]
        for index, indicator_id in enumerate(sorted({s.indicator_id for s in subs})):
            IndicatorAssignment.objects.create(
                pemda=pemda,
                indicator_id=indicator_id,
                opd=opds[index % 3],
                assigned_by=User.objects.get_or_create(
                    email="admin@load.test", defaults={"full_name": "Admin", "password": hashed}
                )[0],
            )
        for n, opd in enumerate(opds):
            user = User.objects.create(
                email=f"op{n}.{pemda.code}@load.test", full_name=f"Operator {n}", password=hashed
            )
            RoleAssignment.objects.create(user=user, role=Role.OPERATOR, pemda=pemda, opd=opd)
            mine = [s for i, s in enumerate(sorted({x.indicator_id for x in subs})) if i % 3 == n]
            own = [
                s
                for s in subs
                if s.indicator_id in mine
                and s.indicator.applies_to(pemda.kind)
                and s.pk not in waiting_ids
            ]
            plan["operators"].append(
                {
                    "email": user.email,
                    "pemda": pemda.code,
                    "answerable": [s.pk for s in own if s.answer_type in ("yes_no", "percentage")],
                    "documents": [s.pk for s in own if s.evidence],
                }
            )
    for v in range(10):
        user = User.objects.create(
            email=f"verif{v}@load.test", full_name=f"Verif {v}", password=hashed
        )
        RoleAssignment.objects.create(user=user, role=Role.VERIFIKATOR)
        for pemda in pemdas[v::10]:
            VerifierAssignment.objects.create(verifier=user, pemda=pemda)
        plan["verifiers"].append({"email": user.email})
    # Everyone is already signed in when the surge starts: it measures the work, not 300
    # simultaneous sign-ins (each a deliberately costly Argon2 hash).
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    people = {u.email: u for u in User.objects.filter(email__endswith="@load.test")}
    for account in plan["operators"] + plan["verifiers"]:
        user = people[account["email"]]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        account["session"] = session.session_key
    Answer.objects.bulk_create(
        Answer(
            pemda=p, period=period, sub_indicator=s, value=1, state="submitted", submitted_at=now
        )
        for p in pemdas
        for s in waiting
    )
    return plan


def serve() -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            # The shipped settings: processes, threads and keep-alive as `make run` serves.
            "-c",
            "python:config.gunicorn_conf",
            "--bind",
            f"{HOST}:{PORT}",
            "--timeout",
            "120",
            "--chdir",
            str(ROOT),
        ],
        env={**os.environ, **SERVER_ENV},
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://{HOST}:{PORT}/akun/masuk/", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def swarm(
    name: str,
    users: int,
    seconds: int,
    plan_file: Path,
    acked: Path,
    think: str = THINK,
    locustfile: str = "locustfile",
    ramp: int = RAMP,
) -> dict[str, Any]:
    prefix = VAR / f"load-{name}"
    subprocess.run(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / f"{locustfile}.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(min(users, ramp)),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://{HOST}:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
        ],
        env={
            **os.environ,
            "LOAD_PLAN": str(plan_file),
            "LOAD_ACKED": str(acked),
            "LOAD_THINK": think,
        },
        check=True,
    )
    with Path(f"{prefix}_stats.csv").open(newline="") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    total = rows["Aggregated"]
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "by_request": {
            k: {
                "count": int(v["Request Count"]),
                "errors": int(v["Failure Count"]),
                "p95_ms": float(v["95%"]),
            }
            for k, v in rows.items()
            if k != "Aggregated"
        },
    }


def verify(acked: Path) -> dict[str, int]:
    from cegah.uploads.models import StoredFile

    lines = [line.split() for line in acked.read_text().splitlines() if line.strip()]
    stored = matching = 0
    for pemda, digest in lines:
        kept = StoredFile.objects.filter(purpose="mcp.evidence", scope=pemda, sha256=digest).first()
        if kept is None:
            continue
        stored += 1
        with kept.file.open("rb") as f:
            matching += hashlib.sha256(f.read()).hexdigest() == digest
    return {"acknowledged": len(lines), "stored": stored, "sha256_matching": matching}


def main() -> None:
    from config import gunicorn_conf

    fresh_database()
    plan = prepare()
    plan_file = VAR / "load-plan.json"
    plan_file.write_text(json.dumps(plan))
    acked = VAR / "load-acked.txt"
    acked.write_text("")
    server = serve()
    try:
        for _ in range(5):  # warm the workers: the idle figure is not a cold start
            urllib.request.urlopen(f"http://{HOST}:{PORT}/akun/masuk/", timeout=10)
        # Idle: one person with no think time, so the figure has enough requests to mean much.
        idle = swarm("idle", 1, 30, plan_file, acked, think="0.2,0.5")
        busy_before, total_before = cpu_ticks()
        surge = swarm("surge", USERS, SECONDS, plan_file, acked)
        busy_after, total_after = cpu_ticks()
        surge["cpu_busy"] = round((busy_after - busy_before) / (total_after - total_before), 2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    uploads = verify(acked)
    figures = {
        "idle": idle,
        "surge": surge,
        "uploads": uploads,
        "p95_ratio": round(surge["p95_ms"] / max(idle["p95_ms"], 1), 1),
    }
    out = ROOT / "bench" / "results"
    (out / "loadtest.json").write_text(json.dumps(figures, indent=2) + "\n")
    lines = [
        f"# Deadline surge on PostgreSQL (gunicorn {gunicorn_conf.workers} workers x "
        f"{gunicorn_conf.threads} threads, loopback)",
        "",
        f"Users arrive at {RAMP} a second, already signed in, and wait {THINK.replace(',', ' to ')} s "
        "between actions; locust runs on the same 2 cores as the server. Fragment cache: "
        + (
            f"`{CACHE_URL}`, shared by the processes."
            if CACHE_URL
            else "each process's own memory (the default)."
        ),
        "",
        f"The machine's CPU was {surge['cpu_busy']:.0%} busy during the surge (server, "
        "PostgreSQL and locust together).",
        "",
        f"{surge['users']} users for {surge['seconds']} s: {surge['requests']} requests, "
        f"**{surge['errors']} errors** (goal 0).",
        "",
        f"p95 under load {surge['p95_ms']:.0f} ms against idle p95 {idle['p95_ms']:.0f} ms: "
        f"**{figures['p95_ratio']}x** (goal ≤ 5x).",
        "",
        f"Uploads acknowledged: {uploads['acknowledged']}; stored: {uploads['stored']}; "
        f"SHA-256 matching: **{uploads['sha256_matching']}**.",
        "",
        "| request | count | errors | p95 ms |",
        "|---|---|---|---|",
        *[
            f"| {k} | {v['count']} | {v['errors']} | {v['p95_ms']:.0f} |"
            for k, v in surge["by_request"].items()
        ],
    ]
    (out / "loadtest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
