"""Does a gift look exempt from reporting? Judged by the rules in force on the day it was
received (RuleSet), counting the same giver's earlier gifts of the year for the yearly caps.

The answer is advice: the civil servant may report anyway, and the UPG and KPK judge the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from cegah.core.i18n import text_in_reader_language
from cegah.core.numbers import NumberKind, format_number

from .models import CASH_LIKE, RuleSet


def rupiah(value: Decimal | int) -> str:
    return format_number(Decimal(value), kind=NumberKind.RUPIAH)


def _day(day: date) -> str:
    return str(formats.date_format(day, "j F Y"))


@dataclass(frozen=True)
class Check:
    exempt: bool
    # One sentence saying why, with the figures and the rule's date.
    reason: str
    rules: RuleSet
    category: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def _since(rules: RuleSet) -> str:
    if rules.in_force_from is None:
        return _("yang berlaku saat itu (%(rule)s)") % {"rule": rules.regulation}
    return _("yang berlaku sejak %(day)s") % {"day": _day(rules.in_force_from)}


def categories(rules: RuleSet) -> dict[str, dict[str, Any]]:
    return {c["code"]: c for c in rules.structure["exemptions"]}


def gift_check(
    *,
    rules: RuleSet,
    category: str,
    kind: str,
    value: Decimal,
    refused: bool,
    giver: str,
    earlier_from_giver: Decimal = Decimal(0),
) -> Check:
    """`earlier_from_giver`: what the same giver gave this person earlier in the calendar year,
    in the same category (reports and noted exempt gifts)."""
    notes: list[str] = []
    if refused:
        return Check(
            False,
            _(
                "Pemberian yang ditolak tidak perlu diserahkan, tetapi penolakannya tetap "
                "dapat dilaporkan agar tercatat."
            ),
            rules,
        )
    removed = {r["code"]: r for r in rules.structure.get("removed", [])}
    if category in removed:
        notes.append(text_in_reader_language(removed[category]["note"]))
        category = removed[category]["judged_as"] or ""
    found = categories(rules).get(category)
    if found is None:
        return Check(
            False,
            _("Pemberian ini tidak termasuk pengecualian %(since)s: wajib dilaporkan.")
            % {"since": _since(rules)},
            rules,
            notes=notes,
        )
    name = text_in_reader_language(found["name"])
    condition = text_in_reader_language(found["condition"])
    if found["non_cash_only"] and kind in CASH_LIKE:
        return Check(
            False,
            _("%(name)s dalam bentuk uang atau alat tukar tidak dikecualikan: wajib dilaporkan.")
            % {"name": name},
            rules,
            found,
            notes,
        )
    per_gift = found["limit_per_gift"]
    per_year = found["limit_per_giver_year"]
    facts = {
        "name": name,
        "value": rupiah(value),
        "giver": giver,
        "since": _since(rules),
        "condition": condition,
    }
    if per_gift is not None and value > per_gift:
        return Check(
            False,
            _(
                "%(name)s %(value)s dari %(giver)s: melebihi batas %(limit)s per pemberian "
                "%(since)s. Wajib dilaporkan."
            )
            % {**facts, "limit": rupiah(per_gift)},
            rules,
            found,
            notes,
        )
    if per_year is not None and earlier_from_giver + value > per_year:
        return Check(
            False,
            _(
                "%(name)s %(value)s dari %(giver)s: bersama pemberian sebelumnya tahun ini "
                "(%(earlier)s) menjadi %(total)s, melebihi batas %(limit)s setahun dari satu "
                "pemberi %(since)s. Wajib dilaporkan."
            )
            % {
                **facts,
                "earlier": rupiah(earlier_from_giver),
                "total": rupiah(earlier_from_giver + value),
                "limit": rupiah(per_year),
            },
            rules,
            found,
            notes,
        )
    if per_gift is None:
        reason = (
            _(
                "%(name)s (%(condition)s) termasuk pengecualian %(since)s, bila syarat itu "
                "terpenuhi."
            )
            % facts
        )
    elif per_year is None:
        reason = _(
            "%(name)s %(value)s dari %(giver)s: di bawah batas %(limit)s %(since)s (%(condition)s)."
        ) % {**facts, "limit": rupiah(per_gift)}
    else:
        reason = _(
            "%(name)s %(value)s dari %(giver)s: di bawah batas %(limit)s per pemberian dan, "
            "bersama pemberian sebelumnya tahun ini (%(earlier)s), di bawah %(year_limit)s "
            "setahun %(since)s."
        ) % {
            **facts,
            "limit": rupiah(per_gift),
            "earlier": rupiah(earlier_from_giver),
            "year_limit": rupiah(per_year),
        }
    return Check(True, reason, rules, found, notes)
