"""Recommendations (rekomendasi perbaikan) and their follow-up: the lists (national and per
Pemda), writing one, its page with the follow-up, the acts on it, files and exports. Every
page checks who may read it (404 otherwise); every act's service checks who may do it again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cegah.accounts.models import User
from cegah.accounts.requests import user_of
from cegah.core.errors import AlreadyDone, DomainError
from cegah.core.exports import csv_response, xlsx_response
from cegah.core.inputs import DATE_DISPLAY
from cegah.mcp import access, selectors
from cegah.mcp import recommendation_selectors as recs
from cegah.mcp.forms import FollowUpForm, ReasonForm, RecommendationFilterForm, RecommendationForm
from cegah.mcp.models import FollowUpFile, Recommendation
from cegah.mcp.services import recommendations as services
from cegah.mcp.workflows import FOLLOW_UP_STATES
from cegah.regions.models import Pemda, Province
from cegah.uploads.responses import download_response

State = Recommendation.State


# --- The lists ----------------------------------------------------------------------------------


def _filter_form(request: HttpRequest) -> RecommendationFilterForm:
    return RecommendationFilterForm(request.GET, years=selectors.catalogue_years())


def _list_context(request: HttpRequest, user: User, pemda: Pemda | None) -> dict[str, Any]:
    form = _filter_form(request)
    filters = form.filters()
    qs = recs.recommendation_list(user=user, filters=filters, pemda=pemda)
    page = recs.recommendation_page(qs, request.GET.get("halaman"))
    # The filters, kept by the page links and the downloads (not the page number).
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v})
    export_query = f"pemda={pemda.code}&{query}" if pemda is not None else query
    return {
        "pemda": pemda,
        "page": page,
        "filter_form": form,
        "filters": filters,
        "states": State.choices,
        "provinces": [] if pemda is not None else list(Province.objects.order_by("code")),
        "areas": selectors.newest_areas(),
        "years": selectors.catalogue_years(),
        "query": query,
        "export_query": export_query.strip("&"),
    }


@login_required
@require_safe  # a page to read: any other method is 405
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Every recommendation the person may read: the country for the Koordinator, the assigned
    Pemda for a verifier, their own Pemda's for its people."""
    user = user_of(request)
    if not recs.sees_recommendations(user=user):
        raise Http404
    context = _list_context(request, user, None)
    context["can_write"] = recs.pemda_writable_by(user=user).exists()
    return render(request, "mcp/recommendation_list.html", context)


@login_required
@require_safe
def recommendation_pemda(request: HttpRequest, code: str) -> HttpResponse:
    """One Pemda's recommendations, with how many are in each state and overdue."""
    user = user_of(request)
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    access.ensure(recs.sees_recommendations_of(user=user, pemda=pemda))
    context = _list_context(request, user, pemda)
    visible = access.recommendations_visible_to(user=user).filter(pemda=pemda)
    context["counts"], context["overdue_count"] = recs.state_counts(visible)
    context["can_write"] = access.can_write_recommendation(user=user, pemda=pemda)
    return render(request, "mcp/recommendation_list.html", context)


# --- Writing one ---------------------------------------------------------------------------------


def _year_asked(request: HttpRequest, years: list[int]) -> int | None:
    """The catalogue year whose areas and indicators the form offers: the one asked for, else
    this year's, else the newest."""
    asked = request.POST.get("year") or request.GET.get("tahun") or ""
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    this_year = timezone.localdate().year
    return this_year if this_year in years else (years[0] if years else None)


def _catalogue_choices(
    year: int | None,
) -> tuple[list[tuple[int, str]], list[tuple[str, list[tuple[int, str]]]]]:
    catalogue = selectors.current_catalogue(year=year) if year is not None else None
    if catalogue is None:
        return [], []
    areas = list(catalogue.areas.order_by("position"))
    by_area: dict[int, list[tuple[int, str]]] = {a.pk: [] for a in areas}
    for indicator in catalogue.indicators.order_by("area__position", "position"):
        by_area[indicator.area_id].append((indicator.pk, f"{indicator.code} {indicator.name}"))
    return (
        [(a.pk, f"{a.code} {a.name}") for a in areas],
        [(f"{a.code} {a.name}", by_area[a.pk]) for a in areas],
    )


