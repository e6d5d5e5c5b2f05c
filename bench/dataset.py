"""A national dataset for the benchmarks: 546 Pemda x the 2025 catalogue (111 indicators,
122 sub-indicators) x 4 termin x 3 years, in realistic workflow states, with evidence metadata.

Rows go in with plain INSERTs (executemany) so it builds in minutes on two cores, on SQLite and
PostgreSQL alike. Reproducible: every random draw is seeded.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction

from cegah.accounts.models import Role, RoleAssignment, User, VerifierAssignment
from cegah.mcp.demo import termin_dates
from cegah.mcp.models import (
    Answer,
    CatalogueVersion,
    Evidence,
    Period,
    SubIndicator,
)
from cegah.mcp.services import catalogue_import
from cegah.regions.models import Opd, Pemda
from cegah.uploads.models import StoredFile

WIB = ZoneInfo("Asia/Jakarta")
NO_PASSWORD = make_password(None)  # bench people never sign in with a password
YEARS = (2023, 2024, 2025)
# Share of answers in each state at the time the benchmark looks (the current year's last
# termin is mid-verification; the rest is settled).
CURRENT_STATES = [
    ("approved", 45),
    ("submitted", 20),
    ("in_review", 5),
    ("returned", 5),
    ("draft", 25),
]
SETTLED_STATES = [("approved", 100)]


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _catalogues() -> None:
    source = (Path(settings.BASE_DIR) / "data" / "mcp" / "mcp-2025.yaml").read_text("utf-8")
    source = "\n".join(line for line in source.splitlines() if "previous:" not in line) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        for year in YEARS:
            path = Path(folder) / f"bench-{year}.yaml"
            path.write_text(source.replace("year: 2025\n", f"year: {year}\n", 1), "utf-8")
            catalogue_import(path=path)


def _people(pemdas: list[Pemda]) -> None:
    """Eight OPD and one operator each per Pemda, one admin per Pemda, 34 verifiers."""
    if Opd.objects.exists():
        return
    Opd.objects.bulk_create(
        Opd(pemda=p, name=f"OPD {n} {p.code}", short_name=f"OPD{n}")
        for p in pemdas
        for n in range(1, 9)
    )
    users = User.objects.bulk_create(
        User(
            email=f"op{n}.{p.code}@bench.test",
            full_name=f"Operator {n} {p.name}",
            password=NO_PASSWORD,
        )
        for p in pemdas
        for n in range(1, 9)
    )
    opds = {(o.pemda_id, o.short_name): o for o in Opd.objects.all()}
    roles = [
        RoleAssignment(user=u, role=Role.OPERATOR, pemda=p, opd=opds[(p.pk, f"OPD{n}")])
        for (p, n), u in zip([(p, n) for p in pemdas for n in range(1, 9)], users, strict=True)
    ]
    admins = User.objects.bulk_create(
        User(email=f"admin.{p.code}@bench.test", full_name=f"Admin {p.name}", password=NO_PASSWORD)
        for p in pemdas
    )
    roles += [
        RoleAssignment(user=u, role=Role.ADMIN_PEMDA, pemda=p)
        for p, u in zip(pemdas, admins, strict=True)
    ]
    RoleAssignment.objects.bulk_create(roles)
    verifiers = User.objects.bulk_create(
        User(email=f"verif{n}@bench.test", full_name=f"Verifikator {n}", password=NO_PASSWORD)
        for n in range(34)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=v, role=Role.VERIFIKATOR) for v in verifiers
    )
    VerifierAssignment.objects.bulk_create(
        VerifierAssignment(verifier=verifiers[i % 34], pemda=p) for i, p in enumerate(pemdas)
    )


def _periods() -> dict[tuple[int, int], Period]:
    periods = {}
    for year in YEARS:
        for number in range(1, 5):
            opens, upload, verify = termin_dates(year, number)
            current = (year, number) == (YEARS[-1], 4)
            periods[(year, number)], _ = Period.objects.get_or_create(
                year=year,
                number=number,
                defaults={
                    "opens_at": opens,
                    "upload_deadline": upload,
                    "verification_deadline": verify,
                    "state": Period.State.OPEN if current else Period.State.CLOSED,
                },
            )
        # Opening a termin freezes the year's catalogue, as `period_open` does in the app.
        first = periods[(year, 1)]
        CatalogueVersion.objects.filter(year=year, opened_at__isnull=True).update(
            opened_at=first.opens_at
        )
    return periods


def _answers(pemdas: list[Pemda], periods: dict[tuple[int, int], Period]) -> None:
    answer_table = Answer._meta.db_table
    blob_table = StoredFile._meta.db_table
    evidence_table = Evidence._meta.db_table
    uploader = User.objects.filter(email__startswith="admin.").order_by("pk").first()
    assert uploader is not None
    now = datetime.now(tz=WIB)
    for year in YEARS:
        # A fixed order: the seeded draws then give the same answers on every database.
        subs = list(
            SubIndicator.objects.filter(indicator__catalogue__year=year)
            .select_related("indicator")
            .order_by("code")
        )
        for number in range(1, 5):
            period = periods[(year, number)]
            current = (year, number) == (YEARS[-1], 4)
            states = CURRENT_STATES if current else SETTLED_STATES
            names, weights = zip(*states, strict=True)
            with transaction.atomic():
                rows: list[tuple[Any, ...]] = []
                for pemda in pemdas:
                    rng = random.Random(f"bench-{year}-{number}-{pemda.code}")
                    skill = random.Random(f"bench-{pemda.code}").uniform(0.45, 0.98)
                    progress = 0.55 + 0.15 * number  # the report fills up through the year
                    for sub in subs:
                        if not sub.indicator.applies_to(pemda.kind) or rng.random() > progress:
                            continue
                        good = rng.random() < skill
                        value = _value(sub, good, rng)
                        state = rng.choices(names, weights)[0]
                        verified = None
                        if state == "approved":
                            verified = value if value is not None else (1 if good else 0)
                        rows.append(
                            (
                                pemda.pk,
                                period.pk,
                                sub.pk,
                                value,
                                state,
                                1,
                                verified,
                                now,
                                now if state != "draft" else None,
                            )
                        )
                _insert(
                    answer_table,
                    [
                        "pemda_id",
                        "period_id",
                        "sub_indicator_id",
                        "value",
                        "state",
                        "version",
                        "verified_value",
                        "updated_at",
                        "submitted_at",
                    ],
                    rows,
                )
            _evidence(year, number, period, blob_table, evidence_table, uploader.pk, now)


def _value(sub: SubIndicator, good: bool, rng: random.Random) -> object:
    if sub.answer_type == "yes_no":
        return 1 if good else 0
    if sub.answer_type == "choice":
        return 0 if good else rng.choice((1, 2))
    if sub.answer_type == "percentage":
        return round(rng.uniform(70, 100) if good else rng.uniform(0, 70), 1)
    if sub.answer_type == "number":
        target = float(sub.target or 1)
        return round(target * (rng.uniform(0.8, 1.1) if good else rng.uniform(0, 0.8)), 1)
    return None


def _evidence(
    year: int,
    number: int,
    period: Period,
    blob_table: str,
    evidence_table: str,
    uploader: int,
    now: datetime,
) -> None:
    """Metadata of one evidence file per answered sub-indicator that asks for a document (the
    files themselves are not needed by the benchmarks that read these rows)."""
    answers = (
        Answer.objects.filter(period=period)
        .exclude(sub_indicator__evidence=[])
        .values_list("pk", "sub_indicator__code", "pemda__code")
    )
    with transaction.atomic():
        blobs: list[tuple[Any, ...]] = []
        pending: list[tuple[int, str]] = []
        for answer_id, code, pemda_code in answers.iterator(chunk_size=10000):
            digest = hashlib.sha256(f"{year}-{number}-{pemda_code}-{code}".encode()).hexdigest()
            blobs.append(
                (
                    "mcp.evidence",
                    pemda_code,
                    digest,
                    250_000,
                    "application/pdf",
                    f"evidence/{pemda_code}/{digest[:2]}/{digest}.pdf",
                    now.date(),
                )
            )
            pending.append((answer_id, digest))
        _insert(
            blob_table,
            ["purpose", "scope", "sha256", "size", "content_type", "file", "stored_on"],
            blobs,
        )
        ids: dict[str, int] = {}
        digests = [d for _, d in pending]
        for at in range(0, len(digests), 500):
            ids.update(
                StoredFile.objects.filter(sha256__in=digests[at : at + 500]).values_list(
                    "sha256", "pk"
                )
            )
        _insert(
            evidence_table,
            [
                "answer_id",
                "stored_file_id",
                "revision",
                "original_name",
                "effective_date",
                "uploaded_by_id",
                "uploaded_at",
            ],
            [(a, ids[d], 1, "bukti.pdf", date(year, 1, 2), uploader, now) for a, d in pending],
        )


def build() -> dict[str, float]:
    """Builds the dataset into the configured database; returns how long each part took."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("audit_key", "init", verbosity=0)
    call_command("load_regions", verbosity=0)
    _catalogues()
    pemdas = list(Pemda.objects.order_by("code"))
    _people(pemdas)
    periods = _periods()
    timings["setup_s"] = time.perf_counter() - start
    if not Answer.objects.exists():
        start = time.perf_counter()
        _answers(pemdas, periods)
        # Fresh statistics, as autovacuum would have them on a live database: without them
        # PostgreSQL plans for an empty table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["answers_s"] = time.perf_counter() - start
    return timings
