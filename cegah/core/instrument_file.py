"""Reading instrument files (the MCP catalogue, the ZI LKE): YAML whose every problem is
reported with the file, the line and the field, in plain words, all at once, so an author fixes
a file in one pass. Shared by the domains that ship instruments as data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import yaml
from django.utils.translation import gettext as _

LANGUAGES = ("id", "en")
HUNDRED = Decimal(100)
TOLERANCE = Decimal("0.01")


class YamlMap(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping and of each of its keys (1-based)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> YamlMap:  # type: ignore[override]
        mapping = YamlMap(cast(dict[str, Any], super().construct_mapping(node, deep=True)))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(key_node.value): key_node.start_mark.line + 1 for key_node, _v in node.value
        }
        return mapping


LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class InstrumentInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Checker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def add(self, where: YamlMap | None, key: str, path: str, message: str) -> None:
        line = 0
        if where is not None:
            line = where.key_lines.get(key, where.line)
        self.problems.append(Problem(self.name, line, path, message))

    def mapping(self, value: Any, parent: YamlMap | None, key: str, path: str) -> YamlMap | None:
        if isinstance(value, YamlMap):
            return value
        self.add(parent, key, path, _("harus berupa pemetaan (kunci: nilai)."))
        return None

    def required(self, data: YamlMap, key: str, path: str) -> Any:
        if key not in data or data[key] in (None, ""):
            self.add(data, key, f"{path}.{key}", _("wajib diisi."))
            return None
        return data[key]

    def text(self, data: YamlMap, key: str, path: str, *, optional: bool = False) -> dict[str, str]:
        """A bilingual text: {id: ..., en: ...}; both languages are required."""
        value = data.get(key)
        if value is None and optional:
            return {"id": "", "en": ""}
        where = f"{path}.{key}"
        if not isinstance(value, YamlMap):
            self.add(data, key, where, _("harus berisi teks 'id' dan 'en'."))
            return {"id": "", "en": ""}
        for lang in LANGUAGES:
            if not str(value.get(lang) or "").strip():
                self.add(
                    value,
                    lang,
                    f"{where}.{lang}",
                    _("terjemahan '%(lang)s' tidak ada.") % {"lang": lang},
                )
        return {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}

    def weight(self, data: YamlMap, path: str) -> Decimal:
        raw = data.get("weight")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if (
            raw is None
            or isinstance(raw, bool)
            or not value.is_finite()
            or not (0 <= value <= HUNDRED)
        ):
            self.add(
                data,
                "weight",
                f"{path}.weight",
                _("bobot harus angka antara 0 dan 100, bukan %(value)r.") % {"value": raw},
            )
            return Decimal(0)
        return value

    def sums_to_100(
        self, weights: list[Decimal], where: YamlMap | None, key: str, path: str, level: str
    ) -> None:
        total = sum(weights, Decimal(0))
        if weights and abs(total - HUNDRED) > TOLERANCE:
            self.add(
                where,
                key,
                path,
                _("jumlah bobot %(level)s adalah %(total)s, harus 100.")
                % {"level": level, "total": total.normalize()},
            )

    def unique(self, seen: dict[str, int], code: str, data: YamlMap, path: str) -> None:
        if code in seen:
            self.add(
                data,
                "code",
                f"{path}.code",
                _("kode %(code)s sudah dipakai di baris %(line)d.")
                % {"code": code, "line": seen[code]},
            )
        else:
            seen[code] = data.key_lines.get("code", data.line)


def listed(checker: Checker, data: YamlMap, key: str, *, required: bool = True) -> list[Any]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        checker.add(data, key, key, _("harus berupa daftar yang tidak kosong."))
        return []
    return value


def read_yaml(path: Path) -> tuple[YamlMap, Checker, str]:
    """The file's top-level mapping, a checker to collect problems in, and its SHA-256;
    InstrumentInvalid at once when it is no UTF-8 YAML mapping."""
    name = path.name
    raw_bytes = path.read_bytes()
    try:
        document = yaml.load(raw_bytes.decode("utf-8"), Loader=LineLoader)  # noqa: S506 - SafeLoader subclass
    except UnicodeDecodeError:
        raise InstrumentInvalid([Problem(name, 0, "-", _("berkas bukan teks UTF-8."))]) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise InstrumentInvalid(
            [
                Problem(
                    name, line, "-", _("YAML tidak valid: %(problem)s") % {"problem": exc.problem}
                )
            ]
        ) from None
    checker = Checker(name)
    root = checker.mapping(document, None, "", "(berkas)")
    if root is None:
        raise InstrumentInvalid(checker.problems)
    return root, checker, hashlib.sha256(raw_bytes).hexdigest()
