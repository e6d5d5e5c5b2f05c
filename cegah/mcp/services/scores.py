"""Computing, updating and publishing MCP scores (rules in `cegah.mcp.scoring`)."""

from __future__ import annotations

import hashlib
import tempfile
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import IntegrityError, connection, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl import Workbook

from cegah.accounts import selectors as accounts
from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp import score_sums, scoring
from cegah.mcp.models import (
    YEAR,
    Answer,
    AreaScore,
    Award,
    CatalogueVersion,
    Indicator,
    IndicatorScore,
    PemdaScore,
    ScoreJob,
    ScoreSnapshot,
)
from cegah.mcp.models.scores import stale_before
from cegah.mcp.score_selectors import unfinished_work
from cegah.mcp.selectors import current_catalogue
from cegah.mcp.signals import scores_published
from cegah.regions.models import Pemda

BATCH = 5000


_opened_rules: dict[tuple[int, str], score_sums.Catalogue] = {}


def score_rules(catalogue: CatalogueVersion) -> tuple[scoring.AreaRule, ...]:
    """The catalogue's scoring rules. An opened catalogue never changes (corrections are new
    versions), so its rules are kept in memory: each decision's update need not read them."""
    return _score_catalogue(catalogue).rules


def _score_catalogue(catalogue: CatalogueVersion) -> score_sums.Catalogue:
    """The rules and their SQL tables, kept in memory for an opened catalogue."""
    if catalogue.opened_at is None:
        return score_sums.Catalogue(_read_rules(catalogue))
    key = (catalogue.pk, catalogue.opened_at.isoformat())
    found = _opened_rules.get(key)
    if found is None:
        found = _opened_rules[key] = score_sums.Catalogue(_read_rules(catalogue))
    return found


def _read_rules(catalogue: CatalogueVersion) -> tuple[scoring.AreaRule, ...]:
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(catalogue=catalogue)
        .prefetch_related("sub_indicators")
        .order_by("position")
    ):
        indicators[indicator.area_id].append(indicator)
    return tuple(
        scoring.AreaRule(
            area.code,
            area.weight,
            tuple(
                scoring.IndicatorRule(
                    i.pk,
                    i.code,
                    i.weight,
                    frozenset(i.applies_kinds),
                    tuple(
                        scoring.SubRule(
                            s.pk,
                            s.code,
                            s.weight,
                            s.answer_type,
                            tuple(Decimal(str(o["value"])) for o in s.options),
                            s.target,
                        )
                        for s in i.sub_indicators.all()
                    ),
                )
                for i in indicators[area.pk]
            ),
        )
        for area in catalogue.areas.order_by("position")
    )


Rows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]
PEMDA_FIELDS = ("snapshot_id", "pemda_id", "termin", "self_score", "verified_score", "category")
AREA_FIELDS = ("snapshot_id", "pemda_id", "termin", "area_code", "self_score", "verified_score")
INDICATOR_FIELDS = ("snapshot_id", "pemda_id", "indicator_code", "self_score", "verified_score")


def _rows_for(
    snapshot: ScoreSnapshot,
    catalogue: score_sums.Catalogue,
    pemda: Pemda,
    termins: list[int],
    sums: dict[int, scoring.Sums],
) -> Rows:
    """The Pemda's score rows as tuples in the order of PEMDA/AREA/INDICATOR_FIELDS."""
    plan = catalogue.plans[pemda.kind]
    pemda_rows: list[tuple[Any, ...]] = []
    area_rows: list[tuple[Any, ...]] = []
    year_result: scoring.PemdaResult | None = None
    # Termin rows only where the Pemda reported; the yearly score is its latest termin's, as KPK
    # publishes the year end. A Pemda that reported nothing scores 0 for the year.
    reported = [n for n in termins if n in sums]
    for number in [*reported, YEAR]:
        if number == YEAR:
            result = year_result or scoring.roll_up(plan, scoring.Sums())
        else:
            result = scoring.roll_up(plan, sums[number], with_indicators=number == reported[-1])
            year_result = result
        total = result.total
        pemda_rows.append(
            (
                snapshot.pk,
                pemda.pk,
                number,
                total.self_assessed,
                total.verified,
                scoring.category_for(total.verified).code,
            )
        )
        area_rows += [
            (snapshot.pk, pemda.pk, number, code, score.self_assessed, score.verified)
            for code, score in result.areas.items()
        ]
    final = year_result or scoring.roll_up(plan, scoring.Sums())
    indicator_rows: list[tuple[Any, ...]] = [
        (snapshot.pk, pemda.pk, code, score.self_assessed, score.verified)
        for code, score in final.indicators.items()
    ]
    return pemda_rows, area_rows, indicator_rows


