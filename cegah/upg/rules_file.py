"""Reading a gratification rule file (`data/upg/aturan-<N>.yaml`): the exemptions with their
limits and the deadlines in force from a date. Every problem is reported with its line, all at
once (cegah.core.instrument_file), and nothing is loaded while there is one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cegah.core.instrument_file import (
    Checker,
    InstrumentInvalid,
    YamlMap,
    listed,
    read_yaml,
)

RulesInvalid = InstrumentInvalid
LIMIT_KEYS = ("limit_per_gift", "limit_per_giver_year")
DAY_KEYS = ("report_days", "completion_days", "kpk_decision_days")


@dataclass(frozen=True)
class Rules:
    version: int
    title: dict[str, str]
    regulation: str
    in_force_from: date | None
    structure: dict[str, Any]
    sha256: str


def _whole(checker: Checker, data: YamlMap, key: str, path: str, *, least: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        checker.add(
            data,
            key,
            f"{path}.{key}",
            _("harus bilangan bulat paling kecil %(least)d, bukan %(value)r.")
            % {"least": least, "value": value},
        )
        return None
    return value


def _exemption(checker: Checker, item: Any, index: int, seen: dict[str, int]) -> dict[str, Any]:
    path = f"exemptions[{index}]"
    data = checker.mapping(item, None, "", path)
    if data is None:
        return {}
    code = str(checker.required(data, "code", path) or "")
    if code:
        checker.unique(seen, code, data, path)
    entry: dict[str, Any] = {
        "code": code,
        "name": checker.text(data, "name", path),
        "condition": checker.text(data, "condition", path),
        "non_cash_only": bool(data.get("non_cash_only", False)),
    }
    for key in LIMIT_KEYS:
        entry[key] = _whole(checker, data, key, path, least=1)
    if (
        entry["limit_per_gift"] is not None
        and entry["limit_per_giver_year"] is not None
        and entry["limit_per_giver_year"] < entry["limit_per_gift"]
    ):
        checker.add(
            data,
            "limit_per_giver_year",
            f"{path}.limit_per_giver_year",
            _("batas setahun lebih kecil dari batas per pemberian."),
        )
    unknown = set(data) - {"code", "name", "condition", "non_cash_only", *LIMIT_KEYS}
    for key in sorted(unknown):
        checker.add(data, key, f"{path}.{key}", _("kunci ini tidak dikenal."))
    return entry


def parse_rules(path: Path) -> Rules:
    root, checker, sha256 = read_yaml(path)
    version = _whole(checker, root, "version", "version", least=1)
    if version is None:
        checker.add(root, "version", "version", _("wajib diisi."))
    title = checker.text(root, "title", "(berkas)")
    regulation = str(checker.required(root, "regulation", "(berkas)") or "")
    start = root.get("in_force_from")
    if start is not None and not isinstance(start, date):
        checker.add(
            root, "in_force_from", "in_force_from", _("harus tanggal YYYY-MM-DD atau null.")
        )
        start = None
    days: dict[str, int] = {}
    for key in DAY_KEYS:
        value = _whole(checker, root, key, key, least=1)
        if value is None and key not in root:
            checker.add(root, key, key, _("wajib diisi."))
        days[key] = value or 0
    seen: dict[str, int] = {}
    exemptions = [
        _exemption(checker, item, i, seen)
        for i, item in enumerate(listed(checker, root, "exemptions"))
    ]
    removed = []
    for i, item in enumerate(listed(checker, root, "removed", required=False)):
        data = checker.mapping(item, None, "", f"removed[{i}]")
        if data is None:
            continue
        code = str(checker.required(data, "code", f"removed[{i}]") or "")
        judged_as = str(data.get("judged_as") or "")
        if judged_as and judged_as not in seen:
            checker.add(
                data,
                "judged_as",
                f"removed[{i}].judged_as",
                _("kode %(code)s tidak ada di exemptions.") % {"code": judged_as},
            )
        if code in seen:
            checker.add(
                data,
                "code",
                f"removed[{i}].code",
                _("kode %(code)s masih ada di exemptions.") % {"code": code},
            )
        removed.append(
            {
                "code": code,
                "note": checker.text(data, "note", f"removed[{i}]"),
                "judged_as": judged_as,
            }
        )
    if checker.problems:
        raise RulesInvalid(checker.problems)
    return Rules(
        version=version or 0,
        title=title,
        regulation=regulation,
        in_force_from=start,
        structure={
            **days,
            "late_may_be_state_property": bool(root.get("late_may_be_state_property", False)),
            "exemptions": exemptions,
            "removed": removed,
        },
        sha256=sha256,
    )
