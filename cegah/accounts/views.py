from __future__ import annotations

import hashlib
from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.core.confirm import confirmed
from cegah.core.errors import AlreadyDone, DomainError
from cegah.regions.models import Pemda

from . import selectors, services, signals
from .forms import (
    InviteForm,
    LoginForm,
    OpdEditForm,
    OpdForm,
    TokenForm,
    VerifierAssignForm,
    VerifierInstitutionForm,
)
from .institutions import institution_choices
from .models import Role, User
from .tokens import invitation_or_reset_tokens, reset_tokens

# A choice made on the sign-in page, kept in that visitor's own session until they sign in: not
# taken from the browser's cookie, which outlives a sign-out on a shared office computer.
CHOSEN_BEFORE_SIGN_IN = "chosen_language"


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers a person's choice for what is written to
    them later (notifications and emails): at once if signed in, or when they sign in if made
    on the sign-in page. Other visitors (the public, anonymous reporters) get no session."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")  # as Django's switch, only a POST changes it
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.user_language_set(user=_user(request), language=language)
        elif request.POST.get("next", "").startswith(reverse("accounts:login")):
            request.session[CHOSEN_BEFORE_SIGN_IN] = language
    return response


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home:home")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)  # a new session key, the same session data
        user = form.get_user()
        password = form.cleaned_data["password"]
        signals.password_known.send(
            type(self), user=user, password=password, request=self.request, response=response
        )
        chosen = self.request.session.pop(CHOSEN_BEFORE_SIGN_IN, None)
        if chosen:  # on the sign-in page, say: this person reads it
            services.user_language_set(user=user, language=chosen)
        # A person's language follows them to a browser where none has been chosen yet.
        language = user.language
        chosen_here = settings.LANGUAGE_COOKIE_NAME in self.request.COOKIES
        if not chosen_here and language != settings.LANGUAGE_CODE:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        signals.signed_out.send(type(self), request=request, response=response)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    token_generator = reset_tokens  # an hour, not an invitation's three days

    def form_valid(self, form: Any) -> HttpResponse:
        # One reset email per address per PASSWORD_RESET_EMAIL_MINUTES: the page says the same
        # either way, so nobody learns whether an address exists or floods its mailbox.
        key = (
            "password-reset:"
            + hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        )
        if not cache.add(key, 1, timeout=settings.PASSWORD_RESET_EMAIL_MINUTES * 60):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also the landing page of an invitation: a new account sets its first password here."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    token_generator = invitation_or_reset_tokens

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        password = form.cleaned_data["new_password1"]
        services.user_set_password(user=form.user, password=password)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        response = HttpResponseRedirect(self.get_success_url())
        signals.password_set.send(
            type(self), user=form.user, password=password, request=self.request, response=response
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."))
        elif device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            # A new session key once fully signed in: one fixed before the second step is useless.
            request.session.cycle_key()
            services.second_step_record(user=user, passed=True)
            return HttpResponseRedirect(_safe_next(request))
        else:
            services.second_step_record(user=user, passed=False)
            form.add_error("token", _("Kode tidak cocok."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(
                user=user, device_id=device.pk, token=form.cleaned_data["token"]
            )
        except DomainError as exc:
            form.add_error("token", exc)
        else:
            otp_login(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return HttpResponseRedirect(_safe_next(request))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device)),  # noqa: S308 - generated by qrcode, no user input
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _safe_next(request),
        },
    )


# --- Admin Pemda: people and OPD of their own Pemda -------------------------------------------


def _administered_pemda(request: HttpRequest, code: str) -> Pemda:
    # 404 rather than 403: a Pemda the user does not manage is not confirmed to exist.
    return get_object_or_404(selectors.pemda_administered_by(user=_user(request)), code=code)