def _termins(year: int) -> list[int]:
    """The numbers of the termin a year's scores count, in order (the sums read the same)."""
    return sorted(score_sums.reported_periods(year).values())


def _insert(
    model: type[models.Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Plain INSERTs of many rows: tens of thousands of scores without building model objects.

    One transaction per batch: outside one, SQLite commits (and syncs) every row, which was half
    of a national recompute. Batches keep each write lock short for the people working.
    PostgreSQL takes the rows by COPY, several times faster than one INSERT each."""
    if not rows:
        return
    columns = ", ".join(fields)  # the field names are the default column names
    placeholders = ", ".join(["%s"] * len(fields))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:  # the driver's own cursor
                for row in rows:
                    copy.write_row(row)
            rows.clear()
            return
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names from model meta
            rows,
        )
    rows.clear()


def _write(
    snapshot: ScoreSnapshot,
    progress: Callable[[int], None] | None = None,
    *,
    only: Pemda | None = None,
) -> None:
    """Computes and stores the rows of every Pemda (in the order of their ids), or of `only`,
    in batches, so memory stays flat over 546 Pemda. The database adds up the answers
    (`score_sums`, streamed in the same order); Python divides and rounds."""
    if snapshot.catalogue is None:  # an imported year has no answers to compute from
        raise DomainError(_("Skor yang diimpor tidak dihitung ulang."), code="imported")
    catalogue = _score_catalogue(snapshot.catalogue)
    termins = _termins(snapshot.year)
    pemdas = list(Pemda.objects.order_by("pk")) if only is None else [only]
    stream = score_sums.year_sums(
        catalogue,
        snapshot.year,
        None if only is None else [only.pk],
        kind=None if only is None else only.kind,
    )
    reported = next(stream, None)
    pemda_rows: list[tuple[Any, ...]] = []
    area_rows: list[tuple[Any, ...]] = []
    indicator_rows: list[tuple[Any, ...]] = []
    for count, pemda in enumerate(pemdas, start=1):
        sums: dict[int, scoring.Sums] = {}
        if reported is not None and reported[0] == pemda.pk:
            sums = reported[1]
            reported = next(stream, None)
        totals, areas, indicators = _rows_for(snapshot, catalogue, pemda, termins, sums)
        pemda_rows += totals
        area_rows += areas
        indicator_rows += indicators
        if progress is not None and count % 25 == 0:
            progress(count)
        if len(indicator_rows) >= BATCH:
            _insert(PemdaScore, PEMDA_FIELDS, pemda_rows)
            _insert(AreaScore, AREA_FIELDS, area_rows)
            _insert(IndicatorScore, INDICATOR_FIELDS, indicator_rows)
    if reported is not None:  # the stream and the Pemda list disagree on the order
        raise RuntimeError(f"Pemda {reported[0]} was not matched to its answers' sums")
    _insert(PemdaScore, PEMDA_FIELDS, pemda_rows)
    _insert(AreaScore, AREA_FIELDS, area_rows)
    _insert(IndicatorScore, INDICATOR_FIELDS, indicator_rows)


def _rerank(snapshot: ScoreSnapshot) -> None:
    """Ranks of the yearly rows: among each province's kabupaten/kota, and nationally per kind.

    Read as tuples: building 546 score and Pemda objects was half of a one-Pemda update."""
    rows = list(
        PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR).values_list(
            "pk",
            "verified_score",
            "pemda__kind",
            "pemda__province_id",
            "rank_province",
            "province_size",
            "rank_national",
            "national_size",
        )
    )
    by_province: dict[int, dict[int, Decimal]] = defaultdict(dict)
    by_kind: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for pk, score, kind, province_id, *_ranks in rows:
        by_kind[kind][pk] = score
        if kind != Pemda.Kind.PROVINSI:
            by_province[province_id][pk] = score
    province_ranks: dict[int, tuple[int, int]] = {}
    for scores in by_province.values():
        province_ranks.update(
            {pk: (rank, len(scores)) for pk, rank in scoring.competition_ranks(scores).items()}
        )
    national_ranks: dict[int, tuple[int, int]] = {}
    for scores in by_kind.values():
        national_ranks.update(
            {pk: (rank, len(scores)) for pk, rank in scoring.competition_ranks(scores).items()}
        )
    changed = []
    for pk, _score, _kind, _province_id, *before in rows:
        after = (*province_ranks.get(pk, (None, None)), *national_ranks[pk])
        if list(after) != before:  # after one Pemda's update, most ranks stay where they were
            changed.append((*after, pk))
    if not changed:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {PemdaScore._meta.db_table} SET rank_province = %s, province_size = %s, "  # noqa: S608
            "rank_national = %s, national_size = %s WHERE id = %s",
            changed,
        )


def snapshot_hash(snapshot: ScoreSnapshot) -> str:
    """SHA-256 of every score in a fixed order: equal hashes mean equal snapshots.

    Read through a cursor, scores turned into Decimals once per distinct value: building every
    row through the ORM's converters was a fifth of a national recompute."""
    digest = hashlib.sha256()
    score = score_sums.DecimalReader(places=2)
    for query, score_columns in (
        (
            PemdaScore.objects.filter(snapshot=snapshot)
            .order_by("pemda__code", "termin")
            .values_list(
                "pemda__code",
                "termin",
                "self_score",
                "verified_score",
                "rank_province",
                "rank_national",
            ),
            (2, 3),
        ),
        (
            AreaScore.objects.filter(snapshot=snapshot)
            .order_by("pemda__code", "termin", "area_code")
            .values_list("pemda__code", "termin", "area_code", "self_score", "verified_score"),
            (3, 4),
        ),
        (
            IndicatorScore.objects.filter(snapshot=snapshot)
            .order_by("pemda__code", "indicator_code")
            .values_list("pemda__code", "indicator_code", "self_score", "verified_score"),
            (2, 3),
        ),
    ):
        first, second = score_columns
        sql, params = query.query.sql_with_params()
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(BATCH):
                for row in rows:
                    # The tuple the ORM would give, so the hash is the same on every database.
                    values = list(row)
                    values[first], values[second] = score(row[first]), score(row[second])
                    digest.update(repr(tuple(values)).encode())
    return digest.hexdigest()


def _finish(snapshot: ScoreSnapshot, *, rehash: bool = True) -> ScoreSnapshot:
    _rerank(snapshot)
    # Hashing reads every row of the year; after a one-Pemda update it is left empty (stale)
    # and made again by the next full recompute or publication.
    snapshot.content_hash = snapshot_hash(snapshot) if rehash else ""
    snapshot.computed_at = timezone.now()
    snapshot.save(update_fields=["content_hash", "computed_at", "catalogue"])
    return snapshot


def _working(year: int) -> ScoreSnapshot:
    catalogue = current_catalogue(year=year)
    if catalogue is None:
        raise DomainError(_("Belum ada katalog MCP tahun %(year)d.") % {"year": year})
    snapshot, _created = ScoreSnapshot.objects.select_for_update().get_or_create(
        year=year,
        state=ScoreSnapshot.State.WORKING,
        defaults={"catalogue": catalogue, "version": 0},
    )
    snapshot.catalogue = catalogue
    return snapshot


def scores_recompute(*, year: int, progress: Callable[[int], None] | None = None) -> ScoreSnapshot:
    """Recomputes the year's working snapshot for all 546 Pemda from the answers.

    The new scores are written beside the current ones, batch by batch, and replace them in one
    short transaction at the end: readers never see a half-computed year, no lock is held for
    the whole run, and progress is visible while it runs."""
    catalogue = current_catalogue(year=year)
    if catalogue is None:
        raise DomainError(_("Belum ada katalog MCP tahun %(year)d.") % {"year": year})
    staging = ScoreSnapshot.objects.create(
        year=year, state=ScoreSnapshot.State.STAGING, catalogue=catalogue
    )
    try:
        _write(staging, progress)
        _finish(staging)
        with transaction.atomic():
            ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.WORKING).delete()
            staging.state = ScoreSnapshot.State.WORKING
            staging.save(update_fields=["state"])
    except BaseException:
        staging.delete()
        raise
    return staging


def score_job_start(*, actor: User, year: int, after_job: int | None = None) -> ScoreJob:
    """Queues a full recompute; the page follows its progress. `after_job` is the newest
    recompute of the year the confirm page knew of (0 for none): one started since, by a second
    click or another Koordinator, is told (AlreadyDone), not started again."""
    if not accounts.is_national_coordinator(user=actor):
        raise Http404
    if current_catalogue(year=year) is None:
        raise DomainError(_("Belum ada katalog MCP tahun %(year)d.") % {"year": year})
    if (
        after_job is not None
        and ScoreJob.objects.filter(
            kind=ScoreJob.Kind.RECOMPUTE, year=year, pk__gt=after_job
        ).exists()
    ):
        raise AlreadyDone(
            _("Hitung ulang skor %(year)d sudah dimulai.") % {"year": year}, code="started"
        )
    score_jobs_stopped_fail()
    job = ScoreJob.objects.create(year=year, started_by=actor, total=Pemda.objects.count())
    return _queue(job, actor, "mcp.scores.recompute")


def score_jobs_stopped_fail() -> int:
    """Marks failed the running jobs whose worker is gone (ScoreJob.stopped), and drops the
    half-computed scores a stopped recompute left where no live recompute of the year is writing
    any. Nothing they did is visible: a recompute swaps its scores in at the end in one
    transaction, an export names its file only once it is whole. Runs before a job starts, so
    the person starting it again finds the old one failed and its leftovers gone."""
    stopped = [
        job
        for job in ScoreJob.objects.filter(state=ScoreJob.State.RUNNING)
        .filter(models.Q(heartbeat_at__lt=stale_before()) | models.Q(heartbeat_at__isnull=True))
        .only("pk", "year", "kind", "state", "heartbeat_at", "created_at")
        if job.stopped
    ]
    for job in stopped:
        ScoreJob.objects.filter(pk=job.pk, state=ScoreJob.State.RUNNING).update(
            state=ScoreJob.State.FAILED,
            message="stopped: its worker ended while it ran (no progress since "
            f"{(job.heartbeat_at or job.created_at).isoformat()})",
            finished_at=timezone.now(),
        )
    for year in {j.year for j in stopped if j.kind == ScoreJob.Kind.RECOMPUTE}:
        live = ScoreJob.objects.filter(
            year=year, kind=ScoreJob.Kind.RECOMPUTE, state=ScoreJob.State.RUNNING
        ).exists()
        if not live:
            ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.STAGING).delete()
    return len(stopped)


