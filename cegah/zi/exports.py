"""A unit's filled LKE as the familiar worksheet (Excel, one row per question) and as a PDF
summary; both read by whoever may see the unit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from PIL import ImageFile
from weasyprint import HTML

from cegah.accounts.requests import user_of
from cegah.core.exports import xlsx_response
from cegah.core.i18n import text_in_reader_language
from cegah.zi import access, scoring, selectors
from cegah.zi.models import Answer, Assessment

# WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the process (cegah/public/report_card.py
# says why that must stay off); the summary draws no raster image.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit__pemda__province", "unit__opd", "lke"), pk=pk
    )
    access.ensure(access.can_see(user=user_of(request), unit=assessment.unit))
    return assessment


FOUR_PLACES = Decimal("0.0001")


def _row(
    code: str,
    where: tuple[str, str, str],
    text: str,
    answer: Answer,
    points: Callable[[str], Decimal],
) -> list[Any]:
    """One worksheet row: the answer, its files and note, and each side's points."""
    # Four places: the scores are rounded once, at the end, so the rows keep what they add up to.
    own = points(answer.value).quantize(FOUR_PLACES) if answer.value else None
    tpi = points(answer.tpi_value).quantize(FOUR_PLACES) if answer.tpi_value else None
    return [
        code,
        *where,
        text,
        answer.value,
        "; ".join(e.original_name for e in answer.evidence.all()),
        answer.note,
        own,
        answer.tpi_value,
        answer.tpi_note,
        tpi,
    ]


def _question_points(text: str, *, question: Any, choices: Any, share: Decimal) -> Decimal:
    return scoring.question_value(question, choices, text) * share


def _hasil_points(text: str, *, item: Any, survey: Any) -> Decimal:
    return scoring.hasil_score(item, survey, text)


def worksheet_rows(assessment: Assessment) -> list[list[Any]]:
    structure = assessment.lke.structure
    answers = {a.code: a for a in assessment.answers.prefetch_related("evidence")}
    areas = {a["code"]: text_in_reader_language(a["name"]) for a in structure["areas"]}
    rows: list[list[Any]] = []
    for sub in structure["subcomponents"]:
        # A question's points: its value x its share of the sub-component's weight.
        share = Decimal(str(sub["weight"])) / len(sub["questions"])
        where = (
            areas[sub["area"]],
            _("Pemenuhan") if sub["part"] == "pemenuhan" else _("Reform"),
            f"{sub['code']} {text_in_reader_language(sub['name'])}",
        )
        for question in sub["questions"]:
            rows.append(
                _row(
                    question["code"],
                    where,
                    text_in_reader_language(question["question"]),
                    answers[question["code"]],
                    partial(
                        _question_points,
                        question=question,
                        choices=structure["choices"],
                        share=share,
                    ),
                )
            )
    for item in structure["hasil"]:
        rows.append(
            _row(
                item["code"],
                (_("Hasil"), "", ""),
                text_in_reader_language(item["name"]),
                answers[item["code"]],
                partial(_hasil_points, item=item, survey=structure["survey"]),
            )
        )
    return rows


@login_required
@require_safe
def worksheet(request: HttpRequest, pk: int) -> HttpResponseBase:
    assessment = _assessment(request, pk)
    header = [
        _("Kode"),
        _("Area"),
        _("Bagian"),
        _("Sub-komponen"),
        _("Pertanyaan"),
        _("Jawaban unit"),
        _("Bukti"),
        _("Catatan unit"),
        _("Nilai unit"),
        _("Jawaban TPI"),
        _("Catatan TPI"),
        _("Nilai TPI"),
    ]
    name = f"lke-{assessment.unit.pemda.code}-{assessment.unit.pk}-{assessment.year}.xlsx"
    return xlsx_response(name, f"LKE {assessment.year}", header, worksheet_rows(assessment))


@login_required
@require_safe
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    html = render_to_string(
        "zi/summary.html", selectors.verdict_context(assessment=assessment), request=request
    )
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ringkasan-lke-{assessment.unit.pk}-{assessment.year}.pdf"'
    )
    return response


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the summary fetches nothing: {url}")
