"""The read-only open-data API. Published scores only; nothing in progress is reachable here."""

from __future__ import annotations

import builtins
import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from cegah.mcp import score_selectors as scores
from cegah.mcp.models import (
    YEAR,
    AreaScore,
    Award,
    CatalogueVersion,
    Indicator,
    PemdaScore,
    ScoreSnapshot,
)
from cegah.regions.models import Pemda, Province
from cegah.spi import selectors as spi
from cegah.spi.models import Score
from cegah.zi import selectors as zi
from cegah.zi.models import Designation

from . import serializers
from .figures import cached_figures
from .page_cache import publication_marker
from .profile import profile_marker


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    page_size_query_description = "Rows per page: 1 to 1000 (more gives 1000); 100 if not given."
    max_page_size = 1000
    invalid_page_message = _("Halaman {page_number} tidak ada.")

    def get_page_size(self, request: Request) -> int:
        """A page size that is no whole number from 1 is a 400, not the default in silence."""
        asked = request.query_params.get(self.page_size_query_param, "")
        if not asked:
            return self.page_size
        # Plain ASCII digits: str.isdigit() also takes "³", which int() refuses.
        if not asked.isascii() or not asked.isdigit() or int(asked) < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Ukuran halaman harus bilangan bulat 1 sampai %(most)d.")
                        % {"most": self.max_page_size}
                    ]
                }
            )
        return min(int(asked), self.max_page_size)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        # Generated example data is never passed off as published figures (README, Demo).
        response.data["demo"] = settings.DEMO
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described: dict[str, Any] = super().get_paginated_response_schema(schema)
        described["properties"]["demo"] = {
            "type": "boolean",
            "description": "True while the installation shows generated example data, "
            "not figures published by its publisher.",
        }
        described["properties"]["source"] = {
            "type": "object",
            "nullable": True,
            "description": "Lists of published scores: where the year's figures come from. "
            'origin "computed" (from the verified answers, published by name) or "imported" '
            "(the results as announced: name and url of the source, announced_on, event).",
        }
        return described

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:  # page and page_size both count from 1
            parameter["schema"]["minimum"] = 1
        return parameters


BAD_QUERY = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A filter or page size the API does not know: each such parameter with its "
    'messages, e.g. {"kind": ["…"]}.',
)


def _responses(ok: Any, missing: str) -> dict[int, Any]:
    return {
        200: ok,
        400: BAD_QUERY,
        404: OpenApiResponse(serializers.Problem, description=missing),
    }


NO_PAGE = "A page past the last."


