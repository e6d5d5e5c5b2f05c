"""Score snapshots: a working snapshot per year kept current by the services, and published
versions that never change once the Koordinator publishes them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cegah.core.i18n import NamedInTwoLanguages, in_reader_language
from cegah.regions.models import Pemda

from .catalogue import CatalogueVersion

YEAR = 0  # the `termin` value of a yearly score


class ScoreSnapshot(models.Model):
    class State(models.TextChoices):
        STAGING = "staging", _("Sedang dihitung")
        WORKING = "working", _("Berjalan")
        PUBLISHED = "published", _("Diterbitkan")

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("Dihitung dari jawaban")
        # KPK's published figures for a year (2018-2024), loaded by `mcp_history import`.
        IMPORTED = "imported", _("Diimpor dari hasil yang diumumkan")

    year = models.PositiveSmallIntegerField(_("tahun"))
    state = models.CharField(max_length=10, choices=State.choices)
    # 0 for the working snapshot; 1, 2, … for published versions.
    version = models.PositiveSmallIntegerField(default=0)
    # None for an imported year that has no catalogue in Cegah; its areas are then `area_names`.
    catalogue = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.COMPUTED)
    # An imported year's areas, in the file's order: [{"code": "PBJ", "name": "Pengadaan …"}].
    area_names = models.JSONField(default=list, blank=True)
    # Where an imported year's figures come from, and when and where they were announced.
    source_name = models.CharField(_("sumber"), max_length=200, blank=True)
    source_url = models.URLField(_("alamat sumber"), max_length=500, blank=True)
    announced_on = models.DateField(_("tanggal pengumuman"), null=True, blank=True)
    announced_event = models.CharField(_("acara pengumuman"), max_length=300, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    # What was still open when the Koordinator published anyway, with `reason`:
    # {"open_termins": [4], "undecided": 12, "undecided_pemdas": 3}; empty when nothing was.
    unfinished = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(state="working"), name="snapshot_one_working"
            ),
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=Q(state="published"),
                name="snapshot_version_once",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["staging", "working"], version=0)
                | Q(state="published", version__gte=1, published_at__isnull=False),
                name="snapshot_state_version",
            ),
            # Republishing a year says why.
            models.CheckConstraint(
                condition=Q(version__lte=1) | ~Q(reason=""), name="snapshot_republish_reason"
            ),
            # A computed year has its catalogue; an imported one names its source.
            models.CheckConstraint(
                condition=Q(origin="computed", catalogue__isnull=False)
                | Q(origin="imported", state="published") & ~Q(source_name=""),
                name="snapshot_origin_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"MCP {self.year} {self.state} v{self.version}"

    @property
    def imported(self) -> bool:
        return self.origin == self.Origin.IMPORTED


class PemdaScore(models.Model):
    # Indexed by the unique constraint below, which starts with it: an index of its own cost every
    # row a recompute writes and misled PostgreSQL's planner about a just-written snapshot.
    snapshot = models.ForeignKey(
        ScoreSnapshot, on_delete=models.CASCADE, related_name="pemdas", db_index=False
    )
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="mcp_scores")
    termin = models.PositiveSmallIntegerField()  # 1 to 4, or 0 for the year
    # None in an imported year: KPK publishes the verified score only.
    self_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    verified_score = models.DecimalField(max_digits=5, decimal_places=2)
    category = models.CharField(max_length=20)
    # Yearly rows only: rank among the province's kabupaten/kota, and nationally within the kind.
    rank_province = models.PositiveSmallIntegerField(null=True, blank=True)
    province_size = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_national = models.PositiveSmallIntegerField(null=True, blank=True)
    national_size = models.PositiveSmallIntegerField(null=True, blank=True)
    # The rank KPK announced, where an imported file gives it; the ranks above are recomputed.
    rank_published = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "pemda", "termin"], name="pemdascore_once"),
            models.CheckConstraint(
                condition=Q(self_score__gte=0, self_score__lte=100)
                & Q(verified_score__gte=0, verified_score__lte=100),
                name="pemdascore_range",
            ),
        ]
        indexes = [models.Index(fields=["snapshot", "termin", "verified_score"])]

    def __str__(self) -> str:
        return f"{self.pemda} {self.termin}: {self.verified_score}"


class AreaScore(models.Model):
    # Indexed by the unique constraint below (see PemdaScore.snapshot).
    snapshot = models.ForeignKey(
        ScoreSnapshot, on_delete=models.CASCADE, related_name="areas", db_index=False
    )
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    termin = models.PositiveSmallIntegerField()
    area_code = models.CharField(max_length=20)
    self_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    verified_score = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "pemda", "termin", "area_code"], name="areascore_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} {self.area_code}: {self.verified_score}"


class IndicatorScore(models.Model):
    """Yearly score of each indicator, to show which indicators a Pemda met."""

    # Indexed by the unique constraint below (see PemdaScore.snapshot).
    snapshot = models.ForeignKey(
        ScoreSnapshot, on_delete=models.CASCADE, related_name="indicators", db_index=False
    )
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    indicator_code = models.CharField(max_length=20)
    self_score = models.DecimalField(max_digits=5, decimal_places=2)
    verified_score = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "pemda", "indicator_code"], name="indicatorscore_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} {self.indicator_code}: {self.verified_score}"


class Award(NamedInTwoLanguages, models.Model):
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, related_name="awards")
    rule = models.CharField(max_length=50)
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    category = models.CharField(max_length=20)  # a Pemda kind, or a province code
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="mcp_awards")
    # None for an announced award (`mcp_history awards`), whose figure is not published.
    value = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    # An award as announced: its place in the list, when and where it was handed over.
    announced = models.BooleanField(default=False)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    handed_over_on = models.DateField(null=True, blank=True)
    event = models.CharField(max_length=300, blank=True)
    # What `value` counts ("poin", "m²"), in both languages like the name.
    unit_id = models.CharField(max_length=30, blank=True)
    unit_en = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["rule", "category", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "rule", "category", "pemda"], name="award_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_id} {self.category}: {self.pemda}"

    @property
    def unit(self) -> str:
        return in_reader_language(self.unit_id, self.unit_en)

    @property
    def per_province(self) -> bool:
        return self.category not in Pemda.Kind.values

    @property
    def category_label(self) -> str:
        """`Kota`, or the province's name for an award given within a province."""
        if self.per_province:
            return self.pemda.province.name
        return str(Pemda.Kind(self.category).label)


def stale_before() -> datetime:
    """A running job last heard from before this moment has lost its worker."""
    return timezone.now() - timedelta(minutes=settings.SCORE_JOB_STALE_MINUTES)


class ScoreJob(models.Model):
    """A recompute or a large export running in the background, with progress for the page
    that started it."""

    class Kind(models.TextChoices):
        RECOMPUTE = "recompute", _("Hitung ulang")
        EXPORT = "export", _("Berkas data lengkap")

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RECOMPUTE)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # The export's file, and the published snapshot it was made from.
    file = models.FileField(upload_to="exports/", blank=True, max_length=200)
    snapshot = models.ForeignKey(
        ScoreSnapshot, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written as it runs: a running job silent for SCORE_JOB_STALE_MINUTES lost its worker
    # (killed, or its machine restarted) and will not finish.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="scorejob_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.state} {self.done}/{self.total}"

    @property
    def stopped(self) -> bool:
        """Running, but not heard from for SCORE_JOB_STALE_MINUTES: its worker is gone."""
        since = self.heartbeat_at or self.created_at
        return self.state == self.State.RUNNING and since < stale_before()

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
