"""Scoring a filled LKE and the WBK/WBBM verdicts (docs/domain/zona-integritas.md). Pure: reads
an LKE's structure (as stored with its version, or as parsed from its file) and the answers as
people give them ("Ya", "B", "80%", "3,60"), and returns exact figures.

A sub-component scores weight x the mean of its questions' values; areas, Pengungkit, Hasil and
the total add up. Every figure is kept exact (Decimal) and rounded half-up to two places once,
at the end; the verdicts compare the rounded figures, which are the ones people read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from cegah.core.i18n import text_in_reader_language
from cegah.core.numbers import format_number
from cegah.core.tables import cell_decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class AnswerInvalid(ValueError):
    """An answer outside its question's type; the message says what is expected."""


def _choice(question: Mapping[str, Any], choices: Mapping[str, Any], text: str) -> Decimal:
    kind = question["answer"]["type"]
    for option in choices[kind]:
        if option["label"].lower() == text.strip().lower():
            return Decimal(str(option["value"]))
    labels = ", ".join(o["label"] for o in choices[kind])
    raise AnswerInvalid(
        _("“%(text)s”: jawab salah satu dari %(labels)s.") % {"text": text, "labels": labels}
    )


def _number(text: str, *, what: str) -> Decimal:
    try:
        return cell_decimal(text.strip().removesuffix("%").strip())
    except ValueError:
        raise AnswerInvalid(
            _("“%(text)s” bukan %(what)s.") % {"text": text, "what": what}
        ) from None


def question_value(question: Mapping[str, Any], choices: Mapping[str, Any], text: str) -> Decimal:
    """The answer's value, 0 to 1."""
    kind = question["answer"]["type"]
    if kind in choices:
        return _choice(question, choices, text)
    if kind == "percentage":
        share = _number(text, what=_("persentase"))
        if not Decimal(0) <= share <= HUNDRED:
            raise AnswerInvalid(_("“%(text)s”: persentase 0 sampai 100.") % {"text": text})
        return share / HUNDRED
    count = _number(text, what=_("angka"))
    if count < 0:
        raise AnswerInvalid(_("“%(text)s”: angka tidak boleh negatif.") % {"text": text})
    for step in question["answer"]["steps"]:
        if step["max"] is None or count <= Decimal(str(step["max"])):
            return Decimal(str(step["value"]))
    return Decimal(0)  # pragma: no cover - the last step has no max (checked on import)


def hasil_score(item: Mapping[str, Any], survey: Mapping[str, Any], text: str) -> Decimal:
    """A Hasil item's score out of its weight: a survey index on the survey's scale, or a
    percentage (capaian kinerja), whose share above 100 % counts as 100 %."""
    weight = Decimal(str(item["weight"]))
    if item["answer"]["type"] == "percentage":
        share = _number(text, what=_("persentase"))
        if share < 0:
            raise AnswerInvalid(_("“%(text)s”: persentase tidak boleh negatif.") % {"text": text})
        return min(share, HUNDRED) / HUNDRED * weight
    scale = Decimal(str(survey["scale"]))
    index = _number(text, what=_("indeks survei"))
    if not Decimal(1) <= index <= scale:  # the surveys' indices run from 1
        raise AnswerInvalid(
            _("“%(text)s”: indeks survei 1 sampai %(scale)s.")
            % {"text": text, "scale": format_number(scale)}
        )
    if survey["method"] == "proportional":
        return index / scale * weight
    steps = sorted(survey["steps"], key=lambda s: Decimal(str(s["from"])), reverse=True)
    share = next(
        (Decimal(str(s["share"])) for s in steps if index >= Decimal(str(s["from"]))), Decimal(0)
    )
    return share * weight


@dataclass(frozen=True)
class Check:
    """One threshold of a predicate: the figure, its minimum, and whether it is met."""

    key: str
    label: str
    value: Decimal
    minimum: Decimal
    percent: bool = False

    @property
    def met(self) -> bool:
        return self.value >= self.minimum

    def __str__(self) -> str:
        if self.percent:
            return _("%(label)s %(value)s%% dari bobotnya, di bawah %(minimum)s%%") % {
                "label": self.label,
                "value": format_number(rounded(self.value)),
                "minimum": format_number(self.minimum),
            }
        return _("%(label)s %(value)s, di bawah %(minimum)s") % {
            "label": self.label,
            "value": format_number(self.value, decimals=2),
            "minimum": format_number(self.minimum, decimals=2),
        }


@dataclass(frozen=True)
class Verdict:
    predicate: str
    checks: tuple[Check, ...]
    requires: str | None
    requirement_met: bool

    @property
    def met(self) -> bool:
        return self.requirement_met and all(c.met for c in self.checks)

    @property
    def blockers(self) -> list[str]:
        """What keeps the predicate out of reach, in words."""
        said = [str(c) for c in self.checks if not c.met]
        if not self.requirement_met and self.requires:
            said.append(_("belum berpredikat %(predicate)s") % {"predicate": self.requires})
        return said


@dataclass(frozen=True)
class AreaScore:
    code: str
    weight: Decimal
    pemenuhan: Decimal
    reform: Decimal

    @property
    def total(self) -> Decimal:
        return rounded(self.pemenuhan + self.reform)

    @property
    def share(self) -> Decimal:
        """Percent of the area's weight."""
        return rounded((self.pemenuhan + self.reform) / self.weight * HUNDRED)


