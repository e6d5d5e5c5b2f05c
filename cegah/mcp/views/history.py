"""The Koordinator's page for KPK's published results and awards: a file is checked first
(every problem by line and column, or what loading it would change), then loaded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cegah.core.errors import DomainError
from cegah.core.tables import read_table
from cegah.mcp.forms import HistoryFileForm, HistoryResultsForm
from cegah.mcp.history import AwardsPlan, ResultsPlan, read_awards, read_results
from cegah.mcp.models import ScoreSnapshot
from cegah.mcp.services.history import history_awards_import, history_import
from cegah.mcp.views.common import coordinator_or_404

SALT = "mcp.history.file"


@login_required
@require_http_methods(["GET", "POST"])
def history_import_page(request: HttpRequest) -> HttpResponse:
    return _page(request, awards=False)


@login_required
@require_http_methods(["GET", "POST"])
def history_awards_page(request: HttpRequest) -> HttpResponse:
    return _page(request, awards=True)


def _page(request: HttpRequest, *, awards: bool) -> HttpResponse:
    user = coordinator_or_404(request)
    form_class = HistoryFileForm if awards else HistoryResultsForm
    form = form_class(request.POST or None, request.FILES or None)
    plan: ResultsPlan | AwardsPlan | None = None
    if request.method == "POST" and form.is_valid():
        try:
            name, content = form.chosen(salt=SALT)
            table = read_table(content, filename=name)
        except signing.BadSignature:
            form.add_error("file", _("Pemeriksaan sudah kedaluwarsa. Pilih berkasnya lagi."))
        except DomainError as exc:
            form.add_error("file", exc)
        else:
            plan = read_awards(table) if awards else read_results(table)
            # The checked copy travels with the page, so "Muat" loads exactly what was shown.
            form.hold(request.POST, salt=SALT, name=name, content=content)
            # A file chosen now is checked first, whatever button was pressed: what loads is
            # always what the page showed.
            fresh = bool(form.cleaned_data.get("file"))
            if "load" in request.POST and not fresh and not plan.problems:
                try:
                    if isinstance(plan, AwardsPlan):
                        counts = history_awards_import(actor=user, plan=plan)
                        messages.success(
                            request,
                            _("Penghargaan dimuat: %(years)s.")
                            % {"years": ", ".join(f"{y} ({n})" for y, n in counts.items())},
                        )
                    else:
                        data = form.cleaned_data
                        loaded = history_import(
                            actor=user,
                            plan=plan,
                            source_name=data["source_name"],
                            source_url=data["source_url"],
                            announced_on=data["announced_on"],
                            announced_event=data["announced_event"],
                            reason=data["reason"],
                        )
                        messages.success(
                            request,
                            _("Hasil dimuat dan diterbitkan: %(years)s.")
                            % {
                                "years": ", ".join(
                                    _("%(year)d versi %(version)d")
                                    % {"year": s.year, "version": s.version}
                                    for s in loaded
                                )
                            },
                        )
                    return redirect(request.path)
                except DomainError as exc:
                    form.add_error(None, exc)
    refused = bool(form.errors) or bool(plan and plan.problems)
    return render(
        request,
        "mcp/history_import.html",
        {
            "form": form,
            "plan": plan,
            "awards": awards,
            "imported": ScoreSnapshot.objects.filter(
                state=ScoreSnapshot.State.PUBLISHED, origin=ScoreSnapshot.Origin.IMPORTED
            ).order_by("-year", "-version"),
        },
        status=400 if refused else 200,
    )
