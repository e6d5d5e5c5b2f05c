"""Reads of the MCP domain. Views scope everything through here and `accounts.selectors`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, User
from cegah.regions.models import Pemda

from .models import (
    Area,
    CatalogueVersion,
    Indicator,
    IndicatorAssignment,
    IndicatorLineage,
    Period,
    PeriodExtension,
    SubIndicator,
)

# --- Catalogue -------------------------------------------------------------------------------


def catalogue_years() -> list[int]:
    return sorted(set(CatalogueVersion.objects.values_list("year", flat=True)), reverse=True)


def current_catalogue(*, year: int) -> CatalogueVersion | None:
    """The version in force for a year: the latest correction."""
    return CatalogueVersion.objects.filter(year=year).order_by("-version").first()


def catalogue_versions(*, year: int) -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.filter(year=year).order_by("-version")


def applicable_q(kind: str, prefix: str = "") -> Q:
    """Indicators that apply to a kind of Pemda (provinsi, kabupaten or kota)."""
    return Q(**{f"{prefix}applies_{kind}": True})


def _search_q(query: str) -> Q:
    """Every word must appear somewhere in the indicator or one of its sub-indicators."""
    condition = Q()
    for word in query.split()[:8]:
        in_subs = SubIndicator.objects.filter(
            Q(code__icontains=word)
            | Q(question_id__icontains=word)
            | Q(question_en__icontains=word)
            | Q(guidance_id__icontains=word)
            | Q(guidance_en__icontains=word)
        ).values("indicator_id")
        condition &= (
            Q(code__icontains=word)
            | Q(name_id__icontains=word)
            | Q(name_en__icontains=word)
            | Q(area__name_id__icontains=word)
            | Q(area__name_en__icontains=word)
            | Q(pk__in=in_subs)
        )
    return condition


def catalogue_areas(*, catalogue: CatalogueVersion, query: str = "") -> Sequence[Area]:
    """The areas of a catalogue, each with `.shown` indicators (matching the query) and their
    sub-indicators, in four queries whatever the size."""
    indicators = (
        Indicator.objects.filter(catalogue=catalogue)
        .filter(_search_q(query))
        .select_related("sasaran")
        .prefetch_related("sub_indicators", "lineage")
        .order_by("position")
    )
    areas = list(
        catalogue.areas.prefetch_related(
            Prefetch("indicators", queryset=indicators, to_attr="shown")
        )
    )
    return [a for a in areas if a.shown] if query.strip() else areas


def applicable_indicators(*, catalogue: CatalogueVersion, pemda: Pemda) -> QuerySet[Indicator]:
    return Indicator.objects.filter(catalogue=catalogue).filter(applicable_q(pemda.kind))


# --- Changes between two years -----------------------------------------------------------------


@dataclass
class IndicatorChange:
    indicator: Indicator
    previous: list[Indicator] = field(default_factory=list)
    old_weight: Decimal | None = None

    @property
    def moved(self) -> bool:
        return bool(self.previous) and self.previous[0].area.code != self.indicator.area.code

    @property
    def renamed(self) -> bool:
        return bool(self.previous) and self.previous[0].name_id != self.indicator.name_id

    @property
    def reweighted(self) -> bool:
        return self.old_weight is not None and self.old_weight != self.indicator.weight


@dataclass
class CatalogueChanges:
    catalogue: CatalogueVersion
    previous: CatalogueVersion
    added: list[IndicatorChange] = field(default_factory=list)
    removed: list[Indicator] = field(default_factory=list)
    split: list[IndicatorChange] = field(default_factory=list)
    merged: list[IndicatorChange] = field(default_factory=list)
    continued: list[IndicatorChange] = field(default_factory=list)

    @property
    def moved(self) -> list[IndicatorChange]:
        return [c for c in self.continued if c.moved]

    @property
    def renamed(self) -> list[IndicatorChange]:
        return [c for c in self.continued if c.renamed]

    @property
    def reweighted(self) -> list[IndicatorChange]:
        return [c for c in self.continued if c.reweighted]


def catalogue_changes(*, year: int) -> CatalogueChanges | None:
    """What changed in a year's catalogue against the year before, following the mapping the
    catalogue states (continues, split, merge; a same-code indicator continues)."""
    new, old = current_catalogue(year=year), current_catalogue(year=year - 1)
    if new is None or old is None:
        return None
    old_by_code = {
        i.code: i for i in Indicator.objects.filter(catalogue=old).select_related("area")
    }
    changes = CatalogueChanges(catalogue=new, previous=old)
    referenced: set[str] = set()
    indicators = (
        Indicator.objects.filter(catalogue=new)
        .select_related("area")
        .prefetch_related(Prefetch("lineage", queryset=IndicatorLineage.objects.order_by("pk")))
        .order_by("area__position", "position")
    )
    for indicator in indicators:
        links = list(indicator.lineage.all())
        previous = [old_by_code[x.previous_code] for x in links if x.previous_code in old_by_code]
        referenced.update(x.previous_code for x in links)
        change = IndicatorChange(indicator, previous)
        if not links:
            changes.added.append(change)
        elif links[0].kind == IndicatorLineage.Kind.SPLIT:
            changes.split.append(change)
        elif links[0].kind == IndicatorLineage.Kind.MERGE:
            changes.merged.append(change)
        else:
            change.old_weight = previous[0].weight if previous else None
            changes.continued.append(change)
    changes.removed = [i for code, i in old_by_code.items() if code not in referenced]
    return changes


# --- Periods ------------------------------------------------------------------------------------


def periods_of(*, year: int) -> QuerySet[Period]:
    return Period.objects.filter(year=year).prefetch_related(
        Prefetch(
            "extensions",
            queryset=PeriodExtension.objects.select_related("pemda", "granted_by"),
        )
    )


def open_period(*, year: int | None = None) -> Period | None:
    qs = Period.objects.filter(state=Period.State.OPEN).order_by("-year")
    return (qs.filter(year=year) if year else qs).first()


def upload_deadline_for(*, period: Period, pemda: Pemda) -> datetime:
    """The deadline that applies to this Pemda: its extension, if the Koordinator granted one."""
    extension = PeriodExtension.objects.filter(period=period, pemda=pemda).first()
    return extension.upload_deadline if extension else period.upload_deadline


# --- Assignment ---------------------------------------------------------------------------------


def assignment_board(*, catalogue: CatalogueVersion, pemda: Pemda) -> Sequence[Area]:
    """Areas with the indicators that apply to the Pemda, each with `.assigned` OPD."""
    assigned = IndicatorAssignment.objects.filter(pemda=pemda).select_related("opd")
    indicators = (
        applicable_indicators(catalogue=catalogue, pemda=pemda)
        .prefetch_related(
            Prefetch("assignments", queryset=assigned.order_by("opd__name"), to_attr="assigned")
        )
        .order_by("position")
    )
    areas = catalogue.areas.prefetch_related(
        Prefetch("indicators", queryset=indicators, to_attr="shown")
    )
    return [a for a in areas if a.shown]


def operator_opd_ids(*, user: User, pemda: Pemda | None = None) -> list[int]:
    return [
        a.opd_id
        for a in access.role_assignments(user=user)
        if a.role == Role.OPERATOR
        and a.opd_id is not None
        and (pemda is None or a.pemda_id == pemda.pk)
    ]


def indicators_for_operator(*, user: User, catalogue: CatalogueVersion) -> QuerySet[Indicator]:
    """Only what the Admin Pemda assigned to the operator's own OPD."""
    return (
        Indicator.objects.filter(
            catalogue=catalogue, assignments__opd_id__in=operator_opd_ids(user=user)
        )
        .distinct()
        .select_related("area")
        .prefetch_related("sub_indicators")
        .order_by("area__position", "position")
    )