@dataclass(frozen=True)
class Breakdown:
    subcomponents: dict[str, Decimal]
    areas: list[AreaScore]
    hasil: dict[str, Decimal]
    pengungkit: Decimal
    bersih: Decimal
    pelayanan: Decimal
    total: Decimal
    unanswered: list[str] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": str(self.total),
            "pengungkit": str(self.pengungkit),
            "areas": {
                a.code: {
                    "pemenuhan": str(rounded(a.pemenuhan)),
                    "reform": str(rounded(a.reform)),
                    "total": str(a.total),
                    "percent_of_weight": str(a.share),
                }
                for a in self.areas
            },
            "subcomponents": {code: str(value) for code, value in self.subcomponents.items()},
            "hasil": {code: str(value) for code, value in self.hasil.items()},
            "bersih": str(self.bersih),
            "pelayanan": str(self.pelayanan),
            "unanswered": self.unanswered,
            "verdicts": {
                v.predicate: {"met": v.met, "blockers": v.blockers} for v in self.verdicts
            },
        }


def questions_of(structure: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {q["code"]: q for s in structure["subcomponents"] for q in s["questions"]}


def check(structure: Mapping[str, Any], code: str, text: str) -> None:
    """AnswerInvalid unless `text` is an answer the question (or Hasil item) accepts."""
    question = questions_of(structure).get(code)
    if question is not None:
        question_value(question, structure["choices"], text)
        return
    item = next(h for h in structure["hasil"] if h["code"] == code)
    hasil_score(item, structure["survey"], text)


def score(
    structure: Mapping[str, Any],
    answers: Mapping[str, str],
    *,
    held: Collection[str] = (),
) -> Breakdown:
    """The breakdown and the verdicts of a unit's answers (by question or Hasil code; a question
    left unanswered counts 0 and is listed). `held`: the predicates the unit already holds (WBBM
    needs WBK). AnswerInvalid for an answer outside its type."""
    choices, survey = structure["choices"], structure["survey"]
    sub_scores: dict[str, Decimal] = {}
    exact_parts: dict[tuple[str, str], Decimal] = {}
    unanswered: list[str] = []
    for sub in structure["subcomponents"]:
        values = []
        for question in sub["questions"]:
            text = (answers.get(question["code"]) or "").strip()
            if not text:
                unanswered.append(question["code"])
                values.append(Decimal(0))
                continue
            values.append(question_value(question, choices, text))
        mean = sum(values, Decimal(0)) / len(values)
        exact = Decimal(str(sub["weight"])) * mean
        sub_scores[sub["code"]] = rounded(exact)
        key = (sub["area"], sub["part"])
        exact_parts[key] = exact_parts.get(key, Decimal(0)) + exact
    areas = [
        AreaScore(
            a["code"],
            Decimal(str(a["weight"])),
            exact_parts.get((a["code"], "pemenuhan"), Decimal(0)),
            exact_parts.get((a["code"], "reform"), Decimal(0)),
        )
        for a in structure["areas"]
    ]
    exact_hasil: dict[str, Decimal] = {}
    for item in structure["hasil"]:
        text = (answers.get(item["code"]) or "").strip()
        if not text:
            unanswered.append(item["code"])
            exact_hasil[item["code"]] = Decimal(0)
        else:
            exact_hasil[item["code"]] = hasil_score(item, survey, text)
    groups = {h["code"]: h["group"] for h in structure["hasil"]}
    pengungkit = sum(exact_parts.values(), Decimal(0))
    bersih = sum((v for c, v in exact_hasil.items() if groups[c] == "bersih"), Decimal(0))
    pelayanan = sum((v for c, v in exact_hasil.items() if groups[c] == "pelayanan"), Decimal(0))
    breakdown = Breakdown(
        subcomponents=sub_scores,
        areas=areas,
        hasil={code: rounded(value) for code, value in exact_hasil.items()},
        pengungkit=rounded(pengungkit),
        bersih=rounded(bersih),
        pelayanan=rounded(pelayanan),
        total=rounded(pengungkit + bersih + pelayanan),
        unanswered=unanswered,
    )
    return Breakdown(
        **{**breakdown.__dict__, "verdicts": verdicts(structure, breakdown, held=held)}
    )


def verdicts(
    structure: Mapping[str, Any], breakdown: Breakdown, *, held: Collection[str] = ()
) -> list[Verdict]:
    names = {a["code"]: a["name"] for a in structure["areas"]}
    hasil_names = {h["code"]: h["name"] for h in structure["hasil"]}

    name = text_in_reader_language
    found = []
    for rule in structure["thresholds"]:
        checks = [
            Check("total", _("Nilai total"), breakdown.total, Decimal(str(rule["total"]))),
            Check(
                "pengungkit",
                _("Pengungkit"),
                breakdown.pengungkit,
                Decimal(str(rule["pengungkit"])),
            ),
            *(
                Check(
                    f"area:{a.code}",
                    _("Area %(name)s") % {"name": name(names[a.code])},
                    a.share,
                    Decimal(str(rule["area_share"])),
                    percent=True,
                )
                for a in breakdown.areas
            ),
            Check(
                "bersih",
                _("Birokrasi bersih dan akuntabel"),
                breakdown.bersih,
                Decimal(str(rule["bersih"])),
            ),
            *(
                Check(
                    f"hasil:{code}",
                    name(hasil_names[code]),
                    breakdown.hasil[code],
                    Decimal(str(minimum)),
                )
                for code, minimum in rule["hasil"].items()
            ),
        ]
        requires = rule.get("requires")
        found.append(
            Verdict(rule["predicate"], tuple(checks), requires, not requires or requires in held)
        )
    return found