def _queue(job: ScoreJob, actor: User, action: str) -> ScoreJob:
    """Audits the job and hands it to the background worker once the transaction commits."""
    audit.record(actor=actor, action=action, obj=job, data={"year": job.year})
    transaction.on_commit(lambda: score_job_task.enqueue(job.pk))
    return job


# The background tasks live beside the services they run, so services enqueue them without
# importing the tasks module (which imports services): no import cycle.
@task()
def score_job_task(job_id: int) -> None:
    score_job_run(job_id=job_id)


@task()
def pemda_scores_update(year: int, pemda_id: int) -> None:
    """A Pemda's working scores after a decision (queued by the reporting services)."""
    scores_update_pemda(year=year, pemda_id=pemda_id)


def score_job_run(*, job_id: int) -> None:
    job = ScoreJob.objects.get(pk=job_id)
    ScoreJob.objects.filter(pk=job.pk).update(
        state=ScoreJob.State.RUNNING, heartbeat_at=timezone.now()
    )

    def progress(done: int) -> None:
        ScoreJob.objects.filter(pk=job.pk).update(done=done, heartbeat_at=timezone.now())

    try:
        if job.kind == ScoreJob.Kind.EXPORT:
            _export(job)
            result = job.file.name
        else:
            result = scores_recompute(year=job.year, progress=progress).content_hash
    except Exception as exc:
        # A DomainError's str() is the repr of its message list.
        detail = " ".join(exc.messages) if isinstance(exc, DomainError) else str(exc)
        ScoreJob.objects.filter(pk=job.pk).update(
            state=ScoreJob.State.FAILED, message=detail[:500], finished_at=timezone.now()
        )
        raise
    ScoreJob.objects.filter(pk=job.pk).update(
        state=ScoreJob.State.DONE,
        done=job.total,
        message=result,
        finished_at=timezone.now(),
    )