@login_required
def recommendation_create(request: HttpRequest) -> HttpResponse:
    """The form (GET) and writing it (POST), for the Pemda the person may write for."""
    user = user_of(request)
    pemdas = recs.pemda_writable_by(user=user)
    if not pemdas.exists():
        raise Http404
    years = selectors.catalogue_years()
    year = _year_asked(request, years)
    areas, indicators = _catalogue_choices(year)
    initial = {"pemda": request.GET.get("pemda", "")}
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        pemdas=pemdas,
        areas=areas,
        indicators=indicators,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                recommendation = services.recommendation_create(
                    author=user,
                    pemda=data["pemda"],
                    year=year or timezone.localdate().year,
                    title=data["title"],
                    text=data["text"],
                    due_on=data["due_on"],
                    area_id=data["area"],
                    indicator_id=data["indicator"],
                )
            except DomainError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Rekomendasi untuk %(pemda)s disimpan; Admin Pemda diberi tahu.")
                    % {"pemda": recommendation.pemda},
                )
                return redirect("mcp:recommendation_detail", pk=recommendation.pk)
        status = 400  # shown again as typed, with the reason beside it
    pemda_code = request.POST.get("pemda") or request.GET.get("pemda", "")
    return render(
        request,
        "mcp/recommendation_form.html",
        {
            "form": form,
            "year": year,
            "years": years,
            "pemda_query": f"pemda={pemda_code}&" if pemda_code else "",
        },
        status=status,
    )


# --- One recommendation --------------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> tuple[User, Recommendation]:
    user = user_of(request)
    recommendation = recs.recommendation_with_history(pk=pk)
    if recommendation is None:
        raise Http404
    access.ensure(access.can_see_recommendation(user=user, recommendation=recommendation))
    return user, recommendation


