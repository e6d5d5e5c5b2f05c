from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.audit import services as audit
from cegah.core.errors import DomainError, StaleEdit
from cegah.regions.models import Opd, Pemda

from .institutions import institutions
from .models import Role, RoleAssignment, User, VerifierAssignment
from .selectors import (
    HANDLER_ROLES,
    can_administer,
    forget_roles,
    invitable_roles,
    is_national_coordinator,
    role_assignment_to_revoke,
    verifier_assignment_to_remove,
)


def _set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return str(settings.SITE_URL).rstrip("/") + path


def _send_invitation(*, user: User, assignment: RoleAssignment, invited_by: User | None) -> None:
    context = {
        "user": user,
        "assignment": assignment,
        "invited_by": invited_by,
        # Someone who already has a password signs in as usual; a new account sets one first.
        "link": _set_password_link(user) if not user.has_usable_password() else settings.SITE_URL,
    }
    with translation.override(user.language):  # the invitee's, not the inviter's
        send_mail(
            subject=_("Undangan ke Cegah: %(role)s") % {"role": str(assignment)},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def user_invite(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: Role,
    pemda: Pemda | None = None,
    opd: Opd | None = None,
    institution: str = "",
) -> RoleAssignment:
    """Give a role to a person, creating their account if needed, and email them the link.
    A verifier is given with their institution (KPK, BPKP, …), which every decision shows.

    One person may hold several roles, also in different Pemda: an existing account (matched by
    email, ignoring case) receives the new role.
    """
    if opd is not None:
        pemda = opd.pemda
    if role not in invitable_roles(user=actor, pemda=pemda):
        raise Http404  # never confirm that a Pemda the actor cannot manage exists
    if role == Role.OPERATOR and opd is None:
        raise DomainError(_("Operator harus ditugaskan ke satu OPD."), code="opd_required")
    if role != Role.OPERATOR:
        opd = None
    if role == Role.VERIFIKATOR:
        _ensure_institution(institution)
    else:
        institution = ""
    if opd is not None and not opd.is_active:
        raise DomainError(_("OPD ini sudah tidak aktif."), code="opd_inactive")
    if (
        pemda is not None
        and VerifierAssignment.objects.filter(
            verifier__email__iexact=email.strip(), pemda=pemda
        ).exists()
    ):
        # Separation of duties: the Pemda's verifier does not also answer or submit its report.
        raise DomainError(
            _(
                "%(email)s adalah verifikator %(pemda)s; seorang verifikator tidak memegang peran "
                "di Pemda yang ia verifikasi."
            )
            % {"email": email.strip(), "pemda": pemda},
            code="verifier_of_pemda",
        )

    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.pk == actor.pk:
        # Nobody grants themselves access (separation of duties).
        raise DomainError(
            _("Anda tidak dapat memberi peran kepada diri sendiri."), code="self_grant"
        )
    created = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user,
                role=role,
                pemda=pemda,
                opd=opd,
                granted_by=actor,
                institution=institution,
            )
    except IntegrityError:
        raise DomainError(
            _("%(email)s sudah memegang peran ini.") % {"email": email}, code="duplicate_role"
        ) from None
    forget_roles(user=user)
    audit.record(
        actor=actor,
        action="accounts.role.grant",
        obj=assignment,
        data={
            "email": email,
            "role": role,
            "pemda": pemda.code if pemda else None,
            "opd": opd.name if opd else None,
            "institution": institution,
            "account_created": created,
        },
    )
    transaction.on_commit(
        lambda: _send_invitation(user=user, assignment=assignment, invited_by=actor)
    )
    if role in HANDLER_ROLES and pemda is not None:
        _tell_handlers(pemda=pemda, changed=assignment, actor=actor, granted=True)
    return assignment


def _tell_handlers(*, pemda: Pemda, changed: RoleAssignment, actor: User, granted: bool) -> None:
    """The Pemda's other handlers learn at once who was given, or lost, access to its reports:
    a grant made behind their back is the attack this guards against."""
    others = list(
        User.objects.filter(is_active=True, roles__pemda=pemda, roles__role__in=HANDLER_ROLES)
        .exclude(pk=changed.user_id)
        .distinct()
    )
    person, role = changed.user, changed.get_role_display()

    def send() -> None:
        for handler in others:
            with translation.override(handler.language):
                subject = (
                    _("Peran %(role)s %(pemda)s diberikan kepada %(name)s")
                    if granted
                    else _("Peran %(role)s %(pemda)s dicabut dari %(name)s")
                ) % {"role": role, "pemda": pemda, "name": person.full_name}
                body = _(
                    "%(subject)s (%(email)s), oleh %(actor)s. Peran ini membuka laporan WBS "
                    "tentang %(pemda)s. Bila ini tidak semestinya, hubungi Koordinator KPK."
                ) % {
                    "subject": subject,
                    "email": person.email,
                    "actor": actor.full_name or actor.email,
                    "pemda": pemda,
                }
                send_mail(subject, body, None, [handler.email])

    transaction.on_commit(send)


