"""The Koordinator's page for KPK's published SPI: a file is checked first (every problem by
line and column, or what loading would change), then loaded as a new version of its year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cegah.accounts import selectors as accounts
from cegah.accounts.requests import user_of
from cegah.core.errors import DomainError
from cegah.core.tables import read_table

from . import selectors
from .forms import ScoresForm
from .results import Plan, read_scores
from .services import Source, scores_import

SALT = "spi.scores.file"


@login_required
@require_http_methods(["GET", "POST"])
def scores_import_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not accounts.is_national_coordinator(user=user):
        raise Http404
    form = ScoresForm(request.POST or None, request.FILES or None)
    plan: Plan | None = None
    if request.method == "POST" and form.is_valid():
        try:
            name, content = form.chosen(salt=SALT)
            table = read_table(content, filename=name)
        except signing.BadSignature:
            form.add_error("file", _("Pemeriksaan sudah kedaluwarsa. Pilih berkasnya lagi."))
        except DomainError as exc:
            form.add_error("file", exc)
        else:
            plan = read_scores(table)
            form.hold(request.POST, salt=SALT, name=name, content=content)
            fresh = bool(form.cleaned_data.get("file"))
            if "load" in request.POST and not fresh and not plan.problems:
                data = form.cleaned_data
                try:
                    loaded = scores_import(
                        actor=user,
                        plan=plan,
                        source=Source(
                            data["source_name"],
                            data["source_url"],
                            data["published_on"],
                            data["reason"],
                        ),
                    )
                except DomainError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _("SPI dimuat: %(years)s.")
                        % {
                            "years": ", ".join(
                                _("%(year)d versi %(version)d")
                                % {"year": r.year, "version": r.version}
                                for r in loaded
                            )
                        },
                    )
                    return redirect(request.path)
    refused = bool(form.errors) or bool(plan and plan.problems)
    return render(
        request,
        "spi/import.html",
        {
            "form": form,
            "plan": plan,
            "releases": selectors.releases(),
            "national": selectors.national_index(),
        },
        status=400 if refused else 200,
    )
