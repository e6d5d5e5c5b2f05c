"""The integrity profile and the open-data profile list at national size (issue 30): every
Pemda with four years of published MCP (the demo's generated years), two years of SPI, ZI
designations, gratification reports and conflict-of-interest declarations. `make bench` runs it
after bench/run.py; alone: `.venv/bin/python bench/profile.py`.

Measured against the same bytes pre-serialised (what Django costs to answer at all): the profile
page of a Pemda made from nothing (the page cache emptied first) and served from the cache, and
the API's profile list (100 rows) — goal at most 3 times; and the query counts of both as the Pemda double
(a province's against all 546; 100 rows against 200).

Database: made afresh each run, SQLite bench/var/profile.sqlite3, or with BENCH_DATABASE_URL a
PostgreSQL database beside it named <its name>_profile. Writes bench/results/profile-<db>.md/json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import VAR, configure, fresh_database  # noqa: E402

configure(
    fresh_database("profile"),
    WBS_KEY_FILE=str(VAR / "profile-wbs.keys"),
    ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
    # The MCP years are the demo's generated ones (manage.py mcp_demo_scores runs only in a
    # demo).
    DEMO="true",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench import urls  # noqa: E402
from cegah.accounts.models import Employee, User  # noqa: E402
from cegah.coi.models import Declaration, ListVersion  # noqa: E402
from cegah.regions.models import Opd, Pemda  # noqa: E402
from cegah.upg.models import Report, RuleSet  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"  # the app's URLs and the baselines
settings.ALLOWED_HOSTS = ["*"]
RUNS = 15


def build() -> None:
    call_command("migrate", verbosity=0)
    call_command("audit_key", "init", verbosity=0)
    if not Path(os.environ["WBS_KEY_FILE"]).exists():
        call_command("wbs_keys", "init", verbosity=0)
    call_command("load_regions", verbosity=0)
    call_command(
        "mcp_catalogue",
        "import",
        *sorted(str(p) for p in (ROOT / "data" / "mcp").glob("mcp-*.yaml")),
        verbosity=0,
    )
    call_command(
        "spi",
        "reference",
        *sorted(str(p) for p in (ROOT / "data" / "spi").glob("spi-*.yaml")),
        verbosity=0,
    )
    call_command(
        "upg_rules",
        "import",
        *sorted(str(p) for p in (ROOT / "data" / "upg").glob("aturan-*.yaml")),
        verbosity=0,
    )
    call_command(
        "coi_lists",
        "import",
        *sorted(str(p) for p in (ROOT / "data" / "coi").glob("daftar-*.yaml")),
        verbosity=0,
    )
    # The demo's accounts, its generated MCP years and SPI 2024-2025 for all 546 Pemda.
    with open(os.devnull, "w") as quiet:  # noqa: PTH123
        call_command("seed_demo", stdout=quiet)
    call_command("mcp_demo_scores", verbosity=0)
    rng = random.Random(2026)
    pemdas = list(Pemda.objects.order_by("code"))
    # Gratification reports and declarations: a few per Pemda, of yesterday (the public day).
    yesterday = date.today() - timedelta(days=1)
    rules = RuleSet.objects.order_by("-version").first()
    lists = ListVersion.objects.order_by("-version").first()
    reports, declarations = [], []
    for i, p in enumerate(pemdas):
        opd, _made = Opd.objects.get_or_create(pemda=p, name="Bench OPD")
        person = User.objects.create_user(email=f"asn{i}@bench.test", full_name=f"ASN {i}")
        employee = Employee.objects.create(
            user=person,
            pemda=p,
            opd=opd,
            nip=f"{198000000000000000 + i}",
            full_name=person.full_name,
        )
        for n in range(rng.randint(0, 8)):
            reports.append(
                Report(
                    pemda=p,
                    number=f"GRT-{p.code}-{n}",
                    reporter=person,
                    employee=employee,
                    reporter_name=person.full_name,
                    reporter_nip=employee.nip,
                    opd=opd,
                    nik="1" * 16,
                    address="-",
                    giver_name="X",
                    giver_relation="-",
                    received_on=yesterday,
                    place="-",
                    occasion="-",
                    kind="barang",
                    description="-",
                    value=Decimal(500000),
                    chronology="-",
                    rules=rules,
                    report_due=yesterday,
                    submitted_on=yesterday,
                    upg_due=yesterday,
                )
            )
        for n in range(rng.randint(0, 6)):
            declarations.append(
                Declaration(
                    pemda=p,
                    number=f"BK-{p.code}-{n}",
                    employee=employee,
                    declarant_name=person.full_name,
                    declarant_nip=employee.nip,
                    opd=opd,
                    recorded_by=person,
                    lists=lists,
                    matter_kind="pengadaan",
                    matter="-",
                    conflict_type="aktual",
                    source="usaha",
                    parties="-",
                    since=yesterday,
                    description="-",
                    declared_on=yesterday,
                    decision_due=yesterday,
                )
            )
    Report.objects.bulk_create(reports, batch_size=1000)
    Declaration.objects.bulk_create(declarations, batch_size=1000)


def median_ms(client: Client, url: str, *, fresh: bool) -> tuple[float, int]:
    client.get(url)
    times, queries = [], 0
    for _ in range(RUNS):
        if fresh:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return round(statistics.median(times) * 1000, 2), queries


def main() -> None:
    started = time.perf_counter()
    build()
    built = round(time.perf_counter() - started, 1)
    client = Client()
    figures: dict[str, Any] = {
        "build_s": built,
        "measured": datetime.now(UTC).isoformat(timespec="minutes"),
    }
    with override_settings(DEBUG=False):
        # The baselines answer with the very bytes of each page: the rows pre-serialised.
        urls.BASELINE["profile"] = client.get("/publik/pemda/12.75/profil/").content
        urls.BASELINE["profiles"] = client.get("/api/v1/profiles/?page_size=100").content
        profile_url = "/publik/pemda/12.75/profil/"
        base_profile, _ = median_ms(client, "/__baseline__/profile/", fresh=False)
        base_api, _ = median_ms(client, "/__baseline__/profiles/", fresh=False)
        fresh, fresh_q = median_ms(client, profile_url, fresh=True)
        cached, cached_q = median_ms(client, profile_url, fresh=False)
        api, api_q = median_ms(client, "/api/v1/profiles/?page_size=100", fresh=False)
        _api200, api200_q = median_ms(client, "/api/v1/profiles/?page_size=200", fresh=False)
        province_q = median_ms(client, "/publik/pemda/12/profil/", fresh=True)[1]
        figures["pages"] = {
            "profile, made from nothing": {
                "median_ms": fresh,
                "queries": fresh_q,
                "baseline_ms": base_profile,
                "ratio": round(fresh / base_profile, 1),
            },
            "profile, from the page cache": {
                "median_ms": cached,
                "queries": cached_q,
                "baseline_ms": base_profile,
                "ratio": round(cached / base_profile, 1),
            },
            "API profiles (100 rows)": {
                "median_ms": api,
                "queries": api_q,
                "baseline_ms": base_api,
                "ratio": round(api / base_api, 1),
            },
        }
        figures["scaling"] = {
            "API profiles: 100 → 200 rows": [api_q, api200_q],
            "profile: a kota → a province (more rows of every module)": [fresh_q, province_q],
        }
    db = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    out = ROOT / "bench" / "results"
    (out / f"profile-{db}.json").write_text(json.dumps(figures, indent=2) + "\n")
    lines = [
        f"# Integrity profile and open-data profiles on {db}",
        "",
        f"546 Pemda, MCP 2022-2025 (demo years), SPI 2024-2025, gratification reports and declarations; built in {built} s. Measured {figures['measured']} UTC. Goal: at most 3 times the same bytes pre-serialised; queries constant as rows double.",
        "",
        "| page | median ms | queries | baseline ms | ratio |",
        "|---|---|---|---|---|",
        *(
            f"| {k} | {v['median_ms']} | {v['queries']} | {v['baseline_ms']} | {v['ratio']} |"
            for k, v in figures["pages"].items()
        ),
        "",
        "| scaling | queries |",
        "|---|---|",
        *(f"| {k} | {v[0]} → {v[1]} |" for k, v in figures["scaling"].items()),
    ]
    (out / f"profile-{db}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