@transaction.atomic
def superadmin_first_create(*, email: str, full_name: str) -> tuple[User, str]:
    """The first Superadmin of a new installation, made on the server by whoever runs it
    (`manage.py superadmin_create`); later ones are invited in the app. Returns the account and
    the link where its owner sets a password; two-step sign-in is set up at the first sign-in."""
    if RoleAssignment.objects.filter(role=Role.SUPERADMIN, user__is_active=True).exists():
        raise DomainError(
            _("Sudah ada Superadmin. Superadmin berikutnya diundang dari aplikasi."),
            code="superadmin_exists",
        )
    email = User.objects.normalize_email(email).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Alamat email tidak valid."), code="email_invalid") from None
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("Alamat email ini sudah dipakai."), code="email_taken")
    user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    assignment = RoleAssignment.objects.create(user=user, role=Role.SUPERADMIN)
    audit.record(
        actor=None, action="accounts.superadmin.first", obj=assignment, data={"email": email}
    )
    return user, _set_password_link(user)


@transaction.atomic
def role_revoke(
    *, actor: User, assignment_id: int, successor_email: str = "", successor_name: str = ""
) -> None:
    """Takes a role back. The last handler of a Pemda's whistle-blowing reports goes only when
    the next is named (invited here, in the same step): reports are never left unread."""
    assignment = role_assignment_to_revoke(user=actor, pk=assignment_id, for_update=True)
    if assignment.user_id == actor.pk:
        raise DomainError(_("Anda tidak dapat mencabut peran Anda sendiri."), code="self_revoke")
    pemda = assignment.pemda
    if assignment.role in HANDLER_ROLES and pemda is not None:
        remaining = (
            RoleAssignment.objects.filter(pemda=pemda, role__in=HANDLER_ROLES, user__is_active=True)
            .exclude(pk=assignment.pk)
            .exists()
        )
        if not remaining:
            if not successor_email.strip():
                raise DomainError(
                    _(
                        "%(name)s adalah Inspektorat terakhir yang menangani laporan WBS %(pemda)s. "
                        "Sebutkan penggantinya lebih dulu."
                    )
                    % {"name": assignment.user.full_name, "pemda": pemda},
                    code="last_handler",
                )
            user_invite(
                actor=actor,
                email=successor_email,
                full_name=successor_name or successor_email,
                role=Role(assignment.role),
                pemda=pemda,
            )
        _tell_handlers(pemda=pemda, changed=assignment, actor=actor, granted=False)
    summary = {
        "email": assignment.user.email,
        "role": assignment.role,
        "pemda": assignment.pemda.code if assignment.pemda else None,
        "opd": assignment.opd.name if assignment.opd else None,
    }
    if assignment.role == Role.VERIFIKATOR:
        VerifierAssignment.objects.filter(verifier=assignment.user).delete()
    audit.record(actor=actor, action="accounts.role.revoke", obj=assignment, data=summary)
    assignment.delete()
    forget_roles(user=assignment.user)


def _ensure_institution(code: str) -> None:
    if code not in {i.code for i in institutions()}:
        raise DomainError(
            _("Pilih instansi verifikator (%(names)s).")
            % {"names": ", ".join(i.name for i in institutions())},
            code="institution",
        )


@transaction.atomic
def verifier_institution_set(*, actor: User, verifier: User, institution: str) -> RoleAssignment:
    """The Koordinator records which institution a verifier works for."""
    if not is_national_coordinator(user=actor):
        raise Http404
    _ensure_institution(institution)
    assignment = (
        RoleAssignment.objects.select_for_update()
        .filter(user=verifier, role=Role.VERIFIKATOR)
        .first()
    )
    if assignment is None:
        raise DomainError(_("Pengguna ini bukan verifikator."), code="not_verifier")
    if assignment.institution == institution:
        return assignment
    before = assignment.institution
    assignment.institution = institution
    assignment.save(update_fields=["institution"])
    forget_roles(user=verifier)
    audit.record(
        actor=actor,
        action="accounts.verifier.institution",
        obj=assignment,
        data={"verifier": verifier.email, "before": before, "after": institution},
    )
    return assignment


