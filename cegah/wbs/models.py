"""Whistle-blowing reports. Everything a reporter wrote is ciphertext here, and the keys that
open it are sealed to people's public keys, never to the server's (see crypto.py).

No row records the reporter's IP address, browser or the time of day they acted: reporter-side
rows carry a date only. Handler actions are timed, since they are accountable for them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.regions.models import Pemda
from cegah.uploads.models import StoredFile


class ReportType(models.TextChoices):
    KORUPSI = "korupsi", _("Dugaan korupsi")
    GRATIFIKASI = "gratifikasi", _("Gratifikasi")
    BENTURAN = "benturan", _("Benturan kepentingan")
    LAYANAN = "layanan", _("Pengaduan layanan publik")


class ReportState(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFYING = "verifying", _("Verifikasi")
    REJECTED = "rejected", _("Ditolak")
    FORWARDED = "forwarded", _("Diteruskan")
    FOLLOWED_UP = "followed_up", _("Ditindaklanjuti")
    DONE = "done", _("Selesai")


CLOSED_STATES = (ReportState.REJECTED, ReportState.FORWARDED, ReportState.DONE)


class HandlingLevel(models.TextChoices):
    PEMDA = "pemda", _("Inspektorat daerah")
    PROVINSI = "provinsi", _("Inspektorat provinsi")
    NASIONAL = "nasional", _("Koordinator nasional")


class RoutedBecause(models.TextChoices):
    NONE = "", _("Inspektorat daerah yang dilaporkan")
    NAMES_INSPECTORATE = "inspektorat", _("Laporan menyebut Inspektorat sendiri")
    CONFLICT = "konflik", _("Penanganan menyatakan benturan kepentingan")


class Report(models.Model):
    pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, related_name="wbs_reports", verbose_name=_("pemda")
    )
    level = models.CharField(_("ditangani oleh"), max_length=10, choices=HandlingLevel.choices)
    # The Pemda whose inspectorate handles the report; empty when the national coordinator does.
    handler_pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    routed_because = models.CharField(
        max_length=12, choices=RoutedBecause.choices, default=RoutedBecause.NONE, blank=True
    )
    # Raised when the reporter closes the report on their device: every follow-up cookie made
    # before stops opening it (the cookie holds this number, sealed, never the receipt hash).
    follow_epoch = models.PositiveIntegerField(default=0)
    # The handler of the responsible level who takes the case on (handlers work together).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    type = models.CharField(_("jenis"), max_length=12, choices=ReportType.choices)
    state = models.CharField(
        _("status"), max_length=16, choices=ReportState.choices, default=ReportState.RECEIVED
    )
    receipt_hash = models.CharField(max_length=64, unique=True)
    # Reports made before key pairs: the report key sealed with a master key of the key file
    # (key_id names it). Emptied once `wbs_keys migrate` has sealed it to handlers and, at their
    # next visit, to the reporter.
    key_id = models.CharField(max_length=40, db_index=True, blank=True, default="")
    sealed_key = models.BinaryField(null=True, blank=True)
    # The reporter's key: the private half is derived from the receipt with this salt and is
    # never stored; the report key is sealed to the public half.
    reporter_salt = models.BinaryField(null=True, blank=True)
    reporter_public_key = models.BinaryField(null=True, blank=True)
    reporter_sealed_key = models.BinaryField(null=True, blank=True)
    # The report key sealed to the Koordinator's offline escrow key, when one is configured.
    escrow_sealed_key = models.BinaryField(null=True, blank=True)
    sealed_content = models.BinaryField()
    sealed_identity = models.BinaryField(null=True, blank=True)
    received_on = models.DateField(_("diterima"))
    due_on = models.DateField(_("batas waktu"), null=True, blank=True)
    awaiting_reporter_since = models.DateField(null=True, blank=True)
    closed_on = models.DateField(_("ditutup"), null=True, blank=True)
    # Raised by every change, so a stale handler form cannot overwrite a newer decision.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("laporan WBS")
        verbose_name_plural = _("laporan WBS")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=ReportType.values), name="wbs_report_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values), name="wbs_report_state_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=HandlingLevel.NASIONAL, handler_pemda__isnull=True)
                    | Q(level__in=[HandlingLevel.PEMDA, HandlingLevel.PROVINSI])
                    & Q(handler_pemda__isnull=False)
                ),
                name="wbs_report_handler_matches_level",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state__in=CLOSED_STATES, closed_on__isnull=False)
                    | (~Q(state__in=CLOSED_STATES) & Q(closed_on__isnull=True))
                ),
                name="wbs_report_closed_on_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["handler_pemda", "state"]),
            models.Index(fields=["pemda", "type", "state"]),
        ]

    def __str__(self) -> str:
        return f"WBS-{self.pk:06d}" if self.pk else "WBS"

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES


class Message(models.Model):
    class Side(models.TextChoices):
        REPORTER = "pelapor", _("Pelapor")
        HANDLER = "penangan", _("Penangan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=8, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sealed_body = models.BinaryField()
    asks_for_information = models.BooleanField(default=False)
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(side="pelapor", author__isnull=True) | Q(side="penangan"),
                name="wbs_message_reporter_is_anonymous",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.pk}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    # The attachment's place in its report (1, 2, ...): it is shown and downloaded as
    # "lampiran-<number>.<extension>". The name it was uploaded under is kept nowhere, sealed or
    # not: a phone's "IMG_20261205_143212.jpg" tells the minute a photo was taken.
    number = models.PositiveIntegerField()
    # Of the content as checked (jpeg written jpg): the type, never the uploader's spelling of it.
    extension = models.CharField(max_length=8)
    # Sealed bytes under a random name (cegah.uploads).
    stored_file = models.OneToOneField(
        StoredFile, on_delete=models.PROTECT, related_name="wbs_attachment"
    )
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="wbs_attachment_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="wbs_attachment_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.name}"

    @property
    def name(self) -> str:
        return attachment_name(self.number, self.extension)


def attachment_name(number: int, extension: str) -> str:
    """What an attachment is called wherever it is shown or downloaded."""
    return f"lampiran-{number}.{extension}"


class StateChange(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(max_length=16, choices=ReportState.choices)
    sealed_note = models.BinaryField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report} → {self.state}"


class Conflict(models.Model):
    """A handler's declared conflict of interest: the report goes to the level above."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="wbs_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.user_id}"


