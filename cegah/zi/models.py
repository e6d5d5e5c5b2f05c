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


# --- The proposal to KemenPAN-RB, the TPN's stages, and the predicate awarded -----------------


class Predicate(models.TextChoices):
    WBK = "WBK", "WBK"
    WBBM = "WBBM", "WBBM"


class Proposal(models.Model):
    """The Pemda proposes a unit, on its TPI-reviewed assessment, for a predicate; the TPN
    records each stage of its evaluation and the penetapan (or not)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Diusulkan")
        PRA_EVALUASI = "pra_evaluasi", _("Pra-evaluasi")
        EVALUASI_DESK = "evaluasi_desk", _("Evaluasi desk")
        EVALUASI_LAPANGAN = "evaluasi_lapangan", _("Evaluasi lapangan")
        DESIGNATED = "designated", _("Ditetapkan")
        NOT_DESIGNATED = "not_designated", _("Tidak ditetapkan")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="proposals")
    predicate = models.CharField(_("predikat"), max_length=4, choices=Predicate.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assessment__year", "assessment__unit__name", "predicate"]
        verbose_name = _("usulan ZI")
        verbose_name_plural = _("usulan ZI")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "predicate"], name="zi_proposal_once_per_predicate"
            ),
            models.CheckConstraint(
                condition=Q(predicate__in=["WBK", "WBBM"]), name="zi_proposal_predicate_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "proposed",
                        "pra_evaluasi",
                        "evaluasi_desk",
                        "evaluasi_lapangan",
                        "designated",
                        "not_designated",
                    ]
                ),
                name="zi_proposal_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.predicate}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.DESIGNATED, self.State.NOT_DESIGNATED)


class StageRecord(models.Model):
    """One stage of a proposal as recorded: the proposal itself, each evaluation the TPN
    records, and the penetapan or its refusal; with a note and an optional evidence file."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stages")
    source = models.CharField(max_length=20, blank=True)
    stage = models.CharField(max_length=20, choices=Proposal.State.choices)
    note = models.TextField(_("catatan"), blank=True)
    evidence = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    evidence_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="not_designated") | ~Q(note=""),
                name="zi_stage_not_designated_with_note",
            ),
            models.CheckConstraint(
                condition=Q(evidence__isnull=True, evidence_name="")
                | Q(evidence__isnull=False) & ~Q(evidence_name=""),
                name="zi_stage_evidence_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} {self.stage}"


class Designation(models.Model):
    """A predicate awarded to a unit at penetapan, for the assessment's year; public. It may be
    revoked (pencabutan) with a reason, after which the unit is not proposed again for
    ZI_REPROPOSAL_BLOCK_YEARS years."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="designations")
    predicate = models.CharField(_("predikat"), max_length=4, choices=Predicate.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    designated_on = models.DateField(_("tanggal penetapan"))
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="designation")
    revoked_on = models.DateField(_("tanggal pencabutan"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__name", "predicate"]
        verbose_name = _("penetapan ZI")
        verbose_name_plural = _("penetapan ZI")
        # The public pages' marker reads the latest revocation (cegah/public/profile.py).
        indexes = [models.Index(fields=["revoked_on"], name="zi_designation_revoked")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "predicate", "year"], name="zi_designation_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(predicate__in=["WBK", "WBBM"]), name="zi_designation_predicate_valid"
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revoked_reason="", revoked_by__isnull=True)
                | Q(revoked_on__isnull=False, revoked_by__isnull=False) & ~Q(revoked_reason=""),
                name="zi_designation_revoked_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("designated_on")),
                name="zi_designation_revoked_after_designated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.predicate} {self.year}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None
