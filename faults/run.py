"""Fault scenarios (`make faults`, or `make faults SCENARIO=pg-restart`): what Cegah does when
PostgreSQL restarts in a surge, the task worker is killed mid-job, the disk fills during an
upload, Redis stops, and when two servers share one database and cache behind nginx.

Everything runs on this machine's loopback, against a PostgreSQL cluster of its own (15/faults
on port 5433, created when missing, restarted freely) and a Redis of its own (port 6380), with
the deadline surge of bench/ at a small scale. Each scenario writes faults/results/NAME.md and
NAME.json; faults/README.md keeps the figures of the last run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.probe import Probe, percentile  # noqa: E402 - the bench's client, shared

RESULTS = ROOT / "faults" / "results"
PG_PORT = 5433
REDIS_PORT = 6380
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/cegah_faults"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
# Ports of their own: bench/'s load tests use 8140 and 8150.
PORT, PORT_A, PORT_B, PORT_NGINX = 8170, 8171, 8172, 8173
USERS = int(os.environ.get("FAULT_USERS", "60"))  # the other engineer's tests share the 2 cores
SECONDS = int(os.environ.get("FAULT_SECONDS", "60"))
SCENARIOS = ["pg-restart", "worker-kill", "disk-full", "redis-stop", "two-servers"]


def say(text: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=check)  # noqa: S603


# --- Services of the scenarios' own -------------------------------------------------------------


def postgres_cluster() -> None:
    """PostgreSQL 15 cluster `faults` on 127.0.0.1:5433 with trust auth: created when missing
    (Debian's postgresql-15), started when stopped. Restarting it disturbs no other database."""
    listed = run("pg_lsclusters", "--no-header").stdout
    if not re.search(r"^15\s+faults\s", listed, re.M):
        say("creating PostgreSQL cluster 15/faults on port 5433")
        run("pg_createcluster", "15", "faults", "-p", str(PG_PORT), "--", "--auth=trust")
    if not re.search(
        r"^15\s+faults\s+\d+\s+online", run("pg_lsclusters", "--no-header").stdout, re.M
    ):
        run("pg_ctlcluster", "15", "faults", "start")


def redis_start() -> None:
    if run("redis-cli", "-p", str(REDIS_PORT), "ping", check=False).stdout.strip() != "PONG":
        run(
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
        )
        for _ in range(50):
            if (
                run("redis-cli", "-p", str(REDIS_PORT), "ping", check=False).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.1)


def redis_stop() -> None:
    run("redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave", check=False)


# --- The bench's surge, pointed at the scenarios' database -----------------------------------


def bench(**env: str) -> Any:
    """bench/loadtest.py, imported once this process's environment names the faults database
    (it reads its settings when imported), with the same server settings otherwise."""
    os.environ["LOAD_DATABASE_URL"] = DATABASE_URL
    os.environ["LOAD_USERS"] = str(USERS)
    os.environ.update(env)
    from bench import loadtest

    loadtest.SERVER_ENV["MEDIA_ROOT"] = os.environ["MEDIA_ROOT"] = str(
        loadtest.VAR / "faults-media"
    )
    for key in ("TASKS_BACKEND", "SCORE_JOB_STALE_MINUTES", "WBS_POW_BITS", "CACHE_URL"):
        if key in env:
            loadtest.SERVER_ENV[key] = os.environ[key] = env[key]
    return loadtest


def prepared(lt: Any) -> tuple[dict[str, Any], Path, Path, Path]:
    lt.fresh_database()
    plan = lt.prepare()
    plan_file = lt.VAR / "faults-plan.json"
    plan_file.write_text(json.dumps(plan))
    acked = lt.VAR / "faults-acked.txt"
    acked.write_text("")
    answers = lt.VAR / "faults-acked-answers.txt"
    answers.write_text("")
    os.environ["LOAD_ACKED_ANSWERS"] = str(answers)
    return plan, plan_file, acked, answers


def serve_on(lt: Any, port: int, **env: str) -> subprocess.Popen[bytes]:
    lt.PORT = port
    saved = dict(lt.SERVER_ENV)
    lt.SERVER_ENV.update(env)
    try:
        server: subprocess.Popen[bytes] = lt.serve()
        return server
    finally:
        lt.SERVER_ENV.clear()
        lt.SERVER_ENV.update(saved)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def failures(lt: Any, name: str) -> dict[str, int]:
    """Locust's failures of a swarm, by error (its message names the status code)."""
    found: dict[str, int] = {}
    path = lt.VAR / f"load-{name}_failures.csv"
    if path.exists():
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                error = re.sub(r" for url: [^']*", "", row["Error"])[:120]
                found[error] = found.get(error, 0) + int(row["Occurrences"])
    return found


def integrity(media: Path) -> dict[str, int]:
    """Rows and files agree: every stored file's row names a file that exists with its SHA-256,
    and every file under the media folder has a row (exports: their job's)."""
    from django.db import connection

    from cegah.mcp.models import Answer, Evidence, ScoreJob
    from cegah.uploads.models import StoredFile

    connection.close()  # a connection from before a restart is gone
    rows = missing = mismatched = 0
    named: set[str] = set()
    for stored in StoredFile.objects.all().iterator():
        rows += 1
        named.add(str(stored.file.name))
        path = media / str(stored.file.name)
        if not path.exists():
            missing += 1
        elif hashlib.sha256(path.read_bytes()).hexdigest() != stored.sha256:
            mismatched += 1
    named |= {str(n) for n in ScoreJob.objects.exclude(file="").values_list("file", flat=True)}
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    partial = [p for p in files if p.name.startswith(".part-")]
    orphans = [
        p for p in files if p not in partial and p.relative_to(media).as_posix() not in named
    ]
    return {
        "stored_file_rows": rows,
        "rows_whose_file_is_missing": missing,
        "rows_whose_file_differs": mismatched,
        "files_without_a_row": len(orphans),
        "partial_files": len(partial),
        "evidence_rows": Evidence.objects.count(),
        "answer_rows": Answer.objects.count(),
    }


def answers_kept(acked: Path) -> dict[str, int]:
    """Every acknowledged answer is in the database with at least the acknowledged version."""
    from cegah.mcp.models import Answer

    lines = [line.split() for line in acked.read_text().splitlines() if line.strip()]
    latest: dict[tuple[str, int], int] = {}
    for pemda, sub_text, version_text in lines:
        key = (pemda, int(sub_text))
        latest[key] = max(latest.get(key, 0), int(version_text))
    kept = 0
    for (pemda, sub), version in latest.items():
        answer = Answer.objects.filter(
            pemda__code=pemda, sub_indicator_id=sub, period__state="open"
        ).first()
        kept += answer is not None and answer.version >= version and answer.value == 1
    return {"acknowledged_saves": len(lines), "answers_acknowledged": len(latest), "kept": kept}


def write(name: str, figures: dict[str, Any], lines: list[str]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
    text = "\n".join([f"# {name}", "", f"Run {time.strftime('%Y-%m-%d %H:%M')}.", "", *lines])
    (RESULTS / f"{name}.md").write_text(text + "\n")
    print(text)


# --- The scenarios -----------------------------------------------------------------------------


def pg_restart() -> bool:
    """The surge runs; 20 s in, PostgreSQL stops (fast: open transactions roll back) and starts
    again 8 s later. A probe asks for a public page and the API four times a second."""
    postgres_cluster()
    lt = bench()
    _plan, plan_file, acked, answers = prepared(lt)
    server = serve_on(lt, PORT)
    probe = Probe(
        f"http://{lt.HOST}:{PORT}", ["/publik/", "/api/v1/pemda/?page_size=5"], every=0.125
    )
    outcome: dict[str, Any] = {}
    surge = threading.Thread(
        target=lambda: outcome.update(
            lt.swarm("faults-pg", USERS, SECONDS, plan_file, acked, think="2,5")
        )
    )
    try:
        probe.start()
        surge.start()
        time.sleep(20)
        down_at = time.monotonic() - probe.started
        say("stopping PostgreSQL 15/faults")
        run("pg_ctlcluster", "15", "faults", "stop", "-m", "fast")
        time.sleep(8)
        run("pg_ctlcluster", "15", "faults", "start")
        up_at = time.monotonic() - probe.started
        say("PostgreSQL 15/faults started again")
        surge.join()
        seen = probe.finish()
    finally:
        stop(server)
    from django.db import connection

    connection.close()  # this process's own connection went with the restart
    uploads = lt.verify(acked)
    kept = answers_kept(answers)
    rows = integrity(Path(os.environ["MEDIA_ROOT"]))
    during = [s for s in seen if down_at <= s["t"] <= up_at]
    bad = [s for s in seen if s["status"] != 200]
    recovered = next((s["t"] for s in seen if s["t"] > up_at and s["status"] == 200), None)
    after = [s for s in seen if recovered is not None and s["t"] >= recovered]
    figures = {
        "surge": {k: outcome.get(k) for k in ("users", "seconds", "requests", "errors")},
        "surge_failures": failures(lt, "faults-pg"),
        "outage_seconds": round(up_at - down_at, 1),
        "probe": {
            "requests": len(seen),
            "during_outage": len(during),
            "not_200": len(bad),
            "not_200_statuses": sorted({s["status"] for s in bad}),
            "not_200_saying_try_again": sum(s["try_again"] for s in bad),
            "not_200_with_retry_after": sum(bool(s["retry_after"]) for s in bad),
            "with_a_stack_trace": sum(s["trace"] for s in seen),
            "seconds_to_recover_after_start": round(recovered - up_at, 2) if recovered else None,
            "errors_after_recovery": sum(s["status"] != 200 for s in after),
        },
        "uploads": uploads,
        "answers": kept,
        "rows": rows,
    }
    passed = (
        figures["probe"]["with_a_stack_trace"] == 0
        and figures["probe"]["not_200_saying_try_again"]
        + sum(1 for s in bad if "api" in s["path"] and s["status"] == 503)
        >= len(bad)
        and set(figures["probe"]["not_200_statuses"]) <= {503}
        and recovered is not None
        and figures["probe"]["errors_after_recovery"] == 0
        and uploads["acknowledged"] == uploads["sha256_matching"]
        and kept["answers_acknowledged"] == kept["kept"]
        and rows["rows_whose_file_is_missing"] == rows["rows_whose_file_differs"] == 0
        and rows["files_without_a_row"] == rows["partial_files"] == 0
    )
    write(
        "pg-restart",
        {**figures, "passed": passed},
        [
            f"{USERS} users for {SECONDS} s (think 2-5 s); PostgreSQL stopped at "
            f"{down_at:.0f} s for {figures['outage_seconds']} s.",
            "",
            f"- surge: {outcome.get('requests')} requests, {outcome.get('errors')} failed: "
            + ", ".join(f"{n} x {e}" for e, n in figures["surge_failures"].items()),
            f"- probe: {len(seen)} requests, {len(during)} during the outage; "
            f"{len(bad)} not 200, statuses {figures['probe']['not_200_statuses']}, "
            f"{figures['probe']['not_200_saying_try_again']} answers (page or JSON) saying 'Coba lagi', "
            f"{figures['probe']['not_200_with_retry_after']} with Retry-After, "
            f"{figures['probe']['with_a_stack_trace']} with a stack trace",
            f"- recovered {figures['probe']['seconds_to_recover_after_start']} s after "
            f"PostgreSQL was up, by itself; errors after: {figures['probe']['errors_after_recovery']}",
            f"- uploads acknowledged {uploads['acknowledged']}, stored {uploads['stored']}, "
            f"SHA-256 matching {uploads['sha256_matching']}",
            f"- answers acknowledged {kept['answers_acknowledged']} ({kept['acknowledged_saves']} "
            f"saves), kept {kept['kept']}",
            f"- rows: {rows}",
            "",
            f"**{'PASSED' if passed else 'FAILED'}**",
        ],
    )
    return passed


def _koordinator() -> Any:
    from cegah.accounts.models import Role, RoleAssignment, User

    user, _new = User.objects.get_or_create(
        email="koordinator@load.test", defaults={"full_name": "Koordinator"}
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.KOORDINATOR)
    return user


def _fetch(url: str) -> tuple[int, str]:
    import requests

    got = requests.get(url, timeout=30)
    return got.status_code, hashlib.sha256(got.content).hexdigest()


def _wait(until: Callable[[], bool], seconds: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if until():
            return True
        time.sleep(every)
    return False


def _job_is(pk: int, states: list[str], done: int) -> bool:
    from cegah.mcp.models import ScoreJob

    return ScoreJob.objects.filter(pk=pk, state__in=states, done__gte=done).exists()


def worker_kill() -> bool:
    """A national recompute and the full data file, each with its worker SIGKILLed mid-run."""
    postgres_cluster()
    stale_minutes = 1
    lt = bench(
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SCORE_JOB_STALE_MINUTES=str(stale_minutes),
    )
    prepared(lt)
    from django.db import transaction

    from cegah.mcp.models import ScoreJob, ScoreSnapshot
    from cegah.mcp.services.scores import export_job_start, score_job_start, scores_publish

    koordinator = _koordinator()
    scores_publish(actor=koordinator, year=2025, reason="uji gangguan: terbitan pertama")
    media = Path(os.environ["MEDIA_ROOT"])
    server = serve_on(lt, PORT)
    base = f"http://{lt.HOST}:{PORT}"
    # The published scores as data: the same bytes before, during and after (an HTML page
    # differs on every request by its CSP nonce and CSRF token).
    pages = ["/publik/mcp/2025/peringkat.csv", "/api/v1/scores/2025/?page_size=1000"]
    worker_log = (lt.VAR / "faults-worker.log").open("w")

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env={**os.environ, **lt.SERVER_ENV},
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )

    figures: dict[str, Any] = {}
    try:
        before = {p: _fetch(base + p) for p in pages}
        starts: list[tuple[str, Callable[[], ScoreJob], int]] = [
            ("recompute", lambda: score_job_start(actor=koordinator, year=2025), 25),
            ("export", lambda: export_job_start(actor=koordinator, year=2025), 2000),
        ]
        for kind, start, threshold in starts:
            running = worker()
            with transaction.atomic():
                job = start()
            seen_running = _wait(
                partial(_job_is, job.pk, ["running"], threshold),
                120,
                every=0.01,
            )
            running.send_signal(signal.SIGKILL)
            running.wait()
            job.refresh_from_db()
            killed_at = {"state": job.state, "done": job.done, "total": job.total}
            say(f"{kind}: worker killed at {job.done}/{job.total} ({job.state})")
            served = {p: _fetch(base + p) for p in pages}
            staging = ScoreSnapshot.objects.filter(state="staging").count()
            exports = [p.name for p in (media / "exports").glob("*")] if kind == "export" else []
            download = _fetch(base + "/publik/mcp/2025/data-lengkap.xlsx")[0]
            say(f"waiting {stale_minutes} min for the job to count as stopped")
            time.sleep(stale_minutes * 60 + 5)
            job.refresh_from_db()
            shown_stopped = job.stopped
            running = worker()
            with transaction.atomic():
                rerun = start()
            finished = _wait(
                partial(_job_is, rerun.pk, ["done", "failed"], 0),
                300,
                every=0.2,
            )
            stop(running)
            job.refresh_from_db()
            rerun.refresh_from_db()
            after = {p: _fetch(base + p) for p in pages}
            result = {
                "seen_running_mid_way": seen_running,
                "killed_at": killed_at,
                "public_pages_same_as_before_while_killed": served == before,
                "public_statuses_while_killed": [s for s, _h in served.values()]
                + [_fetch(base + "/publik/mcp/2025/")[0]],
                "staging_snapshots_left_by_the_kill": staging,
                "export_files_after_kill": exports,
                "data_file_download_status_after_kill": download,
                "job_shown_stopped_after_limit": shown_stopped,
                "job_state_after_rerun_started": job.state,
                "job_message": job.message,
                "rerun_finished": finished,
                "rerun_state": rerun.state,
                "rerun_done": f"{rerun.done}/{rerun.total}",
                "staging_snapshots_after_rerun": ScoreSnapshot.objects.filter(
                    state="staging"
                ).count(),
                "public_pages_same_after_rerun": after == before,
            }
            if kind == "export":
                import openpyxl

                status, _digest = _fetch(base + "/publik/mcp/2025/data-lengkap.xlsx")
                rerun_file = media / str(rerun.file.name) if rerun.file else None
                rows = 0
                if rerun_file and rerun_file.exists():
                    book = openpyxl.load_workbook(rerun_file, read_only=True)
                    rows = sum(1 for _row in book.active.iter_rows())
                result |= {
                    "data_file_download_status_after_rerun": status,
                    "data_file_rows": rows,
                    "export_files_after_rerun": sorted(
                        p.name for p in (media / "exports").glob("*")
                    ),
                }
            figures[kind] = result
    finally:
        stop(server)
    figures["rows"] = integrity(media)
    r, e = figures["recompute"], figures["export"]
    passed = bool(
        r["seen_running_mid_way"]
        and e["seen_running_mid_way"]
        and r["public_pages_same_as_before_while_killed"]
        and e["public_pages_same_as_before_while_killed"]
        and r["job_shown_stopped_after_limit"]
        and e["job_shown_stopped_after_limit"]
        and r["job_state_after_rerun_started"] == e["job_state_after_rerun_started"] == "failed"
        and r["rerun_state"] == e["rerun_state"] == "done"
        and r["staging_snapshots_after_rerun"] == 0
        and e["export_files_after_kill"] == []
        and e["data_file_download_status_after_kill"] == 404
        and e["data_file_download_status_after_rerun"] == 200
        and e["data_file_rows"] == int(e["rerun_done"].split("/")[1]) + 1
        and figures["rows"]["partial_files"] == 0
        and figures["rows"]["files_without_a_row"] == 0
    )
    write(
        "worker-kill",
        {**figures, "passed": passed},
        [
            f"Recompute (546 Pemda, {USERS // 3} with answers) and the full data file of the "
            f"published 2025 scores; the worker SIGKILLed mid-run; SCORE_JOB_STALE_MINUTES="
            f"{stale_minutes} for the run.",
            "",
            *[f"- {kind}: {json.dumps(result, default=str)}" for kind, result in figures.items()],
            "",
            f"**{'PASSED' if passed else 'FAILED'}**",
        ],
    )
    return passed


def disk_full() -> bool:
    """Evidence uploads and a WBS report with attachments through gunicorn, with the media
    folder on a 12 MB filesystem of its own, until the disk is full."""
    import requests

    postgres_cluster()
    lt = bench(WBS_POW_BITS="8")
    plan, _plan_file, _acked, _answers = prepared(lt)
    _manage(lt, "wbs_keys", "init")  # the key file that seals reports, as `make run` makes it
    media = Path(os.environ["MEDIA_ROOT"])
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    run("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(media))
    server = None
    try:
        server = serve_on(lt, PORT)
        base = f"http://{lt.HOST}:{PORT}"
        from cegah.testing.disk import pdf_of

        evidence: list[dict[str, Any]] = []
        for operator in plan["operators"][:6]:
            session = requests.Session()
            session.cookies.set("sessionid", operator["session"])
            session.get(base + "/mcp/lapor/", timeout=30)
            token = str(session.cookies.get("csrftoken", ""))
            for sub in operator["documents"][:2]:
                data = pdf_of(2 * 1024 * 1024)
                got = session.post(
                    f"{base}/mcp/lapor/{operator['pemda']}/{sub}/bukti/",
                    data={"effective_date": "2025-10-01", "csrfmiddlewaretoken": token},
                    files={"file": (f"bukti-{sub}.pdf", data, "application/pdf")},
                    headers={"HX-Request": "true", "X-CSRFToken": token},
                    timeout=60,
                )
                evidence.append(
                    {
                        "status": got.status_code,
                        "acknowledged": "diunggah" in got.text,
                        "told_disk_full": "Ruang penyimpanan server sedang penuh" in got.text,
                        "trace": "Traceback" in got.text,
                    }
                )
        wbs = _wbs_report(base, attachments=2)
        rows = integrity(media)
        free = shutil.disk_usage(media)
    finally:
        if server is not None:
            stop(server)
        run("umount", str(media), check=False)
    acknowledged = sum(e["acknowledged"] for e in evidence)
    refused = [e for e in evidence if not e["acknowledged"]]
    figures = {
        "filesystem_mb": 12,
        "free_bytes_at_end": free.free,
        "evidence_uploads": len(evidence),
        "evidence_acknowledged": acknowledged,
        "evidence_refused": len(refused),
        "evidence_refused_saying_disk_full": sum(e["told_disk_full"] for e in refused),
        "evidence_refused_statuses": sorted({e["status"] for e in refused}),
        "wbs_report": wbs,
        "rows": rows,
    }
    passed = (
        acknowledged > 0
        and len(refused) > 0
        and all(e["told_disk_full"] and e["status"] == 200 for e in refused)
        and not any(e["trace"] for e in evidence)
        and wbs["told_disk_full"]
        and not wbs["report_made"]
        and rows["stored_file_rows"] == acknowledged
        and rows["rows_whose_file_is_missing"] == rows["rows_whose_file_differs"] == 0
        and rows["files_without_a_row"] == rows["partial_files"] == 0
    )
    write(
        "disk-full",
        {**figures, "passed": passed},
        [
            "Media on a 12 MB tmpfs; six operators upload two 2 MB PDFs each, then a reporter "
            "sends a WBS report with two attachments.",
            "",
            f"- evidence: {len(evidence)} uploads, {acknowledged} acknowledged, {len(refused)} "
            f"refused (statuses {figures['evidence_refused_statuses']}), "
            f"{figures['evidence_refused_saying_disk_full']} saying the disk is full",
            f"- WBS report: {wbs}",
            f"- rows: {rows}",
            "",
            f"**{'PASSED' if passed else 'FAILED'}**",
        ],
    )
    return passed


def _wbs_report(base: str, attachments: int) -> dict[str, Any]:
    """A reporter's report with attachments, as the page sends it (proof of work solved here)."""
    import requests

    from cegah.testing.disk import pdf_page
    from cegah.wbs import proof_of_work
    from cegah.wbs.models import Report

    session = requests.Session()
    page = session.get(base + "/lapor/12.75/", timeout=30).text
    fields = dict(re.findall(r'name="(pow_token|csrfmiddlewaretoken)" value="([^"]*)"', page))
    bits = 16  # at least what the server asked for (WBS_POW_BITS=8 here)
    before = Report.objects.count()
    got = session.post(
        base + "/lapor/12.75/",
        data={
            **fields,
            "pow_solution": proof_of_work.solve(fields.get("pow_token", ""), bits),
            "type": "korupsi",
            "what": "Permintaan fee 10% dari setiap kontrak pemeliharaan jalan.",
            "who_name": "Ir. Bambang",
            "who_position": "Kepala Bidang",
            "who_unit": "Dinas PUPR",
            "when": "Januari 2026",
            "where": "Kantor Dinas PUPR",
            "how": "Transfer ke rekening kerabat.",
        },
        files=[
            ("attachments", (f"lampiran-{n}.pdf", pdf_page(3 * 1024 * 1024), "application/pdf"))
            for n in range(attachments)
        ],
        headers={"Referer": base + "/lapor/12.75/"},
        timeout=60,
    )
    return {
        "status": got.status_code,
        "told_disk_full": "Ruang penyimpanan server sedang penuh" in got.text,
        "report_made": Report.objects.count() > before,
        "trace": "Traceback" in got.text,
    }


def redis_stop_scenario() -> bool:
    """The surge against a server whose cache is a Redis of its own; Redis stops 15 s in and
    comes back 25 s later. A probe times public pages throughout."""
    postgres_cluster()
    redis_start()
    lt = bench(CACHE_URL=REDIS_URL)
    _plan, plan_file, acked, _answers = prepared(lt)
    server = serve_on(lt, PORT)
    paths = ["/publik/", "/publik/pemda/12.75/profil/", "/api/v1/pemda/?page_size=5"]
    probe = Probe(f"http://{lt.HOST}:{PORT}", paths, every=0.067)  # each page 5 times a second
    outcome: dict[str, Any] = {}
    surge = threading.Thread(
        target=lambda: outcome.update(
            lt.swarm("faults-redis", USERS, SECONDS, plan_file, acked, think="2,5")
        )
    )
    try:
        probe.start()
        surge.start()
        time.sleep(15)
        down_at = time.monotonic() - probe.started
        say("stopping Redis")
        redis_stop()
        time.sleep(25)
        redis_start()
        up_at = time.monotonic() - probe.started
        say("Redis started again")
        surge.join()
        seen = probe.finish()
    finally:
        stop(server)
    uploads = lt.verify(acked)

    def window(low: float, high: float) -> dict[str, Any]:
        part = [s for s in seen if low <= s["t"] < high]
        return {
            "requests": len(part),
            "not_200": sum(s["status"] != 200 for s in part),
            "p50_ms": percentile([s["ms"] for s in part], 0.5),
            "p95_ms": percentile([s["ms"] for s in part], 0.95),
        }

    figures = {
        "surge": {k: outcome.get(k) for k in ("users", "seconds", "requests", "errors")},
        "surge_failures": failures(lt, "faults-redis"),
        "probe_before": window(0, down_at),
        "probe_redis_stopped": window(down_at, up_at),
        "probe_after": window(up_at, 1e9),
        "uploads": uploads,
    }
    passed = (
        outcome.get("errors") == 0
        and all(figures[k]["not_200"] == 0 for k in ("probe_before", "probe_redis_stopped"))
        and figures["probe_after"]["not_200"] == 0
        and uploads["acknowledged"] == uploads["sha256_matching"]
    )
    write(
        "redis-stop",
        {**figures, "passed": passed},
        [
            f"{USERS} users for {SECONDS} s (think 2-5 s), cache {REDIS_URL}; Redis stopped at "
            f"{down_at:.0f} s for {up_at - down_at:.0f} s.",
            "",
            f"- surge: {outcome.get('requests')} requests, {outcome.get('errors')} failed",
            f"- probe before: {figures['probe_before']}",
            f"- probe while Redis was stopped: {figures['probe_redis_stopped']}",
            f"- probe after: {figures['probe_after']}",
            f"- uploads acknowledged {uploads['acknowledged']}, SHA-256 matching "
            f"{uploads['sha256_matching']}",
            "",
            f"**{'PASSED' if passed else 'FAILED'}**",
        ],
    )
    return passed


NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 25m;
    upstream cegah {{
        server 127.0.0.1:{port_a};
        server 127.0.0.1:{port_b};
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://cegah;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def two_servers() -> bool:
    """Two gunicorn servers (ports 8171 and 8172) sharing the database and a Redis cache, behind
    nginx on 8173: what one does, the other shows at once; the surge passes through nginx."""
    import requests

    postgres_cluster()
    redis_start()
    if shutil.which("nginx") is None:
        run("apt-get", "install", "-y", "-qq", "nginx")
    lt = bench(CACHE_URL=REDIS_URL, BEHIND_PROXY="true")
    plan, plan_file, acked, _answers = prepared(lt)
    from cegah.accounts.models import Role, RoleAssignment, User
    from cegah.mcp.services.scores import scores_publish

    koordinator = _koordinator()
    scores_publish(actor=koordinator, year=2025, reason="uji dua server: terbitan pertama")
    superadmin, _new = User.objects.get_or_create(
        email="superadmin@load.test", defaults={"full_name": "Superadmin"}
    )
    RoleAssignment.objects.get_or_create(user=superadmin, role=Role.SUPERADMIN)
    sessions = _sessions([koordinator, superadmin])
    # Two processes a server is enough to show sharing; the machine's 2 cores run both.
    each = {"WEB_CONCURRENCY": "2", "ALLOWED_HOSTS": "127.0.0.1"}
    a = serve_on(lt, PORT_A, **each)
    b = serve_on(lt, PORT_B, **each)
    prefix = Path(tempfile.mkdtemp(prefix="cegah-nginx-"))
    prefix.chmod(0o755)  # nginx's workers (www-data) keep request bodies in its folders
    (prefix / "nginx.conf").write_text(
        NGINX_CONF.format(prefix=prefix, port=PORT_NGINX, port_a=PORT_A, port_b=PORT_B)
    )
    A, B = f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"
    checks: dict[str, Any] = {}
    outcome: dict[str, Any] = {}
    try:
        run("nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix))

        def as_(who: str) -> requests.Session:
            session = requests.Session()
            session.cookies.set("sessionid", sessions[who])
            return session

        # A publication on A, seen on B's public page (cached in the shared Redis) at once.
        national = "/publik/mcp/2025/"
        before_b = requests.get(B + national, timeout=30).text
        k = as_("koordinator@load.test")
        k.get(A + "/mcp/skor/", timeout=30)
        token = k.cookies.get("csrftoken", "")
        published = k.post(
            A + "/mcp/skor/",
            data={
                "year": "2025",
                "publish": "1",
                "confirm": "yes",
                "version": "2",
                "reason": "uji dua server: terbitan kedua",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": A + "/mcp/skor/"},
            timeout=120,
        )
        after_b = requests.get(B + national, timeout=30).text
        checks["publication"] = {
            "publish_status_on_a": published.status_code,
            "b_showed_version_1_before": "versi 1" in before_b.lower(),
            "b_shows_version_2_at_once": "versi 2" in after_b.lower(),
        }
        # A session made by signing in on A works on B.
        signed = requests.Session()
        signed.get(A + "/akun/masuk/", timeout=30)
        operator = plan["operators"][0]
        signed.post(
            A + "/akun/masuk/",
            data={
                "username": operator["email"],
                "password": plan["password"],
                "csrfmiddlewaretoken": signed.cookies.get("csrftoken", ""),
            },
            headers={"Referer": A + "/akun/masuk/"},
            timeout=30,
        )
        work_b = signed.get(B + "/mcp/lapor/", timeout=30, allow_redirects=False)
        checks["session"] = {
            "signed_in_on_a": "sessionid" in signed.cookies,
            "work_page_on_b_status": work_b.status_code,
        }
        # A role revoked on A: B refuses the person's next request.
        victim = plan["operators"][1]
        v = as_(victim["email"]) if victim["email"] in sessions else None
        if v is None:
            v = requests.Session()
            v.cookies.set("sessionid", victim["session"])
        allowed_before = v.get(B + "/mcp/lapor/", timeout=30, allow_redirects=False).status_code
        assignment = RoleAssignment.objects.get(user__email=victim["email"], role=Role.OPERATOR)
        s = as_("superadmin@load.test")
        s.get(A + "/", timeout=30)
        revoked = s.post(
            f"{A}/akun/peran/{assignment.pk}/cabut/",
            data={"confirm": "yes", "csrfmiddlewaretoken": s.cookies.get("csrftoken", "")},
            headers={"Referer": A + "/"},
            timeout=30,
            allow_redirects=False,
        )
        after = v.get(B + "/mcp/lapor/", timeout=30, allow_redirects=False)
        checks["role_revoked"] = {
            "revoke_status_on_a": revoked.status_code,
            "revoked_in_database": not RoleAssignment.objects.filter(pk=assignment.pk).exists(),
            "b_work_page_before": allowed_before,
            "b_work_page_after": after.status_code,
            "b_still_shows_work_after": "lapor" in after.text and after.status_code == 200,
        }
        # A catalogue change (2023's catalogue loaded) is seen by both at once.
        k.get(B + "/mcp/katalog/2023/", timeout=30)
        catalogue_before = {
            name: k.get(url + "/mcp/katalog/2023/", timeout=30).status_code
            for name, url in (("a", A), ("b", B))
        }
        _manage(lt, "mcp_catalogue", "import", "data/mcp/mcp-2023.yaml")
        catalogue_after = {
            name: k.get(url + "/mcp/katalog/2023/", timeout=30).status_code
            for name, url in (("a", A), ("b", B))
        }
        checks["catalogue"] = {"before": catalogue_before, "after": catalogue_after}
        # The surge through nginx, without the operator whose role was revoked.
        plan["operators"] = [o for o in plan["operators"] if o["email"] != victim["email"]]
        plan_file.write_text(json.dumps(plan))
        lt.PORT = PORT_NGINX
        outcome = lt.swarm("faults-nginx", USERS, SECONDS, plan_file, acked, think="2,5")
    finally:
        run("nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-s", "stop", check=False)
        stop(a)
        stop(b)
        time.sleep(1)
        shutil.rmtree(prefix, ignore_errors=True)
    uploads = lt.verify(acked)
    figures = {
        **checks,
        "surge_through_nginx": {
            k: outcome.get(k) for k in ("users", "seconds", "requests", "errors", "p95_ms")
        },
        "surge_failures": failures(lt, "faults-nginx"),
        "uploads": uploads,
    }
    passed = (
        checks["publication"]["b_shows_version_2_at_once"]
        and checks["session"]["work_page_on_b_status"] == 200
        and checks["role_revoked"]["b_work_page_before"] == 200
        and not checks["role_revoked"]["b_still_shows_work_after"]
        and checks["catalogue"]["before"] == {"a": 404, "b": 404}
        and checks["catalogue"]["after"] == {"a": 200, "b": 200}
        and outcome.get("errors") == 0
        and uploads["acknowledged"] == uploads["sha256_matching"]
    )
    write(
        "two-servers",
        {**figures, "passed": passed},
        [
            f"gunicorn on {PORT_A} and {PORT_B} (2 processes x 8 threads each), one PostgreSQL, one "
            f"Redis cache ({REDIS_URL}), nginx on 127.0.0.1:{PORT_NGINX} in front.",
            "",
            *[f"- {k}: {json.dumps(v, default=str)}" for k, v in figures.items()],
            "",
            f"**{'PASSED' if passed else 'FAILED'}**",
        ],
    )
    return passed


def _manage(lt: Any, *args: str) -> None:
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **lt.SERVER_ENV},
        check=True,
        capture_output=True,
    )


def _sessions(users: list[Any]) -> dict[str, str]:
    """Signed-in sessions, as bench/loadtest.py opens them for its operators."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    found = {}
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        found[user.email] = str(session.session_key)
    return found


RUNS: dict[str, Callable[[], bool]] = {
    "pg-restart": pg_restart,
    "worker-kill": worker_kill,
    "disk-full": disk_full,
    "redis-stop": redis_stop_scenario,
    "two-servers": two_servers,
}


def main() -> None:
    wanted = sys.argv[1] if len(sys.argv) > 1 else "all"
    if wanted == "all":
        # Each in a process of its own: bench/loadtest.py reads its settings once, on import.
        results = {}
        for name in SCENARIOS:
            say(f"scenario {name}")
            done = subprocess.run([sys.executable, __file__, name], check=False)  # noqa: S603
            results[name] = done.returncode == 0
        say(" ".join(f"{n}: {'passed' if ok else 'FAILED'}" for n, ok in results.items()))
        raise SystemExit(0 if all(results.values()) else 1)
    if wanted not in RUNS:
        raise SystemExit(f"unknown scenario {wanted}; one of: all {' '.join(SCENARIOS)}")
    raise SystemExit(0 if RUNS[wanted]() else 1)


if __name__ == "__main__":
    main()
