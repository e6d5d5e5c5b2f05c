"""In-year monitoring pages: the Koordinator (every Pemda) and verifiers (theirs) see the running
figures of all their Pemda with province and national roll-ups; a Pemda's Admin and Inspektorat
see their own, per area. Every running figure is marked provisional."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Role, User
from cegah.accounts.requests import user_of
from cegah.core.exports import csv_response, xlsx_response
from cegah.mcp import access, monitoring, selectors
from cegah.mcp.filter_forms import MonitoringFilterForm
from cegah.regions.models import Pemda


def _year(request: HttpRequest) -> int:
    years = selectors.catalogue_years()
    if not years:
        raise Http404
    open_period = selectors.open_period()
    default = open_period.year if open_period else years[0]
    try:
        year = int(request.GET.get("tahun") or default)
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    return year


def _scope(user: User) -> list[Pemda] | None:
    """Every Pemda (None) for the Koordinator, a verifier's own; 404 for anyone else."""
    if accounts.is_national_coordinator(user=user):
        return None
    if accounts.has_role(user=user, role=Role.VERIFIKATOR):
        pemdas = list(accounts.pemda_verified_by(user=user).order_by("code"))
        if pemdas:
            return pemdas
    raise Http404


def _own_pemda(user: User) -> Pemda | None:
    return next(
        (
            a.pemda
            for a in accounts.role_assignments(user=user)
            if a.role in (Role.ADMIN_PEMDA, Role.INSPEKTORAT) and a.pemda is not None
        ),
        None,
    )


def _shown(
    rows: list[monitoring.PemdaRow], form: MonitoringFilterForm
) -> list[monitoring.PemdaRow]:
    """The rows the page's filters and order ask for (an unknown value is ignored)."""
    data = form.cleaned_data if form.is_valid() else {}
    return monitoring.filtered(
        rows,
        province=data.get("provinsi") or "",
        kind=data.get("jenis") or "",
        behind_only=bool(data.get("tertinggal")),
        query=data.get("q") or "",
        sort=data.get("urut") or "provinsi",
    )


@login_required
@require_safe  # a page to read: any other method is 405
def monitoring_page(request: HttpRequest) -> HttpResponse:
    """The figures are computed only when the page's cached tables are missing: their key
    changes with any answer, evidence, score or deadline change in the termin (figures_marker),
    the reader's Pemda, the filters and the language."""
    user = user_of(request)
    if not accounts.is_national_coordinator(user=user) and not accounts.has_role(
        user=user, role=Role.VERIFIKATOR
    ):
        own = _own_pemda(user)
        if own is None:
            raise Http404
        return redirect("mcp:monitoring_pemda", code=own.code)
    scope = _scope(user)
    year = _year(request)
    period = monitoring.current_period(year=year)
    form = MonitoringFilterForm(request.GET)

    def figures() -> monitoring.Monitoring:
        return monitoring.monitoring(year=year, pemdas=scope)

    def rows() -> list[monitoring.PemdaRow]:
        return _shown(lazy_figures.rows, form)

    lazy_figures = SimpleLazyObject(figures)
    shown = sorted((k, v) for k, v in request.GET.items() if k in form.fields or k == "tahun")
    return render(
        request,
        "mcp/monitoring.html",
        {
            "year": year,
            "years": selectors.catalogue_years(),
            "period": period,
            "figures": lazy_figures,
            "rows": SimpleLazyObject(rows),
            "form": form,
            "query": request.GET.urlencode(),
            "cache_key": hashlib.sha256(
                repr(
                    (
                        monitoring.figures_marker(year=year, period=period),
                        "all" if scope is None else [p.pk for p in scope],
                        shown,
                    )
                ).encode()
            ).hexdigest(),
            "behind_days": monitoring.BEHIND_DAYS,
            "behind_percent": int(monitoring.BEHIND_SHARE * 100),
        },
    )


@login_required
@require_safe
def monitoring_pemda(request: HttpRequest, code: str) -> HttpResponse:
    user = user_of(request)
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    allowed = (
        accounts.is_national_coordinator(user=user)
        or access.can_verify(user=user, pemda=pemda)
        or accounts.can_administer(user=user, pemda=pemda)
        or access.can_review_as_apip(user=user, pemda=pemda)
    )
    access.ensure(allowed)
    year = _year(request)
    figures = monitoring.monitoring(year=year, pemdas=[pemda])
    areas = monitoring.pemda_areas(pemda=pemda, year=year)
    # A verifier of some of the Pemda's areas reads those areas' figures.
    if not accounts.is_national_coordinator(user=user) and not accounts.can_administer(
        user=user, pemda=pemda
    ):
        areas = [
            a for a in areas if access.covers_area(user=user, pemda=pemda, area_code=a.area.code)
        ]
    return render(
        request,
        "mcp/monitoring_pemda.html",
        {
            "pemda": pemda,
            "year": year,
            "years": selectors.catalogue_years(),
            "figures": figures,
            "row": figures.rows[0] if figures.rows else None,
            "areas": areas,
            "behind_days": monitoring.BEHIND_DAYS,
            "behind_percent": int(monitoring.BEHIND_SHARE * 100),
        },
    )


@login_required
@require_safe
def monitoring_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The page's rows, with its filters, as CSV or Excel; the scores are marked provisional."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    year = _year(request)
    figures = monitoring.monitoring(year=year, pemdas=_scope(user_of(request)))
    rows = _shown(figures.rows, MonitoringFilterForm(request.GET))
    header = [
        _("Kode"),
        _("Pemda"),
        _("Provinsi"),
        _("Nilai mandiri sementara"),
        _("Nilai terverifikasi sementara"),
        _("Peringkat sementara di provinsi"),
        _("Item"),
        _("Item terkirim"),
        _("Item dikembalikan, belum dikirim ulang"),
        _("Dokumen diminta"),
        _("Dokumen diunggah"),
        _("Dokumen valid"),
        _("Dokumen ditolak"),
        _("Dokumen dalam reviu"),
        _("Dokumen pada item belum dikirim"),
        _("Dokumen belum diunggah"),
        _("Batas unggah (WIB)"),
        _("Sisa hari"),
        _("Tertinggal"),
    ]
    lines = (
        [
            r.pemda.code,
            r.pemda.name,
            r.pemda.province.name,
            r.self_score,
            r.verified_score,
            f"{r.rank_province}/{r.province_size}" if r.rank_province else "",
            r.counts.items,
            r.counts.sent,
            r.counts.returned,
            r.counts.required,
            r.counts.uploaded,
            r.counts.valid,
            r.counts.rejected,
            r.counts.in_review,
            r.counts.unsent,
            r.counts.missing,
            timezone.localtime(r.deadline).strftime("%d-%m-%Y %H.%M"),
            r.days_left,
            _("ya") if r.behind else "",
        ]
        for r in rows
    )
    name = f"pemantauan-mcp-{year}-sementara"
    if fmt == "xlsx":
        return xlsx_response(
            f"{name}.xlsx", _("Pemantauan %(year)d") % {"year": year}, header, lines
        )
    return csv_response(f"{name}.csv", header, lines)
