"""Records of other modules that belong beside the conflict-of-interest register: a WBS
handler's own conflict (stepping aside from a report), and a gratification from a party named in
a declared conflict. Read through each domain's selectors; nothing of a WBS report is shown, and
a gratification report is named by its number only (the UPG opens it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cegah.coi import selectors as coi
from cegah.regions.models import Pemda
from cegah.upg import selectors as upg
from cegah.wbs import selectors as wbs

# Words that name a company's form, not the company: "PT Maju Jaya" is the giver "Maju Jaya".
LEGAL_FORMS = {"pt", "cv", "tbk", "ud", "pd", "koperasi", "persero", "yayasan", "firma"}


def _tokens(name: str) -> frozenset[str]:
    words = re.findall(r"\w+", name.casefold())
    return frozenset(w for w in words if w not in LEGAL_FORMS and len(w) > 1)


def same_party(party: str, giver: str) -> bool:
    """The giver is the party, however written: every word of the shorter name is in the other
    (legal forms and case aside)."""
    a, b = _tokens(party), _tokens(giver)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return shorter <= longer


@dataclass(frozen=True)
class GiftLink:
    declaration_id: int
    declaration_number: str
    party: str
    report_number: str
    received_on: date
    by_declarant: bool  # the declarant's own gift, or a colleague's from the same party


@dataclass(frozen=True)
class Related:
    recusals: list[tuple[str, date, int]]
    gifts: list[GiftLink]


def related_to_register(*, pemda: Pemda) -> Related:
    gifts = upg.gifts_in(pemda=pemda)
    links = []
    for declaration in coi.register(pemda=pemda):
        parties = [p.strip() for p in re.split(r"[\n;]+", declaration.parties) if p.strip()]
        for _pk, number, giver, received_on, employee_id in gifts:
            party = next((p for p in parties if same_party(p, giver)), None)
            if party is not None:
                links.append(
                    GiftLink(
                        declaration.pk,
                        declaration.number,
                        party,
                        number,
                        received_on,
                        employee_id == declaration.employee_id,
                    )
                )
    return Related(wbs.handler_recusals(pemda=pemda), links)
