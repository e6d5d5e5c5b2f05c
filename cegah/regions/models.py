from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "WIB", "WIB (UTC+7)"
    WITA = "WITA", "WITA (UTC+8)"
    WIT = "WIT", "WIT (UTC+9)"


ZONEINFO = {
    TimeZone.WIB: ZoneInfo("Asia/Jakarta"),
    TimeZone.WITA: ZoneInfo("Asia/Makassar"),
    TimeZone.WIT: ZoneInfo("Asia/Jayapura"),
}


class Province(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=2, unique=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Pemda(models.Model):
    """An autonomous local government: a province's own government, a kabupaten or a kota."""

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="pemdas", verbose_name=_("provinsi")
    )
    time_zone = models.CharField(_("zona waktu"), max_length=4, choices=TimeZone.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["provinsi", "kabupaten", "kota"]),
                name="pemda_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(time_zone__in=["WIB", "WITA", "WIT"]),
                name="pemda_time_zone_valid",
            ),
            # A province has exactly one provincial government.
            models.UniqueConstraint(
                fields=["province"],
                condition=models.Q(kind="provinsi"),
                name="pemda_one_provinsi_per_province",
            ),
        ]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def zoneinfo(self) -> ZoneInfo:
        return ZONEINFO[TimeZone(self.time_zone)]


class Opd(models.Model):
    """Perangkat daerah: a dinas, badan or bagian of one Pemda."""

    pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, related_name="opds", verbose_name=_("pemda")
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")
        constraints = [
            models.UniqueConstraint(Lower("name"), "pemda", name="opd_name_unique_in_pemda"),
            models.CheckConstraint(condition=~models.Q(name=""), name="opd_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
