"""What a Pemda reports: which OPD answers which indicator, and the answers themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cegah.accounts.institutions import institution_name
from cegah.regions.models import Opd, Pemda
from cegah.uploads.models import StoredFile

from .catalogue import Indicator, SubIndicator
from .periods import Period


class IndicatorAssignment(models.Model):
    """The Admin Pemda gives an indicator to an OPD; an indicator may go to several OPD."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="assignments")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="indicator_assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan indikator")
        verbose_name_plural = _("penugasan indikator")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "opd"], name="assignment_once_per_opd"),
        ]
        indexes = [models.Index(fields=["pemda", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.opd}"


class Answer(models.Model):
    """A Pemda's self-assessed answer to one sub-indicator in one termin, and its review.

    `value` holds the raw answer: 1/0 for yes/no, the option's index for a choice, 0 to 100 for a
    percentage, the figure for a number; null for a document-only question or no answer yet.
    `verified_value` is the verifier's, in the same units (1/0 for a document-only question).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Dikirim")
        IN_REVIEW = "in_review", _("Sedang diverifikasi")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")
        RESUBMITTED = "resubmitted", _("Dikirim ulang")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="mcp_answers")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="answers")
    sub_indicator = models.ForeignKey(
        SubIndicator, on_delete=models.PROTECT, related_name="answers"
    )
    value = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.DRAFT)
    # Raised by every change; a save naming an older version was made on a stale form.
    version = models.PositiveIntegerField(default=0)
    verified_value = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The same item in the previous termin of the year, which this one continues: the year's
    # report is one body of evidence (docs/domain/mcp.md, the cumulative year). Version 0 of a
    # carried answer is what the previous termin ended with; any change raises it.
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "period", "sub_indicator"], name="answer_once_per_termin"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "approved",
                        "returned",
                        "resubmitted",
                    ]
                ),
                name="answer_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="approved") | models.Q(verified_value__isnull=False),
                name="answer_approved_has_verified_value",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "state"]),
            models.Index(fields=["pemda", "period"]),
            # The verifier queue: a verifier's Pemda, undecided states, oldest first.
            models.Index(fields=["pemda", "state", "submitted_at"], name="answer_queue_idx"),
            # In-year monitoring: the latest change in a termin keys its cached figures.
            models.Index(fields=["period", "updated_at"], name="answer_period_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} · {self.sub_indicator.code}"

    @property
    def editable_by_pemda(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def carried(self) -> bool:
        """Continued from the previous termin of the year."""
        return self.carried_from_id is not None

    @property
    def changed_since_carried(self) -> bool:
        return self.carried and self.version > 0

    @property
    def is_returned(self) -> bool:
        return self.state == self.State.RETURNED

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def state_label(self) -> str:
        """get_state_display, for lists: Django's hashes every choice label on each call."""
        return str(self.State(self.state).label)


class AnswerStateChange(models.Model):
    """Each move of an answer's state (cegah/mcp/workflows.py), by whom and when."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="state_changes")
    source = models.CharField(max_length=12, choices=Answer.State.choices)
    target = models.CharField(max_length=12, choices=Answer.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("perubahan status jawaban")
        verbose_name_plural = _("perubahan status jawaban")

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.source} → {self.target}"


class Evidence(models.Model):
    """One revision of the evidence behind an answer. Replacing adds a revision; the old ones
    stay viewable with who uploaded them and when."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="evidence")
    # The bytes, kept once per Pemda however often they are uploaded (cegah.uploads).
    stored_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="mcp_evidence"
    )
    revision = models.PositiveIntegerField()
    original_name = models.CharField(_("nama berkas"), max_length=150)
    effective_date = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Not auto_now_add: a revision carried into the next termin keeps the day it was uploaded.
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set when a later revision replaces this one.
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        constraints = [
            models.UniqueConstraint(fields=["answer", "revision"], name="evidence_revision_once"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("effective_date")),
                name="evidence_valid_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (r{self.revision})"


class Decision(models.Model):
    """A verifier's approval or return, or the Koordinator reopening an approved item."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Disetujui")
        RETURN = "return", _("Dikembalikan")
        REOPEN = "reopen", _("Dibuka kembali")

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(_("alasan"), blank=True)
    verified_value = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The decider's institution when deciding (KPK, BPKP, …; data/accounts/institutions.yaml).
    institution = models.CharField(_("instansi"), max_length=30, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["approve", "return", "reopen"]),
                name="decision_kind_valid",
            ),
            # Returning or reopening always says why; the Pemda must know what to fix.
            models.CheckConstraint(
                condition=models.Q(kind="approve") | ~models.Q(reason=""),
                name="decision_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.answer_id}"

    @property
    def institution_name(self) -> str:
        return institution_name(self.institution) if self.institution else ""


class Comment(models.Model):
    """The thread between the Pemda and the verifier about one answer."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("komentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="comment_text")]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d}"
