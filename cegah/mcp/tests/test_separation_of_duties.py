"""Nobody approves their own work: a verifier who saved an answer or uploaded its evidence (in
an earlier role) does not decide on that item, alone or in bulk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cegah.accounts.models import Role, RoleAssignment, VerifierAssignment
from cegah.core.errors import DomainError
from cegah.mcp.models import Answer
from cegah.mcp.services import reporting as services
from cegah.uploads.tests.files import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def former_operator(world, reporting):
    """verifier_jateng once answered PRC.1.1 and PRC.1.2 as BPKAD Binjai's operator."""
    person = world.verifier_jateng
    role = RoleAssignment.objects.create(
        user=person, role=Role.OPERATOR, pemda=world.binjai, opd=world.bpkad_binjai
    )
    for code, value in (("PRC.1.1", 1), ("PRC.1.2", 0)):
        services.answer_save(
            user=person,
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator_id=reporting.subs[code].pk,
            value=Decimal(value),
            expected_version=0,
        )
    services.evidence_add(
        user=person,
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator_id=reporting.subs["PRC.1.1"].pk,
        upload=SimpleUploadedFile("notulen.pdf", PDF),
        effective_date=timezone.localdate(),
        valid_until=None,
    )
    role.delete()
    VerifierAssignment.objects.create(verifier=person, pemda=world.binjai)
    Answer.objects.filter(pemda=world.binjai).update(state=Answer.State.SUBMITTED)
    return person


def _answer(reporting, code: str) -> Answer:
    return Answer.objects.get(sub_indicator=reporting.subs[code])


def test_a_verifier_does_not_decide_on_an_item_they_answered(
    world, reporting, former_operator
) -> None:
    for code in ("PRC.1.1", "PRC.1.2"):
        with pytest.raises(DomainError) as refused:
            services.answer_approve(verifier=former_operator, answer_id=_answer(reporting, code).pk)
        assert refused.value.code == "own_work"
    assert set(Answer.objects.values_list("state", flat=True)) == {Answer.State.SUBMITTED}
    # Another verifier of the Pemda decides.
    services.answer_approve(
        verifier=world.verifier_sumut, answer_id=_answer(reporting, "PRC.1.2").pk
    )
    assert _answer(reporting, "PRC.1.2").state == Answer.State.APPROVED


def test_bulk_approval_skips_the_verifiers_own_items(world, reporting, former_operator) -> None:
    ids = list(Answer.objects.values_list("pk", flat=True))
    result = services.answers_bulk_approve(verifier=former_operator, answer_ids=ids)
    assert (result.approved, result.skipped) == (0, len(ids))
    assert set(Answer.objects.values_list("state", flat=True)) == {Answer.State.SUBMITTED}


def test_the_item_page_says_why(world, reporting, former_operator, login) -> None:
    from django.urls import reverse

    client = login(former_operator)
    url = reverse("mcp:verify_item", kwargs={"pk": _answer(reporting, "PRC.1.1").pk})
    page = client.post(url, {"decision_form": "1", "decision": "approve"}, follow=True)
    assert "verifikator lain yang memutuskannya" in page.content.decode()
    assert _answer(reporting, "PRC.1.1").state == Answer.State.SUBMITTED