@transaction.atomic
def scores_update_pemda(*, year: int, pemda_id: int) -> ScoreSnapshot:
    """After a verification: recomputes one Pemda's scores and the ranks, not the nation."""
    if not ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.WORKING).exists():
        return scores_recompute(year=year)
    snapshot = _working(year)
    for model in (PemdaScore, AreaScore, IndicatorScore):
        model._default_manager.filter(snapshot=snapshot, pemda_id=pemda_id).delete()
    _write(snapshot, only=Pemda.objects.get(pk=pemda_id))
    return _finish(snapshot, rehash=False)


def _copy(source: ScoreSnapshot, target: ScoreSnapshot) -> None:
    """Copies every score row of a snapshot into another with INSERT … SELECT."""
    for model, fields in (
        (
            PemdaScore,
            [*PEMDA_FIELDS[1:], "rank_province", "province_size", "rank_national", "national_size"],
        ),
        (AreaScore, list(AREA_FIELDS[1:])),
        (IndicatorScore, list(INDICATOR_FIELDS[1:])),
    ):
        columns = ", ".join(fields)
        table = model._meta.db_table
        snapshot_column = "snapshot_id"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({snapshot_column}, {columns}) "  # noqa: S608 - meta names
                f"SELECT %s, {columns} FROM {table} WHERE {snapshot_column} = %s",
                [target.pk, source.pk],
            )


