"""The MCP catalogue: one immutable version per year (or a corrected later version)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cegah.core.i18n import NamedInTwoLanguages, in_reader_language

WEIGHT_RANGE = Q(weight__gte=0) & Q(weight__lte=100)


class CatalogueVersion(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    title_id = models.CharField(_("judul"), max_length=200)
    title_en = models.CharField(_("judul (Inggris)"), max_length=200)
    reason = models.TextField(_("alasan koreksi"), blank=True)
    note = models.TextField(_("catatan sumber"), blank=True)
    source_name = models.CharField(_("berkas sumber"), max_length=200)
    source_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    # Which texts are illustrative rather than from a public source, as the file says.
    illustrative_id = models.TextField(_("teks ilustratif"), blank=True)
    illustrative_en = models.TextField(_("teks ilustratif (Inggris)"), blank=True)
    # [{"code": "transparansi", "id": "Transparansi", "en": "Transparency"}], in the file's order.
    aspects = models.JSONField(_("aspek"), default=list, blank=True)
    # Set when the first reporting period of the year opens; from then on the version is frozen.
    opened_at = models.DateTimeField(_("dibuka untuk pelaporan"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("versi katalog")
        verbose_name_plural = _("versi katalog")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="catalogue_year_version"),
            models.CheckConstraint(
                condition=Q(year__gte=2015, year__lte=2100), name="catalogue_year_plausible"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="catalogue_version_positive"),
            # A correction (version 2 and later) always says why.
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="catalogue_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"MCP {self.year} v{self.version}"

    @property
    def illustrative(self) -> str:
        return in_reader_language(self.illustrative_id, self.illustrative_en)

    def aspect_name(self, code: str) -> str:
        found = next((a for a in self.aspects if a["code"] == code), None)
        return in_reader_language(found["id"], found["en"]) if found else code


class Area(NamedInTwoLanguages, models.Model):
    catalogue = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("kode"), max_length=20)
    name_id = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=3)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="area_code_unique"),
            models.CheckConstraint(condition=WEIGHT_RANGE, name="area_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_id}"


class Sasaran(NamedInTwoLanguages, models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="sasaran")
    code = models.CharField(_("kode"), max_length=20)
    name_id = models.CharField(_("nama"), max_length=300)
    name_en = models.CharField(_("nama (Inggris)"), max_length=300)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "sasaran"
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="sasaran_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_id}"


class Indicator(NamedInTwoLanguages, models.Model):
    catalogue = models.ForeignKey(
        CatalogueVersion, on_delete=models.CASCADE, related_name="indicators"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators")
    sasaran = models.ForeignKey(
        Sasaran, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("kode"), max_length=20)
    name_id = models.CharField(_("nama"), max_length=400)
    name_en = models.CharField(_("nama (Inggris)"), max_length=400)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=3)
    # One of the catalogue's `aspects`, where it has them.
    aspect = models.CharField(_("aspek"), max_length=30, blank=True)
    applies_provinsi = models.BooleanField(_("berlaku untuk provinsi"))
    applies_kabupaten = models.BooleanField(_("berlaku untuk kabupaten"))
    applies_kota = models.BooleanField(_("berlaku untuk kota"))
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=WEIGHT_RANGE, name="indicator_weight_range"),
            models.CheckConstraint(
                condition=Q(applies_provinsi=True)
                | Q(applies_kabupaten=True)
                | Q(applies_kota=True),
                name="indicator_applies_somewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_id}"

    def applies_to(self, kind: str) -> bool:
        return bool(getattr(self, f"applies_{kind}", False))

    @property
    def applies_kinds(self) -> list[str]:
        return [k for k in ("provinsi", "kabupaten", "kota") if self.applies_to(k)]


class SubIndicator(models.Model):
    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("Ya/Tidak")
        CHOICE = "choice", _("Pilihan")
        PERCENTAGE = "percentage", _("Persentase")
        NUMBER = "number", _("Angka dengan target")
        DOCUMENT = "document", _("Dokumen saja")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="sub_indicators"
    )
    code = models.CharField(_("kode"), max_length=24)
    question_id = models.TextField(_("pertanyaan"))
    question_en = models.TextField(_("pertanyaan (Inggris)"))
    answer_type = models.CharField(_("jenis jawaban"), max_length=12, choices=AnswerType.choices)
    # For `choice`: [{"id": label, "en": label, "value": 0..1}]; for `number`: the target.
    options = models.JSONField(default=list, blank=True)
    target = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=3)
    guidance_id = models.TextField(_("panduan"), blank=True)
    guidance_en = models.TextField(_("panduan (Inggris)"), blank=True)
    # [{"id": name, "en": name, "file_types": ["pdf", ...]}]
    evidence = models.JSONField(_("dokumen bukti"), default=list, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="subindicator_code_unique"),
            models.CheckConstraint(condition=WEIGHT_RANGE, name="subindicator_weight_range"),
            models.CheckConstraint(
                condition=Q(
                    answer_type__in=["yes_no", "choice", "percentage", "number", "document"]
                ),
                name="subindicator_answer_type_valid",
            ),
            models.CheckConstraint(
                condition=~Q(answer_type="number") | Q(target__isnull=False),
                name="subindicator_number_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def question(self) -> str:
        return in_reader_language(self.question_id, self.question_en)

    @property
    def guidance(self) -> str:
        return in_reader_language(self.guidance_id, self.guidance_en)

    def is_complete(self, value: object, has_evidence: bool) -> bool:
        """Ready to submit: answered, and backed by a document where the catalogue asks one."""
        needs_value = self.answer_type != self.AnswerType.DOCUMENT
        needs_document = bool(self.evidence) or not needs_value
        return (value is not None or not needs_value) and (has_evidence or not needs_document)


class IndicatorLineage(models.Model):
    """How an indicator relates to the previous year's catalogue, so trends compare like with like.

    Stored by code (not by row) so that a later correction of the previous year still resolves.
    """

    class Kind(models.TextChoices):
        CONTINUES = "continues", _("melanjutkan")
        SPLIT = "split", _("pecahan dari")
        MERGE = "merge", _("gabungan dari")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="lineage")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    previous_code = models.CharField(_("kode tahun sebelumnya"), max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "previous_code"], name="lineage_previous_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["continues", "split", "merge"]), name="lineage_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.kind} {self.previous_code}"
