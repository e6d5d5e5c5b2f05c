"""KPK's Survei Penilaian Integritas (SPI) as published: a year's scores per Pemda, each load a
version (a re-import keeps the old one), and the reference data (elements, categories by year,
national index) from data/spi/ (docs/domain/spi.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.core.data_versions import DataVersion
from cegah.regions.models import Pemda


class Reference(DataVersion):
    """The elements, the categories by year and the national index, from `data/spi/spi-<N>.yaml`;
    the newest applies."""

    class Meta(DataVersion.Meta):
        pass

    def __str__(self) -> str:
        return f"SPI v{self.version}"


class Release(models.Model):
    """One load of a year's published scores; the current one is what everyone reads."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(_("versi"))
    is_current = models.BooleanField(default=True)
    source_name = models.CharField(_("sumber"), max_length=200)
    source_url = models.URLField(_("alamat sumber"), max_length=500, blank=True)
    published_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    loaded_via = models.CharField(max_length=40, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="spi_release_version_once"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(is_current=True), name="spi_release_one_current"
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="spi_release_reimport_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"SPI {self.year} v{self.version}"


class Score(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="scores")
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="spi_scores")
    value = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2)
    # Element code → score, as published (any of the seven may be missing).
    elements = models.JSONField(default=dict)
    respondents_internal = models.PositiveIntegerField(null=True, blank=True)
    respondents_external = models.PositiveIntegerField(null=True, blank=True)
    respondents_expert = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pemda__code"]
        constraints = [
            models.UniqueConstraint(fields=["release", "pemda"], name="spi_score_once"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=100), name="spi_score_0_100"
            ),
        ]
        indexes = [models.Index(fields=["pemda", "release"], name="spi_score_pemda")]

    def __str__(self) -> str:
        return f"{self.pemda_id}: {self.value}"
