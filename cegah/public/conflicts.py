"""Public conflict-of-interest counts (no sign-in): declarations per Pemda and year, decided
ones by handling, as of yesterday; a count under 5 shows as "< 5". Nothing names a person or a
matter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cegah.coi import selectors as coi
from cegah.coi.models import Declaration
from cegah.public.figures import year_asked
from cegah.public.page_cache import cached_for_anonymous
from cegah.regions.models import Pemda


def declarations_marker(**_kwargs: Any) -> str:
    seen = Declaration.objects.aggregate(n=Count("pk"), last=Max("decided_on"))
    return f"coi:{timezone.localdate() - timedelta(days=1)}:{seen['n']}:{seen['last']}"


@require_safe
@cached_for_anonymous(declarations_marker, reads=("tahun",))
def national(request: HttpRequest) -> HttpResponse:
    year = year_asked(request.GET.get("tahun", ""))
    return render(
        request,
        "public/conflicts.html",
        {
            "year": year,
            "years": coi.years(),
            "counts": coi.public_counts(year=year),
            "pemda_rows": coi.public_pemda_table(year=year),
        },
    )


@require_safe
@cached_for_anonymous(declarations_marker, reads=("tahun",))
def pemda(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    year = year_asked(request.GET.get("tahun", ""))
    return render(
        request,
        "public/conflicts.html",
        {
            "pemda": place,
            "year": year,
            "years": coi.years(pemda=place),
            "counts": coi.public_counts(year=year, pemda=place),
        },
    )