def latest_published(year: int) -> ScoreSnapshot | None:
    return (
        ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.PUBLISHED)
        .order_by("-version")
        .first()
    )


# What an award's value counts when its rule (data/mcp/awards.yaml) does not say: a score rule
# counts points of the 0-100 score.
SCORE_POINTS = {"id": "poin", "en": "points"}


def _awards(snapshot: ScoreSnapshot) -> int:
    year_rows = list(
        PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR).select_related("pemda")
    )
    previous = latest_published(snapshot.year - 1)
    before = (
        dict(
            PemdaScore.objects.filter(snapshot=previous, termin=YEAR).values_list(
                "pemda_id", "verified_score"
            )
        )
        if previous
        else {}
    )
    kind_of = {row.pemda_id: row.pemda.kind for row in year_rows}
    awards: list[Award] = []
    for rule in scoring.award_rules():
        candidates: dict[str, dict[int, Decimal]] = defaultdict(dict)
        if rule["rule"] == "sub_indicator":
            termins = _termins(snapshot.year)
            for pemda_id, value in Answer.objects.filter(
                period__year=snapshot.year,
                period__number=termins[-1] if termins else 0,
                sub_indicator__code__in=rule["sub_indicators"],
                sub_indicator__indicator__catalogue=snapshot.catalogue,
                state=Answer.State.APPROVED,
                verified_value__isnull=False,
            ).values_list("pemda_id", "verified_value"):
                if value is not None and pemda_id in kind_of:
                    candidates[kind_of[pemda_id]][pemda_id] = value
        for row in year_rows:
            if rule["rule"] == "increase" and row.pemda_id in before:
                candidates[row.pemda.kind][row.pemda_id] = row.verified_score - before[row.pemda_id]
            elif rule["rule"] == "best" and row.pemda.kind != Pemda.Kind.PROVINSI:
                group = row.pemda.kind if rule["per"] == "kind" else row.pemda.province.code
                candidates[group][row.pemda_id] = row.verified_score
        for group, values in candidates.items():
            if not values:
                continue
            top = max(values.values())
            if rule["rule"] != "increase" and top <= 0:
                continue
            unit = rule.get("unit") or (SCORE_POINTS if rule["rule"] != "sub_indicator" else {})
            awards += [
                Award(
                    snapshot=snapshot,
                    rule=rule["code"],
                    name_id=rule["name"]["id"],
                    name_en=rule["name"]["en"],
                    category=group,
                    pemda_id=pemda_id,
                    value=value,
                    unit_id=unit.get("id", ""),
                    unit_en=unit.get("en", ""),
                )
                for pemda_id, value in values.items()
                if value == top
            ]
    Award.objects.bulk_create(awards)
    return len(awards)


