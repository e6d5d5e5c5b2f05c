"""Public pages (no sign-in): published MCP scores, rankings and awards, and their exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from cegah.core.i18n import text_in_reader_language
from cegah.mcp import score_selectors as scores
from cegah.mcp import selectors as mcp
from cegah.mcp.models import ScoreSnapshot
from cegah.regions.models import Pemda, Province

from .page_cache import cached_for_anonymous, national_marker


def published_or_404(year: int) -> ScoreSnapshot:
    snapshot = scores.published(year)
    if snapshot is None:
        raise Http404
    return snapshot


# The query parameters the ranking reads (its page and its downloads).
RANKING_READS = ("jenis", "provinsi", "q", "urut")


def ranking_filters(request: HttpRequest) -> dict[str, str]:
    return {
        "kind": request.GET.get("jenis", "")[:10],
        "province": request.GET.get("provinsi", "")[:2],
        "query": request.GET.get("q", "").strip()[:60],
        "sort": request.GET.get("urut", "peringkat")[:10],
    }


@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    snapshot = scores.published_snapshots().first()
    if snapshot is None:
        return render(request, "public/empty.html")
    return redirect("public:national", year=snapshot.year)


def _ranking_context(request: HttpRequest, snapshot: ScoreSnapshot) -> dict[str, Any]:
    """One kind's ranking, searched and paged. The page always shows one kind (provinsi unless
    another is asked for): each kind is ranked apart, so a mixed list would put rank 1 of the
    kota beside rank 1 of the provinsi."""
    filters = ranking_filters(request)
    if filters["kind"] not in Pemda.Kind.values:
        filters["kind"] = Pemda.Kind.PROVINSI
    number = request.GET.get("halaman", "")[:6]
    asked = {
        key: value
        for key, value in (
            ("jenis", filters["kind"]),
            ("provinsi", filters["province"]),
            ("q", filters["query"]),
            ("urut", filters["sort"]),
        )
        if value
    }
    # Read only when the ranking's cached fragment is missing.
    page = SimpleLazyObject(
        lambda: scores.ranking_page(snapshot=snapshot, number=number, **filters)
    )
    counts = SimpleLazyObject(
        lambda: scores.ranking_kind_counts(
            snapshot=snapshot, province=filters["province"], query=filters["query"]
        )
    )
    return {
        "snapshot": snapshot,
        "page": page,
        "kind_counts": counts,
        "filters": filters,
        "page_number": number,
        "kinds": Pemda.Kind.choices,
        "query_string": urlencode(asked),
        "kind_links": [
            (value, label, urlencode({**asked, "jenis": value}))
            for value, label in Pemda.Kind.choices
        ],
    }


@require_safe
@cached_for_anonymous(national_marker, reads=(*RANKING_READS, "halaman"))
def national(request: HttpRequest, year: int) -> HttpResponse:
    snapshot = published_or_404(year)
    context = _ranking_context(request, snapshot)
    if request.headers.get("HX-Request") == "true":
        return render(request, "public/_ranking_table.html", context)
    years = list(scores.published_snapshots())
    # Computed only when the page's cached fragments are missing (published data never changes).
    summary = SimpleLazyObject(lambda: scores.national_summary(snapshot=snapshot))
    context.update(
        {
            "provinces": Province.objects.order_by("name"),
            "summary": summary,
            "tiles": SimpleLazyObject(lambda: scores.province_tiles(snapshot=snapshot)),
            "awards": scores.awards_of(snapshot=snapshot),
            "years": years,
            # The trend reads every year's latest version: its fragment changes with any of them.
            "published_key": "-".join(str(s.pk) for s in years),
            "versions": scores.versions_of(year),
            "bulk": scores.bulk_file(snapshot=snapshot),
            "unfinished": scores.Unfinished.of(snapshot),
            "charts": SimpleLazyObject(lambda: _national_charts(summary)),  # type: ignore[arg-type]
        }
    )
    return render(request, "public/national.html", context)


def _national_charts(summary: scores.NationalSummary) -> dict[str, Any]:
    return {
        "trend": {
            "labels": [y for y, _ in summary.trend],
            "values": [float(v) for _, v in summary.trend],
        },
        "areas": {
            "labels": [name for _, name, _ in summary.areas],
            "values": [float(v) for _, _, v in summary.areas],
        },
        "categories": {
            "labels": [text_in_reader_language(c.name) for c, _ in summary.categories],
            "values": [n for _, n in summary.categories],
            "colours": [c.colour for c, _ in summary.categories],
        },
    }


@require_safe
@cached_for_anonymous()
def province(request: HttpRequest, year: int, code: str) -> HttpResponse:
    snapshot = published_or_404(year)
    place = get_object_or_404(Province, code=code)
    rows = list(scores.ranking(snapshot=snapshot, province=code))
    return render(
        request,
        "public/province.html",
        {
            "snapshot": snapshot,
            "province": place,
            "own": next((r for r in rows if r.pemda.kind == Pemda.Kind.PROVINSI), None),
            "rows": [r for r in rows if r.pemda.kind != Pemda.Kind.PROVINSI],
            "awards": scores.awards_of(snapshot=snapshot).filter(pemda__province=place),
        },
    )


@require_safe
@cached_for_anonymous(reads=("tahun",))
def pemda(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    history = scores.pemda_history(pemda=place)
    if not history:
        raise Http404
    try:
        year = int(request.GET.get("tahun") or history[-1].snapshot.year)
    except ValueError:
        raise Http404 from None
    current = next((h for h in history if h.snapshot.year == year), None)
    if current is None:
        raise Http404
    snapshot = current.snapshot
    # The heavy parts are read only when their cached fragment is missing. The fragment shows
    # every published year (the history): its key changes with any year's new version.
    # An imported year has its total and area scores only: no indicators, termin or evidence.
    areas = SimpleLazyObject(
        lambda: (
            []
            if snapshot.catalogue is None or snapshot.imported
            else list(mcp.catalogue_areas(catalogue=snapshot.catalogue))
        )
    )
    # Every area of every year under its own year's name (a renamed area keeps both).
    history_rows = SimpleLazyObject(lambda: scores.history_areas(history))
    return render(
        request,
        "public/pemda.html",
        {
            "pemda": place,
            "snapshot": snapshot,
            "current": current,
            "history": history,
            "areas": areas,
            "met": SimpleLazyObject(
                lambda: scores.indicator_scores(snapshot=snapshot, pemda=place)
            ),
            "termins": scores.termin_scores(snapshot=snapshot, pemda=place),
            "awards": scores.awards_of(snapshot=snapshot).filter(pemda=place),
            "basis": scores.verified_basis(snapshot=snapshot, pemda=place),
            "unmet": SimpleLazyObject(
                lambda: scores.unmet_indicators(snapshot=snapshot, pemda=place)
            ),
            "published_key": "-".join(str(h.snapshot.pk) for h in history),
            "history_areas": history_rows,
            "charts": SimpleLazyObject(lambda: {"history": _history_chart(history, history_rows)}),  # type: ignore[arg-type]
        },
    )


# One colour per area line: Chart.js's own palette has seven, so an eighth area repeated the
# first (PRC and PAD in the same blue).
AREA_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#b8860b",
    "#b07aa1",
    "#9c755f",
    "#ff9da7",
    "#7f7f7f",
)


def _history_chart(
    history: list[scores.YearScore], areas: list[scores.HistoryArea]
) -> dict[str, Any]:
    return {
        "labels": [h.snapshot.year for h in history],
        "series": [
            {
                "label": area.code,
                "colour": AREA_COLOURS[position % len(AREA_COLOURS)],
                "values": [float(v) if v is not None else None for v in area.scores],
            }
            for position, area in enumerate(areas)
        ],
    }
