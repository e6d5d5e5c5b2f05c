"""The handlers' pages: the queue and one report. Anyone who does not handle a report gets 404.
Reading or writing a report needs the handler's private key opened in this session (unlock.py);
without it the page asks for the password ("buka kunci")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cegah.accounts.models import User
from cegah.accounts.requests import user_of
from cegah.core.errors import AlreadyDone, DomainError
from cegah.uploads.responses import download_response

from . import access, selectors, services, unlock
from .forms import (
    DisclosureForm,
    HandlerMessageForm,
    TransitionForm,
    choose_again,
    uploads_of,
)
from .models import Attachment, Report, ReportState, ReportType


def _private_key(request: HttpRequest) -> bytes:
    key = unlock.private_key_of(request)
    if key is None:  # needs_key let the request through: the cookie went since
        raise Http404
    return key


def _is_handler(user: User) -> bool:
    return bool(access.inspected_pemda_ids(user=user)) or access.is_national_handler(user=user)


def _handles_report(user: User, pk: int) -> bool:
    return access.reports_handled_by(user=user).filter(pk=pk).exists()


def _handles_attachment(user: User, pk: int) -> bool:
    handled = access.reports_handled_by(user=user)
    return Attachment.objects.filter(pk=pk, report__in=handled).exists()


def _key_required(
    handles: Callable[[User, int], bool] | None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Sends a handler whose key is not open in this session to the unlock page, and back. Who
    does not handle the report (or handles nothing) gets 404 first, as without the key."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if unlock.private_key_of(request) is None:
                user = user_of(request)
                if not _is_handler(user):
                    raise Http404
                if handles is not None and not handles(user, int(kwargs["pk"])):
                    raise Http404
                back = request.get_full_path()
                if request.method != "GET":
                    back = reverse("wbs:report", args=[kwargs["pk"]]) if "pk" in kwargs else ""
                    back = back or reverse("wbs:queue")
                return redirect(f"{reverse('wbs:unlock')}?{urlencode({'next': back})}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


needs_key = _key_required(_handles_report)
needs_key_for_attachment = _key_required(_handles_attachment)
needs_key_anywhere = _key_required(None)


@login_required
@never_cache
def unlock_key(request: HttpRequest) -> HttpResponse:
    """Buka kunci: the handler types their password again to open their key in this session
    (signed in before key pairs came, or the key cookie is missing)."""
    user = user_of(request)
    if not _is_handler(user):
        raise Http404  # handles no reports: there is nothing to unlock
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("wbs:queue")
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")[:512]
        # authenticate(), not check_password: failures count towards the sign-in lockout.
        checked = authenticate(request, username=user.email, password=password)
        if checked is None or checked.pk != user.pk:
            error = _("Kata sandi salah.")
        else:
            private_key = services.handler_key_open(user=user, password=password)
            if private_key is None:
                raise Http404
            response = redirect(target)
            unlock.set_cookie(
                response, unlock.remember(session=request.session, private_key=private_key)
            )
            return response
    return render(
        request,
        "wbs/unlock.html",
        {
            "next": target,
            "error": error,
            # The key is open in this session but the cookie was not sent (a link from another
            # site or an email): a same-site click sends it again.
            "only_cookie_missing": unlock.has_sealed_key(request),
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filters = selectors.QueueFilters(
        state=request.GET.get("status", "terbuka")[:16],
        due=request.GET.get("tenggat", "")[:10],
        type=request.GET.get("jenis", "")[:12],
        assignee=request.GET.get("penangan", "")[:8],
    )
    reports = selectors.handler_queue(user=user, filters=filters)
    unlocked = unlock.private_key_of(request) is not None
    page = Paginator(reports, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "wbs/queue.html",
        {
            "page": page,
            "filters": filters,
            "today": timezone.localdate(),
            "states": ReportState.choices,
            "types": ReportType.choices,
            "handles_anything": access.reports_handled_by(user=user).exists()
            or bool(access.inspected_pemda_ids(user=user))
            or access.is_national_handler(user=user),
            "unlocked": unlocked,
            "awaiting": selectors.grants_awaited(user=user) if unlocked else [],
            "without_key": selectors.colleagues_without_key(user=user),
        },
    )


@login_required
@require_POST
@needs_key_anywhere
def access_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    """Seals the reports this handler can open to a colleague who waits for them."""
    try:
        count = services.report_access_grant(
            user=user_of(request), private_key=_private_key(request), grantee_id=user_id
        )
    except AlreadyDone as done:
        messages.info(request, done.message)
    except DomainError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Akses diberikan untuk %(count)d laporan.") % {"count": count})
    return redirect("wbs:queue")


@login_required
@require_POST
@needs_key_anywhere
def reports_rekey(request: HttpRequest) -> HttpResponse:
    """Rotation: every report this handler can open is encrypted again under a new key."""
    count = services.reports_rekey(user=user_of(request), private_key=_private_key(request))
    messages.success(
        request, _("%(count)d laporan dienkripsi ulang dengan kunci baru.") % {"count": count}
    )
    return redirect("wbs:queue")


@login_required
@require_GET
@never_cache
@needs_key
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = _handled_report(user, pk)
    services.report_open(report=report, user=user)
    return _detail(request, report)


def _handled_report(user: User, pk: int) -> Report:
    report = (
        access.reports_handled_by(user=user)
        .select_related("pemda", "handler_pemda")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def _detail(
    request: HttpRequest,
    report: Report,
    *,
    refused: str = "",
    status: int = 200,
    **bound: forms.Form,
) -> HttpResponse:
    """The report page; after a refusal, the refused form comes back as it was filled in."""
    user = user_of(request)
    try:
        key = services.report_key_for(report=report, user=user, private_key=_private_key(request))
    except services.NotGranted as refusal:
        # Handles it, holds no key to it yet: who can grant it is on the queue page.
        return render(
            request, "wbs/not_granted.html", {"report": report, "why": refusal.message}, status=403
        )
    if refused:
        messages.error(request, refused)
    disclosed = selectors.was_disclosed_to(report=report, user=user)
    requests = (
        services.identity_requests(report=report, key=key)
        if report.sealed_identity is not None
        else []
    )
    return render(
        request,
        "wbs/report_detail.html",
        {
            "report": report,
            "view": selectors.report_view(report=report, key=key, for_handler=True),
            "next_states": selectors.next_states(report=report),
            "identity": services.identity_of(report=report, key=key) if disclosed else None,
            "identity_requests": requests,
            "asked": any(r.user_id == user.pk for r, _reason in requests),
            "notes": services.notes_of(report=report, key=key),
            "colleagues": access.handlers_of(report=report).order_by("full_name"),
            "transition_form": TransitionForm(initial={"version": report.version}),
            "message_form": HandlerMessageForm(),
            "disclosure_form": DisclosureForm(),
            **bound,
            "today": timezone.localdate(),
            "reply_days": settings.WBS_REPORTER_REPLY_DAYS,
        },
        status=status,
    )


def _refused(request: HttpRequest, message: str, pk: int, **bound: forms.Form) -> HttpResponse:
    """Says why, and keeps what was typed: the page is shown again with the refused form."""
    report = _handled_report(user_of(request), pk)
    return _detail(request, report, refused=message, status=400, **bound)


@login_required
@require_POST
@needs_key
def report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    form = TransitionForm(request.POST)
    if not form.is_valid():
        message = _("Formulir tidak lengkap. Muat ulang halaman.")
        return _refused(request, message, pk, transition_form=form)
    try:
        report = services.report_transition(
            report_id=pk,
            user=user_of(request),
            private_key=_private_key(request),
            to_state=form.cleaned_data["to_state"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except DomainError as refused:
        # Kept as typed, against the report as it is now (a stale version would fail again).
        current = _handled_report(user_of(request), pk)
        kept = TransitionForm({**request.POST.dict(), "version": str(current.version)})
        message = " ".join(refused.messages)
        return _detail(request, current, refused=message, status=400, transition_form=kept)
    messages.success(
        request, _("Status laporan: %(state)s.") % {"state": ReportState(report.state).label}
    )
    return redirect("wbs:report", pk=pk)


@login_required
@require_POST
@needs_key
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    form = HandlerMessageForm(request.POST, request.FILES)
    again = choose_again(request)
    again = f" {again}" if again else ""
    if not form.is_valid():
        return _refused(request, _("Tulis pesan untuk pelapor.") + again, pk, message_form=form)
    try:
        services.handler_message_add(
            report_id=pk,
            user=user_of(request),
            private_key=_private_key(request),
            body=form.cleaned_data["body"],
            asks_for_information=form.cleaned_data["asks_for_information"],
            uploads=uploads_of(form.cleaned_data["attachments"]),
        )
    except DomainError as refused:
        message = " ".join(refused.messages) + again
        return _refused(request, message, pk, message_form=form)
    messages.success(request, _("Pesan terkirim. Pelapor membacanya dengan kode tanda terimanya."))
    return redirect("wbs:report", pk=pk)


@login_required
@require_POST
@needs_key
def identity_disclose(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks to see the reporter's identity (with a reason), or approves a colleague's request."""
    user = user_of(request)
    approve = request.POST.get("approve", "")
    try:
        if approve.isdigit():
            services.identity_approve(report_id=pk, request_id=int(approve), user=user)
            messages.success(request, _("Permintaan disetujui: identitas dibuka bagi peminta."))
            return redirect("wbs:report", pk=pk)
        # The service checks the reason (its length gives the translated error).
        reason = request.POST.get("reason", "")[:2000]
        services.identity_request(
            report_id=pk, user=user, private_key=_private_key(request), reason=reason
        )
    except AlreadyDone as done:
        messages.info(request, done.message)
        return redirect("wbs:report", pk=pk)
    except DomainError as refused:
        form = DisclosureForm(initial={"reason": request.POST.get("reason", "")[:2000]})
        return _refused(request, " ".join(refused.messages), pk, disclosure_form=form)
    messages.success(
        request,
        _("Permintaan dicatat. Identitas terbuka setelah penangan lain menyetujuinya."),
    )
    return redirect("wbs:report", pk=pk)


