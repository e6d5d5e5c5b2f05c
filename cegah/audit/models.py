from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One state change, chained to the previous entry by its hash. Rows are never updated."""

    seq = models.PositiveBigIntegerField(_("urutan"), unique=True)
    created_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the log outlives the accounts it names
        verbose_name=_("pelaku"),
    )
    # Copied at write time so the hashed record never depends on rows that may change later.
    actor_label = models.CharField(_("pelaku (saat itu)"), max_length=254)
    role = models.CharField(_("peran"), max_length=40, blank=True)
    action = models.CharField(_("aksi"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=80, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=255, blank=True)
    data = models.JSONField(_("ringkasan sebelum/sesudah"), default=dict)
    request_id = models.CharField(_("ID permintaan"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("entri audit")
        verbose_name_plural = _("entri audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """A single row holding the chain's tip; writers lock it so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audithead_singleton")]

    def __str__(self) -> str:
        return f"#{self.seq}"