def _detail(
    request: HttpRequest,
    user: User,
    recommendation: Recommendation,
    *,
    follow_up_form: FollowUpForm | None = None,
    return_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    follows_up = access.can_follow_up(user=user, recommendation=recommendation)
    decides = access.may_decide_recommendation(user=user, recommendation=recommendation)
    awaiting = recommendation.state == State.AWAITING
    refusal = (
        access.acceptance_refusal(user=user, recommendation=recommendation)
        if decides and awaiting
        else ""
    )
    return render(
        request,
        "mcp/recommendation_detail.html",
        {
            "rec": recommendation,
            "overdue": recs.is_overdue(recommendation),
            "can_follow_up": follows_up and recommendation.state in FOLLOW_UP_STATES,
            "can_request": follows_up and recommendation.state == State.IN_PROGRESS,
            "can_decide": decides and awaiting and not refusal,
            "refusal": refusal,
            "follow_up_form": follow_up_form or FollowUpForm(),
            "return_form": return_form or ReasonForm(),
            "back": _way_back(user, recommendation),
        },
        status=status,
    )


def _way_back(user: User, recommendation: Recommendation) -> tuple[str, str]:
    if access.holds_role_in(user=user, pemda=recommendation.pemda):
        return (
            reverse("mcp:recommendation_pemda", kwargs={"code": recommendation.pemda.code}),
            _("Rekomendasi %(pemda)s") % {"pemda": recommendation.pemda},
        )
    return reverse("mcp:recommendation_list"), _("Daftar rekomendasi")


@login_required
@require_safe
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, recommendation = _visible(request, pk)
    return _detail(request, user, recommendation)


def _back_to(recommendation: Recommendation) -> HttpResponse:
    return redirect("mcp:recommendation_detail", pk=recommendation.pk)


@login_required
@require_POST
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user, recommendation = _visible(request, pk)
    access.ensure(access.can_follow_up(user=user, recommendation=recommendation))
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            follow_up = services.recommendation_follow_up_add(
                user=user,
                recommendation_id=recommendation.pk,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Tindak lanjut dicatat dengan %(count)d berkas.")
                % {"count": follow_up.files.count()},
            )
            return _back_to(recommendation)
    # Nothing typed is lost; a browser cannot be given its files back, so the page names them.
    chosen = [f.name for f in request.FILES.getlist("attachments")]
    if chosen:
        form.add_error(
            "attachments",
            _("Pilih lagi berkas: %(names)s.") % {"names": ", ".join(str(n) for n in chosen)},
        )
    return _detail(request, user, recommendation, follow_up_form=form, status=400)


@login_required
@require_POST
def recommendation_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The Pemda marks it followed up (selesai ditindaklanjuti) and asks for acceptance."""
    user, recommendation = _visible(request, pk)
    access.ensure(access.can_follow_up(user=user, recommendation=recommendation))
    try:
        services.recommendation_acceptance_request(user=user, recommendation_id=recommendation.pk)
    except AlreadyDone as exc:
        messages.info(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Diajukan untuk diterima; penulis rekomendasi diberi tahu."))
    return _back_to(recommendation)


@login_required
@require_POST
def recommendation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user, recommendation = _visible(request, pk)
    access.ensure(access.may_decide_recommendation(user=user, recommendation=recommendation))
    try:
        services.recommendation_accept(user=user, recommendation_id=recommendation.pk)
    except AlreadyDone as exc:
        messages.info(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tindak lanjut diterima; rekomendasi ini selesai."))
    return _back_to(recommendation)


@login_required
@require_POST
def recommendation_return(request: HttpRequest, pk: int) -> HttpResponse:
    user, recommendation = _visible(request, pk)
    access.ensure(access.may_decide_recommendation(user=user, recommendation=recommendation))
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_return(
                user=user, recommendation_id=recommendation.pk, reason=form.cleaned_data["reason"]
            )
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages))
            return _back_to(recommendation)
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tindak lanjut dikembalikan ke Pemda."))
            return _back_to(recommendation)
    return _detail(request, user, recommendation, return_form=form, status=400)


@login_required
@require_safe
def recommendation_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    file = get_object_or_404(
        FollowUpFile.objects.select_related("stored_file", "follow_up__recommendation__pemda"),
        pk=pk,
    )
    recommendation = file.follow_up.recommendation
    access.ensure(
        access.can_see_recommendation(user=user_of(request), recommendation=recommendation)
    )
    return download_response(
        filename=file.original_name,
        content_type=file.stored_file.content_type,
        stored=file.stored_file,
    )


# --- Export --------------------------------------------------------------------------------------


def _export_rows(qs: Any) -> Iterator[list[Any]]:
    yes, no = _("Ya"), _("Tidak")
    for r in qs.iterator(chunk_size=500):
        yield [
            r.pemda.code,
            r.pemda.name,
            r.pemda.province.name,
            r.year,
            r.area.code if r.area else "",
            r.indicator.code if r.indicator else "",
            r.title,
            r.text,
            str(r.author),
            r.due_on.strftime(DATE_DISPLAY),
            r.state_label,
            yes if r.overdue else no,
            r.follow_up_count,
            timezone.localtime(r.accepted_at).strftime("%d-%m-%Y %H.%M") if r.accepted_at else "",
        ]


@login_required
@require_safe
def recommendation_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The list as the page's filters ask, as CSV or Excel (streamed)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = user_of(request)
    if not recs.sees_recommendations(user=user):
        raise Http404
    filters = _filter_form(request).filters()
    qs = recs.recommendation_list(user=user, filters=filters)
    header = [
        _("Kode Pemda"),
        _("Pemda"),
        _("Provinsi"),
        _("Tahun"),
        _("Area"),
        _("Indikator"),
        _("Judul"),
        _("Rekomendasi"),
        _("Penulis"),
        _("Tenggat"),
        _("Status"),
        _("Terlambat"),
        _("Tindak lanjut"),
        _("Diterima (WIB)"),  # the server's zone, named: a spreadsheet has no other way to say
    ]
    name = f"rekomendasi-mcp-{filters.pemda}" if filters.pemda else "rekomendasi-mcp"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", _("Rekomendasi"), header, _export_rows(qs))
    return csv_response(f"{name}.csv", header, _export_rows(qs))


__all__ = [
    "recommendation_accept",
    "recommendation_create",
    "recommendation_detail",
    "recommendation_export",
    "recommendation_file",
    "recommendation_follow_up",
    "recommendation_list",
    "recommendation_pemda",
    "recommendation_request",
    "recommendation_return",
]
