"""Gratification control pages: a civil servant's reports and the exemption check, the UPG's
queue, a report with its actions, the custody register, statistics and the register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cegah.accounts.models import Employee, User
from cegah.accounts.requests import user_of
from cegah.core.confirm import confirmed
from cegah.core.errors import AlreadyDone, DomainError
from cegah.regions.models import Pemda
from cegah.uploads.responses import download_response

from . import access, selectors, services
from .forms import (
    CheckForm,
    CustodyForm,
    DecisionForm,
    EvidenceForm,
    QueueFilters,
    ReleaseForm,
    ReportForm,
    ReturnForm,
)
from .models import CustodyItem, Report, ReportEvidence
from .workflows import REPORTER_EDITABLE


def _employee(request: HttpRequest) -> Employee:
    employee = access.employee_of(user=user_of(request))
    if employee is None:
        raise Http404
    return employee


def _upg_pemda(request: HttpRequest, code: str) -> Pemda:
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    access.ensure(access.is_upg(user=user_of(request), pemda=pemda))
    return pemda


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """A civil servant's own reports and noted exempt gifts."""
    employee = _employee(request)
    return render(
        request,
        "upg/mine.html",
        {
            "employee": employee,
            "reports": selectors.reports_of(user=user_of(request)),
            "noted": selectors.exempt_gifts_of(employee=employee),
            "today": timezone.localdate(),
        },
    )


def _check_context(form: CheckForm, employee: Employee) -> dict[str, Any]:
    """The exemption check of what is typed so far, or what is still needed for it."""
    if not form.is_valid():
        return {"check": None, "waiting_for": [form.fields[f].label for f in form.errors]}
    gift = form.gift()
    try:
        check = services.gift_check_for(employee=employee, gift=gift)
    except DomainError as exc:
        return {"check": None, "problem": exc.messages[0]}
    rules = check.rules
    return {
        "check": check,
        "report_due": rules.due(gift.received_on, "report_days"),
        "late_rule": rules.structure["late_may_be_state_property"],
        "today": timezone.localdate(),
    }


@login_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """The exemption check, redrawn as the person types (htmx); it changes nothing."""
    employee = _employee(request)
    return render(request, "upg/_check.html", _check_context(CheckForm(request.POST), employee))


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    employee = _employee(request)
    form = ReportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"employee": employee, "form": form}
    if request.method == "POST":
        try:
            if "note" in request.POST:
                # Noting an exempt gift needs only the gift's facts, not the report's.
                facts = CheckForm(request.POST)
                if facts.is_valid():
                    services.exempt_gift_note(actor=user, employee=employee, gift=facts.gift())
                    messages.success(
                        request,
                        _("Dicatat sebagai pemberian yang dikecualikan (hanya untuk Anda)."),
                    )
                    return redirect("upg:mine")
                form.is_valid()  # show what the check still needs beside its fields
            elif form.is_valid():
                report = services.report_submit(
                    actor=user,
                    employee=employee,
                    gift=form.gift(),
                    reporter=form.reporter(),
                    uploads=form.cleaned_data["evidence"],
                )
                messages.success(
                    request,
                    _("Laporan %(number)s terkirim ke UPG. Batas UPG meneruskan: %(day)s.")
                    % {"number": report.number, "day": report.upg_due.strftime("%d-%m-%Y")},
                )
                return redirect("upg:report", pk=report.pk)
        except DomainError as exc:
            form.is_valid()
            form.add_error(None, exc)
        context.update(_check_context(CheckForm(request.POST), employee))
        return render(request, "upg/report_new.html", context, status=400)
    return render(request, "upg/report_new.html", context)


