from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cegah.mcp.models import AreaScore, Award, CatalogueVersion, Indicator, PemdaScore
from cegah.regions.models import Pemda, Province
from cegah.zi.models import Designation, Predicate


class ProvinceSerializer(serializers.ModelSerializer[Province]):
    class Meta:
        model = Province
        fields = ["code", "name"]


class PemdaSerializer(serializers.ModelSerializer[Pemda]):
    province = serializers.CharField(source="province.code")

    class Meta:
        model = Pemda
        fields = ["code", "name", "kind", "province", "time_zone"]


class CatalogueSerializer(serializers.ModelSerializer[CatalogueVersion]):
    class Meta:
        model = CatalogueVersion
        fields = [
            "year",
            "version",
            "title_id",
            "title_en",
            "reason",
            "opened_at",
            "illustrative_id",
            "illustrative_en",
            "aspects",
        ]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    area = serializers.CharField(source="area.code")
    applies_to = serializers.ListField(source="applies_kinds", child=serializers.CharField())

    class Meta:
        model = Indicator
        fields = ["code", "area", "aspect", "name_id", "name_en", "weight", "applies_to"]


class ScoreSerializer(serializers.ModelSerializer[PemdaScore]):
    pemda = serializers.CharField(source="pemda.code")
    name = serializers.CharField(source="pemda.name")
    kind = serializers.CharField(source="pemda.kind")
    province = serializers.CharField(source="pemda.province.code")
    areas = serializers.SerializerMethodField()

    class Meta:
        model = PemdaScore
        fields = [
            "pemda",
            "name",
            "kind",
            "province",
            "verified_score",
            "self_score",
            "category",
            "rank_province",
            "province_size",
            "rank_national",
            "national_size",
            "rank_published",
            "areas",
        ]

    def get_areas(self, obj: PemdaScore) -> dict[str, str]:
        return {a.area_code: str(a.verified_score) for a in getattr(obj, "year_areas", [])}


class AwardSerializer(serializers.ModelSerializer[Award]):
    pemda = serializers.CharField(source="pemda.code")
    name = serializers.CharField(source="pemda.name")

    class Meta:
        model = Award
        fields = [
            "rule",
            "name_id",
            "name_en",
            "category",
            "pemda",
            "name",
            "value",
            "unit_id",
            "unit_en",
            "announced",
            "rank",
            "handed_over_on",
            "event",
        ]


class AreaScoreSerializer(serializers.ModelSerializer[AreaScore]):
    pemda = serializers.CharField(source="pemda.code")
    name = serializers.CharField(source="pemda.name")
    area = serializers.CharField(source="area_code")

    class Meta:
        model = AreaScore
        fields = ["pemda", "name", "area", "verified_score", "self_score"]


class DesignationSerializer(serializers.ModelSerializer[Designation]):
    pemda = serializers.CharField(source="unit.pemda.code")
    pemda_name = serializers.CharField(source="unit.pemda.name")
    province = serializers.CharField(source="unit.pemda.province.code")
    unit = serializers.CharField(source="unit.name")
    opd = serializers.CharField(source="unit.opd.name")
    revoked = serializers.BooleanField(source="is_revoked")

    class Meta:
        model = Designation
        fields = [
            "pemda",
            "pemda_name",
            "province",
            "unit",
            "opd",
            "predicate",
            "year",
            "designated_on",
            "revoked",
            "revoked_on",
        ]


# The lists' query parameters, checked: a kind, code or area the API does not know is a 400
# that names the parameter, where a filter taken as given answered with an empty list, as if
# nothing matched. A blank parameter counts as not given.


def _kind() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=Pemda.Kind.values,
        required=False,
        allow_blank=True,
        error_messages={
            "invalid_choice": _("“{input}” bukan jenis Pemda: pilih provinsi, kabupaten atau kota.")
        },
    )


def _code(help_text: str) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, help_text=help_text)