def announced_awards_carry(*, source: ScoreSnapshot, target: ScoreSnapshot) -> None:
    """Announced awards belong to the year, not to one version of its scores."""
    Award.objects.bulk_create(
        Award(
            snapshot=target,
            rule=a.rule,
            name_id=a.name_id,
            name_en=a.name_en,
            category=a.category,
            pemda_id=a.pemda_id,
            value=a.value,
            announced=True,
            rank=a.rank,
            handed_over_on=a.handed_over_on,
            event=a.event,
        )
        for a in Award.objects.filter(snapshot=source, announced=True)
    )


@transaction.atomic
def scores_publish(
    *, actor: User, year: int, reason: str = "", expected_version: int | None = None
) -> ScoreSnapshot:
    """Publishes the year's scores as a new, immutable version, with its awards.

    `expected_version` is the version the confirm page announced: a second click, or another
    Koordinator's publication since, is told it happened (AlreadyDone) and publishes nothing.
    While a termin of the year is open or items wait for a verifier, publishing is refused with
    the list of what is unfinished, unless a reason is given; the version keeps that list."""
    if not accounts.is_national_coordinator(user=actor):
        raise Http404
    reason = reason.strip()
    previous = latest_published(year)
    version = previous.version + 1 if previous else 1
    if (
        previous is not None
        and expected_version is not None
        and expected_version <= previous.version
    ):
        raise AlreadyDone(
            _("Skor %(year)d versi %(version)d sudah diterbitkan.")
            % {"year": year, "version": previous.version},
            code="already_published",
        )
    if version > 1 and not reason:
        raise DomainError(
            _("Skor %(year)d sudah pernah diterbitkan. Sebutkan alasan penerbitan ulang.")
            % {"year": year},
            code="reason_required",
        )
    unfinished = unfinished_work(year=year)
    if unfinished and not reason:
        said = [
            _(
                "Skor %(year)d belum diterbitkan karena masih ada yang belum selesai. "
                "Sebutkan alasan bila tetap diterbitkan."
            )
            % {"year": year},
            *unfinished.lines(),
        ]
        raise DomainError([DomainError(line, code="unfinished") for line in said])
    working = scores_recompute(year=year)
    try:
        with transaction.atomic():
            published = ScoreSnapshot.objects.create(
                year=year,
                state=ScoreSnapshot.State.PUBLISHED,
                version=version,
                catalogue=working.catalogue,
                reason=reason,
                unfinished=unfinished.record(),
                content_hash=working.content_hash,
                computed_at=working.computed_at,
                published_at=timezone.now(),
                published_by=actor,
            )
    except IntegrityError:  # another click published this version meanwhile
        raise AlreadyDone(
            _("Skor %(year)d versi %(version)d sudah diterbitkan.")
            % {"year": year, "version": version},
            code="already_published",
        ) from None
    _copy(working, published)
    awards = _awards(published)
    if previous is not None:
        announced_awards_carry(source=previous, target=published)
    audit.record(
        actor=actor,
        action="mcp.scores.publish",
        obj=published,
        data={
            "year": year,
            "version": version,
            "reason": reason,
            "unfinished": unfinished.record(),
            "hash": published.content_hash,
            "awards": awards,
        },
    )
    transaction.on_commit(
        lambda: scores_published.send(sender=ScoreSnapshot, snapshot=published), robust=True
    )
    return published


