"""Public gratification figures (no sign-in): per Pemda and nationally, reports by kind and
KPK's decision, total value and the share forwarded on time, as of yesterday. A count under 5
shows as "< 5", and no value or share is computed from fewer than five reports: one report's
value is one person's gift."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cegah.public.figures import year_asked
from cegah.public.page_cache import cached_for_anonymous
from cegah.regions.models import Pemda
from cegah.upg import selectors as upg
from cegah.upg.models import Report


def reports_marker(**_kwargs: Any) -> str:
    """The figures stop at yesterday: a new day, or a report changed, makes a new page."""
    seen = Report.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"upg:{timezone.localdate() - timedelta(days=1)}:{seen['n']}:{seen['last']}"


@require_safe
@cached_for_anonymous(reports_marker, reads=("tahun",))
def national(request: HttpRequest) -> HttpResponse:
    year = year_asked(request.GET.get("tahun", ""))
    return render(
        request,
        "public/gratification.html",
        {
            "year": year,
            "years": upg.report_years(),
            "figures": upg.public_figures(year=year),
            "pemda_rows": upg.public_pemda_table(year=year),
        },
    )


@require_safe
@cached_for_anonymous(reports_marker, reads=("tahun",))
def pemda(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    year = year_asked(request.GET.get("tahun", ""))
    return render(
        request,
        "public/gratification.html",
        {
            "pemda": place,
            "year": year,
            "years": upg.report_years(pemda=place),
            "figures": upg.public_figures(year=year, pemda=place),
        },
    )
