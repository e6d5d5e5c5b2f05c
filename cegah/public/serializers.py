from __future__ import annotations

from rest_framework import serializers

from cegah.mcp.models import AreaScore, Award, CatalogueVersion, Indicator, PemdaScore
from cegah.regions.models import Pemda, Province


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
        fields = ["year", "version", "title_id", "title_en", "reason", "opened_at"]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    area = serializers.CharField(source="area.code")
    applies_to = serializers.ListField(source="applies_kinds", child=serializers.CharField())

    class Meta:
        model = Indicator
        fields = ["code", "area", "name_id", "name_en", "weight", "applies_to"]


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
            "areas",
        ]

    def get_areas(self, obj: PemdaScore) -> dict[str, str]:
        return {a.area_code: str(a.verified_score) for a in getattr(obj, "year_areas", [])}


class AwardSerializer(serializers.ModelSerializer[Award]):
    pemda = serializers.CharField(source="pemda.code")
    name = serializers.CharField(source="pemda.name")

    class Meta:
        model = Award
        fields = ["rule", "name_id", "name_en", "category", "pemda", "name", "value"]


class AreaScoreSerializer(serializers.ModelSerializer[AreaScore]):
    pemda = serializers.CharField(source="pemda.code")
    name = serializers.CharField(source="pemda.name")
    area = serializers.CharField(source="area_code")

    class Meta:
        model = AreaScore
        fields = ["pemda", "name", "area", "verified_score", "self_score"]
