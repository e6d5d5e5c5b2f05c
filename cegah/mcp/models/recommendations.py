"""Recommendations (rekomendasi perbaikan) a verifier or the Koordinator writes for a Pemda, and
the Pemda's follow-up (tindak lanjut) with its evidence. The states and who moves them:
cegah/mcp/workflows.py (RECOMMENDATION)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.regions.models import Pemda
from cegah.uploads.models import StoredFile

from .catalogue import Area, Indicator


class Recommendation(models.Model):
    """One recommendation to one Pemda, optionally about an area or an indicator of a year's
    catalogue, due on a day. Overdue is not a state: it is read from `due_on` and the state
    (selectors), so it needs no job to set it and cannot go stale."""

    class State(models.TextChoices):
        OPEN = "open", _("Terbuka")
        IN_PROGRESS = "in_progress", _("Sedang ditindaklanjuti")
        AWAITING = "awaiting", _("Menunggu penerimaan")
        DONE = "done", _("Selesai")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="mcp_recommendations")
    year = models.PositiveSmallIntegerField(_("tahun"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    title = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("rekomendasi"))
    due_on = models.DateField(_("tenggat"))
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.OPEN)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last time the Pemda asked for acceptance; the acceptance itself.
    requested_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "in_progress", "awaiting", "done"]),
                name="recommendation_state_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="recommendation_title"),
            models.CheckConstraint(condition=~Q(text=""), name="recommendation_text"),
            # Done means someone accepted it, and when; nothing else is accepted.
            models.CheckConstraint(
                condition=(
                    Q(state="done", accepted_by__isnull=False, accepted_at__isnull=False)
                    | (~Q(state="done") & Q(accepted_by__isnull=True, accepted_at__isnull=True))
                ),
                name="recommendation_done_accepted",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2015, year__lte=2100), name="recommendation_year_plausible"
            ),
        ]
        indexes = [
            models.Index(fields=["pemda", "state"], name="recommendation_pemda_idx"),
            models.Index(fields=["state", "due_on"], name="recommendation_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} · {self.title}"

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def state_label(self) -> str:
        return str(self.State(self.state).label)


class RecommendationStateChange(models.Model):
    """Each move of a recommendation's state, by whom and when; a return says why."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="state_changes"
    )
    source = models.CharField(max_length=12, choices=Recommendation.State.choices)
    target = models.CharField(max_length=12, choices=Recommendation.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("perubahan status rekomendasi")
        verbose_name_plural = _("perubahan status rekomendasi")

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.source} → {self.target}"


class FollowUp(models.Model):
    """One entry of the Pemda's follow-up: what was done, with its files."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="follow_ups"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("tindak lanjut"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="follow_up_text")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} · {self.created_at:%Y-%m-%d}"


class FollowUpFile(models.Model):
    """A file given as evidence of a follow-up; the bytes are kept by cegah.uploads."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="files")
    stored_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="mcp_follow_up_files"
    )
    original_name = models.CharField(_("nama berkas"), max_length=150)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("berkas tindak lanjut")
        verbose_name_plural = _("berkas tindak lanjut")

    def __str__(self) -> str:
        return self.original_name
