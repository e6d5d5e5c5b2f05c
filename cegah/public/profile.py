"""The integrity profile of a Pemda (public): every module's published figures on one page, as
a PDF, and up to five Pemda side by side; the public front door and its Pemda search."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe
from PIL import ImageFile
from weasyprint import HTML

from cegah.coi.models import Declaration
from cegah.core.exports import csv_response
from cegah.mcp import score_selectors as scores
from cegah.mcp.models import ScoreSnapshot
from cegah.regions.models import Pemda, Province
from cegah.spi import selectors as spi
from cegah.spi.models import Release
from cegah.upg.models import Report
from cegah.zi.models import Designation

from .figures import COLUMNS, csv_row, figures_table
from .page_cache import cached_for_anonymous, first_row
from .profile_data import integrity_profile

# WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the process (report_card.py says why it
# must stay off); the profile draws no raster image.
ImageFile.LOAD_TRUNCATED_IMAGES = False
MAX_COMPARED = 5


def _profile_state() -> QuerySet[Province]:
    """Every module's latest change the profile shows, as one row of scalar subqueries (one
    query, compiled once per process): a publication, an SPI load, a designation made or
    revoked, a gratification report changed, a declaration made or decided."""

    def latest(qs: QuerySet[Any], field: str) -> Subquery:
        return Subquery(qs.order_by(f"-{field}").values(field)[:1])

    published = ScoreSnapshot.objects.filter(state=ScoreSnapshot.State.PUBLISHED)
    return Province.objects.order_by("pk").annotate(
        mcp=latest(published, "published_at"),
        spi=latest(Release.objects.all(), "pk"),
        zi=latest(Designation.objects.all(), "pk"),
        zi_revoked=latest(Designation.objects.filter(revoked_on__isnull=False), "revoked_on"),
        upg=latest(Report.objects.all(), "updated_at"),
        coi=latest(Declaration.objects.all(), "pk"),
        coi_decided=latest(Declaration.objects.filter(decided_on__isnull=False), "decided_on"),
    )


def profile_marker(**kwargs: Any) -> str:
    """Any module's publication changes the profile; the counts stop at yesterday."""
    state = first_row(_profile_state, "mcp", "spi", "zi", "zi_revoked", "upg", "coi", "coi_decided")
    return f"{timezone.localdate() - timedelta(days=1)}|{state}"


def _pemda(code: str) -> Pemda:
    return get_object_or_404(Pemda.objects.select_related("province"), code=code)


@require_safe
@cached_for_anonymous(profile_marker)
def profile(request: HttpRequest, code: str) -> HttpResponse:
    place = _pemda(code)
    return render(request, "public/profile.html", {"profile": integrity_profile(pemda=place)})


@require_safe
def profile_pdf(request: HttpRequest, code: str) -> HttpResponse:
    place = _pemda(code)
    html = render_to_string(
        "public/profile_pdf.html",
        {"profile": integrity_profile(pemda=place), "printed": timezone.localtime()},
        request=request,
    )
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="profil-integritas-{place.code}.pdf"'
    return response


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the profile fetches nothing: {url}")


@require_safe
@cached_for_anonymous(profile_marker, reads=("kode",))
def compare(request: HttpRequest) -> HttpResponse:
    """Up to five Pemda side by side: the latest MCP and SPI, ZI predicates held, and the
    modules' public counts."""
    codes = [c for c in request.GET.get("kode", "").replace(" ", "").split(",") if c]
    if len(codes) > MAX_COMPARED:
        codes = codes[:MAX_COMPARED]
    found = {p.code: p for p in Pemda.objects.filter(code__in=codes).select_related("province")}
    profiles = [integrity_profile(pemda=found[c]) for c in codes if c in found]
    return render(
        request,
        "public/compare.html",
        {"profiles": profiles, "codes": ",".join(codes), "max": MAX_COMPARED},
    )


@require_safe
def pemda_search(request: HttpRequest) -> HttpResponse:
    """Pemda by name or code as one types (the front door's search); a list of links."""
    query = request.GET.get("q", "")[:60].strip()
    found = Pemda.objects.none()
    if len(query) >= 2:
        found = (
            Pemda.objects.filter(Q(name__icontains=query) | Q(code__startswith=query))
            .select_related("province")
            .order_by("name")[:20]
        )
    # Typed into the front door, htmx asks for the list alone; sent without JavaScript, the
    # search is a page of its own.
    template = (
        "public/_pemda_search.html"
        if request.headers.get("HX-Request") == "true"
        else "public/pemda_search.html"
    )
    return render(request, template, {"found": found, "query": query})


@require_safe
@cached_for_anonymous(profile_marker)
def front_door(request: HttpRequest) -> HttpResponse:
    """`/` for a visitor: find your Pemda, the national figures, the latest publications, the
    way to report, and the staff's sign-in."""
    latest = scores.published_snapshots().first()
    summary = scores.national_summary(snapshot=latest) if latest is not None else None
    national_spi = spi.national_index()
    return render(
        request,
        "public/front_door.html",
        {
            "latest": latest,
            "summary": summary,
            "spi": national_spi[-1] if national_spi else None,
            "releases": spi.releases()[:3],
        },
    )


# The open-data licence of the bulk files and the API (stated on the data page).
LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.id")


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The bulk files, a CSV per year, and their licence."""
    latest = (timezone.localdate() - timedelta(days=1)).year
    first = min([latest, *spi.years(), *(s.year for s in scores.published_snapshots())])
    return render(
        request,
        "public/open_data.html",
        {"years": list(range(latest, first - 1, -1)), "licence": LICENCE, "columns": COLUMNS},
    )


@require_safe
def open_data_csv(request: HttpRequest, year: int) -> HttpResponseBase:
    """Every Pemda's published figures of the year (the profile's), one row each."""
    latest = (timezone.localdate() - timedelta(days=1)).year
    if not 2000 <= year <= latest:
        raise Http404
    pemdas = list(Pemda.objects.select_related("province").order_by("code"))
    rows = figures_table(year=year, pemdas=pemdas)
    return csv_response(f"cegah-profil-{year}.csv", COLUMNS, (csv_row(r) for r in rows))