@login_required
def pemda_members(request: HttpRequest, code: str) -> HttpResponse:
    # Its admin, and whoever gives its handler roles (the Koordinator, its province's inspectorate).
    pemda = get_object_or_404(selectors.pemda_managed_by(user=_user(request)), code=code)
    roles = selectors.invitable_roles(user=_user(request), pemda=pemda)
    form = InviteForm(request.POST or None, roles=roles, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_invite(
                actor=_user(request),
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=Role(form.cleaned_data["role"]),
                pemda=pemda,
                opd=form.cleaned_data.get("opd"),
            )
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Undangan dikirim ke %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:pemda_members", code=pemda.code)
    return render(
        request,
        "accounts/pemda_members.html",
        {
            "pemda": pemda,
            "members": selectors.members_of(pemda=pemda),
            "form": form,
            "revocable": set(
                selectors.role_assignments_managed_by(user=_user(request))
                .filter(pemda=pemda)
                .values_list("pk", flat=True)
            ),
            "administers": selectors.can_administer(user=_user(request), pemda=pemda),
        },
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, naming the person and the role: a revoked person loses access at once."""
    user = _user(request)
    successor = {
        "successor_email": request.POST.get("successor_email", "")[:254],
        "successor_name": request.POST.get("successor_name", "")[:200],
    }
    try:
        if not confirmed(request):
            assignment = selectors.role_assignment_to_revoke(user=user, pk=pk)
            return render(
                request,
                "accounts/revoke_confirm.html",
                {
                    "assignment": assignment,
                    "last_handler": selectors.is_last_handler(assignment=assignment),
                    "next": _safe_next(request),
                },
            )
        services.role_revoke(actor=user, assignment_id=pk, **successor)
    except AlreadyDone as exc:
        messages.info(request, exc.message)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Peran dicabut."))
    return HttpResponseRedirect(_safe_next(request))


@login_required
def opd_list(request: HttpRequest, code: str) -> HttpResponse:
    pemda = _administered_pemda(request, code)
    form = OpdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opd = services.opd_create(actor=_user(request), pemda=pemda, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("OPD “%(name)s” ditambahkan.") % {"name": opd.name})
            if not request.headers.get("HX-Request"):
                return redirect("accounts:opd_list", code=pemda.code)
            form = OpdForm()
    template = (
        "accounts/_opd_section.html"
        if request.headers.get("HX-Request")
        else "accounts/opd_list.html"
    )
    return render(
        request,
        template,
        {
            "pemda": pemda,
            "opds": selectors.opds_of(pemda=pemda),
            "form": form,
        },
    )


@login_required
def opd_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    pemda = _administered_pemda(request, code)
    opd = get_object_or_404(selectors.opds_of(pemda=pemda), pk=pk)
    initial = {
        "name": opd.name,
        "short_name": opd.short_name,
        "is_active": opd.is_active,
        "version": opd.updated_at.isoformat(),
    }
    form = OpdEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opd_update(
                actor=_user(request),
                opd_id=opd.pk,
                pemda=pemda,
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"],
                is_active=form.cleaned_data["is_active"],
                loaded_at=form.cleaned_data["version"],
            )
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("accounts:opd_list", code=pemda.code)
    return render(request, "accounts/opd_edit.html", {"pemda": pemda, "opd": opd, "form": form})


# --- Koordinator: verifiers and national roles ----------------------------------------------


@login_required
def verifier_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.is_national_coordinator(user=user):
        raise Http404
    verifiers = selectors.verifiers_managed_by(user=user)
    assign_form = VerifierAssignForm(
        request.POST if "assign" in request.POST else None, verifiers=verifiers
    )
    invite_form = InviteForm(
        request.POST if "invite" in request.POST else None,
        roles=selectors.invitable_roles(user=user, pemda=None),
        pemda=None,
    )
    institution_form = VerifierInstitutionForm(
        request.POST if "institution_set" in request.POST else None, verifiers=verifiers
    )
    if request.method == "POST":
        try:
            if "institution_set" in request.POST:
                if not institution_form.is_valid():
                    raise DomainError(_("Pilih instansi dari daftar."))
                services.verifier_institution_set(actor=user, **institution_form.cleaned_data)
                messages.success(request, _("Instansi verifikator disimpan."))
                return redirect("accounts:verifier_list")
            if "assign" in request.POST and assign_form.is_valid():
                services.verifier_assign(actor=user, **assign_form.cleaned_data)
                messages.success(request, _("Verifikator ditugaskan."))
                return redirect("accounts:verifier_list")
            if "invite" in request.POST and invite_form.is_valid():
                services.user_invite(
                    actor=user,
                    email=invite_form.cleaned_data["email"],
                    full_name=invite_form.cleaned_data["full_name"],
                    role=Role(invite_form.cleaned_data["role"]),
                    institution=invite_form.cleaned_data.get("institution") or "",
                )
                messages.success(
                    request,
                    _("Undangan dikirim ke %(email)s.")
                    % {"email": invite_form.cleaned_data["email"]},
                )
                return redirect("accounts:verifier_list")
        except DomainError as exc:
            if "institution_set" in request.POST:
                messages.error(request, " ".join(exc.messages))
                return redirect("accounts:verifier_list")
            (assign_form if "assign" in request.POST else invite_form).add_error(None, exc)
    return render(
        request,
        "accounts/verifier_list.html",
        {
            "verifiers": verifiers,
            "institutions": institution_choices(),
            "assign_form": assign_form,
            "invite_form": invite_form,
        },
    )


@login_required
@require_POST
def verifier_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, naming the verifier and the Pemda, and saying when the Pemda is left with
    no verifier: its submitted items then wait until someone is assigned."""
    user = _user(request)
    try:
        if not confirmed(request):
            assignment = selectors.verifier_assignment_to_remove(user=user, pk=pk)
            return render(
                request,
                "accounts/unassign_confirm.html",
                {
                    "assignment": assignment,
                    "others": selectors.verifiers_also_assigned(assignment=assignment),
                },
            )
        services.verifier_unassign(actor=user, assignment_id=pk)
    except AlreadyDone as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("Penugasan dicabut."))
    return redirect("accounts:verifier_list")
