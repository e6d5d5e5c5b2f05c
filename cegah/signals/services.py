"""Writes of the signals: loading the rules, marking a Pemda reviewed (audited)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from cegah.accounts import selectors as accounts
from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.data_versions import version_load
from cegah.core.errors import DomainError
from cegah.regions.models import Pemda

from .models import Review, RuleSet
from .rules import THRESHOLDS, parse_rules


@transaction.atomic
def rules_import(*, path: Path) -> tuple[RuleSet, str]:
    parsed = parse_rules(path)
    rules, status = version_load(
        RuleSet,
        version=parsed.version,
        sha256=parsed.sha256,
        create=lambda: RuleSet.objects.create(
            version=parsed.version,
            structure=parsed.structure,
            source_name=path.name,
            source_sha256=parsed.sha256,
        ),
    )
    if status == "loaded":
        audit.record(actor=None, action="signals.rules.import", obj=rules)
    return rules, status


@transaction.atomic
def review_mark(*, actor: User, pemda: Pemda, rule: str, year: int, note: str) -> Review:
    """The Koordinator marks a signal reviewed with a note; it moves to the end of the list."""
    if not accounts.is_national_coordinator(user=actor):
        raise Http404
    if rule not in THRESHOLDS:
        raise DomainError(_("Aturan tidak dikenal."), code="rule")
    if not note.strip():
        raise DomainError(_("Tuliskan catatan telaahnya."), code="note")
    review, _created = Review.objects.update_or_create(
        pemda=pemda,
        rule=rule,
        year=year,
        defaults={"note": note.strip(), "reviewed_by": actor},
    )
    audit.record(
        actor=actor, action="signals.review", obj=review, data={"pemda": pemda.code, "rule": rule}
    )
    return review
