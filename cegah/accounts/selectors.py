"""Who may see and change what. Every view and API endpoint scopes its queries through here."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cegah.audit.models import AuditEntry
from cegah.core.errors import AlreadyDone
from cegah.regions.models import Opd, Pemda

from .models import Role, RoleAssignment, User, VerifierAssignment

_CACHE_ATTR = "_cegah_role_assignments"
M = TypeVar("M", bound=Model)


def role_assignments(*, user: User) -> list[RoleAssignment]:
    """The user's roles, loaded once per user object (that is, once per request)."""
    if not user.is_authenticated:
        return []
    cached: list[RoleAssignment] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            # An operator of a deactivated OPD holds nothing there any more.
            RoleAssignment.objects.filter(user=user)
            .exclude(opd__is_active=False)
            .select_related("pemda__province", "opd__pemda")
            .order_by("role", "pemda__code", "opd__name")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(*, user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(*, user: User, role: Role, pemda: Pemda | None = None) -> bool:
    return any(
        a.role == role and (pemda is None or a.pemda_id == pemda.pk)
        for a in role_assignments(user=user)
    )


def verifier_institution(*, user: User) -> str:
    """The institution a verifier decides for ("" for anyone else, or none recorded yet)."""
    return next(
        (a.institution for a in role_assignments(user=user) if a.role == Role.VERIFIKATOR), ""
    )


def is_superadmin(*, user: User) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        user.is_superuser or has_role(user=user, role=Role.SUPERADMIN)
    )


def is_national_coordinator(*, user: User) -> bool:
    return is_superadmin(user=user) or has_role(user=user, role=Role.KOORDINATOR)


# Roles that hold a person's own records (a civil servant's gratification reports and
# declarations) or one module's work (the UPG's): neither opens the Pemda's other pages.
NARROW_ROLES = (Role.PEGAWAI, Role.UPG, Role.PPKK)


def works_in(*, user: User, pemda: Pemda) -> bool:
    """A role in the Pemda or one of its OPD that opens its internal pages (not a narrow one)."""
    return any(
        a.pemda_id == pemda.pk and a.role not in NARROW_ROLES for a in role_assignments(user=user)
    )


def pemda_visible_to(*, user: User) -> QuerySet[Pemda]:
    """Pemda whose internal pages the user may open (public pages need no scoping)."""
    base = Pemda.objects.select_related("province")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if is_national_coordinator(user=user):
        return base.all()
    own = {
        a.pemda_id for a in role_assignments(user=user) if a.pemda_id and a.role not in NARROW_ROLES
    }
    return base.filter(Q(pk__in=own) | Q(verifier_assignments__verifier=user)).distinct()


def pemda_administered_by(*, user: User) -> QuerySet[Pemda]:
    """Pemda whose OPD and users the user manages (Admin Pemda; Superadmin everywhere)."""
    base = Pemda.objects.select_related("province")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if is_superadmin(user=user):
        return base.all()
    ids = [
        a.pemda_id
        for a in role_assignments(user=user)
        if a.role == Role.ADMIN_PEMDA and a.pemda_id is not None
    ]
    return base.filter(pk__in=ids)


def can_administer(*, user: User, pemda: Pemda) -> bool:
    return is_superadmin(user=user) or has_role(user=user, role=Role.ADMIN_PEMDA, pemda=pemda)


# Roles that open whistle-blowing reports about a Pemda (docs/subsystems/wbs-privacy.md).
HANDLER_ROLES = (Role.INSPEKTORAT,)


def grants_handler_roles(*, user: User, pemda: Pemda) -> bool:
    """A role that opens whistle-blowing reports is given by the Koordinator, or for a kabupaten
    or kota by its province's inspectorate; never by the Pemda's own admin, whom reports may be
    about."""
    if is_national_coordinator(user=user):
        return True
    return pemda.kind != Pemda.Kind.PROVINSI and any(
        a.role == Role.INSPEKTORAT
        and a.pemda is not None
        and a.pemda.kind == Pemda.Kind.PROVINSI
        and a.pemda.province_id == pemda.province_id
        for a in role_assignments(user=user)
    )


