"""Reading and validating a catalogue YAML file. Pure: writes nothing.

Every problem is reported with the file, the line and the field, in plain words, and all of
them at once, so an author fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
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

ANSWER_TYPES = ("yes_no", "choice", "percentage", "number", "document")
PEMDA_KINDS = ("provinsi", "kabupaten", "kota")
FILE_TYPES = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods", "csv")
LINEAGE_KINDS = ("new", "continues", "split", "merge")


@dataclass
class Catalogue:
    """The validated content of one file."""

    year: int
    version: int
    title: dict[str, str]
    reason: str
    note: str
    sha256: str
    source_name: str
    # Which texts the project wrote rather than took from a public source ("ilustratif").
    illustrative: dict[str, str] = field(default_factory=lambda: {"id": "", "en": ""})
    # The groups the year's indicators fall in (2025: transparansi, regulasi, akuntabilitas).
    aspects: list[dict[str, str]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    sasaran: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)


# The catalogue's problems come as every instrument file's do.
CatalogueInvalid = InstrumentInvalid


def _sub_indicator(checker: Checker, raw: Any, parent: YamlMap, path: str) -> dict[str, Any]:
    data = checker.mapping(raw, parent, "sub_indicators", path)
    if data is None:
        return {}
    code = str(checker.required(data, "code", path) or "")
    answer = checker.mapping(data.get("answer"), data, "answer", f"{path}.answer") or YamlMap()
    answer_type = answer.get("type")
    options: list[dict[str, Any]] = []
    target = None
    if answer_type not in ANSWER_TYPES:
        checker.add(
            answer or data,
            "type",
            f"{path}.answer.type",
            _("jenis jawaban %(value)r tidak dikenal; gunakan salah satu dari: %(allowed)s.")
            % {"value": answer_type, "allowed": ", ".join(ANSWER_TYPES)},
        )
    elif answer_type == "choice":
        for i, option in enumerate(listed(checker, answer, "options")):
            opath = f"{path}.answer.options[{i}]"
            opt = checker.mapping(option, answer, "options", opath)
            if opt is None:
                continue
            label = checker.text(opt, "label", opath)
            value = opt.get("value")
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
                checker.add(
                    opt, "value", f"{opath}.value", _("nilai pilihan harus angka 0 sampai 1.")
                )
                value = 0
            options.append({**label, "value": value})
    elif answer_type == "number":
        raw_target = answer.get("target")
        if (
            not isinstance(raw_target, int | float)
            or isinstance(raw_target, bool)
            or raw_target <= 0
        ):
            checker.add(
                answer,
                "target",
                f"{path}.answer.target",
                _("jawaban angka membutuhkan target lebih dari 0."),
            )
        else:
            target = Decimal(str(raw_target))
    evidence = []
    for i, item in enumerate(listed(checker, data, "evidence", required=False)):
        epath = f"{path}.evidence[{i}]"
        ev = checker.mapping(item, data, "evidence", epath)
        if ev is None:
            continue
        name = checker.text(ev, "name", epath)
        types = ev.get("file_types") or []
        bad = [t for t in types if t not in FILE_TYPES] if isinstance(types, list) else [types]
        if not types or bad:
            checker.add(
                ev,
                "file_types",
                f"{epath}.file_types",
                _("jenis berkas tidak dikenal: %(bad)s; gunakan: %(allowed)s.")
                % {"bad": ", ".join(map(str, bad)) or "-", "allowed": ", ".join(FILE_TYPES)},
            )
        evidence.append({**name, "file_types": list(types) if isinstance(types, list) else []})
    return {
        "code": code,
        "question": checker.text(data, "question", path),
        "answer_type": answer_type,
        "options": options,
        "target": target,
        "weight": checker.weight(data, path),
        "guidance": checker.text(data, "guidance", path, optional=True),
        "evidence": evidence,
        "_map": data,
    }


def _previous(checker: Checker, data: YamlMap, path: str) -> dict[str, Any] | None:
    """The optional cross-year mapping: {kind: new|continues|split|merge, codes: [...]}.

    Whether the codes exist in the previous year is checked on import, against the database.
    """
    if "previous" not in data:
        return None
    where = f"{path}.previous"
    prev = checker.mapping(data.get("previous"), data, "previous", where)
    if prev is None:
        return None
    kind = prev.get("kind")
    codes = prev.get("codes") or []
    if kind not in LINEAGE_KINDS:
        checker.add(
            prev,
            "kind",
            f"{where}.kind",
            _("jenis hubungan %(value)r tidak dikenal; gunakan salah satu dari: %(allowed)s.")
            % {"value": kind, "allowed": ", ".join(LINEAGE_KINDS)},
        )
        return None
    expected = {"new": (0, 0), "continues": (1, 1), "split": (1, 1), "merge": (2, 99)}[kind]
    if not isinstance(codes, list) or not expected[0] <= len(codes) <= expected[1]:
        message = {
            "new": _("indikator baru tidak menyebut kode tahun sebelumnya."),
            "continues": _("'continues' menyebut tepat satu kode tahun sebelumnya."),
            "split": _("'split' menyebut tepat satu kode tahun sebelumnya yang dipecah."),
            "merge": _("'merge' menyebut dua kode tahun sebelumnya atau lebih."),
        }[kind]
        checker.add(prev, "codes", f"{where}.codes", message)
        return None
    return {"kind": kind, "codes": [str(c) for c in codes], "_map": prev}


def parse_catalogue(path: Path) -> Catalogue:
    """Reads and validates one file; raises CatalogueInvalid listing every problem."""
    root, checker, sha256 = read_yaml(path)

    year = root.get("year")
    if not isinstance(year, int) or not 2015 <= year <= 2100:
        checker.add(root, "year", "year", _("tahun harus bilangan seperti 2025."))
        year = 0
    version = root.get("version", 1)
    if not isinstance(version, int) or version < 1:
        checker.add(root, "version", "version", _("versi harus bilangan 1 atau lebih."))
        version = 1
    reason = str(root.get("reason") or "").strip()
    if version > 1 and not reason:
        checker.add(root, "version", "reason", _("versi koreksi wajib menyebut alasannya."))
    catalogue = Catalogue(
        year=year,
        version=version,
        title=checker.text(root, "title", "title"),
        reason=reason,
        note=str(root.get("note") or "").strip(),
        sha256=sha256,
        source_name=path.name,
        illustrative=checker.text(root, "illustrative", "illustrative", optional=True),
    )

    aspect_codes: dict[str, int] = {}
    for i, item in enumerate(listed(checker, root, "aspects", required=False)):
        xpath = f"aspects[{i}]"
        data = checker.mapping(item, root, "aspects", xpath)
        if data is None:
            continue
        code = str(checker.required(data, "code", xpath) or "")
        checker.unique(aspect_codes, code, data, xpath)
        names = checker.text(data, "name", xpath)
        catalogue.aspects.append({"code": code, "id": names["id"], "en": names["en"]})

    area_codes: dict[str, int] = {}
    for i, item in enumerate(listed(checker, root, "areas")):
        apath = f"areas[{i}]"
        data = checker.mapping(item, root, "areas", apath)
        if data is None:
            continue
        code = str(checker.required(data, "code", apath) or "")
        checker.unique(area_codes, code, data, apath)
        catalogue.areas.append(
            {
                "code": code,
                "name": checker.text(data, "name", apath),
                "weight": checker.weight(data, apath),
                "_map": data,
            }
        )
    checker.sums_to_100([a["weight"] for a in catalogue.areas], root, "areas", "areas", _("area"))

    sasaran_area: dict[str, str] = {}
    sasaran_codes: dict[str, int] = {}
    for i, item in enumerate(listed(checker, root, "sasaran", required=False)):
        spath = f"sasaran[{i}]"
        data = checker.mapping(item, root, "sasaran", spath)
        if data is None:
            continue
        code = str(checker.required(data, "code", spath) or "")
        area = str(data.get("area") or "")
        if area not in area_codes:
            checker.add(
                data,
                "area",
                f"{spath}.area",
                _("area induk %(code)r tidak ada di berkas ini.") % {"code": area},
            )
        checker.unique(sasaran_codes, code, data, spath)
        sasaran_area[code] = area
        catalogue.sasaran.append(
            {"code": code, "area": area, "name": checker.text(data, "name", spath), "_map": data}
        )

    indicator_codes: dict[str, int] = {}
    for i, item in enumerate(listed(checker, root, "indicators")):
        ipath = f"indicators[{i}]"
        data = checker.mapping(item, root, "indicators", ipath)
        if data is None:
            continue
        code = str(checker.required(data, "code", ipath) or "")
        checker.unique(indicator_codes, code, data, ipath)
        area = str(data.get("area") or "")
        if area not in area_codes:
            checker.add(
                data,
                "area",
                f"{ipath}.area",
                _("area induk %(code)r tidak ada di berkas ini.") % {"code": area},
            )
        sasaran = data.get("sasaran")
        if sasaran is not None and sasaran_area.get(str(sasaran)) != area:
            checker.add(
                data,
                "sasaran",
                f"{ipath}.sasaran",
                _("sasaran induk %(code)r tidak ada di area %(area)s.")
                % {"code": sasaran, "area": area},
            )
        applies = data.get("applies_to", list(PEMDA_KINDS))
        if (
            not isinstance(applies, list)
            or not applies
            or any(k not in PEMDA_KINDS for k in applies)
        ):
            checker.add(
                data,
                "applies_to",
                f"{ipath}.applies_to",
                _("berlaku untuk harus daftar dari: %(kinds)s.")
                % {"kinds": ", ".join(PEMDA_KINDS)},
            )
            applies = []
        subs = []
        sub_codes: dict[str, int] = {}
        for j, sub in enumerate(listed(checker, data, "sub_indicators")):
            parsed = _sub_indicator(checker, sub, data, f"{ipath}.sub_indicators[{j}]")
            if parsed:
                checker.unique(
                    sub_codes, parsed["code"], parsed["_map"], f"{ipath}.sub_indicators[{j}]"
                )
                subs.append(parsed)
        checker.sums_to_100(
            [s["weight"] for s in subs],
            data,
            "sub_indicators",
            f"{ipath}.sub_indicators",
            _("sub-indikator %(code)s") % {"code": code},
        )
        aspect = str(data.get("aspect") or "")
        if aspect_codes and aspect not in aspect_codes:
            checker.add(
                data,
                "aspect",
                f"{ipath}.aspect",
                _("aspek harus salah satu dari: %(codes)s.") % {"codes": ", ".join(aspect_codes)},
            )
        elif aspect and not aspect_codes:
            checker.add(
                data,
                "aspect",
                f"{ipath}.aspect",
                _("berkas ini tidak mendaftar aspek (kunci 'aspects')."),
            )
        catalogue.indicators.append(
            {
                "code": code,
                "area": area,
                "sasaran": sasaran,
                "aspect": aspect,
                "previous": _previous(checker, data, ipath),
                "name": checker.text(data, "name", ipath),
                "weight": checker.weight(data, ipath),
                "applies": set(applies),
                "subs": subs,
                "_map": data,
            }
        )
    for area_entry in catalogue.areas:
        mine = [ind["weight"] for ind in catalogue.indicators if ind["area"] == area_entry["code"]]
        if not mine:
            checker.add(
                area_entry["_map"],
                "code",
                f"area {area_entry['code']}",
                _("area ini belum punya indikator."),
            )
        checker.sums_to_100(
            mine,
            area_entry["_map"],
            "weight",
            f"area {area_entry['code']}",
            _("indikator di area %(code)s") % {"code": area_entry["code"]},
        )

    if checker.problems:
        raise CatalogueInvalid(checker.problems)
    return catalogue
