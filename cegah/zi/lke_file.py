"""Reading and validating an LKE file (data/zi/README.md). Pure: writes nothing. Every problem
is named with file, line and field, all at once (cegah/core/instrument_file.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cegah.core.instrument_file import Checker, InstrumentInvalid, YamlMap, listed, read_yaml

CHOICE_TYPES = ("yes_no", "abc", "abcd", "abcde")
CHOICE_LETTERS = {"yes_no": 2, "abc": 3, "abcd": 4, "abcde": 5}
QUESTION_TYPES = (*CHOICE_TYPES, "percentage", "number")
HASIL_TYPES = ("survey", "percentage")
PARTS = ("pemenuhan", "reform")
GROUPS = ("bersih", "pelayanan")
PREDICATES = ("WBK", "WBBM")
PENGUNGKIT = Decimal(60)
HASIL = Decimal(40)
EXACT = Decimal("0.001")

LkeInvalid = InstrumentInvalid


@dataclass
class Lke:
    """The validated content of one file: plain data, also stored as the version's structure."""

    version: int
    title: dict[str, str]
    regulation: str
    illustrative: dict[str, str]
    reason: str
    sha256: str
    source_name: str
    choices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    survey: dict[str, Any] = field(default_factory=dict)
    areas: list[dict[str, Any]] = field(default_factory=list)
    subcomponents: list[dict[str, Any]] = field(default_factory=list)
    hasil: list[dict[str, Any]] = field(default_factory=list)
    thresholds: list[dict[str, Any]] = field(default_factory=list)

    def structure(self) -> dict[str, Any]:
        """JSON-ready: decimals as strings, as stored with the version."""

        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items() if not k.startswith("_")}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        found: dict[str, Any] = plain(
            {
                "choices": self.choices,
                "survey": self.survey,
                "areas": self.areas,
                "subcomponents": self.subcomponents,
                "hasil": self.hasil,
                "thresholds": self.thresholds,
            }
        )
        return found


def _number(
    checker: Checker, data: YamlMap, key: str, path: str, *, low: Decimal, high: Decimal
) -> Decimal:
    raw = data.get(key)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = Decimal(-1)
    if raw is None or isinstance(raw, bool) or not value.is_finite() or not low <= value <= high:
        checker.add(
            data,
            key,
            f"{path}.{key}",
            _("harus angka antara %(low)s dan %(high)s, bukan %(value)r.")
            % {"low": low, "high": high, "value": raw},
        )
        return Decimal(0)
    return value


def _choices(checker: Checker, root: YamlMap) -> dict[str, list[dict[str, Any]]]:
    table = checker.mapping(root.get("choices"), root, "choices", "choices") or YamlMap()
    found: dict[str, list[dict[str, Any]]] = {}
    for kind in CHOICE_TYPES:
        options = []
        for i, raw in enumerate(listed(checker, table, kind)):
            opath = f"choices.{kind}[{i}]"
            option = checker.mapping(raw, table, kind, opath)
            if option is None:
                continue
            label = str(checker.required(option, "label", opath) or "")
            value = _number(checker, option, "value", opath, low=Decimal(0), high=Decimal(1))
            options.append({"label": label, "value": value})
        if options and len(options) != CHOICE_LETTERS[kind]:
            checker.add(
                table,
                kind,
                f"choices.{kind}",
                _("%(kind)s harus punya %(count)d pilihan.")
                % {"kind": kind, "count": CHOICE_LETTERS[kind]},
            )
        found[kind] = options
    return found


def _survey(checker: Checker, root: YamlMap) -> dict[str, Any]:
    data = checker.mapping(root.get("survey"), root, "survey", "survey") or YamlMap()
    scale = _number(checker, data, "scale", "survey", low=Decimal(1), high=Decimal(100))
    method = data.get("method")
    steps = []
    if method == "steps":
        for i, raw in enumerate(listed(checker, data, "steps")):
            spath = f"survey.steps[{i}]"
            step = checker.mapping(raw, data, "steps", spath)
            if step is None:
                continue
            steps.append(
                {
                    "from": _number(checker, step, "from", spath, low=Decimal(0), high=scale),
                    "share": _number(
                        checker, step, "share", spath, low=Decimal(0), high=Decimal(1)
                    ),
                }
            )
    elif method != "proportional":
        checker.add(
            data,
            "method",
            "survey.method",
            _("cara konversi %(value)r tidak dikenal; gunakan proportional atau steps.")
            % {"value": method},
        )
    return {"scale": scale, "method": method, "steps": steps}


