from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cegah.accounts import selectors as access
from cegah.accounts.models import VerifierAssignment
from cegah.accounts.requests import user_of
from cegah.core.confirm import confirmed
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp import period_selectors, selectors, services
from cegah.mcp.access import operator_opd_ids
from cegah.mcp.forms import AssignForm, ExtensionForm, PeriodForm
from cegah.mcp.models import CatalogueVersion, Period
from cegah.mcp.services import verification
from cegah.mcp.views.common import coordinator_or_404, is_htmx
from cegah.regions.models import Pemda


def _catalogue_or_404(year: int) -> CatalogueVersion:
    catalogue = selectors.current_catalogue(year=year)
    if catalogue is None:
        raise Http404
    return catalogue


# --- Catalogue pages: every signed-in user ------------------------------------------------------


@login_required
@require_safe  # a page to read: any other method is 405
def catalogue_latest(request: HttpRequest) -> HttpResponse:
    years = selectors.catalogue_years()
    if not years:
        return render(request, "mcp/catalogue_empty.html")
    return redirect("mcp:catalogue", year=years[0])


@login_required
@require_safe  # a page to read: any other method is 405
def catalogue(request: HttpRequest, year: int) -> HttpResponse:
    version = _catalogue_or_404(year)
    query = request.GET.get("q", "").strip()[:100]
    aspects = selectors.aspect_counts(catalogue=version)
    aspect = request.GET.get("aspek", "")
    if aspect not in {code for code, _name, _n in aspects}:
        aspect = ""
    areas = selectors.catalogue_areas(catalogue=version, query=query, aspect=aspect)
    context = {
        "catalogue": version,
        "areas": areas,
        "query": query,
        "aspects": aspects,
        "aspect": aspect,
        "area_count": version.areas.count(),
        "indicator_count": version.indicators.count(),
        "match_count": len([i for a in areas for i in a.shown]),  # type: ignore[attr-defined]
        "years": selectors.catalogue_years(),
        "versions": selectors.catalogue_versions(year=year),
        "has_previous": selectors.current_catalogue(year=year - 1) is not None,
    }
    if is_htmx(request):
        return render(request, "mcp/_catalogue_results.html", context)
    return render(request, "mcp/catalogue.html", context)


@login_required
@require_safe  # a page to read: any other method is 405
def catalogue_changes(request: HttpRequest, year: int) -> HttpResponse:
    changes = selectors.catalogue_changes(year=year)
    if changes is None:
        raise Http404
    return render(
        request,
        "mcp/catalogue_changes.html",
        {"changes": changes},
    )


