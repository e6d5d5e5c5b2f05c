from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cegah.regions.models import Opd, Pemda


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # Email addresses are compared without regard to case.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin Django"), default=False)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)
    # The language last chosen with the switch: notifications and emails are written in it,
    # whoever's action sent them. Bahasa Indonesia until English is chosen.
    language = models.CharField(
        _("bahasa"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="user_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator OPD")
    ADMIN_PEMDA = "admin_pemda", _("Admin Pemda")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    VERIFIKATOR = "verifikator", _("Verifikator")
    KOORDINATOR = "koordinator", _("Koordinator Nasional")
    SUPERADMIN = "superadmin", _("Superadmin")
    # Zona Integritas: the Pemda's internal assessment team, and KemenPAN-RB's national team.
    TPI = "tpi", _("Tim Penilai Internal (TPI)")
    TPN = "tpn", _("Tim Penilai Nasional (TPN)")
    # Every civil servant (ASN) of a Pemda, loaded from the HR office's staff list: their own
    # gratification reports and conflict-of-interest declarations, nothing else.
    PEGAWAI = "pegawai", _("Pegawai")
    # The gratification control unit (Unit Pengendalian Gratifikasi), usually in the Inspektorat.
    UPG = "upg", _("Unit Pengendalian Gratifikasi (UPG)")
    # The appointed officer who assists superiors with conflicts of interest and keeps the
    # register with the Inspektorat (pejabat pengelola konflik kepentingan).
    PPKK = "ppkk", _("Pejabat Pengelola Konflik Kepentingan")


PEMDA_ROLES = [Role.ADMIN_PEMDA, Role.INSPEKTORAT, Role.TPI, Role.PEGAWAI, Role.UPG, Role.PPKK]
NATIONAL_ROLES = [Role.VERIFIKATOR, Role.KOORDINATOR, Role.SUPERADMIN, Role.TPN]


class RoleAssignment(models.Model):
    """One role a person holds: an OPD operator, a Pemda role, or a national role.

    A verifier's Pemda are kept in VerifierAssignment, managed by the Koordinator.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments"
    )
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments"
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A verifier's institution (data/accounts/institutions.yaml): KPK, BPKP, Kemendagri, …
    institution = models.CharField(_("instansi"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.OPERATOR, pemda__isnull=False, opd__isnull=False)
                    | Q(role__in=PEMDA_ROLES, pemda__isnull=False, opd__isnull=True)
                    | Q(role__in=NATIONAL_ROLES, pemda__isnull=True, opd__isnull=True)
                ),
                name="roleassignment_scope_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.VERIFIKATOR) | Q(institution=""),
                name="roleassignment_institution_of_verifiers",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(pemda__isnull=True),
                name="roleassignment_unique_national",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "pemda"],
                condition=Q(pemda__isnull=False, opd__isnull=True),
                name="roleassignment_unique_pemda",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "opd"],
                condition=Q(opd__isnull=False),
                name="roleassignment_unique_opd",
            ),
        ]

    def __str__(self) -> str:
        where = self.opd or self.pemda
        label = Role(self.role).label
        return f"{label} — {where}" if where else str(label)


class VerifierAssignment(models.Model):
    """A Pemda whose submissions a verifier reviews; set by the Koordinator."""

    verifier = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verified_pemdas")
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="verifier_assignments")
    assigned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan verifikator")
        verbose_name_plural = _("penugasan verifikator")
        constraints = [
            models.UniqueConstraint(fields=["verifier", "pemda"], name="verifier_pemda_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.verifier} → {self.pemda}"


class Employee(models.Model):
    """A civil servant (ASN) of a Pemda as the HR office's staff list names them.

    Loaded by the Admin Pemda's staff import; a re-import updates rows in place and marks those no
    longer listed as left (never deleted: their gratification reports and declarations stay).
    The superior relation is the line of declarations and decisions (conflict of interest).
    """

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="employee")
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="employees")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="employees")
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    full_name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    superior = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("atasan langsung"),
    )
    is_active = models.BooleanField(_("masih bekerja"), default=True)
    left_at = models.DateTimeField(_("tercatat keluar"), null=True, blank=True)
    # When the invitation email went out (staff import): nobody is invited twice by re-imports;
    # one whose sending failed stays empty and is tried again by the next import.
    invited_at = models.DateTimeField(_("diundang"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        constraints = [
            models.CheckConstraint(
                condition=Q(nip__regex=r"^[0-9]{18}$"), name="employee_nip_18_digits"
            ),
            models.CheckConstraint(
                condition=~Q(superior=models.F("pk")), name="employee_not_own_superior"
            ),
        ]
        indexes = [models.Index(fields=["pemda", "is_active"], name="employee_pemda_active")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"


class StaffImport(models.Model):
    """One check or load of a Pemda's staff list (cegah/accounts/staff.py): what it changed, in
    numbers, and how its invitations are going. The file itself is not kept (a list of personal
    data, in the HR office's hands already); its name and SHA-256 say which one it was."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="staff_imports")
    # None: the server's shell (manage.py staff_import) or the demo seeding; `via` says which.
    started_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(_("hanya diperiksa"))
    rows = models.PositiveIntegerField(_("baris"))
    created = models.PositiveIntegerField(_("baru"))
    updated = models.PositiveIntegerField(_("berubah"))
    unchanged = models.PositiveIntegerField(_("tetap"))
    returning = models.PositiveIntegerField(_("kembali bekerja"))
    leaving = models.PositiveIntegerField(_("keluar"))
    invitations_total = models.PositiveIntegerField(_("undangan"), default=0)
    invitations_sent = models.PositiveIntegerField(_("undangan terkirim"), default=0)
    invitations_failed = models.PositiveIntegerField(_("undangan gagal"), default=0)
    invitations_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor data pegawai")
        verbose_name_plural = _("impor data pegawai")
        constraints = [
            models.CheckConstraint(
                condition=Q(dry_run=False) | Q(invitations_total=0),
                name="staffimport_dry_run_invites_nobody",
            ),
        ]
        indexes = [models.Index(fields=["pemda", "-created_at"], name="staffimport_pemda_recent")]

    def __str__(self) -> str:
        return f"{self.pemda} {self.file_name} ({self.created_at:%Y-%m-%d})"

    @property
    def invitations_running(self) -> bool:
        return not self.dry_run and self.invitations_finished_at is None

    @property
    def invitations_done(self) -> int:
        return self.invitations_sent + self.invitations_failed