def pemda_with_handlers_granted_by(*, user: User) -> QuerySet[Pemda]:
    """Pemda whose handler roles the user gives and takes back."""
    base = Pemda.objects.select_related("province")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if is_national_coordinator(user=user):
        return base.all()
    provinces = [
        a.pemda.province_id
        for a in role_assignments(user=user)
        if a.role == Role.INSPEKTORAT
        and a.pemda is not None
        and a.pemda.kind == Pemda.Kind.PROVINSI
    ]
    return base.filter(province_id__in=provinces).exclude(kind=Pemda.Kind.PROVINSI)


def is_last_handler(*, assignment: RoleAssignment) -> bool:
    """The only active handler of its Pemda's whistle-blowing reports."""
    return (
        assignment.role in HANDLER_ROLES
        and assignment.pemda_id is not None
        and not RoleAssignment.objects.filter(
            pemda_id=assignment.pemda_id, role__in=HANDLER_ROLES, user__is_active=True
        )
        .exclude(pk=assignment.pk)
        .exists()
    )


def pemda_managed_by(*, user: User) -> QuerySet[Pemda]:
    """Pemda whose members page the user may open: to administer it, or to give its handlers."""
    administered = pemda_administered_by(user=user).values("pk")
    handlers = pemda_with_handlers_granted_by(user=user).values("pk")
    return Pemda.objects.select_related("province").filter(
        Q(pk__in=administered) | Q(pk__in=handlers)
    )


def invitable_roles(*, user: User, pemda: Pemda | None) -> list[Role]:
    """Roles the user may give: Pemda roles within a Pemda they administer (handler roles only
    as grants_handler_roles says), national roles if they coordinate nationally."""
    roles: list[Role] = []
    if pemda is not None:
        if can_administer(user=user, pemda=pemda):
            # The Admin Pemda appoints the Pemda's ZI assessment team (TPI), its gratification
            # control unit (UPG) and its conflict-of-interest officer too. Pegawai come in
            # through the staff import, not one by one.
            roles += [Role.OPERATOR, Role.ADMIN_PEMDA, Role.TPI, Role.UPG, Role.PPKK]
        if grants_handler_roles(user=user, pemda=pemda):
            roles += HANDLER_ROLES
        return roles
    if is_national_coordinator(user=user):
        roles += [Role.VERIFIKATOR, Role.KOORDINATOR, Role.TPN]
    if is_superadmin(user=user):
        roles.append(Role.SUPERADMIN)
    return roles


def opds_of(*, pemda: Pemda, active_only: bool = False) -> QuerySet[Opd]:
    qs = Opd.objects.filter(pemda=pemda).order_by("name")
    return qs.filter(is_active=True) if active_only else qs


def members_of(*, pemda: Pemda) -> QuerySet[User]:
    """People holding a role in the Pemda, each with only their roles there. The Pegawai role
    (every civil servant, thousands) is listed on the staff page instead."""
    in_pemda = (
        RoleAssignment.objects.filter(pemda=pemda)
        .exclude(role=Role.PEGAWAI)
        .select_related("opd")
        .order_by("role")
    )
    return (
        User.objects.filter(pk__in=in_pemda.values("user_id"))
        .prefetch_related(Prefetch("roles", queryset=in_pemda, to_attr="roles_here"))
        .order_by("full_name", "email")
    )


def role_assignments_managed_by(*, user: User) -> QuerySet[RoleAssignment]:
    """Role assignments the user may revoke: all of their Pemda's, and national ones they give."""
    qs = RoleAssignment.objects.select_related("user", "pemda", "opd")
    if is_superadmin(user=user):
        return qs.all()
    # A Pemda's admin manages its roles except those that open whistle-blowing reports.
    scope = Q(pemda__in=pemda_administered_by(user=user)) & ~Q(role__in=HANDLER_ROLES)
    scope |= Q(pemda__in=pemda_with_handlers_granted_by(user=user), role__in=HANDLER_ROLES)
    if is_national_coordinator(user=user):
        scope |= Q(role__in=[Role.VERIFIKATOR, Role.KOORDINATOR, Role.TPN])
    return qs.filter(scope)


def verifiers_managed_by(*, user: User) -> QuerySet[User]:
    if not is_national_coordinator(user=user):
        return User.objects.none()
    assignments = VerifierAssignment.objects.select_related("pemda").order_by("pemda__code")
    verifier_roles = RoleAssignment.objects.filter(role=Role.VERIFIKATOR)
    return (
        User.objects.filter(roles__role=Role.VERIFIKATOR, is_active=True)
        .distinct()
        .prefetch_related(
            Prefetch("verified_pemdas", queryset=assignments, to_attr="assignments"),
            Prefetch("roles", queryset=verifier_roles, to_attr="verifier_roles"),
        )
        .order_by("full_name")
    )