class _Filters(serializers.Serializer[Any]):
    def validate_province(self, code: str) -> str:
        if code and not Province.objects.filter(code=code).exists():
            raise serializers.ValidationError(
                _("Tidak ada provinsi dengan kode “%(code)s”.") % {"code": code}
            )
        return code

    def validate_pemda(self, code: str) -> str:
        if code and not Pemda.objects.filter(code=code).exists():
            raise serializers.ValidationError(
                _("Tidak ada Pemda dengan kode “%(code)s”.") % {"code": code}
            )
        return code

    def validate_area(self, code: str) -> str:
        codes, year = self.context["area_codes"], self.context["year"]
        if code and code not in codes:
            raise serializers.ValidationError(
                _("Katalog %(year)s tidak punya area “%(code)s”.") % {"year": year, "code": code}
            )
        return code


PROVINCE_HELP = "Kemendagri code of the province, e.g. 33"
PEMDA_HELP = "Kemendagri code of the Pemda, e.g. 33.75"
AREA_HELP = "Area code of the year's catalogue, e.g. PBJ"


class PemdaFilters(_Filters):
    kind = _kind()
    province = _code(PROVINCE_HELP)


class ScoreFilters(_Filters):
    kind = _kind()
    province = _code(PROVINCE_HELP)
    pemda = _code(PEMDA_HELP)


class AreaScoreFilters(_Filters):
    area = _code(AREA_HELP)
    pemda = _code(PEMDA_HELP)


class IndicatorFilters(_Filters):
    area = _code(AREA_HELP)


class DesignationFilters(_Filters):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Year of the assessment"
    )
    province = _code(PROVINCE_HELP)
    pemda = _code(PEMDA_HELP)
    predicate = serializers.ChoiceField(
        choices=Predicate.values,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _("“{input}” bukan predikat: pilih WBK atau WBBM.")},
    )


class Problem(serializers.Serializer[Any]):
    """An error: what is not found, or which page is not there."""

    detail = serializers.CharField()


# --- SPI and the integrity profile's figures -------------------------------------------------------


class SpiFilters(_Filters):
    province = _code(PROVINCE_HELP)
    pemda = _code(PEMDA_HELP)


class SpiScoreSerializer(serializers.Serializer[Any]):
    pemda = serializers.CharField(source="pemda.code")
    pemda_name = serializers.CharField(source="pemda.name")
    province = serializers.CharField(source="pemda.province.code")
    year = serializers.IntegerField(source="release.year")
    value = serializers.DecimalField(max_digits=5, decimal_places=2)
    category = serializers.CharField(
        help_text="rentan, waspada or terjaga by the year's categories; empty before 2024"
    )
    elements = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        help_text="Element code → score, as published",
    )
    respondents_internal = serializers.IntegerField(allow_null=True)
    respondents_external = serializers.IntegerField(allow_null=True)
    respondents_expert = serializers.IntegerField(allow_null=True)


SMALL_COUNT_SCHEMA = {
    "oneOf": [{"type": "integer", "minimum": 5}, {"type": "string", "enum": ["< 5"]}],
    "description": 'As of yesterday; "< 5" for 0 to 4 (a smaller figure could point at a person, and 0 becoming "< 5" would date a report).',
}


@extend_schema_field(SMALL_COUNT_SCHEMA)
class SmallCountField(serializers.Field):
    """A count of reports, gifts or declarations: an integer, or "< 5" below five."""

    def to_representation(self, value: int | str) -> int | str:
        return value


class FiguresSerializer(serializers.Serializer[Any]):
    pemda = serializers.CharField(source="pemda.code")
    pemda_name = serializers.CharField(source="pemda.name")
    province = serializers.CharField(source="pemda.province.code")
    year = serializers.IntegerField(help_text="The year of the gratification and conflict counts")
    mcp_year = serializers.IntegerField(allow_null=True)
    mcp_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    mcp_rank_province = serializers.IntegerField(allow_null=True)
    spi_year = serializers.IntegerField(allow_null=True)
    spi_value = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    spi_category = serializers.CharField()
    zi_wbk = serializers.IntegerField(help_text="Units holding WBK now")
    zi_wbbm = serializers.IntegerField(help_text="Units holding WBBM now")
    wbs_reports = SmallCountField()
    wbs_closed = SmallCountField()
    gratification_reports = SmallCountField()
    conflict_declarations = SmallCountField()
    conflict_decisions = SmallCountField()


class FiguresFilters(_Filters):
    kind = _kind()
    province = _code(PROVINCE_HELP)
    pemda = _code(PEMDA_HELP)