@transaction.atomic
def verifier_assign(*, actor: User, verifier: User, pemda: Pemda) -> VerifierAssignment:
    if not is_national_coordinator(user=actor):
        raise Http404
    if not RoleAssignment.objects.filter(user=verifier, role=Role.VERIFIKATOR).exists():
        raise DomainError(_("Pengguna ini bukan verifikator."), code="not_verifier")
    held = RoleAssignment.objects.filter(user=verifier, pemda=pemda).first()
    if held is not None:
        # Separation of duties: nobody verifies a Pemda whose report they help to write.
        raise DomainError(
            _(
                "%(name)s memegang peran %(role)s di %(pemda)s, jadi tidak dapat memverifikasi "
                "Pemda itu."
            )
            % {"name": verifier, "role": held.get_role_display(), "pemda": pemda},
            code="verifier_holds_role",
        )
    assignment, created = VerifierAssignment.objects.get_or_create(
        verifier=verifier, pemda=pemda, defaults={"assigned_by": actor}
    )
    if not created:
        raise DomainError(
            _("%(name)s sudah ditugaskan ke %(pemda)s.") % {"name": verifier, "pemda": pemda},
            code="duplicate_assignment",
        )
    audit.record(
        actor=actor,
        action="accounts.verifier.assign",
        obj=assignment,
        data={"verifier": verifier.email, "pemda": pemda.code},
    )
    return assignment


@transaction.atomic
def verifier_unassign(*, actor: User, assignment_id: int) -> None:
    assignment = verifier_assignment_to_remove(user=actor, pk=assignment_id, for_update=True)
    audit.record(
        actor=actor,
        action="accounts.verifier.unassign",
        obj=assignment,
        data={"verifier": assignment.verifier.email, "pemda": assignment.pemda.code},
    )
    assignment.delete()


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator enrolment, created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Aplikasi autentikator"), confirmed=False
        )
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device_id: int, token: str) -> TOTPDevice:
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device_id, user=user, confirmed=False)
        .first()
    )
    if device is None:
        raise Http404
    if not device.verify_token(token.strip()):
        raise DomainError(
            _("Kode tidak cocok. Periksa jam ponsel Anda dan coba lagi."), code="bad_token"
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit.record(actor=user, action="accounts.totp.enrol", obj=user)
    return device


def second_step_record(*, user: User, passed: bool) -> None:
    """The second step of a sign-in, passed or failed, in the audit chain."""
    action = "accounts.sign_in.second_step" if passed else "accounts.sign_in.second_step_failed"
    audit.record(actor=user, action=action, data={"email": user.email})


def totp_current_token(*, device: TOTPDevice) -> str:
    """The code an authenticator app would show now (demo accounts and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def user_language_set(*, user: User, language: str) -> None:
    """Remembers the language a person chose with the switch: what Cegah writes to them later
    (notifications, their emails) is written in it."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Bahasa tidak dikenal."))
    User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    user.language = language


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=user, action="accounts.password.set", obj=user)


def _duplicate_name(name: str) -> DomainError:
    return DomainError(
        _("OPD bernama “%(name)s” sudah ada di Pemda ini.") % {"name": name}, code="duplicate"
    )


@transaction.atomic
def opd_create(*, actor: User, pemda: Pemda, name: str, short_name: str = "") -> Opd:
    if not can_administer(user=actor, pemda=pemda):
        raise Http404
    name = " ".join(name.split())
    try:
        with transaction.atomic():
            opd = Opd.objects.create(pemda=pemda, name=name, short_name=short_name.strip())
    except IntegrityError:
        raise _duplicate_name(name) from None
    audit.record(
        actor=actor,
        action="regions.opd.create",
        obj=opd,
        data={"pemda": pemda.code, "name": name, "short_name": opd.short_name},
    )
    return opd


@transaction.atomic
def opd_update(
    *,
    actor: User,
    opd_id: int,
    pemda: Pemda,
    name: str,
    short_name: str,
    is_active: bool,
    loaded_at: datetime,
) -> Opd:
    """Rename or (de)activate an OPD. `loaded_at` is the version the editor saw: an edit made
    on a stale form is refused instead of silently overwriting someone else's change."""
    if not can_administer(user=actor, pemda=pemda):
        raise Http404
    opd = Opd.objects.select_for_update().filter(pk=opd_id, pemda=pemda).first()
    if opd is None:
        raise Http404
    if opd.updated_at != loaded_at:
        raise StaleEdit(
            _("OPD ini telah diubah orang lain sejak formulir dibuka. Muat ulang halaman."),
            code="stale",
        )
    before = {"name": opd.name, "short_name": opd.short_name, "is_active": opd.is_active}
    opd.name, opd.short_name, opd.is_active = " ".join(name.split()), short_name.strip(), is_active
    try:
        with transaction.atomic():
            opd.save(update_fields=["name", "short_name", "is_active", "updated_at"])
    except IntegrityError:
        raise _duplicate_name(opd.name) from None
    after = {"name": opd.name, "short_name": opd.short_name, "is_active": opd.is_active}
    audit.record(
        actor=actor, action="regions.opd.update", obj=opd, data={"before": before, "after": after}
    )
    return opd
