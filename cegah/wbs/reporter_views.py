"""The reporter's pages: no account, no session, nothing that identifies the person.

These pages keep no server-side session (the follow-up page rides on a short signed cookie),
send no Referer to other sites, are never cached, and are left out of the access log
(config/gunicorn_conf.py) and of the error log (cegah.core.middleware.ReporterPrivacyLogFilter).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from nacl.exceptions import CryptoError

from cegah.core.errors import DomainError
from cegah.regions.models import Pemda

from . import crypto, proof_of_work, selectors, services
from .forms import FollowForm, ReporterMessageForm, ReportForm, choose_again, uploads_of
from .models import Report, ReportState

FOLLOW_COOKIE = "wbs_ikuti"
FOLLOW_SALT = "cegah.wbs.follow"
FOLLOW_MINUTES = 30
WRITES_SALT = "cegah.wbs.writes"
WRITES_WINDOW = 3600  # seconds: WBS_WRITES_PER_HOUR counts per clock hour


def reporter_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = (
            "same-origin"  # "no-referrer" makes browsers send Origin: null, which CSRF refuses
        )
        return response

    return never_cache(wrapped)


@require_GET
@reporter_page
def start(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:60]
    pemdas = Pemda.objects.select_related("province").order_by("name")
    if query:
        for word in query.split():
            pemdas = pemdas.filter(Q(name__icontains=word) | Q(province__name__icontains=word))
    context = {"query": query, "pemdas": pemdas[:30] if query else []}
    if request.headers.get("HX-Request") == "true":
        return render(request, "wbs/_pemda_choices.html", context)
    return render(request, "wbs/start.html", context)


def _report_form_context(form: ReportForm, pemda: Pemda) -> dict[str, Any]:
    return {
        "form": form,
        "pemda": pemda,
        "pow_bits": settings.WBS_POW_BITS,
        "max_mb": settings.WBS_ATTACHMENT_MAX_MB,
        "max_files": settings.WBS_ATTACHMENTS_PER_MESSAGE,
        "no_script_minutes": max(1, settings.WBS_NO_SCRIPT_WAIT_SECONDS // 60),
    }


@require_http_methods(["GET", "POST"])
@reporter_page
def report_new(request: HttpRequest, code: str) -> HttpResponse:
    pemda = get_object_or_404(Pemda, code=code)
    fresh = {"pow_token": proof_of_work.issue(purpose="report").token}
    if request.method != "POST":
        form = ReportForm(initial=fresh)
        return render(request, "wbs/report_form.html", _report_form_context(form, pemda))
    form = ReportForm(request.POST, request.FILES)
    status = 400
    keep_token = False  # a reporter waiting out the no-script delay keeps their page's token
    if too_many := _too_many_writes(request, "report"):
        form.is_valid()  # what was typed is shown again, with the reason
        form.add_error(None, too_many)
        status = 429
    elif form.is_valid():
        try:
            form.redeem(purpose="report")
            report, receipt = services.report_submit(
                pemda=pemda,
                type=form.cleaned_data["type"],
                content=form.content(),
                identity=form.identity(),
                names_inspectorate=form.cleaned_data["route"] in ("atas", "nasional"),
                to_national=form.cleaned_data["route"] == "nasional",
                uploads=uploads_of(form.cleaned_data["attachments"]),
            )
        except proof_of_work.ChallengeFailed as failed:
            form.add_error(None, _challenge_refused(failed))
            keep_token = isinstance(failed, proof_of_work.MustWait)
        except DomainError as refused:
            form.add_error(None, refused)
        else:
            # Shown once, in this response only: the code is stored nowhere but as a hash.
            grouped = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
            return render(
                request,
                "wbs/receipt.html",
                {
                    "receipt": grouped,
                    "report": report,
                    "pemda": pemda,
                    "next_step": selectors.next_step(report=report, today=timezone.localdate()),
                },
            )
    # A failed attempt gets a new challenge; what the person wrote stays in the form.
    if again := choose_again(request):
        form.add_error(None, again)
    _next_challenge(form, request, fresh["pow_token"], keep_token=keep_token)
    return render(request, "wbs/report_form.html", _report_form_context(form, pemda), status=status)


def _must_wait(seconds: int) -> str:
    return ngettext(
        "Tanpa JavaScript, laporan dapat dikirim paling cepat %(minutes)d menit setelah formulir "
        "dibuka. Tunggu sebentar lagi (sekitar %(seconds)d detik), lalu tekan Kirim lagi; isi dan "
        "pilihan Anda tetap ada.",
        "Tanpa JavaScript, laporan dapat dikirim paling cepat %(minutes)d menit setelah formulir "
        "dibuka. Tunggu sebentar lagi (sekitar %(seconds)d detik), lalu tekan Kirim lagi; isi dan "
        "pilihan Anda tetap ada.",
        settings.WBS_NO_SCRIPT_WAIT_SECONDS // 60,
    ) % {"minutes": max(1, settings.WBS_NO_SCRIPT_WAIT_SECONDS // 60), "seconds": seconds}


def _challenge_refused(failed: proof_of_work.ChallengeFailed) -> str:
    if isinstance(failed, proof_of_work.MustWait):
        return _must_wait(failed.seconds)
    return _pow_refused()


def _next_challenge(form: Any, request: HttpRequest, token: str, *, keep_token: bool) -> None:
    """A refused form comes back as typed with a new challenge, or with its own while a reporter
    without JavaScript waits it out (a new one would start the wait again)."""
    data = request.POST.copy()
    if not keep_token:
        data["pow_token"] = token  # replaces the spent one (update() would append)
    data["pow_solution"] = ""
    form.data = data


def _pow_refused() -> str:
    return _(
        "Pemeriksaan anti-spam belum selesai atau sudah dipakai. Tunggu sampai tombol siap, "
        "lalu kirim lagi. Isi laporan Anda tetap ada di formulir."
    )


def _client(request: HttpRequest) -> str:
    """The client's address, as far as the server can tell; an IPv6 address by its /64 network,
    which one household or telephone is given whole."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if settings.WBS_CLIENT_ADDRESS_FORWARDED:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.rsplit(",", 1)[-1].strip() or address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _hour_key(request: HttpRequest, kind: str) -> tuple[str, int]:
    """The cache key of this client's count of `kind` in this clock hour, and the seconds left.

    The count lives in the cache under a keyed hash of the address, the hour and the kind, and
    expires with the hour: no address is stored or logged, and one hour's hashes cannot be linked
    to another's (docs/subsystems/wbs-privacy.md)."""
    now = time.time()
    hour = int(now // WRITES_WINDOW)
    left = WRITES_WINDOW - int(now) % WRITES_WINDOW
    mark = f"{hour}|{kind}|{_client(request)}"
    return "wbs-writes:" + salted_hmac(WRITES_SALT, mark, algorithm="sha256").hexdigest(), left


def _count(request: HttpRequest, kind: str) -> tuple[int, int]:
    """Adds one to this client's count of `kind` this hour: the new count and the seconds left."""
    key, left = _hour_key(request, kind)
    cache.add(key, 0, timeout=left)
    try:
        return cache.incr(key), left
    except ValueError:  # dropped from the cache between the two calls
        cache.set(key, 1, timeout=left)
        return 1, left


def _wrong_receipts_wait(request: HttpRequest) -> str:
    """After WBS_RECEIPT_FAILURES_PER_HOUR wrong codes from one client in an hour, that client
    waits for the next hour; the next honest reporter elsewhere is not slowed at all."""
    key, left = _hour_key(request, "receipt-wrong")
    if int(cache.get(key, 0)) < settings.WBS_RECEIPT_FAILURES_PER_HOUR:
        return ""
    minutes = math.ceil(left / 60)
    return ngettext(
        "Terlalu banyak kode yang salah dari jaringan Anda. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak kode yang salah dari jaringan Anda. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


def _wrong_receipt(request: HttpRequest) -> None:
    _count(request, "receipt-wrong")


def _too_many_writes(request: HttpRequest, kind: str) -> str:
    """Counts one anonymous write of this kind ("report", "message", "receipt") from this client
    and gives the refusal once it makes more than WBS_WRITES_PER_HOUR in this clock hour."""
    count, left = _count(request, kind)
    if count <= settings.WBS_WRITES_PER_HOUR:
        return ""
    minutes = math.ceil(left / 60)
    return ngettext(
        "Terlalu banyak kiriman dari jaringan Anda dalam jam ini. Coba lagi dalam %(minutes)d "
        "menit.",
        "Terlalu banyak kiriman dari jaringan Anda dalam jam ini. Coba lagi dalam %(minutes)d "
        "menit.",
        minutes,
    ) % {"minutes": minutes}


def _follow_key() -> bytes:
    # A key of its own, derived from the installation's secret: the cookie is opaque to anyone
    # who reads it off the device.
    return salted_hmac(FOLLOW_SALT, "cookie-key", algorithm="sha256").digest()


def followed_report(request: HttpRequest) -> tuple[Report, bytes] | None:
    """The report the device follows and the reporter's key to it: the cookie, sealed, holds
    the report, the report's follow epoch, the key derived from the receipt (which the server
    never stores) and when it was made; it stops opening the report after FOLLOW_MINUTES idle,
    or once the reporter closed it on a device (the epoch moved on)."""
    raw = request.COOKIES.get(FOLLOW_COOKIE, "")
    try:
        opened = json.loads(crypto.unseal(_follow_key(), base64.urlsafe_b64decode(raw)))
        report_id, epoch, made = int(opened["r"]), int(opened["e"]), int(opened["t"])
        reporter_key = base64.b64decode(opened["k"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error, CryptoError):
        return None
    if time.time() - made > FOLLOW_MINUTES * 60:
        return None
    report = Report.objects.filter(pk=report_id, follow_epoch=epoch).first()
    return (report, reporter_key) if report is not None else None


def _with_follow_cookie(
    response: HttpResponse, report: Report, reporter_key: bytes
) -> HttpResponse:
    """A session cookie (gone when the browser closes), refreshed on each page it opens."""
    sealed = crypto.seal(
        _follow_key(),
        json.dumps(
            {
                "r": report.pk,
                "e": report.follow_epoch,
                "k": base64.b64encode(reporter_key).decode(),
                "t": int(time.time()),
            }
        ).encode(),
    )
    response.set_cookie(
        FOLLOW_COOKIE,
        base64.urlsafe_b64encode(sealed).decode(),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/lapor/",
    )
    return response


@require_http_methods(["GET", "POST"])
@reporter_page
def follow_sign_in(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        posted = FollowForm(request.POST)
        if too_many := _too_many_writes(request, "receipt") or _wrong_receipts_wait(request):
            errors, status = [too_many], 429
        elif not posted.is_valid():
            errors = [str(e) for e in posted.errors.get("receipt", [])] or [_pow_refused()]
        else:
            try:
                report, reporter_key = services.receipt_open(
                    receipt=posted.cleaned_data["receipt"],
                    token=posted.cleaned_data["pow_token"],
                    solution=posted.cleaned_data["pow_solution"],
                )
            except DomainError as refused:
                errors = refused.messages
                if refused.code == "unknown_receipt":
                    _wrong_receipt(request)
            else:
                return _with_follow_cookie(redirect("wbs_public:follow"), report, reporter_key)
    # A fresh challenge; the code typed is never echoed back.
    bits = settings.WBS_POW_BITS
    form = FollowForm(
        initial={"pow_token": proof_of_work.issue(purpose="receipt", bits=bits).token}
    )
    return render(
        request,
        "wbs/follow_sign_in.html",
        {"form": form, "pow_bits": bits, "errors": errors},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@reporter_page
def follow(request: HttpRequest) -> HttpResponse:
    followed = followed_report(request)
    if followed is None:
        return redirect("wbs_public:follow_sign_in")
    report, reporter_key = followed
    fresh = {"pow_token": proof_of_work.issue(purpose="message").token}
    form = ReporterMessageForm(initial=fresh)
    status = 200
    if request.method == "POST":
        form = ReporterMessageForm(request.POST, request.FILES)
        status = 400
        keep_token = False
        if too_many := _too_many_writes(request, "message"):
            form.is_valid()  # what was typed is shown again, with the reason
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            try:
                form.redeem(purpose="message")
                services.reporter_message_add(
                    report=report,
                    reporter_key=reporter_key,
                    body=form.cleaned_data["body"],
                    uploads=uploads_of(form.cleaned_data["attachments"]),
                )
            except proof_of_work.ChallengeFailed as failed:
                form.add_error(None, _challenge_refused(failed))
                keep_token = isinstance(failed, proof_of_work.MustWait)
            except DomainError as refused:
                form.add_error(None, refused)
            else:
                return _with_follow_cookie(redirect("wbs_public:follow"), report, reporter_key)
        if again := choose_again(request):
            form.add_error(None, again)
        _next_challenge(form, request, fresh["pow_token"], keep_token=keep_token)
    key = services.reporter_report_key(report=report, reporter_key=reporter_key)
    view = selectors.report_view(report=report, key=key, for_handler=False)
    context = {
        "view": view,
        "report": report,
        "form": form,
        "next_step": selectors.next_step(report=report, today=timezone.localdate()),
        "identity_opened": selectors.identity_opened_on(report=report),
        "explained": selectors.STATE_EXPLAINED[ReportState(report.state)]
        % {"days": settings.WBS_VERIFY_DAYS},
        "max_mb": settings.WBS_ATTACHMENT_MAX_MB,
        "max_files": settings.WBS_ATTACHMENTS_PER_MESSAGE,
        "pow_bits": settings.WBS_POW_BITS,
        "no_script_minutes": max(1, settings.WBS_NO_SCRIPT_WAIT_SECONDS // 60),
    }
    page = render(request, "wbs/follow.html", context, status=status)
    return _with_follow_cookie(page, report, reporter_key)


@require_POST
@reporter_page
def follow_sign_out(request: HttpRequest) -> HttpResponse:
    followed = followed_report(request)
    if followed is not None:
        services.report_follow_revoke(report=followed[0])  # every device's cookie stops opening it
    response = redirect("wbs_public:start")
    response.delete_cookie(FOLLOW_COOKIE, path="/lapor/")
    return response


@require_GET
def statistics(request: HttpRequest, code: str | None = None) -> HttpResponse:
    pemda = get_object_or_404(Pemda, code=code) if code else None
    stats = selectors.public_statistics(pemda=pemda)
    return render(request, "wbs/statistics.html", {"stats": stats, "pemda": pemda})
