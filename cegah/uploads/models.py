"""Every uploaded file the platform keeps, whatever module it belongs to.

A row names the bytes in storage; the module's own row (MCP evidence, a WBS attachment) says
what they are to whom. The row carries a day, not a time: for some uses (a whistle-blower's
attachment) the time of day would point at a person.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    # The policy that accepted the file ("mcp.evidence", "wbs.attachment").
    purpose = models.CharField(max_length=40)
    # Files of one purpose and scope with the same bytes are kept once (blank: never shared).
    scope = models.CharField(max_length=40, blank=True)
    file = models.FileField(max_length=200)
    # Of the bytes as stored (sealed ones for WBS), so a backup or a migration can check them.
    sha256 = models.CharField(max_length=64)
    # Of the content before any sealing: what the person uploaded, as checked.
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    stored_on = models.DateField()

    class Meta:
        verbose_name = _("berkas tersimpan")
        verbose_name_plural = _("berkas tersimpan")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "scope", "sha256"],
                condition=~Q(scope=""),
                name="stored_file_once_per_scope",
            ),
            models.UniqueConstraint(fields=["file"], name="stored_file_name_unique"),
        ]

    def __str__(self) -> str:
        return str(self.file.name)
