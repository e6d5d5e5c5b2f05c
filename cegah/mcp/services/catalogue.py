from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import DomainError
from cegah.core.instrument_file import Problem
from cegah.mcp.catalogue_file import Catalogue, CatalogueInvalid, parse_catalogue
from cegah.mcp.models import (
    Answer,
    Area,
    CatalogueVersion,
    Indicator,
    IndicatorAssignment,
    IndicatorLineage,
    Sasaran,
    SubIndicator,
)


@dataclass(frozen=True)
class ImportResult:
    catalogue: CatalogueVersion
    status: str  # "created", "replaced" or "unchanged"
    carried_answers: int = 0
    # Answers whose question changed (new code or answer type) stay with the version they answered.
    answers_left_behind: int = 0
    carried_assignments: int = 0


def _lineage(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """(indicator code, kind, previous code) rows, checked against the previous year's current
    catalogue. Without an explicit `previous`, an indicator whose code existed last year
    continues it."""
    previous = CatalogueVersion.objects.filter(year=catalogue.year - 1).order_by("-version").first()
    previous_codes = set(previous.indicators.values_list("code", flat=True)) if previous else set()
    problems: list[Problem] = []
    rows: list[tuple[str, str, str]] = []
    split_sources: dict[str, list[tuple[str, object, str]]] = {}
    continued: dict[str, str] = {}

    def problem(mapping: object, key: str, field: str, message: str) -> None:
        line = getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", 0))
        problems.append(Problem(catalogue.source_name, line, field, message))

    for n, indicator in enumerate(catalogue.indicators):
        code, explicit = indicator["code"], indicator["previous"]
        field = f"indicators[{n}].previous"
        if explicit is None:
            if code in previous_codes:
                rows.append((code, IndicatorLineage.Kind.CONTINUES, code))
                continued.setdefault(code, code)
            continue
        if explicit["kind"] == "new":
            continue
        if previous is None:
            problem(
                explicit["_map"],
                "kind",
                field,
                _("katalog tahun %(year)d belum dimuat; muat dulu sebelum memetakan indikator.")
                % {"year": catalogue.year - 1},
            )
            continue
        for old in explicit["codes"]:
            if old not in previous_codes:
                problem(
                    explicit["_map"],
                    "codes",
                    f"{field}.codes",
                    _("kode %(code)s tidak ada di katalog %(year)d.")
                    % {"code": old, "year": previous.year},
                )
                continue
            rows.append((code, explicit["kind"], old))
            if explicit["kind"] == "split":
                split_sources.setdefault(old, []).append((code, explicit["_map"], field))
            elif explicit["kind"] == "continues":
                if old in continued and continued[old] != code:
                    problem(
                        explicit["_map"],
                        "codes",
                        f"{field}.codes",
                        _("%(old)s sudah dilanjutkan oleh %(other)s; gunakan 'split'.")
                        % {"old": old, "other": continued[old]},
                    )
                continued[old] = code
    for old, successors in split_sources.items():
        if len(successors) < 2:
            code, mapping, field = successors[0]
            problem(
                mapping,
                "kind",
                field,
                _(
                    "%(old)s dipecah hanya menjadi %(code)s; pemecahan butuh dua indikator atau lebih."
                )
                % {"old": old, "code": code},
            )
    if problems:
        raise CatalogueInvalid(problems)
    return rows


def _write(catalogue: Catalogue, lineage: list[tuple[str, str, str]]) -> CatalogueVersion:
    version = CatalogueVersion.objects.create(
        year=catalogue.year,
        version=catalogue.version,
        title_id=catalogue.title["id"],
        title_en=catalogue.title["en"],
        reason=catalogue.reason,
        note=catalogue.note,
        source_name=catalogue.source_name,
        source_sha256=catalogue.sha256,
        illustrative_id=catalogue.illustrative["id"],
        illustrative_en=catalogue.illustrative["en"],
        aspects=catalogue.aspects,
    )
    areas = {}
    for pos, a in enumerate(catalogue.areas):
        areas[a["code"]] = Area.objects.create(
            catalogue=version,
            code=a["code"],
            name_id=a["name"]["id"],
            name_en=a["name"]["en"],
            weight=a["weight"],
            position=pos,
        )
    sasaran = {}
    for pos, s in enumerate(catalogue.sasaran):
        sasaran[s["code"]] = Sasaran.objects.create(
            area=areas[s["area"]],
            code=s["code"],
            name_id=s["name"]["id"],
            name_en=s["name"]["en"],
            position=pos,
        )
    subs: list[SubIndicator] = []
    for pos, i in enumerate(catalogue.indicators):
        indicator = Indicator.objects.create(
            catalogue=version,
            area=areas[i["area"]],
            sasaran=sasaran.get(str(i["sasaran"])) if i["sasaran"] is not None else None,
            code=i["code"],
            name_id=i["name"]["id"],
            name_en=i["name"]["en"],
            weight=i["weight"],
            aspect=i["aspect"],
            applies_provinsi="provinsi" in i["applies"],
            applies_kabupaten="kabupaten" in i["applies"],
            applies_kota="kota" in i["applies"],
            position=pos,
        )
        subs += [
            SubIndicator(
                indicator=indicator,
                code=s["code"],
                question_id=s["question"]["id"],
                question_en=s["question"]["en"],
                answer_type=s["answer_type"],
                options=s["options"],
                target=s["target"],
                weight=s["weight"],
                guidance_id=s["guidance"]["id"],
                guidance_en=s["guidance"]["en"],
                evidence=s["evidence"],
                position=n,
            )
            for n, s in enumerate(i["subs"])
        ]
    SubIndicator.objects.bulk_create(subs)
    indicator_ids = dict(version.indicators.values_list("code", "pk"))
    IndicatorLineage.objects.bulk_create(
        IndicatorLineage(indicator_id=indicator_ids[code], kind=kind, previous_code=old)
        for code, kind, old in lineage
    )
    return version


def _same_question(old: SubIndicator, new: SubIndicator) -> bool:
    # A stored value keeps its meaning only if it is read the same way.
    return old.answer_type == new.answer_type and len(old.options) == len(new.options)


def _carry_over(*, old: CatalogueVersion, new: CatalogueVersion) -> tuple[int, int, int]:
    """Moves answers and OPD assignments to the new version where the codes did not change.

    Returns (answers carried, answers left with the old version, assignments carried)."""
    new_subs = {
        (s.indicator.code, s.code): s
        for s in SubIndicator.objects.filter(indicator__catalogue=new).select_related("indicator")
    }
    carried = left = 0
    old_subs = SubIndicator.objects.filter(
        indicator__catalogue=old, answers__isnull=False
    ).distinct()
    for sub in old_subs.select_related("indicator"):
        target = new_subs.get((sub.indicator.code, sub.code))
        answers = Answer.objects.filter(sub_indicator=sub)
        if target is not None and _same_question(sub, target):
            carried += answers.update(sub_indicator=target)
        else:
            left += answers.count()
    new_indicators = {i.code: i for i in new.indicators.all()}
    moved = 0
    for assignment in IndicatorAssignment.objects.filter(indicator__catalogue=old).select_related(
        "indicator", "pemda"
    ):
        target_indicator = new_indicators.get(assignment.indicator.code)
        if target_indicator is not None and target_indicator.applies_to(assignment.pemda.kind):
            assignment.indicator = target_indicator
            assignment.save(update_fields=["indicator"])
            moved += 1
    return carried, left, moved


@transaction.atomic
def catalogue_import(*, path: Path, actor: User | None = None) -> ImportResult:
    """Validate and load one catalogue file. Loads nothing when the file has any problem.

    Re-importing an identical file changes nothing. A version not yet opened for reporting may be
    replaced; once opened it is immutable, and a correction must come as a new version number
    with a reason.
    """
    catalogue = parse_catalogue(path)  # raises CatalogueInvalid
    existing = (
        CatalogueVersion.objects.select_for_update()
        .filter(year=catalogue.year, version=catalogue.version)
        .first()
    )
    if existing is not None and existing.source_sha256 == catalogue.sha256:
        return ImportResult(existing, "unchanged")
    if existing is not None and existing.opened_at is not None:
        raise DomainError(
            _(
                "Katalog %(year)s versi %(version)d sudah dibuka untuk pelaporan dan tidak dapat "
                "diubah. Terbitkan koreksi sebagai versi %(next)d dengan alasan."
            )
            % {"year": catalogue.year, "version": catalogue.version, "next": catalogue.version + 1},
            code="immutable",
        )
    if (
        existing is None
        and catalogue.version > 1
        and not CatalogueVersion.objects.filter(
            year=catalogue.year, version=catalogue.version - 1
        ).exists()
    ):
        raise DomainError(
            _("Versi %(version)d tidak bisa dimuat sebelum versi %(previous)d tahun %(year)s.")
            % {
                "version": catalogue.version,
                "previous": catalogue.version - 1,
                "year": catalogue.year,
            },
            code="version_gap",
        )
    lineage = _lineage(catalogue)  # raises CatalogueInvalid
    status = "created"
    carried = left = moved = 0
    if existing is not None:
        # A draft being replaced: the Pemda's OPD assignments made meanwhile are kept by code.
        kept = list(
            IndicatorAssignment.objects.filter(indicator__catalogue=existing).values(
                "pemda_id", "pemda__kind", "opd_id", "assigned_by_id", "indicator__code"
            )
        )
        IndicatorAssignment.objects.filter(indicator__catalogue=existing).delete()
        existing.delete()
        status = "replaced"
        version = _write(catalogue, lineage)
        by_code = {i.code: i for i in version.indicators.all()}
        restored = [
            IndicatorAssignment(
                pemda_id=a["pemda_id"],
                indicator=by_code[a["indicator__code"]],
                opd_id=a["opd_id"],
                assigned_by_id=a["assigned_by_id"],
            )
            for a in kept
            if a["indicator__code"] in by_code
            and by_code[a["indicator__code"]].applies_to(a["pemda__kind"])
        ]
        moved = len(IndicatorAssignment.objects.bulk_create(restored))
    else:
        version = _write(catalogue, lineage)
        predecessor = (
            CatalogueVersion.objects.filter(year=version.year, version=version.version - 1)
            .exclude(pk=version.pk)
            .first()
        )
        if predecessor is not None:
            if predecessor.opened_at is not None:
                # Reporting goes on, on the corrected version.
                version.opened_at = timezone.now()
                version.save(update_fields=["opened_at"])
            carried, left, moved = _carry_over(old=predecessor, new=version)
    audit.record(
        actor=actor,
        action=f"mcp.catalogue.{status}",
        obj=version,
        data={
            "year": version.year,
            "version": version.version,
            "sha256": version.source_sha256,
            "reason": version.reason,
            "indicators": len(catalogue.indicators),
            "carried_answers": carried,
            "answers_left_behind": left,
            "carried_assignments": moved,
        },
    )
    return ImportResult(version, status, carried, left, moved)
