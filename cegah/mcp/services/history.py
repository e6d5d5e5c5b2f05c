"""Loading KPK's published results and awards (read by `cegah.mcp.history`) as published
versions, like computed ones: every public page, ranking, export and the API then show them,
labelled with their source."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts import selectors as accounts
from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import DomainError
from cegah.mcp import scoring
from cegah.mcp.history import AwardsPlan, ResultsPlan, YearPlan, award_rule
from cegah.mcp.models import YEAR, AreaScore, Award, PemdaScore, ScoreSnapshot
from cegah.mcp.services.scores import _finish, announced_awards_carry, latest_published


def _may_load(actor: User | None) -> None:
    # None: the server's shell (manage.py), whose entries say so.
    if actor is not None and not accounts.is_national_coordinator(user=actor):
        raise Http404


def _refuse_problems(plan: ResultsPlan | AwardsPlan) -> None:
    if plan.problems:
        raise DomainError([DomainError(str(p), code="row") for p in plan.problems])


def _published_version(
    year_plan: YearPlan,
    previous: ScoreSnapshot | None,
    actor: User | None,
    source_name: str,
    source_url: str,
    announced_on: date | None,
    announced_event: str,
    reason: str,
) -> ScoreSnapshot:
    return ScoreSnapshot.objects.create(
        year=year_plan.year,
        state=ScoreSnapshot.State.PUBLISHED,
        version=previous.version + 1 if previous else 1,
        catalogue=year_plan.catalogue,
        origin=ScoreSnapshot.Origin.IMPORTED,
        area_names=[{"code": a.code, "name": a.name} for a in year_plan.areas],
        source_name=source_name,
        source_url=source_url.strip(),
        announced_on=announced_on,
        announced_event=announced_event.strip(),
        reason=reason,
        published_at=timezone.now(),
        published_by=actor,
    )


@transaction.atomic
def history_import(
    *,
    actor: User | None,
    plan: ResultsPlan,
    source_name: str,
    source_url: str = "",
    announced_on: date | None = None,
    announced_event: str = "",
    reason: str = "",
    via: str = "",
) -> list[ScoreSnapshot]:
    """Each year of the plan as a new published version (version 1, or the next one with the
    reason). Ranks are computed from the scores as for computed years; a rank the file gives is
    kept beside them as announced. Nothing loads when the plan has a problem."""
    _may_load(actor)
    _refuse_problems(plan)
    source_name, reason = source_name.strip(), reason.strip()
    if not source_name:
        raise DomainError(_("Sebutkan sumber hasil yang dimuat."), code="source_required")
    if len(source_name) > 200 or len(announced_event.strip()) > 300 or len(source_url) > 500:
        raise DomainError(
            _("Sumber paling banyak 200 huruf, acara 300, alamat 500."), code="too_long"
        )
    if not plan.years:
        raise DomainError(_("Berkas ini tidak memuat hasil."), code="empty")
    try:
        if source_url.strip():
            URLValidator(schemes=["http", "https"])(source_url.strip())
    except ValidationError:
        raise DomainError(
            _("Alamat sumber harus alamat web (https://…)."), code="source_url"
        ) from None
    loaded = []
    for year_plan in plan.years:
        previous = latest_published(year_plan.year)
        if previous is not None and not reason:
            raise DomainError(
                _("Skor %(year)d sudah pernah diterbitkan. Sebutkan alasan penerbitan ulang.")
                % {"year": year_plan.year},
                code="reason_required",
            )
        try:
            with transaction.atomic():
                snapshot = _published_version(
                    year_plan,
                    previous,
                    actor,
                    source_name,
                    source_url,
                    announced_on,
                    announced_event,
                    reason,
                )
        except IntegrityError:  # another load of the same year took this version meanwhile
            raise DomainError(
                _("Tahun %(year)d baru saja dimuat orang lain. Periksa lagi lalu muat.")
                % {"year": year_plan.year},
                code="concurrent",
            ) from None
        PemdaScore.objects.bulk_create(
            PemdaScore(
                snapshot=snapshot,
                pemda=row.pemda,
                termin=YEAR,
                self_score=None,
                verified_score=row.score,
                category=scoring.category_for(row.score).code,
                rank_published=row.rank,
            )
            for row in year_plan.rows
        )
        AreaScore.objects.bulk_create(
            AreaScore(
                snapshot=snapshot,
                pemda=row.pemda,
                termin=YEAR,
                area_code=code,
                self_score=None,
                verified_score=value,
            )
            for row in year_plan.rows
            for code, value in row.areas.items()
        )
        if previous is not None:
            announced_awards_carry(source=previous, target=snapshot)
        _finish(snapshot)
        loaded.append(snapshot)
        audit.record(
            actor=actor,
            action="mcp.history.import",
            obj=snapshot,
            data={
                "year": year_plan.year,
                "version": snapshot.version,
                "pemda": len(year_plan.rows),
                "source": source_name,
                "url": snapshot.source_url,
                "announced_on": announced_on,
                "reason": reason,
                "hash": snapshot.content_hash,
                "via": via,
            },
        )
    return loaded


@transaction.atomic
def history_awards_import(*, actor: User | None, plan: AwardsPlan, via: str = "") -> dict[int, int]:
    """The awards as announced, on each year's latest published version; they replace the
    year's awards loaded before (computed awards stay). Returns how many per year."""
    _may_load(actor)
    _refuse_problems(plan)
    if not plan.rows:
        raise DomainError(_("Berkas ini tidak memuat penghargaan."), code="empty")
    counts: dict[int, int] = {}
    for year, snapshot in sorted(plan.targets.items()):
        Award.objects.filter(snapshot=snapshot, announced=True).delete()
        rows = [r for r in plan.rows if r.year == year]
        Award.objects.bulk_create(
            Award(
                snapshot=snapshot,
                rule=award_rule(r.name),
                name_id=r.name,
                name_en="",
                category=r.category,
                pemda=r.pemda,
                value=None,
                announced=True,
                rank=r.rank,
                handed_over_on=r.handed_over_on,
                event=r.event,
            )
            for r in rows
        )
        counts[year] = len(rows)
        audit.record(
            actor=actor,
            action="mcp.history.awards",
            obj=snapshot,
            data={"year": year, "awards": len(rows), "via": via},
        )
    return counts