def _report_for(request: HttpRequest, pk: int) -> Report:
    try:
        report = selectors.report_detail(pk=pk)
    except Report.DoesNotExist:
        raise Http404 from None
    access.ensure(access.can_see_report(user=user_of(request), report=report))
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One report: the reporter's view and the UPG's, with the acts each may take."""
    user = user_of(request)
    item = _report_for(request, pk)
    upg = access.is_upg(user=user, pemda=item.pemda) and item.reporter_id != user.pk
    forms: dict[str, Any] = {
        "evidence_form": EvidenceForm(),
        "return_form": ReturnForm(),
        "decision_form": DecisionForm(),
        "custody_form": CustodyForm(initial={"received_on": timezone.localdate()}),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _act(request, user, item, action, forms)
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect("upg:report", pk=pk)
        except DomainError as exc:
            target = {
                "evidence": "evidence_form",
                "return": "return_form",
                "decide": "decision_form",
                "custody": "custody_form",
            }.get(action)
            if target is None:
                raise
            forms[target].add_error(None, exc)
            done = None
        if isinstance(done, HttpResponse):
            return done
        if done:
            messages.success(request, done)
            return redirect("upg:report", pk=pk)
        status = 400
        item = _report_for(request, pk)
    else:
        services.report_open(actor=user, report=item)
    today = timezone.localdate()
    return render(
        request,
        "upg/report.html",
        {
            "report": item,
            "upg": upg,
            "mine": item.reporter_id == user.pk,
            "editable": item.state in REPORTER_EDITABLE,
            "overdue": selectors.overdue(item, today),
            "waiting_until": selectors.waiting_until(item),
            "today": today,
            **forms,
        },
        status=status,
    )


def _act(
    request: HttpRequest, user: User, item: Report, action: str, forms: dict[str, Any]
) -> str | HttpResponse | None:
    """Runs one posted act; a message when done, None when its form was refused."""
    post = request.POST
    if action == "evidence":
        evidence = forms["evidence_form"] = EvidenceForm(post, request.FILES)
        if not evidence.is_valid():
            return None
        n = services.evidence_add(
            actor=user, report=item, uploads=evidence.cleaned_data["evidence"]
        )
        return _("%(n)d berkas ditambahkan.") % {"n": n}
    if action == "return":
        returned = forms["return_form"] = ReturnForm(post)
        if not returned.is_valid():
            return None
        services.report_return(actor=user, report=item, missing=returned.cleaned_data["missing"])
        return _("Laporan dikembalikan ke pelapor untuk dilengkapi.")
    if action == "forward":
        if not confirmed(request):
            access.ensure(access.is_upg(user=user, pemda=item.pemda))
            return render(request, "upg/forward_confirm.html", {"report": item})
        services.report_forward(actor=user, report=item)
        return _("Laporan diteruskan ke KPK. Unduh PDF dan berkas datanya untuk dikirim.")
    if action == "decide":
        decision = forms["decision_form"] = DecisionForm(post)
        if not decision.is_valid():
            return None
        services.decision_record(actor=user, report=item, decision=decision.decision())
        return _("Penetapan KPK dicatat.")
    if action == "custody":
        kept = forms["custody_form"] = CustodyForm(post)
        if not kept.is_valid():
            return None
        services.custody_receive(actor=user, report=item, **kept.cleaned_data)
        return _("Barang dicatat di register titipan.")
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def report_complete(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reporter completes a returned report and sends it again."""
    user = user_of(request)
    item = _report_for(request, pk)
    if item.reporter_id != user.pk:
        raise Http404
    if item.state != Report.State.RETURNED:
        messages.info(request, _("Laporan ini tidak sedang menunggu dilengkapi."))
        return redirect("upg:report", pk=pk)
    form = ReportForm(
        request.POST or None, request.FILES or None, initial=ReportForm.initial_from(item)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_complete(
                    actor=user,
                    report=item,
                    gift=form.gift(),
                    reporter=form.reporter(),
                    uploads=form.cleaned_data["evidence"],
                )
            except DomainError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Laporan dilengkapi dan dikirim kembali ke UPG."))
                return redirect("upg:report", pk=pk)
        return render(
            request, "upg/report_complete.html", {"report": item, "form": form}, status=400
        )
    return render(request, "upg/report_complete.html", {"report": item, "form": form})


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        ReportEvidence.objects.select_related("stored_file", "report__pemda"), pk=pk
    )
    access.ensure(access.can_see_report(user=user_of(request), report=evidence.report))
    return download_response(
        filename=evidence.original_name,
        content_type=evidence.stored_file.content_type,
        stored=evidence.stored_file,
    )


@login_required
@require_safe
def queue(request: HttpRequest, code: str) -> HttpResponse:
    """The UPG's reports with their deadlines, open and overdue first."""
    pemda = _upg_pemda(request, code)
    filters = QueueFilters(request.GET or None, years=selectors.report_years(pemda=pemda))
    wanted = filters.cleaned_data if filters.is_valid() else {}
    reports = selectors.queue(
        pemda=pemda,
        state=wanted.get("state") or "",
        year=wanted.get("tahun"),
        late_only=bool(wanted.get("lewat")),
    )
    page = Paginator(reports, 50).get_page(request.GET.get("halaman"))
    today = timezone.localdate()
    rows = [(r, selectors.waiting_until(r), selectors.overdue(r, today)) for r in page.object_list]
    return render(
        request,
        "upg/queue.html",
        {"pemda": pemda, "filters": filters, "page": page, "rows": rows, "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def custody(request: HttpRequest, code: str) -> HttpResponseBase:
    """The custody register: items handed in, where they are kept, and where they went."""
    user = user_of(request)
    pemda = _upg_pemda(request, code)
    today = timezone.localdate()
    refused: ReleaseForm | None = None
    if request.method == "POST":
        asked = request.POST.get("item", "")
        item = get_object_or_404(
            CustodyItem.objects.select_related("report__pemda"),
            pk=int(asked) if asked.isascii() and asked.isdigit() else 0,
            report__pemda=pemda,
        )
        form = ReleaseForm(request.POST, prefix=f"c{item.pk}")
        if form.is_valid():
            try:
                services.custody_release(actor=user, item=item, **form.cleaned_data)
            except AlreadyDone as exc:
                messages.info(request, " ".join(exc.messages))
                return redirect("upg:custody", code=code)
            except DomainError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Keluarnya barang dicatat."))
                return redirect("upg:custody", code=code)
        refused = form
    state = request.GET.get("status", "")
    items = selectors.custody_register(
        pemda=pemda, state=state if state in CustodyItem.State.values else ""
    )
    rows = [
        (
            c,
            None
            if c.state != CustodyItem.State.KEPT
            else refused
            if refused is not None and refused.prefix == f"c{c.pk}"
            else ReleaseForm(prefix=f"c{c.pk}", initial={"released_on": today}),
        )
        for c in items
    ]
    return render(
        request,
        "upg/custody.html",
        {"pemda": pemda, "rows": rows, "state": state, "states": CustodyItem.State.choices},
        status=400 if refused is not None else 200,
    )