class OpenData(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    pagination_class = Pages
    last_modified: Any = None

    def filters(self, kind: type[Serializer[Any]], **context: Any) -> dict[str, str]:
        """The query's filters, checked by `kind` (`serializers.PemdaFilters` and the like)."""
        checked = kind(data=self.request.query_params, context=context)
        checked.is_valid(raise_exception=True)
        return {name: value for name, value in checked.validated_data.items() if value}

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        # Kept by browsers and proxies, but asked again each time (a 304 when unchanged): with a
        # max-age a new publication reached readers only when their copy expired.
        response["Cache-Control"] = "public, no-cache"
        if settings.DEMO:  # on every answer, lists without pages included
            response["X-Demo-Data"] = "true"
        return response


@extend_schema(responses=_responses(serializers.ProvinceSerializer, NO_PAGE))
class ProvinceList(OpenData):
    serializer_class = serializers.ProvinceSerializer
    queryset = Province.objects.order_by("code")


@extend_schema(
    parameters=[serializers.PemdaFilters],
    responses=_responses(serializers.PemdaSerializer, NO_PAGE),
)
class PemdaList(OpenData):
    serializer_class = serializers.PemdaSerializer

    def get_queryset(self) -> QuerySet[Pemda]:
        filters = self.filters(serializers.PemdaFilters)
        qs = Pemda.objects.select_related("province").order_by("code")
        if kind := filters.get("kind"):
            qs = qs.filter(kind=kind)
        if province := filters.get("province"):
            qs = qs.filter(province__code=province)
        return qs


@extend_schema(responses=_responses(serializers.CatalogueSerializer, NO_PAGE))
class CatalogueList(OpenData):
    """Catalogue versions opened for reporting (drafts are not public)."""

    serializer_class = serializers.CatalogueSerializer
    queryset = CatalogueVersion.objects.filter(opened_at__isnull=False).order_by(
        "-year", "-version"
    )


NO_CATALOGUE = "No catalogue of the year is open for reporting, or a page past the last."


@extend_schema(
    parameters=[serializers.IndicatorFilters],
    responses=_responses(serializers.IndicatorSerializer, NO_CATALOGUE),
)
class IndicatorList(OpenData):
    serializer_class = serializers.IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        year = self.kwargs["year"]
        catalogue = (
            CatalogueVersion.objects.filter(year=year, opened_at__isnull=False)
            .order_by("-version")
            .first()
        )
        if catalogue is None:
            raise NotFound(_("Belum ada katalog MCP tahun %(year)d.") % {"year": year})
        filters = self.filters(
            serializers.IndicatorFilters,
            area_codes=list(catalogue.areas.values_list("code", flat=True)),
            year=year,
        )
        qs = Indicator.objects.filter(catalogue=catalogue).select_related("area")
        if area := filters.get("area"):
            qs = qs.filter(area__code=area)
        return qs.order_by("area__position", "position")


NOT_PUBLISHED = "No scores of the year are published, or a page past the last."


def _published(view: OpenData) -> Any:
    year = view.kwargs["year"]
    snapshot = getattr(view, "snapshot", None) or scores.published(year)
    if snapshot is None:
        raise NotFound(_("Skor %(year)d belum diterbitkan.") % {"year": year})
    view.snapshot = snapshot
    view.last_modified = snapshot.published_at
    return snapshot


# Every query parameter an API list reads: the filters' fields and the paging.
API_PARAMETERS = frozenset(
    {"page", "page_size", "format"}
    | {
        name
        for kind in (
            serializers.PemdaFilters,
            serializers.ScoreFilters,
            serializers.AreaScoreFilters,
            serializers.IndicatorFilters,
            serializers.DesignationFilters,
        )
        for name in kind().fields
    }
)


def _source(snapshot: ScoreSnapshot) -> dict[str, Any]:
    """Where the year's figures come from: computed in this installation, or imported from
    the results as announced, with the source's name, address, day and event."""
    return {
        "origin": snapshot.origin,
        "version": snapshot.version,
        "published_at": snapshot.published_at,
        "name": snapshot.source_name or settings.PUBLISHER_NAME,
        "url": snapshot.source_url,
        "announced_on": snapshot.announced_on,
        "event": snapshot.announced_event,
    }


class PublishedData(OpenData):
    """Lists of a published snapshot. A published version never changes, so each page is
    cached as its JSON bytes under the latest publication's time and the full address: a new
    version of any year changes the key, and until then no row is read or rendered again."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        # Keyed by the parameters the API reads, not the whole address: "?utm=N" for many N
        # would otherwise fill the cache with copies of one answer.
        read = sorted(
            (name, value) for name, value in request.query_params.lists() if name in API_PARAMETERS
        )
        identity = "|".join([type(self).__name__, publication_marker(), request.path, repr(read)])
        key = "api-json:" + hashlib.sha256(identity.encode()).hexdigest()
        stored = cache.get(key)
        if stored is None:
            snapshot = _published(self)
            # JSON is the API's only renderer, so these are the bytes DRF would send.
            data = super().list(request, *args, **kwargs).data
            if isinstance(data, dict):
                data["source"] = _source(snapshot)
            content = JSONRenderer().render(data)
            stored = (content, snapshot.published_at)
            cache.set(key, stored, timeout=24 * 3600)
        content, self.last_modified = stored
        return HttpResponse(content, content_type="application/json")


@extend_schema(
    parameters=[serializers.ScoreFilters],
    responses=_responses(serializers.ScoreSerializer, NOT_PUBLISHED),
    description="Published yearly scores, highest first, with ranks and area scores.",
)
class ScoreList(PublishedData):
    serializer_class = serializers.ScoreSerializer

    def get_queryset(self) -> QuerySet[PemdaScore]:
        snapshot = _published(self)
        filters = self.filters(serializers.ScoreFilters)
        qs = scores.ranking(
            snapshot=snapshot, kind=filters.get("kind", ""), province=filters.get("province", "")
        )
        if pemda := filters.get("pemda"):
            qs = qs.filter(pemda__code=pemda)
        return qs

    def paginate_queryset(self, queryset: QuerySet[PemdaScore]) -> list[PemdaScore] | None:
        """Attaches each row's area scores: one query for the page, whatever its size."""
        page: list[PemdaScore] | None = super().paginate_queryset(queryset)
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
            row.year_areas = areas.get(row.pemda_id, [])  # type: ignore[attr-defined]
        return page


@extend_schema(responses=_responses(serializers.AwardSerializer, NOT_PUBLISHED))
class AwardList(PublishedData):
    serializer_class = serializers.AwardSerializer

    def get_queryset(self) -> QuerySet[Award]:
        return scores.awards_of(snapshot=_published(self)).order_by(
            "rule", "category", "pemda__code"
        )


@extend_schema(
    parameters=[serializers.AreaScoreFilters],
    responses=_responses(serializers.AreaScoreSerializer, NOT_PUBLISHED),
    description="Published yearly area scores of every Pemda, highest first.",
)
class AreaScoreList(PublishedData):
    serializer_class = serializers.AreaScoreSerializer

    def get_queryset(self) -> QuerySet[AreaScore]:
        snapshot = _published(self)
        filters = self.filters(
            serializers.AreaScoreFilters,
            area_codes=[code for code, _name in scores.snapshot_areas(snapshot)],
            year=snapshot.year,
        )
        qs = AreaScore.objects.filter(snapshot=snapshot, termin=YEAR).select_related("pemda")
        if area := filters.get("area"):
            qs = qs.filter(area_code=area)
        if pemda := filters.get("pemda"):
            qs = qs.filter(pemda__code=pemda)
        return qs.order_by("area_code", "-verified_score", "pemda__code")


@extend_schema(
    parameters=[serializers.DesignationFilters],
    responses=_responses(serializers.DesignationSerializer, NO_PAGE),
    description="Zona Integritas: every WBK and WBBM predicate awarded to a Pemda's unit, by "
    "Pemda, newest year first; a revoked one stays listed with revoked true and its day. "
    "Proposals and their evaluation are not published.",
)
class DesignationList(OpenData):
    serializer_class = serializers.DesignationSerializer

    def get_queryset(self) -> QuerySet[Designation]:
        filters = self.filters(serializers.DesignationFilters)
        return zi.published_designations(
            year=int(filters["year"]) if filters.get("year") else None,
            province=filters.get("province", ""),
            pemda=filters.get("pemda", ""),
            predicate=filters.get("predicate", ""),
        )


NO_SPI = "No SPI of the year is loaded, or a page past the last."


@extend_schema(
    parameters=[serializers.SpiFilters],
    responses=_responses(serializers.SpiScoreSerializer, NO_SPI),
    description="KPK's published SPI (Survei Penilaian Integritas) of a year, by Pemda, with the "
    "year's category and the element scores. `source` names where the year's figures come from "
    "and which version of its load this is (a re-import keeps the old version).",
)
class SpiList(OpenData):
    serializer_class = serializers.SpiScoreSerializer

    def get_queryset(self) -> QuerySet[Score]:
        year = self.kwargs["year"]
        self.release = spi.current_release(year)
        if self.release is None:
            raise NotFound(_("SPI %(year)d belum dimuat.") % {"year": year})
        self.last_modified = self.release.loaded_at
        filters = self.filters(serializers.SpiFilters)
        qs = spi.scores_of_year(year).order_by("pemda__code")
        if province := filters.get("province"):
            qs = qs.filter(pemda__province__code=province)
        if pemda := filters.get("pemda"):
            qs = qs.filter(pemda__code=pemda)
        return qs

    def paginate_queryset(self, queryset: QuerySet[Score]) -> list[Score] | None:
        page: list[Score] | None = super().paginate_queryset(queryset)
        ref = spi.reference()
        for row in page if page is not None else []:
            category = spi.category(row.release.year, row.value, ref)
            row.category = category.code if category else ""  # type: ignore[attr-defined]
        return page

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        release = self.release
        assert release is not None  # noqa: S101 - get_queryset found it, or answered 404
        response.data["source"] = {
            "name": release.source_name,
            "url": release.source_url,
            "published_on": release.published_on,
            "version": release.version,
        }
        return response


@extend_schema(
    parameters=[
        serializers.FiguresFilters,
        OpenApiParameter(
            "year",
            int,
            description="Year of the gratification and conflict "
            "counts (default: the current year); MCP and SPI are the latest up to it",
        ),
    ],
    responses=_responses(serializers.FiguresSerializer, NO_PAGE),
    description="The integrity profile's published figures, one row per Pemda. Counts of WBS "
    "reports, gratification reports and conflict-of-interest declarations stop at yesterday and "
    'are "< 5" from 0 to 4.',
)
class FiguresList(OpenData):
    """Each page is kept as its JSON bytes under the profile's marker (any module's change, or a
    new day) and the parameters read: until then no row is read or rendered again."""

    serializer_class = serializers.FiguresSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        read = sorted(
            (name, value)
            for name, value in request.query_params.lists()
            if name in API_PARAMETERS | {"year"}
        )
        identity = "|".join([type(self).__name__, profile_marker(), repr(read)])
        key = "api-json:" + hashlib.sha256(identity.encode()).hexdigest()
        content = cache.get(key)
        if content is None:
            content = JSONRenderer().render(super().list(request, *args, **kwargs).data)
            cache.set(key, content, timeout=24 * 3600)
        return HttpResponse(content, content_type="application/json")

    def get_queryset(self) -> QuerySet[Pemda]:
        filters = self.filters(serializers.FiguresFilters)
        qs = Pemda.objects.select_related("province").order_by("code")
        if kind := filters.get("kind"):
            qs = qs.filter(kind=kind)
        if province := filters.get("province"):
            qs = qs.filter(province__code=province)
        if pemda := filters.get("pemda"):
            qs = qs.filter(code=pemda)
        return qs

    def paginate_queryset(self, queryset: QuerySet[Pemda]) -> builtins.list[Any] | None:
        page = super().paginate_queryset(queryset)
        asked = self.request.query_params.get("year", "")
        latest = (timezone.localdate() - timedelta(days=1)).year
        if asked and (
            not asked.isascii() or not asked.isdigit() or not 2000 <= int(asked) <= latest
        ):
            raise ValidationError({"year": [_("Tahun 2000 sampai %(last)d.") % {"last": latest}]})
        return cached_figures(
            year=int(asked) if asked else latest,
            marker=profile_marker(),
            pemdas=list(page or []),
        )
