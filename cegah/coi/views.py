"""Conflict-of-interest pages: a person's declarations and those waiting on them, declaring and
recording, a declaration with its decision and oversight, the Inspektorat's register and the
positions at risk, a holder's yearly statement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cegah.accounts.models import Employee
from cegah.accounts.requests import user_of
from cegah.core.errors import AlreadyDone, DomainError
from cegah.core.exports import xlsx_response
from cegah.regions.models import Pemda
from cegah.uploads.responses import download_response

from . import access, selectors, services
from .forms import DecisionForm, DeclarationForm, NoteForm, PositionForm, RecordForm, StatementForm
from .models import ConflictType, Declaration, DeclarationDocument, Handling


def _employee(request: HttpRequest) -> Employee:
    employee = access.employee_of(user=user_of(request))
    if employee is None:
        raise Http404
    return employee


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    employee = _employee(request)
    year = timezone.localdate().year
    return render(
        request,
        "coi/mine.html",
        {
            "employee": employee,
            "declarations": selectors.mine(employee=employee),
            "awaiting": selectors.awaiting_decision_by(user=user),
            "delegated": selectors.delegated_to(user=user),
            "has_staff": selectors.subordinates_of(user=user).exists(),
            "asked": selectors.statement_asked_of(employee=employee, year=year),
            "year": year,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponseBase:
    user = user_of(request)
    employee = _employee(request)
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                declaration = services.declaration_submit(
                    actor=user,
                    employee=employee,
                    facts=form.facts(),
                    uploads=form.cleaned_data["documents"],
                )
            except DomainError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Pernyataan %(number)s terkirim ke atasan Anda. Jangan ikut mengambil "
                        "keputusan itu sampai atasan memutuskan."
                    )
                    % {"number": declaration.number},
                )
                return redirect("coi:declaration", pk=declaration.pk)
        status = 400
    else:
        status = 200
    return render(request, "coi/declare.html", {"form": form, "employee": employee}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponseBase:
    """A superior or the Inspektorat records a conflict nobody declared."""
    user = user_of(request)
    people = selectors.recordable_by(user=user)
    if not people.exists():
        raise Http404
    form = RecordForm(request.POST or None, request.FILES or None, people=people)
    if request.method == "POST":
        if form.is_valid():
            try:
                declaration = services.undeclared_record(
                    actor=user,
                    employee=form.cleaned_data["employee"],
                    facts=form.facts(),
                    uploads=form.cleaned_data["documents"],
                )
            except DomainError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Benturan kepentingan %(number)s dicatat.") % {"number": declaration.number},
                )
                return redirect("coi:declaration", pk=declaration.pk)
        return render(request, "coi/record.html", {"form": form}, status=400)
    return render(request, "coi/record.html", {"form": form})


def _declaration_for(request: HttpRequest, pk: int) -> Declaration:
    try:
        declaration = selectors.declaration_detail(pk=pk)
    except Declaration.DoesNotExist:
        raise Http404 from None
    access.ensure(access.can_see(user=user_of(request), declaration=declaration))
    return declaration


@login_required
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = user_of(request)
    item = _declaration_for(request, pk)
    decision_form = DecisionForm(pemda=item.pemda, exclude=item.employee_id)
    note_form = NoteForm()
    close_form = NoteForm(prefix="close")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "decide":
                decision_form = DecisionForm(
                    request.POST, pemda=item.pemda, exclude=item.employee_id
                )
                if decision_form.is_valid():
                    services.declaration_decide(
                        actor=user, declaration=item, decision=decision_form.decision()
                    )
                    messages.success(request, _("Keputusan dicatat."))
                    return redirect("coi:declaration", pk=pk)
            elif action == "note":
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    services.note_add(
                        actor=user, declaration=item, text=note_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Catatan ditambahkan."))
                    return redirect("coi:declaration", pk=pk)
            elif action == "close":
                close_form = NoteForm(request.POST, prefix="close")
                if close_form.is_valid():
                    services.oversight_close(
                        actor=user, declaration=item, note=close_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Pengawasan diakhiri."))
                    return redirect("coi:declaration", pk=pk)
            else:
                raise Http404
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect("coi:declaration", pk=pk)
        except DomainError as exc:
            {"decide": decision_form, "note": note_form, "close": close_form}[action].add_error(
                None, exc
            )
        status = 400
    else:
        services.declaration_open(actor=user, declaration=item)
    today = timezone.localdate()
    return render(
        request,
        "coi/declaration.html",
        {
            "d": item,
            "matter_kind": selectors.named(item.lists, "matters", item.matter_kind),
            "source": selectors.named(item.lists, "sources", item.source),
            "decides": access.decides(user=user, declaration=item),
            "mine": item.employee.user_id == user.pk,
            "writes_notes": access.can_see_register(user=user, pemda=item.pemda),
            "inspektorat": access.is_inspektorat(user=user, pemda=item.pemda),
            "overdue": selectors.is_overdue(item, today),
            "decision_form": decision_form,
            "note_form": note_form,
            "close_form": close_form,
        },
        status=status,
    )


@login_required
@require_safe
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(
        DeclarationDocument.objects.select_related("stored_file", "declaration"), pk=pk
    )
    _declaration_for(request, document.declaration_id)
    return download_response(
        filename=document.original_name,
        content_type=document.stored_file.content_type,
        stored=document.stored_file,
    )


def _register_pemda(request: HttpRequest, code: str) -> Pemda:
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    access.ensure(access.can_see_register(user=user_of(request), pemda=pemda))
    return pemda


def _year(request: HttpRequest) -> int | None:
    asked = request.GET.get("tahun", "")
    return (
        int(asked) if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100 else None
    )


@login_required
@require_safe
def register(request: HttpRequest, code: str) -> HttpResponseBase:
    """The Inspektorat's register: declarations, decisions, overdue, conditions under oversight."""
    pemda = _register_pemda(request, code)
    year = _year(request)
    state = request.GET.get("status", "")
    state = state if state in Declaration.State.values else ""
    overdue = request.GET.get("lewat") == "1"
    rows = selectors.register(pemda=pemda, year=year, state=state, overdue=overdue)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"benturan-kepentingan-{pemda.code}.xlsx",
            _("Register"),
            [
                _("Nomor"),
                _("Tanggal"),
                _("Pegawai"),
                _("NIP"),
                _("OPD"),
                _("Jenis benturan"),
                _("Urusan"),
                _("Pihak terkait"),
                _("Dicatat tanpa pernyataan"),
                _("Status"),
                _("Batas keputusan"),
                _("Penanganan"),
                _("Pejabat pengganti"),
                _("Alasan"),
                _("Syarat pengawasan"),
                _("Tanggal keputusan"),
            ],
            (
                [
                    d.number,
                    d.declared_on,
                    d.declarant_name,
                    d.declarant_nip,
                    d.opd.name,
                    str(ConflictType(d.conflict_type).label),
                    d.matter,
                    d.parties,
                    _("ya") if d.undeclared else _("tidak"),
                    str(Declaration.State(d.state).label),
                    d.decision_due,
                    str(Handling(d.handling).label) if d.handling else "",
                    d.delegate.full_name if d.delegate else "",
                    d.reason,
                    d.conditions,
                    d.decided_on or "",
                ]
                for d in rows
            ),
        )
    today = timezone.localdate()
    return render(
        request,
        "coi/register.html",
        {
            "pemda": pemda,
            "rows": [(d, selectors.is_overdue(d, today)) for d in rows],
            "year": year,
            "years": selectors.years(pemda=pemda),
            "state": state,
            "states": Declaration.State.choices,
            "overdue": overdue,
            "inspektorat": access.is_inspektorat(user=user_of(request), pemda=pemda),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def positions(request: HttpRequest, code: str) -> HttpResponse:
    """Positions at risk of the year, their holders and who has not given the statement."""
    user = user_of(request)
    pemda = _register_pemda(request, code)
    year = _year(request) or timezone.localdate().year
    form = PositionForm(request.POST if "add" in request.POST else None)
    status = 200
    if request.method == "POST":
        access.ensure(access.is_inspektorat(user=user, pemda=pemda))
        try:
            if "ask" in request.POST:
                n = services.statements_ask(actor=user, pemda=pemda, year=year)
                messages.success(
                    request, _("Permintaan pernyataan dikirim ke %(n)d pegawai.") % {"n": n}
                )
                return redirect(f"{request.path}?tahun={year}")
            if form.is_valid():
                services.risk_position_add(actor=user, pemda=pemda, year=year, **form.cleaned_data)
                messages.success(request, _("Jabatan berisiko disimpan."))
                return redirect(f"{request.path}?tahun={year}")
        except DomainError as exc:
            form.add_error(None, exc)
        status = 400
    rows = selectors.holders(pemda=pemda, year=year)
    return render(
        request,
        "coi/positions.html",
        {
            "pemda": pemda,
            "year": year,
            "years": selectors.years(pemda=pemda),
            "positions": selectors.positions(pemda=pemda, year=year),
            "rows": rows,
            "missing": sum(r.statement is None for r in rows),
            "form": form,
            "inspektorat": access.is_inspektorat(user=user, pemda=pemda),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, year: int) -> HttpResponseBase:
    """A holder of a position at risk gives the year's statement."""
    user = user_of(request)
    employee = _employee(request)
    asked = selectors.statement_asked_of(employee=employee, year=year)
    if not asked:
        raise Http404
    given = employee.coi_statements.filter(year=year).first()
    form = StatementForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.statement_submit(
                    actor=user, employee=employee, year=year, **form.cleaned_data
                )
            except AlreadyDone as exc:
                messages.info(request, " ".join(exc.messages))
                return redirect("coi:statement", year=year)
            except DomainError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Pernyataan tahun %(year)d tersimpan.") % {"year": year}
                )
                return redirect("coi:mine")
        return render(
            request,
            "coi/statement.html",
            {"form": form, "year": year, "asked": asked, "given": given},
            status=400,
        )
    context: dict[str, Any] = {"form": form, "year": year, "asked": asked, "given": given}
    return render(request, "coi/statement.html", context)
