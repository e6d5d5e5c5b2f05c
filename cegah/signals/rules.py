"""Reading `data/signals/sinyal-<N>.yaml` and judging every Pemda by its rules. The figures come
from each domain's selectors; a signal says in words why it fired and shows the figures behind
it. Nothing here is public."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core.i18n import text_in_reader_language
from cegah.core.instrument_file import InstrumentInvalid, listed, read_yaml
from cegah.mcp import score_selectors as scores
from cegah.mcp.models import ScoreSnapshot
from cegah.regions.models import Pemda
from cegah.spi import selectors as spi
from cegah.upg import selectors as upg
from cegah.wbs import selectors as wbs

from .models import Review, RuleSet

RulesInvalid = InstrumentInvalid
THRESHOLDS = {
    "mcp_tinggi_spi_rentan": ("mcp_at_least",),
    "mcp_naik_wbs_naik": ("mcp_rise_at_least", "wbs_rise_at_least"),
    "selisih_mandiri_verifikasi": ("gap_at_least",),
    "gratifikasi_berhenti": ("last_year_at_least", "after_days"),
}


@dataclass(frozen=True)
class ParsedRules:
    version: int
    structure: dict[str, Any]
    sha256: str


def parse_rules(path: Path) -> ParsedRules:
    root, checker, sha256 = read_yaml(path)
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        checker.add(root, "version", "version", _("harus bilangan bulat paling kecil 1."))
        version = 0
    rules = {}
    for i, item in enumerate(listed(checker, root, "rules")):
        where = f"rules[{i}]"
        data = checker.mapping(item, root, "rules", where)
        if data is None:
            continue
        code = str(checker.required(data, "code", where) or "")
        if code and code not in THRESHOLDS:
            checker.add(
                data,
                "code",
                f"{where}.code",
                _("aturan tidak dikenal; yang ada: %(codes)s") % {"codes": ", ".join(THRESHOLDS)},
            )
            continue
        entry: dict[str, Any] = {"name": checker.text(data, "name", where)}
        for key in THRESHOLDS.get(code, ()):
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                checker.add(data, key, f"{where}.{key}", _("harus angka tidak negatif."))
                value = 0
            entry[key] = value
        rules[code] = entry
    if checker.problems:
        raise RulesInvalid(checker.problems)
    return ParsedRules(version, {"rules": rules}, sha256)


@dataclass(frozen=True)
class Signal:
    pemda: Pemda
    rule: str
    name: str
    year: int
    reason: str
    figures: dict[str, str]
    strength: Decimal  # how far past the threshold: the list is ranked by it
    review: Review | None = field(default=None, compare=False)


def _num(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def signals(*, province: str = "") -> list[Signal]:
    """Every signal that fires now, strongest first."""
    ruleset = RuleSet.objects.order_by("-version").first()
    if ruleset is None:
        return []
    rules = ruleset.structure["rules"]
    pemdas = {
        p.pk: p
        for p in Pemda.objects.select_related("province").filter(
            **({"province__code": province} if province else {})
        )
    }
    found: list[Signal] = []
    snapshots = list(scores.published_snapshots())  # newest year first
    latest = snapshots[0] if snapshots else None
    before = snapshots[1] if len(snapshots) > 1 else None

    def totals(snapshot: ScoreSnapshot | None) -> dict[int, tuple[Decimal, Decimal | None]]:
        if snapshot is None:
            return {}
        return {
            pk: (verified, self_score)
            for pk, verified, self_score in scores.ranking(snapshot=snapshot).values_list(
                "pemda_id", "verified_score", "self_score"
            )
        }

    now, then = totals(latest), totals(before)
    name = {code: text_in_reader_language(r["name"]) for code, r in rules.items()}
    if latest is not None and "mcp_tinggi_spi_rentan" in rules:
        rule = rules["mcp_tinggi_spi_rentan"]
        ref = spi.reference()
        spi_now = {s.pemda_id: s.value for s in spi.scores_of_year(latest.year)}
        for pk, (mcp, _self) in now.items():
            value = spi_now.get(pk)
            if value is None:
                continue
            category = spi.category(latest.year, value, ref)
            if (
                pk in pemdas
                and mcp >= rule["mcp_at_least"]
                and category
                and category.code == "rentan"
            ):
                found.append(
                    Signal(
                        pemdas[pk],
                        "mcp_tinggi_spi_rentan",
                        name["mcp_tinggi_spi_rentan"],
                        latest.year,
                        _(
                            "MCP %(year)d %(mcp)s (≥ %(limit)s) sementara SPI %(year)d %(spi)s, kategori rentan."
                        )
                        % {
                            "year": latest.year,
                            "mcp": _num(mcp),
                            "limit": rule["mcp_at_least"],
                            "spi": _num(value),
                        },
                        {"MCP": _num(mcp), "SPI": _num(value)},
                        mcp - value,
                    )
                )
    if latest is not None and before is not None and "mcp_naik_wbs_naik" in rules:
        rule = rules["mcp_naik_wbs_naik"]
        followed_now = wbs.substantiated_by_pemda(year=latest.year)
        followed_then = wbs.substantiated_by_pemda(year=before.year)
        for pk, (mcp, _self) in now.items():
            if pk not in then or pk not in pemdas:
                continue
            rise = mcp - then[pk][0]
            more = followed_now.get(pk, 0) - followed_then.get(pk, 0)
            if rise >= rule["mcp_rise_at_least"] and more >= rule["wbs_rise_at_least"]:
                found.append(
                    Signal(
                        pemdas[pk],
                        "mcp_naik_wbs_naik",
                        name["mcp_naik_wbs_naik"],
                        latest.year,
                        _(
                            "MCP naik %(rise)s poin (%(then)s → %(now)s) sementara laporan WBS yang "
                            "ditindaklanjuti bertambah %(more)d (%(before)d → %(after)d)."
                        )
                        % {
                            "rise": _num(rise),
                            "then": _num(then[pk][0]),
                            "now": _num(mcp),
                            "more": more,
                            "before": followed_then.get(pk, 0),
                            "after": followed_now.get(pk, 0),
                        },
                        {
                            f"MCP {before.year}": _num(then[pk][0]),
                            f"MCP {latest.year}": _num(mcp),
                            f"WBS {before.year}": str(followed_then.get(pk, 0)),
                            f"WBS {latest.year}": str(followed_now.get(pk, 0)),
                        },
                        rise,
                    )
                )
    if latest is not None and "selisih_mandiri_verifikasi" in rules:
        rule = rules["selisih_mandiri_verifikasi"]
        for pk, (mcp, self_score) in now.items():
            if self_score is None or pk not in pemdas:
                continue
            gap = self_score - mcp
            if gap >= rule["gap_at_least"]:
                found.append(
                    Signal(
                        pemdas[pk],
                        "selisih_mandiri_verifikasi",
                        name["selisih_mandiri_verifikasi"],
                        latest.year,
                        _(
                            "Nilai mandiri %(self)s, terverifikasi %(verified)s: selisih %(gap)s poin (≥ %(limit)s)."
                        )
                        % {
                            "self": _num(self_score),
                            "verified": _num(mcp),
                            "gap": _num(gap),
                            "limit": rule["gap_at_least"],
                        },
                        {"mandiri": _num(self_score), "terverifikasi": _num(mcp)},
                        gap,
                    )
                )
    if "gratifikasi_berhenti" in rules:
        rule = rules["gratifikasi_berhenti"]
        yesterday = timezone.localdate() - timedelta(days=1)
        year = yesterday.year
        if (yesterday - yesterday.replace(month=1, day=1)).days >= rule["after_days"]:
            last = upg.counts_by_pemda(
                year=year - 1, until=yesterday.replace(year=year - 1, month=12, day=31)
            )
            this = upg.counts_by_pemda(year=year, until=yesterday)
            for pk, n in last.items():
                if pk in pemdas and n >= rule["last_year_at_least"] and not this.get(pk):
                    found.append(
                        Signal(
                            pemdas[pk],
                            "gratifikasi_berhenti",
                            name["gratifikasi_berhenti"],
                            year,
                            _(
                                "%(n)d laporan gratifikasi pada %(last)d, tidak satu pun sejak 1 Januari %(year)d."
                            )
                            % {"n": n, "last": year - 1, "year": year},
                            {str(year - 1): str(n), str(year): "0"},
                            Decimal(n),
                        )
                    )
    reviews = {
        (r.pemda_id, r.rule, r.year): r
        for r in Review.objects.select_related("reviewed_by").filter(
            pemda_id__in=[s.pemda.pk for s in found]
        )
    }
    return sorted(
        (
            Signal(
                s.pemda,
                s.rule,
                s.name,
                s.year,
                s.reason,
                s.figures,
                s.strength,
                reviews.get((s.pemda.pk, s.rule, s.year)),
            )
            for s in found
        ),
        key=lambda s: (s.review is not None, -s.strength, s.pemda.name),
    )