class IdentityDisclosure(models.Model):
    """A handler's request to see the reporter's identity, and a second handler's approval.

    The reason is sealed with the report's key (it may say what the report is about); the audit
    chain, which outlives the report, records only that a request was made and approved. Days
    only: the reporter reads on their page on which day their identity was opened."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="disclosures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed_reason = models.BinaryField()
    requested_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="wbs_disclosure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.user_id}"


class InternalNote(models.Model):
    """A handlers' note on a case: sealed with the report's key like the report, never shown to
    the reporter, and dated by day."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_body = models.BinaryField()
    created_on = models.DateField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.pk}"


class HandlerKey(models.Model):
    """A handler's key pair. The private key is sealed with a key derived from their password
    (Argon2id with these parameters and salt); nobody else, the server included, can open it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wbs_key"
    )
    public_key = models.BinaryField()
    sealed_private_key = models.BinaryField()
    salt = models.BinaryField()
    time_cost = models.PositiveIntegerField()
    memory_kib = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}"


class ReportGrant(models.Model):
    """One handler's access to one report: the report key sealed to their public key. Dated by
    day: a grant made at submission would otherwise time the reporter's act."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed_key = models.BinaryField()
    # Empty when sealed at submission or routing, else the colleague who granted it.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="wbs_grant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.user_id}"


class SpentChallenge(models.Model):
    """A proof-of-work challenge already used; a unique row makes each one single-use. The nonce
    is the key: a counter would number the reports in the order they were sent."""

    nonce = models.CharField(max_length=32, primary_key=True)
    expires_on = models.DateField(db_index=True)

    def __str__(self) -> str:
        return self.nonce
