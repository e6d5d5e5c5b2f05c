"""Zona Integritas: the LKE versions (instrument as data). Units, assessments and the national
stages build on them (docs/domain/zona-integritas.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cegah.core.i18n import NamedInTwoLanguages, in_reader_language
from cegah.regions.models import Opd, Pemda
from cegah.uploads.models import StoredFile


class LkeVersion(NamedInTwoLanguages, models.Model):
    """One version of the LKE, loaded from `data/zi/lke-<N>.yaml`; frozen once an assessment
    uses it (a correction is version N+1 with a reason)."""

    version = models.PositiveSmallIntegerField(_("versi"), unique=True)
    name_id = models.CharField(_("judul"), max_length=200)
    name_en = models.CharField(_("judul (Inggris)"), max_length=200)
    regulation = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    illustrative_id = models.TextField(_("teks ilustratif"), blank=True)
    illustrative_en = models.TextField(_("teks ilustratif (Inggris)"), blank=True)
    reason = models.TextField(_("alasan koreksi"), blank=True)
    # The validated file as plain data (cegah.zi.lke_file.Lke.structure): what scoring reads.
    structure = models.JSONField()
    source_name = models.CharField(_("berkas sumber"), max_length=200)
    source_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(_("dipakai penilaian sejak"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("versi LKE")
        verbose_name_plural = _("versi LKE")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="lke_version_positive"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="lke_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"LKE v{self.version}"

    @property
    def illustrative(self) -> str:
        return in_reader_language(self.illustrative_id, self.illustrative_en)


class Declaration(models.Model):
    """Pencanangan: the Pemda declares units for Zona Integritas, with its integrity pacts."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="zi_declarations")
    declared_on = models.DateField(_("tanggal pencanangan"))
    # The signed integrity pacts (pakta integritas), through the shared upload app.
    document = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    document_name = models.CharField(_("dokumen"), max_length=200)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("pencanangan ZI")
        verbose_name_plural = _("pencanangan ZI")

    def __str__(self) -> str:
        return f"{self.pemda} {self.declared_on}"


class Unit(models.Model):
    """A work unit building an integrity zone: an OPD, or a part of one (a puskesmas, a
    kecamatan office)."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="zi_units")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="zi_units")
    name = models.CharField(_("nama unit"), max_length=200)
    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="units", null=True, blank=True
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit ZI")
        verbose_name_plural = _("unit ZI")
        constraints = [
            models.UniqueConstraint(Lower("name"), "pemda", name="zi_unit_name_once_in_pemda"),
            models.CheckConstraint(condition=~Q(name=""), name="zi_unit_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A unit's LKE for a year: its own answers, then the TPI's review."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Diisi unit")
        SUBMITTED = "submitted", _("Dikirim ke TPI")
        REVIEWED = "reviewed", _("Dinilai TPI")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("tahun"))
    lke = models.ForeignKey(LkeVersion, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="zi_assessment_once_a_year"),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "reviewed"]),
                name="zi_assessment_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class Answer(models.Model):
    """One LKE question (or Hasil item) of an assessment: the unit's answer and note, and the
    TPI's own value and note. Values are kept as people give them ("Ya", "B", "80", "3,60")
    and converted by the LKE's data when scored."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Dikirim")
        RETURNED = "returned", _("Dikembalikan TPI")
        REVIEWED = "reviewed", _("Dinilai TPI")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(_("kode"), max_length=30)
    value = models.CharField(_("jawaban unit"), max_length=30, blank=True)
    note = models.TextField(_("catatan unit"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    tpi_value = models.CharField(_("nilai TPI"), max_length=30, blank=True)
    tpi_note = models.TextField(_("catatan TPI"), blank=True)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="zi_answer_once"),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "returned", "reviewed"]),
                name="zi_answer_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="zi_answer_returned_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.code}"


class AnswerEvidence(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
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


class AnswerStateChange(models.Model):
    """Every move of an answer, with who and when (the TPI's decisions included)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="history")
    source = models.CharField(max_length=10)
    target = models.CharField(max_length=10)
    value = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.answer} {self.source}→{self.target}"
