"""The institutions verifiers belong to, from `data/accounts/institutions.yaml` (a list that
changes by decision, not by code). Read once and checked: a broken file stops the server
with the file and entry named, rather than a verifier shown under no institution."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cegah.core.i18n import in_reader_language

PATH = Path("data") / "accounts" / "institutions.yaml"


@dataclass(frozen=True)
class Institution:
    code: str
    name_id: str
    name_en: str

    @property
    def name(self) -> str:
        return in_reader_language(self.name_id, self.name_en)


@cache
def institutions() -> tuple[Institution, ...]:
    path = Path(settings.BASE_DIR) / PATH
    entries = yaml.safe_load(path.read_text(encoding="utf-8")).get("institutions") or []
    found: list[Institution] = []
    for n, entry in enumerate(entries):
        code = str(entry.get("code") or "")
        names = entry.get("name") or {}
        if not code or not names.get("id") or not names.get("en"):
            raise ImproperlyConfigured(f"{PATH}: institutions[{n}] needs code, name.id, name.en")
        if any(i.code == code for i in found):
            raise ImproperlyConfigured(f"{PATH}: institutions[{n}]: code {code!r} twice")
        found.append(Institution(code, str(names["id"]), str(names["en"])))
    return tuple(found)


def institution_name(code: str) -> str:
    """The institution's name in the reader's language; the code where none is known."""
    return next((i.name for i in institutions() if i.code == code), code)


def institution_choices() -> list[tuple[str, str]]:
    return [(i.code, i.name) for i in institutions()]
