"""Reading `data/coi/daftar-<N>.yaml`: the sources of conflict, the kinds of matter and the
superior's days, every problem with its line (cegah.core.instrument_file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cegah.core.instrument_file import InstrumentInvalid, listed, read_yaml

ListsInvalid = InstrumentInvalid


@dataclass(frozen=True)
class Lists:
    version: int
    regulation: str
    structure: dict[str, Any]
    sha256: str


def parse_lists(path: Path) -> Lists:
    root, checker, sha256 = read_yaml(path)
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        checker.add(root, "version", "version", _("harus bilangan bulat paling kecil 1."))
        version = 0
    days = root.get("decision_days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        checker.add(
            root, "decision_days", "decision_days", _("harus bilangan bulat paling kecil 1.")
        )
        days = 0
    regulation = str(checker.required(root, "regulation", "(berkas)") or "")
    structure: dict[str, Any] = {"decision_days": days}
    for key in ("sources", "matters"):
        seen: dict[str, int] = {}
        entries = []
        for i, item in enumerate(listed(checker, root, key)):
            path_ = f"{key}[{i}]"
            data = checker.mapping(item, root, key, path_)
            if data is None:
                continue
            code = str(checker.required(data, "code", path_) or "")
            if code:
                checker.unique(seen, code, data, path_)
            entries.append({"code": code, "name": checker.text(data, "name", path_)})
        structure[key] = entries
    if checker.problems:
        raise ListsInvalid(checker.problems)
    return Lists(version, regulation, structure, sha256)
