"""The Koordinator's "score vs reality" signals: the rules as data, and a Pemda marked reviewed
for a rule and year with a note (docs/domain/signals.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cegah.core.data_versions import DataVersion
from cegah.regions.models import Pemda


class RuleSet(DataVersion):
    class Meta(DataVersion.Meta):
        pass

    def __str__(self) -> str:
        return f"signals v{self.version}"


class Review(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    note = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pemda", "rule", "year"], name="signal_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.pemda_id} {self.rule} {self.year}"
