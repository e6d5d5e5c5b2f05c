"""What leaves the UPG: the report forwarded to KPK (a PDF, and the form's fields as CSV and
JSON), the statistics as Excel, and the year's register as a PDF for reporting upward."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from PIL import ImageFile
from weasyprint import HTML

from cegah.accounts.requests import user_of
from cegah.core.exports import csv_response, xlsx_response
from cegah.regions.models import Pemda

from . import access, selectors
from .exemptions import categories
from .models import Kind, Outcome, Report

# WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the process (cegah/public/report_card.py
# says why that must stay off); these PDFs draw no raster image.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# The report form's fields, in the form's order: the structured file KPK receives.
FIELDS = (
    ("nomor", "number"),
    ("nama_pelapor", "reporter_name"),
    ("nip", "reporter_nip"),
    ("nik", "nik"),
    ("jabatan", "reporter_position"),
    ("unit_kerja", "opd"),
    ("instansi", "pemda"),
    ("alamat", "address"),
    ("telepon", "phone"),
    ("nama_pemberi", "giver_name"),
    ("hubungan_dengan_pemberi", "giver_relation"),
    ("alamat_pemberi", "giver_address"),
    ("tanggal_diterima", "received_on"),
    ("tempat", "place"),
    ("peristiwa", "occasion"),
    ("jenis_pemberian", "category"),
    ("bentuk", "kind"),
    ("uraian", "description"),
    ("perkiraan_nilai_rupiah", "value"),
    ("ditolak", "refused"),
    ("kronologi", "chronology"),
    ("tanggal_lapor", "submitted_on"),
    ("terlambat", "late"),
    ("berkas_bukti", "evidence"),
)


def _value(report: Report, attribute: str) -> Any:
    if attribute == "opd":
        return report.opd.name
    if attribute == "pemda":
        return report.pemda.name
    if attribute == "evidence":
        return [e.original_name for e in report.evidence.all()]
    value = getattr(report, attribute)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value)
    return value


def _forwardable(request: HttpRequest, pk: int) -> Report:
    """The UPG's files for KPK: read by the UPG of the report's Pemda only."""
    try:
        report = selectors.report_detail(pk=pk)
    except Report.DoesNotExist:
        raise Http404 from None
    access.ensure(access.is_upg(user=user_of(request), pemda=report.pemda))
    return report


@login_required
@require_safe
def kpk_json(request: HttpRequest, pk: int) -> HttpResponse:
    report = _forwardable(request, pk)
    body = {name: _value(report, attr) for name, attr in FIELDS}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{report.number}.json"'
    return response


@login_required
@require_safe
def kpk_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report = _forwardable(request, pk)
    row = [
        "; ".join(v) if isinstance(v := _value(report, attr), list) else v for _n, attr in FIELDS
    ]
    return csv_response(f"{report.number}.csv", [name for name, _a in FIELDS], [row])  # type: ignore[return-value]


def _pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()  # type: ignore[no-any-return]


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the PDF fetches nothing: {url}")


@login_required
@require_safe
def kpk_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _forwardable(request, pk)
    names = categories(report.rules)
    html = render_to_string(
        "upg/kpk_report.html",
        {
            "report": report,
            "category": names.get(report.category),
            "printed": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.number}.pdf"'
    return response


def _register_pemda(request: HttpRequest, code: str) -> Pemda:
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    access.ensure(access.can_see_register(user=user_of(request), pemda=pemda))
    return pemda


def _year(request: HttpRequest) -> int:
    asked = request.GET.get("tahun", "")
    today = timezone.localdate()
    return (
        int(asked)
        if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100
        else today.year
    )


def _register_rows(pemda: Pemda, year: int) -> Iterator[list[Any]]:
    """The register: no reporter's name, no giver (the UPG opens the report for those)."""
    for r in (
        Report.objects.filter(pemda=pemda, submitted_on__year=year)
        .select_related("opd")
        .order_by("number")
    ):
        yield [
            r.number,
            r.submitted_on,
            r.received_on,
            r.opd.name,
            str(Kind(r.kind).label),
            int(r.value),
            _("ditolak") if r.refused else _("diterima"),
            str(Report.State(r.state).label),
            r.forwarded_on or "",
            (
                ""
                if r.forwarded_on is None
                else _("ya")
                if r.forwarded_on <= r.upg_due
                else _("tidak")
            ),
            str(Outcome(r.outcome).label) if r.outcome else "",
            r.sk_number,
        ]


def _register_header() -> list[str]:
    return [
        _("Nomor"),
        _("Tanggal lapor"),
        _("Tanggal diterima"),
        _("OPD"),
        _("Bentuk"),
        _("Nilai (Rp)"),
        _("Diterima/ditolak"),
        _("Status"),
        _("Diteruskan ke KPK"),
        _("Tepat waktu"),
        _("Penetapan"),
        _("Nomor SK"),
    ]


@login_required
@require_safe
def statistics(request: HttpRequest, code: str) -> HttpResponse:
    """A year's reports by OPD, kind, state and outcome, for the UPG and the Inspektorat."""
    pemda = _register_pemda(request, code)
    year = _year(request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(  # type: ignore[return-value]
            f"gratifikasi-{pemda.code}-{year}.xlsx",
            _("Register %(year)d") % {"year": year},
            _register_header(),
            _register_rows(pemda, year),
        )
    stats = selectors.statistics(year=year, pemda=pemda)
    kinds = Kind.choices
    return render(
        request,
        "upg/statistics.html",
        {
            "pemda": pemda,
            "year": year,
            "years": selectors.report_years(pemda=pemda),
            "stats": stats,
            "kinds": [(label, stats.by_kind[k]) for k, label in kinds],
            "states": [(label, stats.by_state[s]) for s, label in Report.State.choices],
            "outcomes": [(label, stats.by_outcome[o]) for o, label in Outcome.choices],
            "opd_rows": [
                (name, [counts[k] for k, _l in kinds], counts["total"])
                for name, counts in sorted(stats.by_opd.items())
            ],
            "kind_labels": [label for _k, label in kinds],
            "upg": access.is_upg(user=user_of(request), pemda=pemda),
        },
    )


@login_required
@require_safe
def register_pdf(request: HttpRequest, code: str) -> HttpResponse:
    pemda = _register_pemda(request, code)
    year = _year(request)
    html = render_to_string(
        "upg/register_pdf.html",
        {
            "pemda": pemda,
            "year": year,
            "header": _register_header(),
            "rows": list(_register_rows(pemda, year)),
            "stats": selectors.statistics(year=year, pemda=pemda),
            "printed": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="register-gratifikasi-{pemda.code}-{year}.pdf"'
    )
    return response
