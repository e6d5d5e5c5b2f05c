"""Zona Integritas for the bench: every Pemda declares two units (Kota Binjai ten, Kota Medan
twenty), each with its 2026 LKE filled in and reviewed, and every other Pemda's first unit
designated WBK. Rows go in with plain INSERTs; a second run finds them and adds nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from cegah.accounts.models import Role, RoleAssignment
from cegah.regions.models import Opd, Pemda
from cegah.uploads.models import StoredFile
from cegah.zi.models import (
    Answer,
    Assessment,
    Declaration,
    Designation,
    LkeVersion,
    Predicate,
    Proposal,
    Unit,
)
from cegah.zi.scoring import questions_of
from cegah.zi.services import lke_import

YEAR = 2026
UNITS = {"12.75": 10, "12.71": 20}  # Kota Binjai, Kota Medan: the units page at n and 2n


def _answer_for(question: Mapping[str, Any], choices: Mapping[str, Any]) -> str:
    kind = str(question["answer"]["type"])
    if kind in choices:
        return str(choices[kind][0]["label"])
    return {"percentage": "90", "number": "0", "survey": "3,70"}[kind]


@transaction.atomic
def build() -> int:
    """The units made (0 when the bench database has them already)."""
    if Unit.objects.exists():
        return 0
    lke_import(path=Path(settings.BASE_DIR) / "data" / "zi" / "lke-1.yaml")
    lke = LkeVersion.objects.get(version=1)
    structure = lke.structure
    admins = dict(
        RoleAssignment.objects.filter(role=Role.ADMIN_PEMDA).values_list("pemda_id", "user_id")
    )
    pact = StoredFile.objects.create(
        purpose="zi.evidence",
        scope="bench",
        file="zi/bench/pakta.pdf",
        sha256="0" * 64,
        size=1,
        content_type="application/pdf",
        stored_on=date(YEAR, 1, 5),
    )
    pemdas = list(Pemda.objects.order_by("code"))
    declarations = Declaration.objects.bulk_create(
        Declaration(
            pemda=p,
            declared_on=date(YEAR, 1, 5),
            document=pact,
            document_name="pakta-integritas.pdf",
            created_by_id=admins[p.pk],
        )
        for p in pemdas
    )
    opds = dict(Opd.objects.filter(short_name="OPD1").values_list("pemda_id", "pk"))
    units = Unit.objects.bulk_create(
        Unit(
            pemda=p,
            opd_id=opds[p.pk],
            name=f"Unit {n} {p.code}",
            declaration=d,
            created_by_id=admins[p.pk],
        )
        for p, d in zip(pemdas, declarations, strict=True)
        for n in range(UNITS.get(p.code, 2))
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(unit=u, year=YEAR, lke=lke, state=Assessment.State.REVIEWED) for u in units
    )
    values = {
        code: _answer_for(q, structure["choices"]) for code, q in questions_of(structure).items()
    } | {h["code"]: _answer_for(h, structure["choices"]) for h in structure["hasil"]}
    Answer.objects.bulk_create(
        (
            Answer(
                assessment=a,
                code=code,
                value=value,
                tpi_value=value,
                state=Answer.State.REVIEWED,
            )
            for a in assessments
            for code, value in values.items()
        ),
        batch_size=5000,
    )
    firsts: dict[int, Assessment] = {}
    for a in assessments:
        firsts.setdefault(a.unit.pemda_id, a)
    chosen = [firsts[p.pk] for n, p in enumerate(pemdas) if n % 2 == 0]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            assessment=a,
            predicate=Predicate.WBK,
            state=Proposal.State.DESIGNATED,
            proposed_by_id=admins[a.unit.pemda_id],
        )
        for a in chosen
    )
    Designation.objects.bulk_create(
        Designation(
            unit=p.assessment.unit,
            predicate=Predicate.WBK,
            year=YEAR,
            designated_on=date(YEAR, 11, 1),
            proposal=p,
        )
        for p in proposals
    )
    lke.frozen_at = lke.imported_at
    lke.save(update_fields=["frozen_at"])
    return len(units)
