"""The PDF report card of one Pemda's published year, for a regional head's meeting."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from PIL import ImageFile
from weasyprint import HTML

from cegah.mcp import score_selectors as scores
from cegah.regions.models import Pemda

# Importing WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process: a
# reporter's cut-off or broken photo was then stored with its missing part blank instead of
# being refused (cegah.uploads.metadata). The report card draws no raster image.
ImageFile.LOAD_TRUNCATED_IMAGES = False


UNMET_SHOWN = 15  # unmet indicators listed on the card, lowest score first


@require_safe
def report_card(request: HttpRequest, code: str, year: int) -> HttpResponse:
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    history = {h.snapshot.year: h for h in scores.pemda_history(pemda=pemda)}
    current = history.get(year)
    if current is None or current.total is None:
        raise Http404
    previous = history.get(year - 1)
    snapshot = current.snapshot
    unmet = scores.unmet_indicators(snapshot=snapshot, pemda=pemda)
    # The card stays a page or two for a meeting; when it lists only the lowest, it says so and
    # where the rest are.
    everything = request.build_absolute_uri(
        reverse("public:pemda", kwargs={"code": pemda.code}) + f"?tahun={year}#belum-terpenuhi"
    )
    areas = [
        {
            "name": name,
            "score": current.areas.get(code),
            "previous": previous.areas.get(code) if previous else None,
        }
        for code, name in scores.snapshot_areas(snapshot)
        if code in current.areas
    ]
    html = render_to_string(
        "public/report_card.html",
        {
            "pemda": pemda,
            "snapshot": snapshot,
            "total": current.total,
            "previous": previous.total if previous else None,
            "previous_year": year - 1,
            "areas": areas,
            "unmet": unmet[:UNMET_SHOWN],
            "unmet_count": len(unmet),
            "unmet_everything": everything,
            "awards": scores.awards_of(snapshot=snapshot).filter(pemda=pemda),
        },
        request=request,
    )
    # Everything the card needs is in the HTML: nothing is fetched from the network.
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapor-mcp-{pemda.code}-{year}.pdf"'
    return response


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"report cards fetch nothing: {url}")