def verifier_assignments_managed_by(*, user: User) -> QuerySet[VerifierAssignment]:
    if not is_national_coordinator(user=user):
        return VerifierAssignment.objects.none()
    return VerifierAssignment.objects.select_related("verifier", "pemda")


def role_assignment_to_revoke(*, user: User, pk: int, for_update: bool = False) -> RoleAssignment:
    """The role assignment the user asks to revoke. One already revoked (a second click, or
    another admin since the list was shown) raises `AlreadyDone` saying by whom and when; an id
    the user could never have revoked is a 404, as any forged id."""
    assignment = _found(role_assignments_managed_by(user=user), pk=pk, for_update=for_update)
    if assignment is not None:
        return assignment
    entry = _removal(action="accounts.role.revoke", model=RoleAssignment, pk=pk)
    # The row is gone, so role_assignments_managed_by's scope is checked on what the audit kept.
    if entry is None or not (
        is_superadmin(user=user)
        or (
            entry.data.get("role") in HANDLER_ROLES
            and pemda_with_handlers_granted_by(user=user)
            .filter(code=entry.data.get("pemda") or "")
            .exists()
        )
        or (
            entry.data.get("role") not in HANDLER_ROLES
            and pemda_administered_by(user=user).filter(code=entry.data.get("pemda") or "").exists()
        )
        or (
            is_national_coordinator(user=user)
            and entry.data.get("role") in (Role.VERIFIKATOR, Role.KOORDINATOR)
        )
    ):
        raise Http404
    raise _already_removed(
        entry,
        user=user,
        by_you=_("Anda sudah mencabut peran ini pada %(time)s."),
        by_other=_("Peran ini sudah dicabut oleh %(actor)s pada %(time)s."),
    )


def verifier_assignment_to_remove(
    *, user: User, pk: int, for_update: bool = False
) -> VerifierAssignment:
    """The verifier assignment a koordinator asks to remove; as `role_assignment_to_revoke`."""
    assignment = _found(verifier_assignments_managed_by(user=user), pk=pk, for_update=for_update)
    if assignment is not None:
        return assignment
    entry = _removal(action="accounts.verifier.unassign", model=VerifierAssignment, pk=pk)
    if entry is None or not is_national_coordinator(user=user):
        raise Http404
    raise _already_removed(
        entry,
        user=user,
        by_you=_("Anda sudah mencabut penugasan ini pada %(time)s."),
        by_other=_("Penugasan ini sudah dicabut oleh %(actor)s pada %(time)s."),
    )


def _found(qs: QuerySet[M], *, pk: int, for_update: bool) -> M | None:
    if for_update:
        qs = qs.select_for_update(of=("self",))
    return qs.filter(pk=pk).first()


def _removal(*, action: str, model: type[Model], pk: int) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(
            action=action, object_type=model._meta.label_lower, object_id=str(pk)
        )
        .order_by("-seq")
        .first()
    )


def _already_removed(entry: AuditEntry, *, user: User, by_you: str, by_other: str) -> AlreadyDone:
    when = formats.date_format(timezone.localtime(entry.created_at), "DATETIME_FORMAT")
    if entry.actor_id == user.pk:
        return AlreadyDone(by_you % {"time": when}, code="already_removed")
    return AlreadyDone(
        by_other % {"actor": entry.actor_label, "time": when}, code="already_removed"
    )


def verifiers_also_assigned(*, assignment: VerifierAssignment) -> list[str]:
    """The names of the other verifiers of the assignment's Pemda: with none, the Pemda's
    submitted items wait unverified once it is removed."""
    return list(
        VerifierAssignment.objects.filter(pemda_id=assignment.pemda_id)
        .exclude(pk=assignment.pk)
        .order_by("verifier__full_name")
        .values_list("verifier__full_name", flat=True)
    )


def pemda_verified_by(*, user: User) -> QuerySet[Pemda]:
    """Pemda assigned to the verifier, except any where they hold a role (an assignment made
    before that rule, or a role given since: separation of duties holds either way)."""
    own = RoleAssignment.objects.filter(user=user, pemda__isnull=False).values("pemda")
    return (
        Pemda.objects.filter(verifier_assignments__verifier=user)
        .exclude(pk__in=own)
        .select_related("province")
    )
