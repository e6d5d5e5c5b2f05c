"""Exact query counts on the write paths people use most: an N+1 shows up as a changed number.

Bulk approval is measured at n and 2n items, so its growth per item is written down too.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cegah.mcp.models import Answer, Period
from cegah.mcp.services import reporting as services
from cegah.uploads.tests import files

from .conftest import make_period

pytestmark = pytest.mark.django_db

SUBS = ("PRC.1.1", "PRC.1.2", "BMD.1.1")


def test_saving_an_answer(world, reporting, django_assert_num_queries) -> None:
    sub = reporting.subs["PRC.1.2"]
    with django_assert_num_queries(16):
        services.answer_save(
            user=world.operator_binjai,
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator_id=sub.pk,
            value=Decimal(1),
            expected_version=0,
        )


def test_uploading_evidence(world, reporting, django_assert_num_queries) -> None:
    sub = reporting.subs["PRC.1.1"]
    with django_assert_num_queries(21):
        services.evidence_add(
            user=world.operator_binjai,
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator_id=sub.pk,
            upload=SimpleUploadedFile("notulen.pdf", files.PDF),
            effective_date=timezone.localdate(),
            valid_until=None,
        )


def _waiting(world, reporting, periods: int) -> list[int]:
    """len(SUBS) submitted answers per termin, in `periods` termin."""
    chosen = [reporting.period]
    for number in range(2, periods + 1):
        chosen.append(make_period(number=number, state=Period.State.CLOSED))
    ids = []
    for period in chosen:
        for code in SUBS:
            answer = Answer.objects.create(
                pemda=world.binjai,
                period=period,
                sub_indicator=reporting.subs[code],
                value=1,
                state=Answer.State.SUBMITTED,
                submitted_at=timezone.now() - timedelta(days=1),
            )
            ids.append(answer.pk)
    return ids


# 7 + 8 per item: the verifier's Pemda, the areas their assignments are limited to and their
# institution (for the decisions), once; then the row, its history and decision, the Pemda's
# people and their notices.
@pytest.mark.parametrize(("periods", "queries"), [(1, 31), (2, 55)])
def test_bulk_approval_of_n_and_2n_items(
    world, reporting, django_assert_num_queries, periods, queries
) -> None:
    ids = _waiting(world, reporting, periods)
    with django_assert_num_queries(queries):
        result = services.answers_bulk_approve(verifier=world.verifier_sumut, answer_ids=ids)
    assert result.approved == len(ids) == periods * len(SUBS)
