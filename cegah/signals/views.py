"""The Koordinator's signals page: every signal with its reason and figures, strongest first,
by province, as CSV; a Pemda marked reviewed with a note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cegah.accounts import selectors as accounts
from cegah.accounts.requests import user_of
from cegah.core.errors import DomainError
from cegah.core.exports import csv_response
from cegah.regions.models import Pemda, Province

from .rules import signals
from .services import review_mark


@login_required
@require_http_methods(["GET", "POST"])
def signal_list(request: HttpRequest) -> HttpResponseBase:
    user = user_of(request)
    if not accounts.is_national_coordinator(user=user):
        raise Http404
    if request.method == "POST":
        pemda = get_object_or_404(Pemda, code=request.POST.get("pemda", ""))
        year = request.POST.get("year", "")
        try:
            review_mark(
                actor=user,
                pemda=pemda,
                rule=request.POST.get("rule", ""),
                year=int(year) if year.isascii() and year.isdigit() else 0,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Ditandai sudah ditelaah."))
        return redirect(request.get_full_path())
    province = request.GET.get("provinsi", "")[:2]
    found = signals(province=province)
    if request.GET.get("format") == "csv":
        return csv_response(
            "sinyal.csv",
            [
                _("Pemda"),
                _("Kode"),
                _("Provinsi"),
                _("Sinyal"),
                _("Tahun"),
                _("Alasan"),
                _("Angka"),
                _("Ditelaah"),
            ],
            (
                [
                    s.pemda.name,
                    s.pemda.code,
                    s.pemda.province.name,
                    s.name,
                    s.year,
                    s.reason,
                    "; ".join(f"{k}: {v}" for k, v in s.figures.items()),
                    s.review.note if s.review else "",
                ]
                for s in found
            ),
        )
    return render(
        request,
        "signals/list.html",
        {"signals": found, "provinces": Province.objects.order_by("code"), "province": province},
    )
