"""Gratification control (UPG): a civil servant's report of a gift received or refused, the UPG's
check and forwarding to KPK, the custody of deposited items and KPK's decision
(docs/domain/gratification.md). The rules that change by regulation are data (RuleSet)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.accounts.models import Employee
from cegah.core.data_versions import DataVersion
from cegah.core.i18n import in_reader_language
from cegah.regions.models import Opd, Pemda
from cegah.uploads.models import StoredFile
from cegah.workdays.days import add_working_days


class RuleSet(DataVersion):
    """One version of the exemptions and deadlines, loaded from `data/upg/aturan-<N>.yaml`.
    A gift is judged by the version in force on the day it was received."""

    version = models.PositiveSmallIntegerField(_("versi"), unique=True)
    title_id = models.CharField(_("judul"), max_length=200)
    title_en = models.CharField(_("judul (Inggris)"), max_length=200)
    regulation = models.CharField(_("dasar hukum"), max_length=100)
    # None: in force from the beginning until the next version.
    in_force_from = models.DateField(_("berlaku sejak"), null=True, blank=True)

    class Meta(DataVersion.Meta):
        verbose_name = _("aturan gratifikasi")
        verbose_name_plural = _("aturan gratifikasi")
        constraints = [
            models.UniqueConstraint(fields=["in_force_from"], name="upg_rules_one_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.regulation} (v{self.version})"

    @property
    def title(self) -> str:
        return in_reader_language(self.title_id, self.title_en)

    def due(self, start: date, step: str) -> date:
        """The working day a step of these rules ends: `report_days` (to report, from receipt),
        `completion_days` (to complete a returned report), `kpk_decision_days`."""
        return add_working_days(start, int(self.structure[step]))


class Kind(models.TextChoices):
    MONEY = "uang", _("Uang")
    GOODS = "barang", _("Barang")
    VOUCHER = "voucher", _("Voucher atau alat tukar lain")
    SERVICE = "jasa", _("Jasa atau fasilitas")
    OTHER = "lainnya", _("Lainnya")


# Money and its equivalents: a colleague's gift of these is never exempt.
CASH_LIKE = (Kind.MONEY, Kind.VOUCHER)


class Outcome(models.TextChoices):
    STATE = "milik_negara", _("Milik negara")
    RECIPIENT = "milik_penerima", _("Milik penerima")


class Report(models.Model):
    """A gratification report (laporan gratifikasi) to the Pemda's UPG."""

    class State(models.TextChoices):
        SUBMITTED = "diajukan", _("Diajukan ke UPG")
        RETURNED = "dikembalikan", _("Dikembalikan untuk dilengkapi")
        FORWARDED = "diteruskan", _("Diteruskan ke KPK")
        DECIDED = "ditetapkan", _("Ditetapkan KPK")
        CLOSED = "ditutup", _("Ditutup: tidak dilengkapi")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="upg_reports")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    state = models.CharField(
        _("status"), max_length=15, choices=State.choices, default=State.SUBMITTED
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="upg_reports"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="upg_reports")
    # The reporter as they were on the day of the report (a later transfer changes nothing).
    reporter_name = models.CharField(_("nama pelapor"), max_length=150)
    reporter_nip = models.CharField(_("NIP"), max_length=18)
    reporter_position = models.CharField(_("jabatan"), max_length=200, blank=True)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")
    nik = models.CharField(_("NIK"), max_length=16)
    address = models.TextField(_("alamat"))
    phone = models.CharField(_("telepon"), max_length=30, blank=True)

    giver_name = models.CharField(_("nama pemberi"), max_length=200)
    giver_relation = models.CharField(_("hubungan dengan pemberi"), max_length=200)
    giver_address = models.CharField(_("alamat atau instansi pemberi"), max_length=300, blank=True)
    received_on = models.DateField(_("tanggal diterima atau ditolak"))
    place = models.CharField(_("tempat"), max_length=200)
    occasion = models.CharField(_("peristiwa atau dalam rangka"), max_length=300)
    # The exemption category the reporter chose (a code of the rule set), or "" for none.
    category = models.CharField(_("jenis pemberian"), max_length=30, blank=True)
    kind = models.CharField(_("bentuk"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("uraian pemberian"), max_length=300)
    value = models.DecimalField(
        _("perkiraan nilai (Rp)"),
        max_digits=15,
        decimal_places=0,
        validators=[MinValueValidator(Decimal(0))],
    )
    refused = models.BooleanField(_("ditolak"), default=False)
    chronology = models.TextField(_("kronologi"))

    rules = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    # What the exemption check said when the report was sent (the reporter chose to report).
    looked_exempt = models.BooleanField(default=False)
    exemption_note = models.TextField(blank=True)
    report_due = models.DateField(_("batas lapor"))
    late = models.BooleanField(_("terlambat"), default=False)
    submitted_on = models.DateField(_("tanggal lapor"))
    upg_due = models.DateField(_("batas UPG meneruskan"))
    returned_on = models.DateField(null=True, blank=True)
    missing = models.TextField(_("yang perlu dilengkapi"), blank=True)
    completion_due = models.DateField(_("batas melengkapi"), null=True, blank=True)
    forwarded_on = models.DateField(_("diteruskan ke KPK"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kpk_due = models.DateField(_("batas penetapan KPK"), null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    outcome = models.CharField(_("penetapan"), max_length=15, choices=Outcome.choices, blank=True)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    compensation = models.DecimalField(
        _("kompensasi dibayar (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    compensation_paid_on = models.DateField(_("tanggal kompensasi"), null=True, blank=True)
    handover_note = models.TextField(_("penyerahan barang"), blank=True)
    # The day the decision was recorded here (the SK's own date is sk_date): public figures
    # stop at yesterday.
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("laporan gratifikasi")
        verbose_name_plural = _("laporan gratifikasi")
        indexes = [
            models.Index(fields=["pemda", "state"], name="upg_report_pemda_state"),
            models.Index(fields=["reporter", "received_on"], name="upg_report_reporter_day"),
            # The public pages' marker reads the latest change (cegah/public/profile.py).
            models.Index(fields=["updated_at"], name="upg_report_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(nik__regex=r"^[0-9]{16}$"), name="upg_nik_16"),
            models.CheckConstraint(condition=Q(value__gte=0), name="upg_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(state="ditetapkan") | (~Q(outcome="") & ~Q(sk_number="")),
                name="upg_decided_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(compensation__isnull=True) | Q(outcome="milik_negara"),
                name="upg_compensation_for_state_property",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ReportEvidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReportStateChange(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    source = models.CharField(max_length=15)
    target = models.CharField(max_length=15)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class CustodyItem(models.Model):
    """An item handed in to the UPG, kept until KPK decides (the custody register)."""

    class State(models.TextChoices):
        KEPT = "disimpan", _("Disimpan UPG")
        HANDED_OVER = "diserahkan", _("Diserahkan ke KPK/negara")
        RETURNED = "dikembalikan", _("Dikembalikan ke penerima")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="custody")
    description = models.CharField(_("barang"), max_length=300)
    received_on = models.DateField(_("diterima UPG"))
    location = models.CharField(_("disimpan di"), max_length=200)
    state = models.CharField(_("status"), max_length=15, choices=State.choices, default=State.KEPT)
    released_on = models.DateField(_("tanggal keluar"), null=True, blank=True)
    released_to = models.CharField(_("diserahkan kepada"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("barang titipan")
        verbose_name_plural = _("barang titipan")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="disimpan") | Q(released_on__isnull=False),
                name="upg_custody_released_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class ExemptGift(models.Model):
    """A gift the civil servant judged exempt with the check and chose to note rather than
    report: seen by them alone, and counted for the yearly caps of the same giver."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="exempt_gifts")
    giver_name = models.CharField(_("nama pemberi"), max_length=200)
    received_on = models.DateField(_("tanggal diterima"))
    category = models.CharField(_("jenis pemberian"), max_length=30)
    kind = models.CharField(_("bentuk"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("uraian pemberian"), max_length=300)
    value = models.DecimalField(_("perkiraan nilai (Rp)"), max_digits=15, decimal_places=0)
    reason = models.TextField(_("alasan dikecualikan"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("catatan pemberian dikecualikan")
        verbose_name_plural = _("catatan pemberian dikecualikan")

    def __str__(self) -> str:
        return self.description