@login_required
@require_POST
@needs_key
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = request.POST.get("body", "")[:10000]
    try:
        services.note_add(
            report_id=pk, user=user_of(request), private_key=_private_key(request), body=body
        )
    except DomainError as refused:
        return _refused(request, " ".join(refused.messages), pk)
    messages.success(request, _("Catatan disimpan. Pelapor tidak melihatnya."))
    return redirect("wbs:report", pk=pk)


@login_required
@require_POST
def report_assign(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = request.POST.get("assignee", "")
    try:
        services.report_assign(
            report_id=pk,
            user=user_of(request),
            assignee_id=int(chosen) if chosen.isdigit() else None,
        )
    except DomainError as refused:
        return _refused(request, " ".join(refused.messages), pk)
    messages.success(request, _("Penugasan laporan disimpan."))
    return redirect("wbs:report", pk=pk)


@login_required
@require_POST
@needs_key
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    report = services.conflict_declare(
        report_id=pk, user=user_of(request), private_key=_private_key(request)
    )
    messages.success(
        request,
        _("Benturan kepentingan dicatat. Laporan %(report)s kini ditangani %(level)s.")
        % {"report": report, "level": report.get_level_display()},
    )
    return redirect("wbs:queue")


@login_required
@require_GET
@never_cache
@needs_key_for_attachment
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    name, content_type, content = services.attachment_open(
        attachment_id=pk, user=user_of(request), private_key=_private_key(request)
    )
    return download_response(filename=name, content_type=content_type, content=content)
