"""Does a report name one of its own handlers? Names as people write them in Indonesia: with
academic and religious titles ("Drs. H. Rudi Hartono, M.Si"), initials ("R. Hartono"), in any
order ("Hartono, Rudi"), in any field of the report. A hit routes the report one level up: a
handler never opens a report that names them."""

from __future__ import annotations

import re

# Titles and forms of address, written without their dots: "M.Si." is "msi".
TITLES = frozenset(
    [
        "dr",
        "drs",
        "dra",
        "drg",
        "ir",
        "prof",
        "h",
        "hj",
        "kh",
        "ust",
        "ustadz",
        "ustadzah",
        "haji",
        "hajah",
        "hajjah",
        "kyai",
        "kiai",
        "tgh",
        "s",
        "sh",
        "se",
        "st",
        "ssos",
        "skom",
        "spd",
        "sag",
        "sip",
        "sth",
        "skm",
        "sh",
        "ssi",
        "sp",
        "spt",
        "sstp",
        "sik",
        "sap",
        "shum",
        "sked",
        "sfarm",
        "apt",
        "ners",
        "mh",
        "msi",
        "mm",
        "mt",
        "mkes",
        "mpd",
        "mag",
        "map",
        "mip",
        "mba",
        "ma",
        "msc",
        "mps",
        "mtp",
        "mkn",
        "mbiomed",
        "mphil",
        "phd",
        "ak",
        "ca",
        "cpa",
        "amd",
        "dipl",
        "bsc",
        "ba",
        "bapak",
        "bpk",
        "pak",
        "ibu",
        "bu",
        "sdr",
        "sdri",
        "saudara",
        "saudari",
        "tuan",
        "nyonya",
        "ny",
        "nn",
    ]
)
# How an inspectorate is written in a unit or a position.
INSPECTORATE_WORDS = frozenset(
    [
        "inspektorat",
        "inspektur",
        "itda",
        "irda",
        "irban",
        "itkab",
        "itkot",
        "itko",
        "itprov",
        "itjen",
        "apip",
    ]
)
_SPLIT = re.compile("[\\s,;:/()\\[\\]\"'\u201c\u201d\u2018\u2019!?-]+")


def tokens(text: str) -> list[str]:
    """The words of a text, lower-cased, dots removed (an initial "R." is "r")."""
    words = (w.replace(".", "").lower() for w in _SPLIT.split(text or ""))
    return [w for w in words if w]


def name_tokens(name: str) -> list[str]:
    return [t for t in tokens(name) if t not in TITLES]


def names(person: str, text_tokens: set[str]) -> bool:
    """The person's name is in the text: every part of it, in any order, written out or as an
    initial, with at least one part written out."""
    parts = name_tokens(person)
    if not parts:
        return False
    written = [p for p in parts if p in text_tokens]
    if not written:
        return False
    initials = {t for t in text_tokens if len(t) == 1}
    return all(p in text_tokens or p[0] in initials for p in parts)


def mentions_inspectorate(*texts: str) -> bool:
    return any(t in INSPECTORATE_WORDS for text in texts for t in tokens(text))
