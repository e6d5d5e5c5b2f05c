"""The Koordinator's score page: recompute in the background, publish versions. Recomputing and
publishing ask first (cegah.core.confirm), saying in numbers what they cover."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cegah.accounts.models import User
from cegah.core.confirm import confirmed
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp import score_selectors, selectors
from cegah.mcp.models import ScoreJob, ScoreSnapshot
from cegah.mcp.services.scores import export_job_start, score_job_start, scores_publish
from cegah.mcp.views.common import coordinator_or_404


@login_required
def score_admin(request: HttpRequest) -> HttpResponse:
    user = coordinator_or_404(request)
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            raise Http404 from None
        if year not in selectors.catalogue_years():
            raise Http404
        if "publish" in request.POST:
            return _publish(request, user, year)
        try:
            if "recompute" in request.POST:
                if not confirmed(request):
                    return render(
                        request,
                        "mcp/score_recompute_confirm.html",
                        {"run": score_selectors.score_run(year=year)},
                    )
                after = request.POST.get("after", "")
                job = score_job_start(
                    actor=user, year=year, after_job=int(after) if after.isdigit() else None
                )
                return redirect(f"{request.path}?job={job.pk}")
            if "export" in request.POST:
                job = export_job_start(actor=user, year=year)
                return redirect(f"{request.path}?job={job.pk}")
        except AlreadyDone as exc:  # a second click: follow the job already started
            messages.info(request, " ".join(exc.messages))
            started = score_selectors.latest_recompute(year=year)
            return redirect(f"{request.path}?job={started.pk}" if started else request.path)
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    snapshots = ScoreSnapshot.objects.exclude(state=ScoreSnapshot.State.STAGING).select_related(
        "published_by"
    )
    by_year: dict[int, list[ScoreSnapshot]] = {}
    for snapshot in snapshots:
        by_year.setdefault(snapshot.year, []).append(snapshot)
    job_id = request.GET.get("job", "")
    return render(
        request,
        "mcp/score_admin.html",
        {
            "years": [(y, by_year.get(y, [])) for y in selectors.catalogue_years()],
            "job": ScoreJob.objects.filter(pk=job_id).first() if job_id.isdigit() else None,
        },
    )


def _publish(request: HttpRequest, user: User, year: int) -> HttpResponse:
    """The first post shows what publishing covers and what is unfinished; the confirmed post
    publishes the version that page announced, or shows the page again with the refusal."""
    reason = request.POST.get("reason", "").strip()
    errors: list[str] = []
    if confirmed(request):
        version = request.POST.get("version", "")
        try:
            snapshot = scores_publish(
                actor=user,
                year=year,
                reason=reason,
                expected_version=int(version) if version.isdigit() else None,
            )
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect(request.path)
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Skor %(year)d versi %(version)d diterbitkan.")
                % {"year": year, "version": snapshot.version},
            )
            return redirect(request.path)
    return render(
        request,
        "mcp/score_publish_confirm.html",
        {"run": score_selectors.score_run(year=year), "reason": reason, "errors": errors},
        status=400 if errors else 200,  # refused: shown again as typed, with why
    )


@login_required
@require_safe  # a page to read: any other method is 405
def score_job(request: HttpRequest, pk: int) -> HttpResponse:
    coordinator_or_404(request)
    job = get_object_or_404(ScoreJob, pk=pk)
    return render(request, "mcp/_score_job.html", {"job": job})
