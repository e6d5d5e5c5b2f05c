"""Public Zona Integritas pages (no sign-in): the WBK and WBBM predicates awarded, per province
and Pemda, with their history. Only designations are public, the revoked ones said as such;
proposals and the TPN's stages are not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cegah.public.page_cache import cached_for_anonymous
from cegah.regions.models import Pemda, Province
from cegah.zi import selectors as zi
from cegah.zi.models import Designation, Predicate


@dataclass
class PemdaRow:
    pemda: Pemda
    held: dict[str, int] = field(default_factory=dict)  # predicate → units holding it now
    revoked: int = 0
    designations: list[Designation] = field(default_factory=list)


def designations_marker(**_kwargs: Any) -> str:
    """Changes with any designation made or revoked: the pages' cached copies are keyed by it.
    One aggregate over the designations."""
    seen = Designation.objects.aggregate(
        n=Count("pk"),
        last=Max("created_at"),
        revoked=Count("pk", filter=Q(revoked_on__isnull=False)),
    )
    return f"zi:{seen['n']}:{seen['last']}:{seen['revoked']}"


def _asked(request: HttpRequest, name: str, length: int) -> str:
    return request.GET.get(name, "")[:length].strip()


@require_safe
@cached_for_anonymous(designations_marker, reads=("provinsi", "tahun"))
def designations(request: HttpRequest) -> HttpResponse:
    """Every Pemda with a predicate awarded, by province: units holding WBK and WBBM now, the
    revoked ones, and each designation by year."""
    province = _asked(request, "provinsi", 2)
    year_text = _asked(request, "tahun", 4)
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    rows: dict[int, PemdaRow] = {}
    for d in zi.published_designations(year=year, province=province):
        row = rows.setdefault(
            d.unit.pemda_id, PemdaRow(d.unit.pemda, dict.fromkeys(Predicate.values, 0))
        )
        row.designations.append(d)
        if d.revoked_on is None:
            row.held[d.predicate] += 1
        else:
            row.revoked += 1
    by_province: dict[str, list[PemdaRow]] = {}
    for row in sorted(rows.values(), key=lambda r: r.pemda.code):
        by_province.setdefault(row.pemda.province.name, []).append(row)
    totals = dict.fromkeys(Predicate.values, 0)
    for row in rows.values():
        for predicate, count in row.held.items():
            totals[predicate] += count
    context: dict[str, Any] = {
        "provinces": Province.objects.order_by("code"),
        "years": zi.designation_years(),
        "province": province,
        "year": year,
        "by_province": by_province,
        "totals": totals,
    }
    return render(request, "public/zi_designations.html", context)


@require_safe
@cached_for_anonymous(designations_marker)
def pemda(request: HttpRequest, code: str) -> HttpResponse:
    """A Pemda's units with a predicate, year by year, revoked ones with the day."""
    place = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    history = list(zi.published_designations(pemda=place.code))
    by_year: dict[int, list[Designation]] = {}
    for d in history:
        by_year.setdefault(d.year, []).append(d)
    return render(
        request,
        "public/zi_pemda.html",
        {"pemda": place, "by_year": sorted(by_year.items(), reverse=True)},
    )
