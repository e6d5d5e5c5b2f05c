"""Who verifies what, and the Pemda's own review before it submits: a verifier's assignment to a
Pemda limited to some areas, the year's rule on the Inspektorat's review (APIP), and each
area's review mark."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cegah.accounts.models import VerifierAssignment
from cegah.regions.models import Pemda

from .periods import Period


class VerifierAreaLimit(models.Model):
    """Limits a verifier's assignment to a Pemda to one area (by code, which stays the same
    across catalogues); an assignment without any limit covers every area."""

    assignment = models.ForeignKey(
        VerifierAssignment, on_delete=models.CASCADE, related_name="area_limits"
    )
    area_code = models.CharField(_("area"), max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "area_code"], name="verifierarealimit_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.area_code}"


class YearSetting(models.Model):
    """What the Koordinator sets for a reporting year."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    # The Pemda's Inspektorat marks each area "direviu APIP" before the report goes out.
    apip_review_required = models.BooleanField(_("reviu APIP wajib"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"MCP {self.year}"


class ApipReview(models.Model):
    """The Pemda's Inspektorat has reviewed one area of the termin's report."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="apip_reviews")
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("area"), max_length=20)
    note = models.TextField(_("catatan"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "pemda", "area_code"], name="apipreview_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} {self.period} {self.area_code}"
