"""Zona Integritas: the LKE versions (instrument as data). Units, assessments and the national
stages build on them (docs/domain/zona-integritas.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.core.i18n import NamedInTwoLanguages, in_reader_language


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