def _answer(checker: Checker, data: YamlMap, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    answer = checker.mapping(data.get("answer"), data, "answer", f"{path}.answer") or YamlMap()
    kind = answer.get("type")
    if kind not in allowed:
        checker.add(
            answer or data,
            "type",
            f"{path}.answer.type",
            _("jenis jawaban %(value)r tidak dikenal; gunakan salah satu dari: %(allowed)s.")
            % {"value": kind, "allowed": ", ".join(allowed)},
        )
        return {"type": ""}
    found: dict[str, Any] = {"type": kind}
    if kind == "number":
        found["unit"] = checker.text(answer, "unit", f"{path}.answer", optional=True)
        steps = []
        raw_steps = listed(checker, answer, "steps")
        for i, raw in enumerate(raw_steps):
            spath = f"{path}.answer.steps[{i}]"
            step = checker.mapping(raw, answer, "steps", spath)
            if step is None:
                continue
            last = i == len(raw_steps) - 1
            if last == ("max" in step):
                checker.add(
                    step,
                    "max",
                    f"{spath}.max",
                    _("setiap langkah kecuali yang terakhir menyebut max; yang terakhir tidak."),
                )
            top = (
                _number(checker, step, "max", spath, low=Decimal(0), high=Decimal(10**9))
                if "max" in step
                else None
            )
            value = _number(checker, step, "value", spath, low=Decimal(0), high=Decimal(1))
            steps.append({"max": top, "value": value})
        found["steps"] = steps
    return found


def _question(checker: Checker, raw: Any, parent: YamlMap, path: str) -> dict[str, Any] | None:
    data = checker.mapping(raw, parent, "questions", path)
    if data is None:
        return None
    answer = _answer(checker, data, path, QUESTION_TYPES)
    options: dict[str, list[str]] = {}
    if "options" in data:
        given = checker.mapping(data.get("options"), data, "options", f"{path}.options")
        for lang in ("id", "en"):
            texts = (given or YamlMap()).get(lang)
            expected = CHOICE_LETTERS.get(answer["type"])
            if not isinstance(texts, list) or expected is None or len(texts) != expected:
                checker.add(
                    given or data,
                    lang,
                    f"{path}.options.{lang}",
                    _("keterangan pilihan harus satu per huruf jawaban (%(count)s).")
                    % {"count": expected or "-"},
                )
            else:
                options[lang] = [str(t) for t in texts]
    evidence = []
    for i, item in enumerate(listed(checker, data, "evidence", required=False)):
        ev = checker.mapping(item, data, "evidence", f"{path}.evidence[{i}]")
        if ev is not None:
            evidence.append(checker.text(ev, "name", f"{path}.evidence[{i}]"))
    return {
        "code": str(checker.required(data, "code", path) or ""),
        "question": checker.text(data, "question", path),
        "answer": answer,
        "options": options,
        "guidance": checker.text(data, "guidance", path, optional=True),
        "evidence": evidence,
        "_map": data,
    }


def _thresholds(checker: Checker, root: YamlMap, hasil_codes: list[str]) -> list[dict[str, Any]]:
    found = []
    seen: set[str] = set()
    for i, raw in enumerate(listed(checker, root, "thresholds")):
        tpath = f"thresholds[{i}]"
        data = checker.mapping(raw, root, "thresholds", tpath)
        if data is None:
            continue
        predicate = data.get("predicate")
        if predicate not in PREDICATES or predicate in seen:
            checker.add(
                data,
                "predicate",
                f"{tpath}.predicate",
                _("predikat harus WBK atau WBBM, masing-masing sekali."),
            )
            continue
        seen.add(str(predicate))
        requires = data.get("requires")
        if requires is not None and (requires not in PREDICATES or requires == predicate):
            checker.add(data, "requires", f"{tpath}.requires", _("syarat predikat tidak dikenal."))
        hasil = checker.mapping(data.get("hasil"), data, "hasil", f"{tpath}.hasil") or YamlMap()
        if sorted(hasil) != sorted(hasil_codes):
            checker.add(
                hasil or data,
                "hasil",
                f"{tpath}.hasil",
                _("ambang hasil harus menyebut tepat: %(codes)s.")
                % {"codes": ", ".join(hasil_codes)},
            )
        found.append(
            {
                "predicate": predicate,
                "requires": requires,
                "total": _number(checker, data, "total", tpath, low=Decimal(0), high=Decimal(100)),
                "pengungkit": _number(
                    checker, data, "pengungkit", tpath, low=Decimal(0), high=PENGUNGKIT
                ),
                "area_share": _number(
                    checker, data, "area_share", tpath, low=Decimal(0), high=Decimal(100)
                ),
                "bersih": _number(checker, data, "bersih", tpath, low=Decimal(0), high=HASIL),
                "hasil": {
                    code: _number(
                        checker, hasil, code, f"{tpath}.hasil", low=Decimal(0), high=HASIL
                    )
                    for code in hasil_codes
                    if code in hasil
                },
            }
        )
    if seen != set(PREDICATES):
        checker.add(root, "thresholds", "thresholds", _("ambang WBK dan WBBM keduanya wajib."))
    return found


def _sums(
    checker: Checker,
    where: YamlMap,
    key: str,
    path: str,
    total: Decimal,
    expected: Decimal,
    what: str,
) -> None:
    if abs(total - expected) > EXACT:
        checker.add(
            where,
            key,
            path,
            _("jumlah bobot %(what)s adalah %(total)s, harus %(expected)s.")
            % {
                "what": what,
                "total": f"{total.normalize():f}",
                "expected": f"{expected.normalize():f}",
            },
        )


def parse_lke(path: Path) -> Lke:
    """Reads and validates one file; raises LkeInvalid listing every problem."""
    root, checker, sha256 = read_yaml(path)
    version = root.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        checker.add(root, "version", "version", _("versi harus bilangan 1 atau lebih."))
        version = 1
    reason = str(root.get("reason") or "").strip()
    if version > 1 and not reason:
        checker.add(root, "version", "reason", _("versi koreksi wajib menyebut alasannya."))
    lke = Lke(
        version=version,
        title=checker.text(root, "title", "title"),
        regulation=str(root.get("regulation") or "").strip(),
        illustrative=checker.text(root, "illustrative", "illustrative", optional=True),
        reason=reason,
        sha256=sha256,
        source_name=path.name,
    )
    lke.choices = _choices(checker, root)
    lke.survey = _survey(checker, root)
    codes: dict[str, int] = {}
    for i, raw in enumerate(listed(checker, root, "areas")):
        apath = f"areas[{i}]"
        data = checker.mapping(raw, root, "areas", apath)
        if data is None:
            continue
        code = str(checker.required(data, "code", apath) or "")
        checker.unique(codes, code, data, apath)
        lke.areas.append(
            {
                "code": code,
                "name": checker.text(data, "name", apath),
                "weight": _number(checker, data, "weight", apath, low=Decimal(0), high=PENGUNGKIT),
                "_map": data,
            }
        )
    _sums(
        checker,
        root,
        "areas",
        "areas",
        sum((a["weight"] for a in lke.areas), Decimal(0)),
        PENGUNGKIT,
        _("area"),
    )
    area_codes = {a["code"] for a in lke.areas}
    for i, raw in enumerate(listed(checker, root, "subcomponents")):
        spath = f"subcomponents[{i}]"
        data = checker.mapping(raw, root, "subcomponents", spath)
        if data is None:
            continue
        code = str(checker.required(data, "code", spath) or "")
        checker.unique(codes, code, data, spath)
        area, part = str(data.get("area") or ""), data.get("part")
        if area not in area_codes:
            checker.add(
                data,
                "area",
                f"{spath}.area",
                _("area %(code)r tidak ada di berkas ini.") % {"code": area},
            )
        if part not in PARTS:
            checker.add(data, "part", f"{spath}.part", _("bagian harus pemenuhan atau reform."))
        questions = []
        for j, q in enumerate(listed(checker, data, "questions")):
            qpath = f"{spath}.questions[{j}]"
            question = _question(checker, q, data, qpath)
            if question is not None:
                checker.unique(codes, question["code"], question["_map"], qpath)
                questions.append(question)
        lke.subcomponents.append(
            {
                "code": code,
                "area": area,
                "part": part,
                "name": checker.text(data, "name", spath),
                "weight": _number(checker, data, "weight", spath, low=Decimal(0), high=PENGUNGKIT),
                "questions": questions,
                "_map": data,
            }
        )
    for entry in lke.areas:
        for half in PARTS:
            mine = [
                s["weight"]
                for s in lke.subcomponents
                if s["area"] == entry["code"] and s["part"] == half
            ]
            _sums(
                checker,
                entry["_map"],
                "weight",
                f"area {entry['code']} {half}",
                sum(mine, Decimal(0)),
                entry["weight"] / 2,
                _("sub-komponen %(part)s area %(code)s") % {"part": half, "code": entry["code"]},
            )
    for i, raw in enumerate(listed(checker, root, "hasil")):
        hpath = f"hasil[{i}]"
        data = checker.mapping(raw, root, "hasil", hpath)
        if data is None:
            continue
        code = str(checker.required(data, "code", hpath) or "")
        checker.unique(codes, code, data, hpath)
        group = data.get("group")
        if group not in GROUPS:
            checker.add(data, "group", f"{hpath}.group", _("kelompok harus bersih atau pelayanan."))
        lke.hasil.append(
            {
                "code": code,
                "group": group,
                "name": checker.text(data, "name", hpath),
                "weight": _number(checker, data, "weight", hpath, low=Decimal(0), high=HASIL),
                "answer": _answer(checker, data, hpath, HASIL_TYPES),
                "_map": data,
            }
        )
    _sums(
        checker,
        root,
        "hasil",
        "hasil",
        sum((h["weight"] for h in lke.hasil), Decimal(0)),
        HASIL,
        _("hasil"),
    )
    lke.thresholds = _thresholds(checker, root, [h["code"] for h in lke.hasil])
    if checker.problems:
        raise LkeInvalid(checker.problems)
    return lke
