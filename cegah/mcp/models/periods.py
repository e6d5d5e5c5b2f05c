"""Reporting periods (termin) of a year and per-Pemda extensions of their upload deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cegah.regions.models import Pemda


class Period(models.Model):
    """One termin (quarter) of a reporting year. Deadlines are aware datetimes stored in UTC and
    shown in each Pemda's own time zone."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        OPEN = "open", _("Dibuka")
        CLOSED = "closed", _("Ditutup")

    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("termin"))
    opens_at = models.DateTimeField(_("dibuka"))
    upload_deadline = models.DateTimeField(_("batas unggah"))
    verification_deadline = models.DateTimeField(_("batas verifikasi"))
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("termin")
        verbose_name_plural = _("termin")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="period_year_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="period_number_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("upload_deadline"))
                & Q(upload_deadline__lte=F("verification_deadline")),
                name="period_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "open", "closed"]), name="period_state_valid"
            ),
            # Pemda report into one termin at a time.
            models.UniqueConstraint(
                fields=["year"], condition=Q(state="open"), name="period_one_open_per_year"
            ),
        ]

    def __str__(self) -> str:
        return _("Termin %(number)d tahun %(year)d") % {"number": self.number, "year": self.year}


class PeriodExtension(models.Model):
    """A later upload deadline for one Pemda in one termin, granted by the Koordinator."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="extensions")
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="period_extensions")
    upload_deadline = models.DateTimeField(_("batas unggah baru"))
    reason = models.TextField(_("alasan"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pemda__code"]
        verbose_name = _("perpanjangan termin")
        verbose_name_plural = _("perpanjangan termin")
        constraints = [
            models.UniqueConstraint(fields=["period", "pemda"], name="extension_once_per_pemda"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.pemda}"