# --- Periods: the national coordinator ----------------------------------------------------------


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    user = coordinator_or_404(request)
    years = selectors.catalogue_years()
    try:
        year = int(request.GET.get("tahun") or (years[0] if years else timezone.now().year))
    except ValueError:
        raise Http404 from None
    periods = selectors.periods_of(year=year)
    form = PeriodForm(request.POST or None, taken={p.number for p in periods})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(actor=user, year=year, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(period)s dibuat.") % {"period": period})
            return redirect(f"{request.path}?tahun={year}")
    return render(
        request,
        "mcp/period_list.html",
        {
            "year": year,
            "years": years,
            "periods": periods,
            "form": form,
            "extension_form": ExtensionForm(),
            "apip_review_required": verification.apip_review_required(year=year),
        },
    )


def _period_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = coordinator_or_404(request)
    period = get_object_or_404(Period, pk=pk)
    try:
        if action == "open":
            services.period_open(actor=user, period_id=pk)
            messages.success(request, _("%(period)s dibuka.") % {"period": period})
        elif not confirmed(request) and period.state == Period.State.OPEN:
            # Closing cannot be undone: ask first, saying what it cuts off.
            return render(
                request,
                "mcp/period_close_confirm.html",
                {"closing": period_selectors.closing(period=period)},
            )
        else:
            services.period_close(actor=user, period_id=pk)
            messages.success(request, _("%(period)s ditutup.") % {"period": period})
    except AlreadyDone as exc:
        messages.info(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{_period_list_url()}?tahun={period.year}")


def _period_list_url() -> str:
    return reverse("mcp:period_list")


@login_required
@require_POST
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_action(request, pk, "open")


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_action(request, pk, "close")


@login_required
@require_POST
def period_extend(request: HttpRequest, pk: int) -> HttpResponse:
    user = coordinator_or_404(request)
    period = get_object_or_404(Period, pk=pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.period_extend(actor=user, period_id=pk, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Perpanjangan untuk %(pemda)s disimpan.") % {"pemda": form.cleaned_data["pemda"]},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(f"{_period_list_url()}?tahun={period.year}")


# --- Assignment: the Admin Pemda ----------------------------------------------------------------


def _administered(request: HttpRequest, code: str) -> Pemda:
    return get_object_or_404(access.pemda_administered_by(user=user_of(request)), code=code)


@login_required
def assignment_board(request: HttpRequest, code: str) -> HttpResponse:
    pemda = _administered(request, code)
    years = selectors.catalogue_years()
    try:
        year = int(request.GET.get("tahun") or (years[0] if years else 0))
    except ValueError:
        raise Http404 from None
    version = _catalogue_or_404(year)
    areas = selectors.assignment_board(catalogue=version, pemda=pemda)
    ids = [i.pk for a in areas for i in a.shown]  # type: ignore[attr-defined]
    form = AssignForm(request.POST or None, pemda=pemda, indicator_ids=ids)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.indicator_assign(
                actor=user_of(request),
                pemda=pemda,
                catalogue=version,
                opd_id=form.cleaned_data["opd"].pk,
                indicator_ids=form.cleaned_data["indicators"],
            )
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d indikator ditugaskan ke %(opd)s.",
                    "%(count)d indikator ditugaskan ke %(opd)s.",
                    count,
                )
                % {"count": count, "opd": form.cleaned_data["opd"]},
            )
            return redirect(f"{request.path}?tahun={year}")
    return render(
        request,
        "mcp/assignment_board.html",
        {
            "pemda": pemda,
            "catalogue": version,
            "years": years,
            "areas": areas,
            "form": form,
            "unassigned": len(
                [i for a in areas for i in a.shown if not i.assigned]  # type: ignore[attr-defined]
            ),
        },
    )


@login_required
@require_POST
def assignment_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    pemda = _administered(request, code)
    services.indicator_unassign(actor=user_of(request), pemda=pemda, assignment_id=pk)
    messages.success(request, _("Penugasan dihapus."))
    year = request.POST.get("tahun", "")
    url = reverse("mcp:assignment_board", kwargs={"code": pemda.code})
    return redirect(f"{url}?tahun={year}" if year.isdigit() else url)


# --- The operator's own indicators -------------------------------------------------------------


@login_required
@require_safe  # a page to read: any other method is 405
def my_indicators(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not operator_opd_ids(user=user):
        raise Http404
    period = selectors.open_period()
    years = selectors.catalogue_years()
    year = period.year if period else (years[0] if years else None)
    version = selectors.current_catalogue(year=year) if year else None
    roles = [a for a in access.role_assignments(user=user) if a.opd_id and a.pemda]
    return render(
        request,
        "mcp/my_indicators.html",
        {
            "catalogue": version,
            "indicators": (
                selectors.indicators_for_operator(user=user, catalogue=version) if version else []
            ),
            "period": period,
            "deadlines": [
                (a, selectors.upload_deadline_for(period=period, pemda=a.pemda))  # type: ignore[arg-type]
                for a in roles
            ]
            if period
            else [],
        },
    )


# --- Who verifies: the Koordinator -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def verifier_areas(request: HttpRequest, pk: int) -> HttpResponse:
    """Limits a verifier's assignment to a Pemda to some areas (none ticked: every area)."""
    user = coordinator_or_404(request)
    assignment = get_object_or_404(
        VerifierAssignment.objects.select_related("verifier", "pemda"), pk=pk
    )
    areas = list(selectors.newest_areas())
    chosen = set(assignment.area_limits.values_list("area_code", flat=True))
    if request.method == "POST":
        chosen = set(request.POST.getlist("area"))
        try:
            verification.verifier_areas_set(
                actor=user, assignment_id=assignment.pk, area_codes=sorted(chosen)
            )
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Area verifikator disimpan."))
            return redirect("accounts:verifier_list")
    return render(
        request,
        "mcp/verifier_areas.html",
        {"assignment": assignment, "areas": areas, "chosen": chosen},
    )


@login_required
@require_POST
def year_setting(request: HttpRequest, year: int) -> HttpResponse:
    user = coordinator_or_404(request)
    if year not in selectors.catalogue_years():
        raise Http404
    verification.year_setting_set(
        actor=user, year=year, apip_review_required=request.POST.get("apip_review") == "on"
    )
    messages.success(request, _("Pengaturan tahun %(year)d disimpan.") % {"year": year})
    return redirect(f"{reverse('mcp:period_list')}?tahun={year}")
