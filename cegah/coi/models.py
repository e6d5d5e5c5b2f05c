"""Conflict-of-interest declarations (benturan kepentingan) and the superior's decision, the
positions at risk with their yearly statements, and the Inspektorat's oversight
(docs/domain/conflict-of-interest.md). The lists and the decision's days are data (ListVersion)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.accounts.models import Employee
from cegah.core.data_versions import DataVersion
from cegah.regions.models import Opd, Pemda
from cegah.uploads.models import StoredFile


class ListVersion(DataVersion):
    """The sources of conflict, the kinds of matter and the superior's days, loaded from
    `data/coi/daftar-<N>.yaml`; the newest applies to new declarations."""

    regulation = models.CharField(max_length=100)

    class Meta(DataVersion.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.regulation} (v{self.version})"


class ConflictType(models.TextChoices):
    ACTUAL = "aktual", _("Aktual")
    POTENTIAL = "potensial", _("Potensial")
    PERCEIVED = "dipersepsikan", _("Dipersepsikan")


class Handling(models.TextChoices):
    RECUSAL = "mundur", _("Tidak ikut mengambil keputusan (mundur)")
    DELEGATED = "dialihkan", _("Keputusan dialihkan ke pejabat lain")
    REASSIGNED = "dipindahtugaskan", _("Dipindahtugaskan")
    OVERSIGHT = "diawasi", _("Tetap bertugas dengan pengawasan Inspektorat")
    NONE = "tidak_ada", _("Tidak ada benturan kepentingan")


class Declaration(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "menunggu", _("Menunggu keputusan atasan")
        DECIDED = "diputuskan", _("Diputuskan")
        OVERSIGHT = "diawasi", _("Dalam pengawasan Inspektorat")
        CLOSED = "selesai", _("Pengawasan selesai")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="coi_declarations")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="coi_declarations"
    )
    # The declarant as they were that day.
    declarant_name = models.CharField(_("nama"), max_length=150)
    declarant_nip = models.CharField(_("NIP"), max_length=18)
    declarant_position = models.CharField(_("jabatan"), max_length=200, blank=True)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")
    # Who decides: the superior in the staff list that day (none: the Inspektorat decides).
    superior = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Recorded by the superior or the Inspektorat: a conflict nobody declared.
    undeclared = models.BooleanField(_("tidak dinyatakan sendiri"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lists = models.ForeignKey(ListVersion, on_delete=models.PROTECT, related_name="+")
    matter_kind = models.CharField(_("jenis urusan"), max_length=30)
    matter = models.CharField(_("urusan yang terdampak"), max_length=300)
    conflict_type = models.CharField(
        _("jenis benturan"), max_length=15, choices=ConflictType.choices
    )
    source = models.CharField(_("sumber benturan"), max_length=30)
    parties = models.TextField(_("pihak yang terkait"))
    since = models.DateField(_("sejak"))
    description = models.TextField(_("uraian"))
    declared_on = models.DateField(_("tanggal"))
    decision_due = models.DateField(_("batas keputusan"))
    escalated_on = models.DateField(null=True, blank=True)

    handling = models.CharField(
        _("penanganan"), max_length=20, choices=Handling.choices, blank=True
    )
    reason = models.TextField(_("alasan"), blank=True)
    delegate = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coi_delegated",
        verbose_name=_("pejabat pengganti"),
    )
    conditions = models.TextField(_("syarat pengawasan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("pernyataan benturan kepentingan")
        verbose_name_plural = _("pernyataan benturan kepentingan")
        indexes = [
            models.Index(fields=["pemda", "state"], name="coi_declaration_pemda_state"),
            # The public pages' marker reads the latest decision (cegah/public/profile.py).
            models.Index(fields=["decided_on"], name="coi_declaration_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="menunggu") | (~Q(handling="") & ~Q(reason="")),
                name="coi_decided_has_handling_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(handling="dialihkan") | Q(delegate__isnull=False),
                name="coi_delegated_names_official",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DeclarationDocument(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="documents")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DeclarationNote(models.Model):
    """The appointed officer's advice to the superior, or the Inspektorat's follow-up of the
    conditions under oversight."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("catatan"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class DeclarationStateChange(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="history")
    source = models.CharField(max_length=12)
    target = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class RiskPosition(models.Model):
    """A position at risk of conflicts in a year (a procurement committee, licensing, the
    treasury), kept by the Inspektorat; its holders give a yearly statement."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="coi_positions")
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("jabatan atau tugas"), max_length=200)
    holders = models.ManyToManyField(Employee, related_name="coi_positions", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_on = models.DateField(_("pernyataan diminta"), null=True, blank=True)

    class Meta:
        ordering = ["year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "year", "title"], name="coi_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class YearlyStatement(models.Model):
    """A holder's statement for the year: no conflict, or the declarations they made."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="coi_statements")
    no_conflict = models.BooleanField(_("tidak ada benturan kepentingan"))
    note = models.TextField(_("catatan"), blank=True)
    submitted_on = models.DateField(_("tanggal"))

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="coi_statement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"