EXPORT_HEADER = [
    "tahun",
    "versi",
    "kode_pemda",
    "pemda",
    "jenis",
    "provinsi",
    "indikator",
    "area",
    "nilai_terverifikasi",
    "nilai_mandiri",
]


def export_job_start(*, actor: User, year: int) -> ScoreJob:
    """Queues the full open-data file of a published year: every indicator score of every Pemda."""
    if not accounts.is_national_coordinator(user=actor):
        raise Http404
    snapshot = latest_published(year)
    if snapshot is None:
        raise DomainError(_("Skor %(year)d belum diterbitkan.") % {"year": year})
    score_jobs_stopped_fail()
    job = ScoreJob.objects.create(
        year=year,
        kind=ScoreJob.Kind.EXPORT,
        snapshot=snapshot,
        started_by=actor,
        total=IndicatorScore.objects.filter(snapshot=snapshot).count(),
    )
    return _queue(job, actor, "mcp.scores.export")


def _export(job: ScoreJob, progress: Callable[[int], None] | None = None) -> None:
    """Writes the file row by row (openpyxl write-only mode to a temporary file), then stores it."""
    snapshot = job.snapshot
    if snapshot is None:
        raise ValueError("an export job names its snapshot")  # export jobs are made with one
    areas = dict(
        Indicator.objects.filter(catalogue=snapshot.catalogue).values_list("code", "area__code")
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"MCP {snapshot.year}")
    sheet.append(EXPORT_HEADER)
    rows = (
        IndicatorScore.objects.filter(snapshot=snapshot)
        .order_by("pemda__code", "indicator_code")
        .values_list(
            "pemda__code",
            "pemda__name",
            "pemda__kind",
            "pemda__province__name",
            "indicator_code",
            "verified_score",
            "self_score",
        )
    )
    for count, (code, name, kind, province, indicator, verified, own) in enumerate(
        rows.iterator(chunk_size=BATCH), start=1
    ):
        sheet.append(
            [
                snapshot.year,
                snapshot.version,
                code,
                name,
                kind,
                province,
                indicator,
                areas.get(indicator, ""),
                verified,
                own,
            ]
        )
        if count % 2000 == 0:
            ScoreJob.objects.filter(pk=job.pk).update(done=count, heartbeat_at=timezone.now())
            if progress is not None:
                progress(count)
    with tempfile.TemporaryFile() as target:
        workbook.save(target)
        target.seek(0)
        job.file.save(
            f"mcp-{snapshot.year}-v{snapshot.version}-indikator.xlsx", File(target), save=False
        )
    ScoreJob.objects.filter(pk=job.pk).update(file=job.file.name)
