"""Texts that Cegah keeps in both its languages, such as catalogue and award names and answer
options: the reader gets the one in their language, and Indonesian, the primary language,
wherever no English is given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from django.utils.translation import get_language


def in_reader_language(indonesian: str, english: str) -> str:
    return english if english and (get_language() or "id").startswith("en") else indonesian


def text_in_reader_language(texts: Mapping[str, str]) -> str:
    """One text of a catalogue file's {"id": ..., "en": ...} pair."""
    return in_reader_language(texts.get("id", ""), texts.get("en", ""))


class _NamedTwice(Protocol):
    name_id: str
    name_en: str


class NamedInTwoLanguages:
    """For a model with `name_id` and `name_en`: `name` is the reader's, so templates and code
    choose it in one place."""

    @property
    def name(self: _NamedTwice) -> str:
        return in_reader_language(self.name_id, self.name_en)
