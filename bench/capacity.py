"""`make capacity`: how far one 2-core machine goes, as a curve (issue 31, item 2).

The deadline surge of bench/loadtest.py (signed-in operators saving answers and uploading
1-5 MB PDFs, verifiers working the queue, each waiting LOAD_THINK between actions) at 100,
200, 400, 600 and 800 users (CAPACITY_STEPS), CAPACITY_SECONDS each, against one gunicorn on
the loopback with PostgreSQL: p95, errors, requests a second and where the CPU went (gunicorn,
PostgreSQL, locust) at each step, and the number of users at which p95 passes one second.
Then a publication-day read spike: CAPACITY_VISITORS (1,000) anonymous visitors on the public
pages, the API and the ranking CSV together, against one visitor alone.

Its own database (cegah_capacity, recreated) and port (8150): `make loadtest` and the fault
scenarios keep theirs. Writes bench/results/capacity.md and .json (or the name in
CAPACITY_NAME, to keep a run with another setting beside it).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

# An empty CAPACITY_STEPS runs the spike alone.
STEPS = [int(n) for n in os.environ.get("CAPACITY_STEPS", "100,200,400,600,800").split(",") if n]
os.environ.setdefault("LOAD_USERS", str(max(STEPS, default=300)))  # 100 Pemda to visit
os.environ.setdefault("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cegah_capacity")
os.environ.setdefault("LOAD_PORT", "8150")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadtest  # noqa: E402
from probe import Probe, percentile  # noqa: E402

SECONDS = int(os.environ.get("CAPACITY_SECONDS", "60"))
VISITORS = int(os.environ.get("CAPACITY_VISITORS", "1000"))
NAME = os.environ.get("CAPACITY_NAME", "capacity")
SECOND_MS = 1000.0


def cpu_by_program() -> dict[str, int]:
    """CPU jiffies used so far by the server, the database and the load generator. A process's
    own time and that of its children it has reaped: PostgreSQL's connections end and start
    during a step (CONN_MAX_AGE), and their time is then the postmaster's; locust (and py-spy)
    are this script's children."""
    used = {"gunicorn": 0, "postgres": 0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        for program in used:
            if name.startswith(program):
                # utime, stime, cutime, cstime
                used[program] += sum(int(x) for x in fields[11:15])
    children = os.times()
    used["locust"] = round((children.children_user + children.children_system) * TICKS)
    return used


TICKS = os.sysconf("SC_CLK_TCK")


def measured(name: str, users: int, plan_file: Path, acked: Path, **kwargs: Any) -> dict[str, Any]:
    busy_before, total_before = loadtest.cpu_ticks()
    programs_before = cpu_by_program()
    step: dict[str, Any] = loadtest.swarm(name, users, SECONDS, plan_file, acked, **kwargs)
    busy_after, total_after = loadtest.cpu_ticks()
    programs_after = cpu_by_program()
    elapsed = total_after - total_before
    step["cpu_busy"] = round((busy_after - busy_before) / elapsed, 2)
    # Shares of the whole machine (both cores), as cpu_busy is.
    step["cpu_by_program"] = {
        k: round((programs_after[k] - programs_before[k]) / elapsed, 2) for k in programs_after
    }
    step["rps"] = round(step["requests"] / SECONDS, 1)
    return step


def profiled(
    name: str, users: int, plan_file: Path, acked: Path, server_pid: int
) -> dict[str, Any]:
    """The step run again with py-spy sampling the gunicorn processes for most of it: where
    their time goes (own time by function, and time under the project's own functions)."""
    raw = loadtest.VAR / f"{name}.pyspy.txt"
    sampler = subprocess.Popen(  # noqa: S603
        [
            str(loadtest.ROOT / ".venv" / "bin" / "py-spy"),
            "record",
            "--pid",
            str(server_pid),
            "--subprocesses",
            "--rate",
            "50",
            "--duration",
            str(max(SECONDS - 15, 10)),
            "--format",
            "raw",
            "--output",
            str(raw),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    step = measured(name, users, plan_file, acked)
    sampler.wait(timeout=60)
    own: Counter[str] = Counter()
    under: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        total += int(count)
        own[_frame(frames[-1])] += int(count)
        # The project's own functions a sample was under, but the middleware every request is.
        for frame in {_frame(f) for f in frames if "(cegah/" in f and "Middleware" not in f}:
            under[frame] += int(count)
    step["profile"] = {
        "samples": total,
        "own": {k: round(v / total, 3) for k, v in own.most_common(15)} if total else {},
        "under": {k: round(v / total, 3) for k, v in under.most_common(15)} if total else {},
    }
    return step


def _frame(frame: str) -> str:
    """ "render (django/template/base.py:1016)" → "render (django/template/base.py)"."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/", "lib/python3.11/"):
        path = path.split(marker, 1)[-1]
    return f"{name} ({path})"


def knee(steps: list[dict[str, Any]]) -> float | None:
    """Users at which p95 passes one second, read on a straight line between the two steps
    around it; None when no step passed it."""
    for low, high in itertools.pairwise(steps):
        if low["p95_ms"] <= SECOND_MS < high["p95_ms"]:
            share = (SECOND_MS - low["p95_ms"]) / (high["p95_ms"] - low["p95_ms"])
            return float(round(low["users"] + share * (high["users"] - low["users"])))
    if steps and steps[0]["p95_ms"] > SECOND_MS:
        return float(steps[0]["users"])
    return None


def visitor(seen: list[dict[str, Any]]) -> dict[str, Any]:
    """What one more visitor beside the crowd saw (bench/probe.py): locust times its own
    requests, and while it spawned 100 visitors a second its timings grew by 0.1 to 0.25 s that
    neither the server's log (8 to 15 ms) nor a request from outside saw."""
    times = [s["ms"] for s in seen if s["status"] == 200]
    return {
        "requests": len(times),
        "errors": len(seen) - len(times),
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
    }


def visitor_paths(public: dict[str, Any]) -> list[str]:
    year, codes = public["year"], public["pemda_codes"]
    pages = ["/", f"/publik/mcp/{year}/", f"/api/v1/scores/{year}/", "/api/v1/profiles/"]
    pages.append(f"/publik/mcp/{year}/peringkat.csv")
    for code in codes[:10]:
        pages += [f"/publik/pemda/{code}/", f"/publik/pemda/{code}/profil/"]
    return pages


def publish() -> dict[str, Any]:
    """Scores of the prepared Pemda computed and published, so the spike reads real pages."""
    from django.conf import settings

    from cegah.accounts.models import Role, RoleAssignment, User
    from cegah.mcp.services import scores
    from cegah.public.warm import public_pages_warm
    from cegah.regions.models import Pemda

    koordinator = User.objects.create(email="koordinator@load.test", full_name="Koordinator")
    RoleAssignment.objects.create(user=koordinator, role=Role.KOORDINATOR)
    scores.scores_recompute(year=2025)
    scores.scores_publish(actor=koordinator, year=2025, reason="Uji beban (data uji)")
    # What the task worker does after a publication where the cache is shared (Redis): the
    # public pages are made before the visitors come (cegah/public/warm.py).
    warmed: dict[str, Any] = {}
    if settings.PUBLIC_PAGES_WARM:
        started = time.monotonic()
        warmed = public_pages_warm(year=2025)
        warmed["seconds"] = round(time.monotonic() - started)
    codes = list(Pemda.objects.filter(opds__isnull=False).distinct().values_list("code", flat=True))
    return {"year": 2025, "pemda_codes": codes, "warmed": warmed}


def main() -> None:
    loadtest.fresh_database()
    plan = loadtest.prepare()
    plan_file = loadtest.VAR / "capacity-plan.json"
    plan_file.write_text(json.dumps(plan))
    public_file = loadtest.VAR / "capacity-public.json"
    public = publish()
    public_file.write_text(json.dumps(public))
    acked = loadtest.VAR / "capacity-acked.txt"
    acked.write_text("")
    server = loadtest.serve()
    steps: list[dict[str, Any]] = []
    try:
        for _ in range(5):  # warm the workers: the idle figure is not a cold start
            urllib.request.urlopen(f"http://{loadtest.HOST}:{loadtest.PORT}/", timeout=10)
        idle = measured("cap-idle", 1, plan_file, acked, think="0.2,0.5") if STEPS else None
        for users in STEPS:
            step = measured(f"cap-{users}", users, plan_file, acked)
            steps.append(step)
            print(
                f"{users} users: p95 {step['p95_ms']:.0f} ms, {step['errors']} errors, "
                f"{step['rps']} req/s, CPU {step['cpu_busy']:.0%} {step['cpu_by_program']}",
                flush=True,
            )
        # Where the time goes at the knee: the first step past one second, again, sampled.
        past = next((s for s in steps if s["p95_ms"] > SECOND_MS), steps[-1] if steps else None)
        at_knee = past and profiled(
            f"cap-{past['users']}-profiled", past["users"], plan_file, acked, server.pid
        )
        spike_env = {"LOAD_PLAN": str(public_file)}
        os.environ.update(spike_env)
        spike_idle = loadtest.swarm(
            "spike-idle", 1, 30, public_file, acked, think="0.2,0.5", locustfile="locust_public"
        )
        base = f"http://{loadtest.HOST}:{loadtest.PORT}"
        alone = Probe(base, visitor_paths(public), every=0.5)
        alone.start()
        time.sleep(30)
        visitor_idle = visitor(alone.finish())
        beside = Probe(base, visitor_paths(public), every=0.5)
        beside.start()
        # Readers of the news: a page, a look, the next page.
        spike = measured(
            "spike", VISITORS, public_file, acked, locustfile="locust_public", ramp=100, think="2,8"
        )
        visitor_spike = visitor(beside.finish())
    finally:
        server.terminate()
        server.wait(timeout=30)
    uploads = loadtest.verify(acked)
    figures = {
        "when": time.strftime("%Y-%m-%dT%H:%M", time.gmtime()),
        "server": {
            "workers": os.environ.get("WEB_CONCURRENCY", "shipped (2 x cores + 1)"),
            "threads": os.environ.get("GUNICORN_THREADS", "shipped (8)"),
            "cache": os.environ.get("LOAD_CACHE_URL") or "each process's memory",
        },
        "seconds": SECONDS,
        "idle": idle,
        "steps": steps,
        "knee_users": knee(steps),
        "at_knee": at_knee,
        "uploads": uploads,
        "pages_warmed": public["warmed"],
        "spike_idle": spike_idle,
        "spike": spike,
        "spike_ratio": round(spike["p95_ms"] / max(spike_idle["p95_ms"], 1), 1),
        "visitor_idle": visitor_idle,
        "visitor_spike": visitor_spike,
        "visitor_ratio": round(visitor_spike["p95_ms"] / max(visitor_idle["p95_ms"], 1), 1),
    }
    write(figures)


def write(figures: dict[str, Any]) -> None:
    out = loadtest.ROOT / "bench" / "results"
    (out / f"{NAME}.json").write_text(json.dumps(figures, indent=2) + "\n")
    server = figures["server"]
    lines = [
        "# Capacity of one 2-core machine (PostgreSQL, loopback)",
        "",
        f"Measured {figures['when']} UTC. gunicorn workers: {server['workers']}, threads: "
        f"{server['threads']}; cache: {server['cache']}. Each step {figures['seconds']} s; locust, gunicorn and PostgreSQL share the two "
        "cores. CPU shares are of the whole machine (100 % = both cores).",
    ]
    if figures["steps"]:
        lines += _surge(figures)
    spike, idle = figures["spike"], figures["spike_idle"]
    warmed = figures.get("pages_warmed")
    lines += [
        "",
        f"After the publication the task worker's job made {warmed['made']} public pages ready "
        f"in {warmed['seconds']} s ({warmed['failed']} failed) before the visitors came."
        if warmed
        else "The public pages were not made ready after the publication (`PUBLIC_PAGES_WARM` "
        "off): the first visitors of each page made it, the idle visitor's included.",
        "",
        f"Publication-day spike: {spike['users']} anonymous visitors for {spike['seconds']} s, "
        f"{spike['requests']} requests ({spike['rps']} a second), **{spike['errors']} errors**; "
        f"p95 {spike['p95_ms']:.0f} ms against {idle['p95_ms']:.0f} ms for one visitor alone: "
        f"**{figures['spike_ratio']}x** (goal ≤ 3x). CPU {spike['cpu_busy']:.0%} "
        f"{_shares(spike)}.",
    ]
    if "visitor_spike" in figures:
        alone, beside = figures["visitor_idle"], figures["visitor_spike"]
        lines += [
            "",
            f"One more visitor beside the crowd (not timed by locust; each page on a new "
            f"connection, half a second apart): p95 {beside['p95_ms']:.0f} ms over "
            f"{beside['requests']} pages ({beside['errors']} errors) against "
            f"{alone['p95_ms']:.0f} ms alone: **{figures['visitor_ratio']}x**; p50 "
            f"{beside['p50_ms']:.0f} against {alone['p50_ms']:.0f} ms.",
        ]
    lines += [
        "",
        "| spike request | count | errors | p95 ms |",
        "|---|---|---|---|",
        *[
            f"| {k} | {v['count']} | {v['errors']} | {v['p95_ms']:.0f} |"
            for k, v in spike["by_request"].items()
        ],
    ]
    (out / f"{NAME}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _shares(step: dict[str, Any]) -> str:
    by = step["cpu_by_program"]
    return "(" + ", ".join(f"{k} {v:.0%}" for k, v in by.items()) + ")"


def _surge(figures: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"Idle (one person, no think time): p95 {figures['idle']['p95_ms']:.0f} ms.",
        "",
        "| users | requests/s | p95 ms | errors | CPU busy | gunicorn | PostgreSQL | locust |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in figures["steps"]:
        by = s["cpu_by_program"]
        lines.append(
            f"| {s['users']} | {s['rps']} | {s['p95_ms']:.0f} | {s['errors']} | "
            f"{s['cpu_busy']:.0%} | {by['gunicorn']:.0%} | {by['postgres']:.0%} | "
            f"{by['locust']:.0%} |"
        )
    knee_users = figures["knee_users"]
    uploads = figures["uploads"]
    profile = figures["at_knee"]["profile"]
    return [
        *lines,
        "",
        f"p95 passes one second at **{knee_users:.0f} users**."
        if knee_users
        else "p95 stayed under one second at every step.",
        "",
        f"Where gunicorn's time went at {figures['at_knee']['users']} users (the step run again "
        f"with py-spy sampling every process, {profile['samples']:,} samples; p95 "
        f"{figures['at_knee']['p95_ms']:.0f} ms while sampled):",
        "",
        "| own time | share | | under the project's function | share |",
        "|---|---|---|---|---|",
        *[
            f"| {a[0]} | {a[1]:.0%} | | {b[0]} | {b[1]:.0%} |"
            for a, b in zip(profile["own"].items(), profile["under"].items(), strict=False)
        ],
        "",
        f"Uploads acknowledged over all steps: {uploads['acknowledged']}; stored with a matching "
        f"SHA-256: {uploads['sha256_matching']}.",
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:  # the tables again from the last run's figures
        write(json.loads((loadtest.ROOT / "bench" / "results" / f"{NAME}.json").read_text()))
    else:
        main()
