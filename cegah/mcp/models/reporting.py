"""What a Pemda reports: which OPD answers which indicator, and the answers themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cegah.regions.models import Opd, Pemda

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
    """A Pemda's self-assessed answer to one sub-indicator in one termin.

    `value` holds the raw answer: 1/0 for yes/no, the option's index for a choice, 0 to 100 for a
    percentage, the figure for a number; null for a document-only question or no answer yet.
    """

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="mcp_answers")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="answers")
    sub_indicator = models.ForeignKey(
        SubIndicator, on_delete=models.PROTECT, related_name="answers"
    )
    value = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "period", "sub_indicator"], name="answer_once_per_termin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} · {self.sub_indicator.code}"
