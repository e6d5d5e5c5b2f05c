"""The read-only open-data API. Published scores only; nothing in progress is reachable here."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cegah.mcp import score_selectors as scores
from cegah.mcp.models import YEAR, AreaScore, Award, CatalogueVersion, Indicator, PemdaScore
from cegah.regions.models import Pemda, Province

from . import serializers
from .page_cache import publication_marker

KIND = OpenApiParameter("kind", OpenApiTypes.STR, enum=Pemda.Kind.values)
PROVINCE = OpenApiParameter("province", OpenApiTypes.STR, description="Kemendagri code, e.g. 33")


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class OpenData(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    pagination_class = Pages
    last_modified: Any = None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        response["Cache-Control"] = "public, max-age=300"
        return response


class ProvinceList(OpenData):
    serializer_class = serializers.ProvinceSerializer
    queryset = Province.objects.order_by("code")


@extend_schema(parameters=[KIND, PROVINCE])
class PemdaList(OpenData):
    serializer_class = serializers.PemdaSerializer

    def get_queryset(self) -> QuerySet[Pemda]:
        qs = Pemda.objects.select_related("province").order_by("code")
        if kind := self.request.query_params.get("kind"):
            qs = qs.filter(kind=kind)
        if province := self.request.query_params.get("province"):
            qs = qs.filter(province__code=province)
        return qs


class CatalogueList(OpenData):
    """Catalogue versions opened for reporting (drafts are not public)."""

    serializer_class = serializers.CatalogueSerializer
    queryset = CatalogueVersion.objects.filter(opened_at__isnull=False).order_by(
        "-year", "-version"
    )


@extend_schema(parameters=[OpenApiParameter("area", OpenApiTypes.STR)])
class IndicatorList(OpenData):
    serializer_class = serializers.IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        catalogue = (
            CatalogueVersion.objects.filter(year=self.kwargs["year"], opened_at__isnull=False)
            .order_by("-version")
            .first()
        )
        if catalogue is None:
            raise Http404
        qs = Indicator.objects.filter(catalogue=catalogue).select_related("area")
        if area := self.request.query_params.get("area"):
            qs = qs.filter(area__code=area)
        return qs.order_by("area__position", "position")


def _published(view: OpenData) -> Any:
    snapshot = getattr(view, "snapshot", None) or scores.published(view.kwargs["year"])
    if snapshot is None:
        raise Http404
    view.snapshot = snapshot
    view.last_modified = snapshot.published_at
    return snapshot


class PublishedData(OpenData):
    """Lists of a published snapshot. A published version never changes, so each page is
    cached as its JSON bytes under the latest publication's time and the full address: a new
    version of any year changes the key, and until then no row is read or rendered again."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        identity = "|".join(
            [type(self).__name__, publication_marker(), request.build_absolute_uri()]
        )
        key = "api-json:" + hashlib.sha256(identity.encode()).hexdigest()
        stored = cache.get(key)
        if stored is None:
            snapshot = _published(self)
            # JSON is the API's only renderer, so these are the bytes DRF would send.
            content = JSONRenderer().render(super().list(request, *args, **kwargs).data)
            stored = (content, snapshot.published_at)
            cache.set(key, stored, timeout=24 * 3600)
        content, self.last_modified = stored
        return HttpResponse(content, content_type="application/json")


@extend_schema(
    parameters=[KIND, PROVINCE, OpenApiParameter("pemda", OpenApiTypes.STR)],
    description="Published yearly scores, highest first, with ranks and area scores.",
)
class ScoreList(PublishedData):
    serializer_class = serializers.ScoreSerializer

    def get_queryset(self) -> QuerySet[PemdaScore]:
        snapshot = _published(self)
        params = self.request.query_params
        qs = scores.ranking(
            snapshot=snapshot, kind=params.get("kind", ""), province=params.get("province", "")
        )
        if pemda := params.get("pemda"):
            qs = qs.filter(pemda__code=pemda)
        return qs

    def paginate_queryset(self, queryset: QuerySet[PemdaScore]) -> list[PemdaScore] | None:
        """Attaches each row's area scores: one query for the page, whatever its size."""
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        areas: dict[int, list[AreaScore]] = {}
        if rows:
            for area in AreaScore.objects.filter(
                snapshot_id=rows[0].snapshot_id,
                termin=YEAR,
                pemda_id__in=[r.pemda_id for r in rows],
            ).order_by("area_code"):
                areas.setdefault(area.pemda_id, []).append(area)
        for row in rows:
            row.year_areas = areas.get(row.pemda_id, [])  # type: ignore[union-attr]
        return page


class AwardList(PublishedData):
    serializer_class = serializers.AwardSerializer

    def get_queryset(self) -> QuerySet[Award]:
        return scores.awards_of(snapshot=_published(self)).order_by(
            "rule", "category", "pemda__code"
        )


@extend_schema(
    parameters=[
        OpenApiParameter("area", OpenApiTypes.STR),
        OpenApiParameter("pemda", OpenApiTypes.STR),
    ],
    description="Published yearly area scores of every Pemda, highest first.",
)
class AreaScoreList(PublishedData):
    serializer_class = serializers.AreaScoreSerializer

    def get_queryset(self) -> QuerySet[AreaScore]:
        snapshot = _published(self)
        qs = AreaScore.objects.filter(snapshot=snapshot, termin=YEAR).select_related("pemda")
        if area := self.request.query_params.get("area"):
            qs = qs.filter(area_code=area)
        if pemda := self.request.query_params.get("pemda"):
            qs = qs.filter(pemda__code=pemda)
        return qs.order_by("area_code", "-verified_score", "pemda__code")
