"""The reporting loop's pages: the operator's work page (htmx rows), the Admin Pemda's review,
the verifier's queue and item page, evidence downloads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from cegah.accounts import selectors as accounts
from cegah.accounts.models import RoleAssignment, User
from cegah.accounts.requests import user_of
from cegah.core.confirm import confirmed
from cegah.core.errors import AlreadyDone, DomainError, StaleEdit
from cegah.core.exports import csv_response, xlsx_response
from cegah.mcp import access, selectors, services
from cegah.mcp.filter_forms import WorkFilterForm
from cegah.mcp.forms import (
    AnswerForm,
    CommentForm,
    DecisionForm,
    EvidenceForm,
    QueueFilterForm,
    ReasonForm,
    VersionForm,
)
from cegah.mcp.models import Answer, Area, Evidence, Period, SubIndicator
from cegah.mcp.services import verification
from cegah.mcp.services.reporting import describe_value
from cegah.mcp.views.common import is_htmx
from cegah.mcp.workflows import ANSWER, UNDECIDED_STATES
from cegah.regions.models import Opd, Pemda
from cegah.uploads.responses import download_response


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# --- The operator's work page -------------------------------------------------------------------

ALL_ROWS = "semua"


def _work_context(period: Period, pemda: Pemda) -> dict[str, Any]:
    termin = selectors.termin_deadline(period=period, pemda=pemda)
    return {"period": period, "pemda": pemda, "termin": termin, "locked_by_deadline": termin.locked}


@login_required
@require_safe  # a page to read: any other method is 405
def work(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    roles = [a for a in accounts.role_assignments(user=user) if a.opd_id and a.opd]
    if not roles:
        # A Pemda admin has no work page, but their Pemda's report: notifications sent to admins
        # before they linked to the item's own page lead here.
        administered = list(accounts.pemda_administered_by(user=user)[:2])
        if len(administered) == 1:
            return redirect("mcp:report_review", code=administered[0].code)
        raise Http404
    # Rows show a summary; their forms come when one is opened (htmx), or with ?buka=<id> or
    # ?buka=semua without JavaScript.
    opened = request.GET.get("buka", "")
    opd = _opd_shown(roles, asked=request.GET.get("opd", ""), opened=opened)
    period = selectors.open_period(pemda=opd.pemda)
    filter_form = WorkFilterForm(request.GET)
    filters = filter_form.filters()
    context: dict[str, Any] = {
        "roles": roles,
        "opd": opd,
        "period": period,
        "rows": [],
        "opd_query": f"opd={opd.pk}&" if len(roles) > 1 else "",
        "all_open": opened == ALL_ROWS,
        "filters": filters,
        # The chosen filters, kept by the links that open every form or close them.
        "filter_query": urlencode(
            {k: v for k, v in request.GET.items() if k in filter_form.fields and v}
        ),
    }
    if period is not None and opened.isdigit() and is_htmx(request):
        # A row being opened asks its page's own address (`?buka=<id>`, the link that opens it
        # without JavaScript): the row then names no Pemda, and its summary is shared between
        # Pemda in the cache.
        response = _row_response(request, opd.pemda, period, int(opened))
        patch_vary_headers(response, ["HX-Request"])
        return response
    if period is not None:
        context.update(_work_context(period, opd.pemda))
        rows = selectors.work_rows(
            pemda=opd.pemda, period=period, opd_ids=[opd.pk], with_history=opened == ALL_ROWS
        )
        listed = selectors.work_list(rows, filters=filters, deadline=context["termin"].deadline)
        shown = listed.rows
        for index, row in enumerate(shown):
            if opened == str(row.sub.pk):  # the one opened row, read again with its history
                row = shown[index] = selectors.work_rows(
                    pemda=opd.pemda, period=period, sub_indicator_ids=[row.sub.pk]
                )[0]
            row.expanded = opened in (ALL_ROWS, str(row.sub.pk))
        selectors.cached_summaries(
            shown, opd_query=context["opd_query"], language=translation.get_language()
        )
        context["rows"] = shown
        context["listed"] = listed
        context["progress"] = selectors.progress_of(rows)
        if len(roles) > 1:
            context["opd_items"] = selectors.items_per_opd(
                opd_ids=[a.opd_id for a in roles if a.opd_id], year=period.year
            )
    response = render(request, "mcp/work.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the same address answers htmx with a row
    return response


def _opd_shown(roles: list[RoleAssignment], *, asked: str, opened: str) -> Opd:
    """The OPD whose page is shown, of the operator's `roles` (each with an OPD): the one asked
    for, else, for a link to one item (a notification's, which names no OPD), the one that
    reports it, else the first."""
    chosen = next((a for a in roles if str(a.opd_id) == asked), None)
    if chosen is None and opened.isdigit() and len(roles) > 1:
        reporting = selectors.opd_reporting(
            sub_indicator_id=int(opened), opd_ids=[a.opd_id for a in roles if a.opd_id]
        )
        chosen = next((a for a in roles if a.opd_id == reporting), None)
    return (chosen or roles[0]).opd  # type: ignore[return-value]  # every role here has one


def _row_response(
    request: HttpRequest,
    pemda: Pemda,
    period: Period,
    sub_id: int,
    *,
    error: str = "",
    saved: str = "",
    access_checked: bool = False,
    typed: str | None = None,
) -> HttpResponse:
    """The row, opened: 404 unless the person may answer it, checked on the row read for the
    reply, unless a service that has just written it checked already (access_checked)."""
    rows = selectors.work_rows(pemda=pemda, period=period, sub_indicator_ids=[sub_id])
    access.ensure(
        bool(rows)
        and (
            access_checked
            or access.can_answer(user=user_of(request), pemda=pemda, sub_indicator=rows[0].sub)
        )
    )
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        elif saved:
            messages.success(request, saved)
        return redirect(selectors.work_item_url(sub_id))
    rows[0].expanded = True
    context = {**_work_context(period, pemda), "row": rows[0], "error": error}
    context["saved"] = saved
    context["typed"] = typed
    return render(request, "mcp/_work_row.html", context)


def _row_scope(code: str) -> tuple[Pemda, Period]:
    pemda = get_object_or_404(Pemda, code=code)
    period = selectors.open_period(pemda=pemda)
    if period is None:
        raise Http404
    return pemda, period


@login_required
@require_GET
def work_row(request: HttpRequest, code: str, sub_id: int) -> HttpResponse:
    """One row of the work page with its forms, fetched when the operator opens it."""
    pemda, period = _row_scope(code)
    return _row_response(request, pemda, period, sub_id)


@login_required
@require_POST
def work_answer(request: HttpRequest, code: str, sub_id: int) -> HttpResponse:
    # The service decides who may write (404 otherwise); a refused form is checked here.
    pemda, period = _row_scope(code)
    sub = get_object_or_404(SubIndicator, pk=sub_id)
    form = AnswerForm(request.POST, sub=sub)
    # A refused entry is shown again as it was typed, beside the message.
    typed = request.POST.get("value", "")
    if not form.is_valid():
        return _row_response(request, pemda, period, sub_id, error=_errors(form), typed=typed)
    try:
        answer = services.answer_save(
            user=user_of(request),
            pemda=pemda,
            period=period,
            sub_indicator_id=sub_id,
            value=form.cleaned_data["value"],
            expected_version=form.cleaned_data["version"],
        )
    except (DomainError, StaleEdit) as exc:
        error = " ".join(exc.messages)
        return _row_response(request, pemda, period, sub_id, error=error, typed=typed)
    # Said back as it was understood: "527.500", "12,5%".
    saved = _("Jawaban disimpan: %(value)s.") % {"value": describe_value(sub, answer.value)}
    return _row_response(request, pemda, period, sub_id, saved=saved, access_checked=True)


@login_required
@require_POST
def work_revise(request: HttpRequest, code: str, sub_id: int) -> HttpResponse:
    """The Pemda takes back an item approved in an earlier termin to update it."""
    pemda, period = _row_scope(code)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _row_response(request, pemda, period, sub_id, error=_errors(form))
    try:
        services.answer_revise(
            user=user_of(request),
            pemda=pemda,
            period=period,
            sub_indicator_id=sub_id,
            expected_version=form.cleaned_data["version"],
        )
    except (DomainError, StaleEdit) as exc:
        return _row_response(request, pemda, period, sub_id, error=" ".join(exc.messages))
    saved = _("Item dibuka untuk diperbarui. Kirim lagi setelah diubah.")
    return _row_response(request, pemda, period, sub_id, saved=saved, access_checked=True)


@login_required
@require_POST
def work_evidence(request: HttpRequest, code: str, sub_id: int) -> HttpResponse:
    # The service decides who may write (404 otherwise); a refused form is checked here.
    pemda, period = _row_scope(code)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        error = _errors(form)
        chosen = request.FILES.get("file")
        if chosen is not None and "file" not in form.errors:
            # The row comes back without the file (a browser cannot be given it back): say so.
            error += " " + _("Pilih lagi berkas “%(name)s”, lalu unggah.") % {"name": chosen.name}
        return _row_response(request, pemda, period, sub_id, error=error)
    try:
        evidence = services.evidence_add(
            user=user_of(request),
            pemda=pemda,
            period=period,
            sub_indicator_id=sub_id,
            upload=form.cleaned_data["file"],
            effective_date=form.cleaned_data["effective_date"],
            valid_until=form.cleaned_data["valid_until"],
        )
    except DomainError as exc:
        return _row_response(request, pemda, period, sub_id, error=" ".join(exc.messages))
    return _row_response(
        request,
        pemda,
        period,
        sub_id,
        saved=_("Bukti “%(name)s” diunggah.") % {"name": evidence.original_name},
        access_checked=True,
    )


@login_required
@require_POST
def work_resubmit(request: HttpRequest, code: str, sub_id: int) -> HttpResponse:
    # The service decides who may write (404 otherwise); a refused post is checked here.
    pemda, period = _row_scope(code)
    form = VersionForm(request.POST)
    answer = Answer.objects.filter(pemda=pemda, period=period, sub_indicator_id=sub_id).first()
    if answer is None or not form.is_valid():
        return _row_response(request, pemda, period, sub_id, error=_("Belum ada jawaban."))
    try:
        services.answer_resubmit(
            user=user_of(request),
            answer_id=answer.pk,
            expected_version=form.cleaned_data["version"],
        )
    except (DomainError, StaleEdit) as exc:
        return _row_response(request, pemda, period, sub_id, error=" ".join(exc.messages))
    return _row_response(
        request,
        pemda,
        period,
        sub_id,
        saved=_("Dikirim ulang ke verifikator."),
        access_checked=True,
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(
        Answer.objects.select_related("pemda", "period", "sub_indicator__indicator__area"), pk=pk
    )
    user = user_of(request)
    access.ensure(access.can_see_answer(user=user, answer=answer))
    form = CommentForm(request.POST)
    error = saved = ""
    if form.is_valid():
        try:
            services.comment_add(user=user, answer_id=answer.pk, text=form.cleaned_data["text"])
            saved = _("Komentar terkirim.")
        except DomainError as exc:
            error = " ".join(exc.messages)
    else:
        error = _errors(form)
    if request.POST.get("from") == "review":
        (messages.error if error else messages.success)(request, error or saved)
        return redirect(
            reverse("mcp:report_review", kwargs={"code": answer.pemda.code})
            + f"#item-{answer.sub_indicator_id}"
        )
    if request.POST.get("from") == "verifier" or not access.can_answer(
        user=user, pemda=answer.pemda, sub_indicator=answer.sub_indicator
    ):
        (messages.error if error else messages.success)(request, error or saved)
        return redirect("mcp:verify_item", pk=answer.pk)
    return _row_response(  # may answer: checked just above
        request,
        answer.pemda,
        answer.period,
        answer.sub_indicator_id,
        error=error,
        saved=saved,
        access_checked=True,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "stored_file", "answer__pemda", "answer__sub_indicator__indicator__area"
        ),
        pk=pk,
    )
    access.ensure(access.can_see_answer(user=user_of(request), answer=evidence.answer))
    return download_response(
        filename=evidence.original_name,
        content_type=evidence.stored_file.content_type,
        stored=evidence.stored_file,
    )


# --- The Admin Pemda: progress, review, submit ----------------------------------------------


@login_required
def report_review(request: HttpRequest, code: str) -> HttpResponse:
    """The Pemda's whole report: the Admin Pemda submits it; the Pemda's Inspektorat reads it,
    comments on items and marks areas reviewed (APIP) before it goes."""
    user = user_of(request)
    pemda = get_object_or_404(Pemda.objects.select_related("province"), code=code)
    is_admin = accounts.can_administer(user=user, pemda=pemda)
    is_apip = access.can_review_as_apip(user=user, pemda=pemda)
    access.ensure(is_admin or is_apip)
    period = selectors.open_period()
    if request.method == "POST" and "apip" in request.POST:
        if period is None or not is_apip:
            raise Http404
        return _apip_review(request, user, pemda, period)
    if request.method == "POST":
        access.ensure(is_admin)
        if period is None:
            raise Http404
        area = request.POST.get("area") or ""
        area_id = int(area) if area.isdigit() else None
        if not confirmed(request):
            # Asks first, in numbers: what goes to the verifier and what stays with the Pemda.
            # With nothing to send (or past the deadline) the service below says so, unchanged.
            rows = [
                row
                for row in selectors.work_rows(pemda=pemda, period=period, with_history=False)
                if area_id is None or row.sub.indicator.area_id == area_id
            ]
            waiting = [row for row in rows if row.editable]
            sending = [row for row in waiting if row.answer is not None and row.complete]
            if sending and not _work_context(period, pemda)["locked_by_deadline"]:
                return render(
                    request,
                    "mcp/report_submit_confirm.html",
                    {
                        "pemda": pemda,
                        "period": period,
                        "area": rows[0].sub.indicator.area if area_id is not None else None,
                        "area_id": area_id or "",
                        "total": len(rows),
                        "sending": len(sending),
                        "incomplete": sum(row.answer is not None for row in waiting) - len(sending),
                        "unanswered": sum(row.answer is None for row in waiting),
                        "with_verifier": len(rows) - len(waiting),
                    },
                )
        try:
            result = services.answers_submit(user=user, pemda=pemda, period=period, area_id=area_id)
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if result.submitted:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d item dikirim ke verifikator.",
                        "%(count)d item dikirim ke verifikator.",
                        result.submitted,
                    )
                    % {"count": result.submitted},
                )
            else:
                messages.info(request, _("Tidak ada item lengkap yang perlu dikirim."))
            if result.incomplete:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d item belum lengkap dan tidak dikirim.",
                        "%(count)d item belum lengkap dan tidak dikirim.",
                        result.incomplete,
                    )
                    % {"count": result.incomplete},
                )
        return redirect("mcp:report_review", code=pemda.code)
    context: dict[str, Any] = {
        "pemda": pemda,
        "period": period,
        "is_admin": is_admin,
        "is_apip": is_apip,
    }
    if period is not None:
        rows = selectors.work_rows(pemda=pemda, period=period)
        by_area, by_opd = selectors.report_progress(pemda=pemda, period=period, rows=rows)
        context.update(_work_context(period, pemda))
        context.update({"rows": rows, "by_area": by_area, "by_opd": by_opd})
        context["areas"] = {r.sub.indicator.area for r in rows}
        context["apip_required"] = verification.apip_review_required(year=period.year)
        context["apip_reviews"] = verification.apip_reviews(pemda=pemda, period=period)
    return render(request, "mcp/report_review.html", context)


def _apip_review(request: HttpRequest, user: User, pemda: Pemda, period: Period) -> HttpResponse:
    area = get_object_or_404(
        Area.objects.filter(catalogue_id=selectors.current_catalogue_id(year=period.year)),
        pk=request.POST.get("area") if str(request.POST.get("area", "")).isdigit() else None,
    )
    try:
        if request.POST.get("apip") == "withdraw":
            verification.apip_review_withdraw(user=user, pemda=pemda, period=period, area=area)
            messages.success(request, _("Tanda reviu APIP %(area)s dicabut.") % {"area": area.name})
        else:
            verification.apip_review_mark(
                user=user,
                pemda=pemda,
                period=period,
                area=area,
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("%(area)s ditandai direviu APIP.") % {"area": area.name})
    except AlreadyDone as exc:
        messages.info(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("mcp:report_review", code=pemda.code)


# --- The verifier -------------------------------------------------------------------------------


def _verifier(request: HttpRequest) -> tuple[User, list[Pemda]]:
    """The signed-in verifier and the Pemda assigned to them (with their provinces), read once
    for the access check, the queue and its filters; 404 for anyone who verifies none."""
    user = user_of(request)
    pemdas = list(accounts.pemda_verified_by(user=user).order_by("code"))
    if not pemdas:
        raise Http404
    return user, pemdas


def _filtered_queue(
    request: HttpRequest, pemdas: list[Pemda], *, undecided_only: bool = False
) -> tuple[dict[str, Any], QuerySet[Answer]]:
    """The queue as the page's filters (in the query string) ask for it; bad values are ignored.
    `undecided_only`: only what still waits for a decision, whatever state the filter names."""
    filters = QueueFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    state = data.get("status") or ""
    queue = selectors.verifier_queue(
        pemdas=pemdas,
        area_limits=access.area_limits(user=user_of(request)),
        province=data.get("provinsi") or "",
        pemda=data.get("pemda") or "",
        area=data.get("area") or "",
        state=state if not undecided_only or state in UNDECIDED_STATES else "",
        older_than_days=None if data.get("umur") is None else int(data["umur"]),
        sort=data.get("urut") or "lama",
    )
    return data, queue


def _queue_query(request: HttpRequest) -> str:
    """The queue's filters as a query string (not its page number): an item opened from the
    queue carries them, to go on to the next item of the same queue and back to it."""
    return urlencode(
        {k: v for k, v in request.GET.items() if k in QueueFilterForm.base_fields and v}
    )


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@login_required
def verify_queue(request: HttpRequest) -> HttpResponse:
    user, pemdas = _verifier(request)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("answers") if i.isdigit()]
        if not ids:
            messages.error(request, _("Pilih item yang akan disetujui."))
        elif not confirmed(request):
            return render(
                request,
                "mcp/verify_confirm.html",
                {"ids": ids, "back": request.POST.get("back", "")},
            )
        else:
            result = services.answers_bulk_approve(verifier=user, answer_ids=ids)
            if result.approved:  # a double submit approves none: no green "0 approved"
                messages.success(
                    request,
                    ngettext(
                        "%(count)d item disetujui.", "%(count)d item disetujui.", result.approved
                    )
                    % {"count": result.approved},
                )
            if result.skipped:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d item dilewati karena tidak lagi menunggu verifikasi.",
                        "%(count)d item dilewati karena tidak lagi menunggu verifikasi.",
                        result.skipped,
                    )
                    % {"count": result.skipped},
                )
        back = request.POST.get("back", "")
        return redirect(reverse("mcp:verify_queue") + (back if back.startswith("?") else ""))
    data, queue = _filtered_queue(request, pemdas)
    page, rows = selectors.queue_page(queue, pemdas, request.GET.get("halaman"))
    provinces = {p.province_id: p.province for p in pemdas}
    return render(
        request,
        "mcp/verify_queue.html",
        {
            "filter_form": QueueFilterForm(request.GET),
            "page": page,
            "rows": rows,
            "rows_key": selectors.queue_cache_keys(rows),
            "filters": data,
            "pemdas": pemdas,
            "provinces": sorted(provinces.values(), key=lambda p: p.code),
            "areas": selectors.newest_areas(),
            "states": Answer.State.choices,
            "query": request.GET.urlencode(),
            "item_query": _queue_query(request),
        },
    )


@login_required
def verify_item(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    # A decision redirects, and the page then reads the history: a post needs the answer only.
    answers = Answer.objects.all() if request.method == "POST" else selectors.answers_with_history()
    answer = get_object_or_404(
        answers.select_related(
            "pemda__province", "period", "sub_indicator__indicator__area", "updated_by"
        ),
        pk=pk,
    )
    access.ensure(access.can_see_answer(user=user, answer=answer))
    can_decide = access.can_verify(
        user=user, pemda=answer.pemda, area_code=answer.sub_indicator.indicator.area.code
    )
    can_reopen = accounts.is_national_coordinator(user=user)
    # The queue the item was opened from (its filters), kept by every address the page leads to.
    query = _queue_query(request) if can_decide else ""
    here = _with_query(reverse("mcp:verify_item", kwargs={"pk": answer.pk}), query)
    decision_form = DecisionForm(
        request.POST if "decision_form" in request.POST else None, sub=answer.sub_indicator
    )
    reopen_form = ReasonForm(request.POST if "reopen" in request.POST else None)
    if request.method == "POST":
        if ("reopen" in request.POST and not can_reopen) or (
            ("decision_form" in request.POST or "start_review" in request.POST) and not can_decide
        ):
            raise Http404  # the Pemda and others may read the item, not decide on it
        try:
            if "start_review" in request.POST:
                services.review_start(verifier=user, answer_id=answer.pk)
                messages.success(
                    request, _("Verifikasi dimulai: item ini tercatat sedang Anda periksa.")
                )
                return redirect(here)
            if "decision_form" in request.POST and decision_form.is_valid():
                # The queue's order as it stands before the decision takes this item out of it.
                _data, queue = _filtered_queue(
                    request, list(accounts.pemda_verified_by(user=user)), undecided_only=True
                )
                order = selectors.queue_order(queue)
                data = decision_form.cleaned_data
                if data["decision"] == "approve":
                    services.answer_approve(
                        verifier=user,
                        answer_id=answer.pk,
                        verified_value=data.get("verified_value"),
                    )
                    messages.success(request, _("Item disetujui dan dikunci."))
                else:
                    services.answer_return(
                        verifier=user, answer_id=answer.pk, reason=data["reason"]
                    )
                    messages.success(request, _("Item dikembalikan ke Pemda."))
                return _next_item(request, order, answer, query)
            if "reopen" in request.POST and reopen_form.is_valid():
                services.answer_reopen(
                    actor=user, answer_id=answer.pk, reason=reopen_form.cleaned_data["reason"]
                )
                messages.success(request, _("Item dibuka kembali untuk diverifikasi ulang."))
                return redirect(here)
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect(here)
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(here)
    return render(
        request,
        "mcp/verify_item.html",
        {
            "answer": answer,
            "row": selectors.WorkRow(answer.sub_indicator, answer),
            # The cumulative year: what the item held when the previous termin ended.
            "previous": (
                describe_value(answer.sub_indicator, answer.carried_from.value)
                if answer.carried_from is not None
                else None
            ),
            "basis": selectors.assessment_basis(answer.sub_indicator),
            "can_decide": can_decide and answer.state in UNDECIDED_STATES,
            "can_reopen": can_reopen and answer.is_approved,
            "can_start_review": can_decide
            and ANSWER.allowed(answer.state, Answer.State.IN_REVIEW, service="review_start"),
            "decision_form": decision_form,
            "reopen_form": reopen_form,
            "comment_form": CommentForm(),
            "back": _way_back(user, answer, verifies=can_decide, query=query),
        },
    )


def _next_item(request: HttpRequest, order: list[int], answer: Answer, query: str) -> HttpResponse:
    """After a decision: the next item of the same queue that still waits, in the queue's order,
    or the queue itself, saying that nothing is left."""
    following = selectors.next_in_queue(order=order, after=answer.pk)
    if following is None:
        messages.info(request, _("Tidak ada lagi item yang menunggu di antrean ini."))
        return redirect(_with_query(reverse("mcp:verify_queue"), query))
    return redirect(_with_query(reverse("mcp:verify_item", kwargs={"pk": following}), query))


def _way_back(
    user: User, answer: Answer, *, verifies: bool, query: str = ""
) -> tuple[str, str] | None:
    """The list the reader of an item came from: the queue for its verifier (with the filters
    it was opened from), the Pemda's report for its admin, the work page for its operator
    (others, as a koordinator, have none)."""
    if verifies:
        return _with_query(reverse("mcp:verify_queue"), query), _("Antrean verifikasi")
    if accounts.can_administer(user=user, pemda=answer.pemda):
        return (
            reverse("mcp:report_review", kwargs={"code": answer.pemda.code}),
            _("Laporan MCP %(pemda)s") % {"pemda": answer.pemda},
        )
    if access.operator_opd_ids(user=user, pemda=answer.pemda):
        return selectors.work_item_url(answer.sub_indicator_id), _("Laporan MCP")
    return None


# --- Exports -------------------------------------------------------------------------------


def _status_rows(rows: list[selectors.WorkRow]) -> Iterator[list[Any]]:
    for row in rows:
        evidence = row.current_evidence
        decision = row.last_decision
        yield [
            row.sub.indicator.area.code,
            row.sub.indicator.code,
            row.sub.code,
            row.sub.question,
            describe_value(row.sub, row.answer.value) if row.answer else "",
            row.answer.state_label if row.answer else _("Belum diisi"),
            evidence.original_name if evidence else "",
            decision.reason if decision else "",
        ]


@login_required
@require_safe  # a page to read: any other method is 405
def report_export(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    """The Admin Pemda's indicator status for the open termin, as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    pemda = get_object_or_404(accounts.pemda_administered_by(user=user_of(request)), code=code)
    period = selectors.open_period()
    if period is None:
        raise Http404
    rows = selectors.work_rows(pemda=pemda, period=period)
    header = [
        _("Area"),
        _("Indikator"),
        _("Sub-indikator"),
        _("Pertanyaan"),
        _("Jawaban"),
        _("Status"),
        _("Bukti"),
        _("Alasan pengembalian"),
    ]
    name = f"mcp-{pemda.code}-{period.year}-termin{period.number}"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", pemda.name, header, _status_rows(rows))
    return csv_response(f"{name}.csv", header, _status_rows(rows))


@login_required
@require_safe  # a page to read: any other method is 405
def verify_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The verifier's queue, with the same filters as the page, as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _user, pemdas = _verifier(request)
    _data, queue = _filtered_queue(request, pemdas)
    header = [
        _("Pemda"),
        _("Provinsi"),
        _("Indikator"),
        _("Sub-indikator"),
        _("Pertanyaan"),
        _("Status"),
        _("Bukti"),
        _("Dikirim (WIB)"),  # the server's zone, named: a spreadsheet has no other way to say
    ]
    rows = (
        [
            row.pemda.name,
            row.pemda.province.name,
            row.indicator,
            row.sub_code,
            row.question,
            row.state_label,
            row.evidence_count,
            timezone.localtime(row.submitted_at).strftime("%Y-%m-%d %H:%M")
            if row.submitted_at
            else "",
        ]
        for row in selectors.queue_rows(queue, pemdas, stream=True)
    )
    if fmt == "xlsx":
        return xlsx_response("antrean-verifikasi.xlsx", _("Antrean"), header, rows)
    return csv_response("antrean-verifikasi.csv", header, rows)
