"""Reading `data/spi/spi-<N>.yaml`: the seven elements, the categories by year (bands from a
lowest score each) and the national index, every problem with its line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cegah.core.instrument_file import InstrumentInvalid, listed, read_yaml

ReferenceInvalid = InstrumentInvalid


@dataclass(frozen=True)
class ReferenceFile:
    version: int
    structure: dict[str, Any]
    sha256: str


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number <= 100 else None


def parse_reference(path: Path) -> ReferenceFile:
    root, checker, sha256 = read_yaml(path)
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        checker.add(root, "version", "version", _("harus bilangan bulat paling kecil 1."))
        version = 0
    elements = []
    seen: dict[str, int] = {}
    for i, item in enumerate(listed(checker, root, "elements")):
        data = checker.mapping(item, root, "elements", f"elements[{i}]")
        if data is None:
            continue
        code = str(checker.required(data, "code", f"elements[{i}]") or "")
        if code:
            checker.unique(seen, code, data, f"elements[{i}]")
        elements.append({"code": code, "name": checker.text(data, "name", f"elements[{i}]")})
    categories = []
    for i, item in enumerate(listed(checker, root, "categories")):
        data = checker.mapping(item, root, "categories", f"categories[{i}]")
        if data is None:
            continue
        bands = []
        for j, band in enumerate(listed(checker, data, "bands")):
            where = f"categories[{i}].bands[{j}]"
            b = checker.mapping(band, data, "bands", where)
            if b is None:
                continue
            low = _number(b.get("min"))
            if low is None:
                checker.add(b, "min", f"{where}.min", _("harus angka antara 0 dan 100."))
            bands.append(
                {
                    "code": str(checker.required(b, "code", where) or ""),
                    "name": checker.text(b, "name", where),
                    "colour": str(b.get("colour") or ""),
                    "min": str(low or 0),
                }
            )
        lows = [Decimal(str(b["min"])) for b in bands]
        if lows and (lows[0] != 0 or lows != sorted(set(lows))):
            checker.add(
                data,
                "bands",
                f"categories[{i}].bands",
                _("batas bawah harus mulai dari 0 dan naik."),
            )
        categories.append({"from_year": int(data.get("from_year") or 0), "bands": bands})
    national = []
    for i, item in enumerate(listed(checker, root, "national")):
        data = checker.mapping(item, root, "national", f"national[{i}]")
        if data is None:
            continue
        index = _number(data.get("index"))
        if index is None:
            checker.add(data, "index", f"national[{i}].index", _("harus angka antara 0 dan 100."))
        national.append(
            {
                "year": int(data.get("year") or 0),
                "index": str(index or 0),
                "source": str(checker.required(data, "source", f"national[{i}]") or ""),
            }
        )
    if checker.problems:
        raise ReferenceInvalid(checker.problems)
    return ReferenceFile(
        version,
        {
            "elements": elements,
            "categories": sorted(categories, key=lambda c: c["from_year"]),
            "national": sorted(national, key=lambda n: n["year"]),
        },
        sha256,
    )
