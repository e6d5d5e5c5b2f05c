"""Downloads of the published ranking (CSV and Excel), with the same filters as the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cegah.core.exports import csv_download, xlsx_response
from cegah.mcp import score_selectors as scores
from cegah.mcp.models import ScoreSnapshot
from cegah.regions.models import Pemda

from .page_cache import cached_for_anonymous, publication_marker
from .views import RANKING_READS, published_or_404, ranking_filters


def _header() -> list[str]:
    return [
        _("Kode"),
        _("Pemda"),
        _("Jenis"),
        _("Provinsi"),
        _("Nilai terverifikasi"),
        _("Nilai mandiri"),
        _("Kategori"),
        _("Peringkat di provinsi"),
        _("Peringkat nasional (jenis)"),
    ]


def _rows(request: HttpRequest, snapshot: ScoreSnapshot) -> Iterator[list[Any]]:
    # The labels once: get_kind_display() rebuilds the choices on every row.
    kinds = {kind: str(label) for kind, label in Pemda.Kind.choices}
    for row in scores.ranking(snapshot=snapshot, **ranking_filters(request)).iterator(
        chunk_size=500
    ):
        yield [
            row.pemda.code,
            row.pemda.name,
            kinds[row.pemda.kind],
            row.pemda.province.name,
            row.verified_score,
            row.self_score,
            row.category,
            row.rank_province,
            row.rank_national,
        ]


@require_safe
@cached_for_anonymous(publication_marker, reads=RANKING_READS)
def ranking_csv(request: HttpRequest, year: int) -> HttpResponse:
    """The published ranking as CSV (546 rows at most, about 60 KB): made whole and kept for
    visitors like the page, as it changes only with a publication."""
    snapshot = published_or_404(year)
    return csv_download(f"mcp-{year}-peringkat.csv", _header(), _rows(request, snapshot))


@require_safe
def ranking_xlsx(request: HttpRequest, year: int) -> FileResponse:
    snapshot = published_or_404(year)
    return xlsx_response(
        f"mcp-{year}-peringkat.xlsx", f"MCP {year}", _header(), _rows(request, snapshot)
    )


@require_safe
def bulk_download(request: HttpRequest, year: int) -> FileResponse:
    """The full open-data file of the year's current published version, once it is made."""
    snapshot = published_or_404(year)
    job = scores.bulk_file(snapshot=snapshot)
    if job is None:
        raise Http404
    name = str(job.file.name).rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
