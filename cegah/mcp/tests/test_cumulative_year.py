"""The year's report is one body of evidence: answers and evidence carry into the next termin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cegah.core.errors import DomainError
from cegah.mcp.models import Answer, Evidence, Period
from cegah.mcp.services import periods
from cegah.mcp.services import reporting as services
from cegah.uploads.tests.files import PDF

from .conftest import make_period

pytestmark = pytest.mark.django_db


def _save(world, reporting, code: str, value: int, user=None) -> Answer:
    answer = Answer.objects.filter(
        pemda=world.binjai, period=reporting.period, sub_indicator=reporting.subs[code]
    ).first()
    return services.answer_save(
        user=user or world.operator_binjai,
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator_id=reporting.subs[code].pk,
        value=Decimal(value),
        expected_version=answer.version if answer else 0,
    )


@pytest.fixture
def second_termin(world, reporting):
    """Termin I ends with PRC.1.1 approved (with its minutes), PRC.1.2 returned and BMD.1.1 a
    draft; then termin II opens."""
    _save(world, reporting, "PRC.1.1", 1)
    services.evidence_add(
        user=world.operator_binjai,
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator_id=reporting.subs["PRC.1.1"].pk,
        upload=SimpleUploadedFile("notulen.pdf", PDF),
        effective_date=timezone.localdate(),
        valid_until=None,
    )
    _save(world, reporting, "PRC.1.2", 0)
    _save(world, reporting, "BMD.1.1", 5000, user=world.operator_pupr_binjai)
    Answer.objects.filter(sub_indicator__code__in=["PRC.1.1", "PRC.1.2"]).update(
        state=Answer.State.SUBMITTED, submitted_at=timezone.now()
    )
    first, second = (
        Answer.objects.get(period=reporting.period, sub_indicator=reporting.subs[c])
        for c in ("PRC.1.1", "PRC.1.2")
    )
    services.answer_approve(verifier=world.verifier_sumut, answer_id=first.pk)
    services.answer_return(verifier=world.verifier_sumut, answer_id=second.pk, reason="Belum sah")
    periods.period_close(actor=world.koordinator, period_id=reporting.period.pk)
    termin_two = make_period(number=2, state=Period.State.PLANNED)
    return periods.period_open(actor=world.koordinator, period_id=termin_two.pk)


def _in(period: Period, reporting, code: str) -> Answer:
    return Answer.objects.get(period=period, sub_indicator=reporting.subs[code])


def test_answers_and_evidence_carry_into_the_next_termin_as_they_ended(
    world, reporting, second_termin
) -> None:
    approved = _in(second_termin, reporting, "PRC.1.1")
    assert approved.state == Answer.State.APPROVED and approved.verified_value == 1
    assert approved.carried and not approved.changed_since_carried
    assert _in(second_termin, reporting, "PRC.1.2").state == Answer.State.RETURNED
    draft = _in(second_termin, reporting, "BMD.1.1")
    assert draft.state == Answer.State.DRAFT and draft.value == 5000
    carried = Evidence.objects.get(answer=approved)
    original = Evidence.objects.get(answer__period=reporting.period)
    assert carried.stored_file_id == original.stored_file_id  # the same bytes, not a copy
    assert carried.uploaded_at == original.uploaded_at
    # Termin I keeps what it ended with: its score is the state at its deadline.
    assert _in(reporting.period, reporting, "PRC.1.1").state == Answer.State.APPROVED


def test_an_approved_item_stays_locked_until_the_pemda_revises_it(
    world, reporting, second_termin
) -> None:
    sub = reporting.subs["PRC.1.1"]
    with pytest.raises(DomainError) as locked:
        services.answer_save(
            user=world.operator_binjai,
            pemda=world.binjai,
            period=second_termin,
            sub_indicator_id=sub.pk,
            value=Decimal(0),
            expected_version=0,
        )
    assert locked.value.code == "locked"
    services.answer_revise(
        user=world.operator_binjai,
        pemda=world.binjai,
        period=second_termin,
        sub_indicator_id=sub.pk,
        expected_version=0,
    )
    revised = _in(second_termin, reporting, "PRC.1.1")
    assert revised.state == Answer.State.DRAFT and revised.verified_value is None
    assert revised.changed_since_carried
    services.answer_save(
        user=world.operator_binjai,
        pemda=world.binjai,
        period=second_termin,
        sub_indicator_id=sub.pk,
        value=Decimal(0),
        expected_version=revised.version,
    )
    services.answers_submit(user=world.admin_binjai, pemda=world.binjai, period=second_termin)
    assert (
        _in(second_termin, reporting, "PRC.1.1").state == Answer.State.SUBMITTED
    )  # verified again


def test_only_an_approval_from_an_earlier_termin_can_be_revised(
    world, reporting, second_termin
) -> None:
    draft = _in(second_termin, reporting, "BMD.1.1")
    with pytest.raises(DomainError) as refused:
        services.answer_revise(
            user=world.operator_pupr_binjai,
            pemda=world.binjai,
            period=second_termin,
            sub_indicator_id=draft.sub_indicator_id,
            expected_version=0,
        )
    assert refused.value.code == "not_carried"


def test_the_work_page_and_the_item_page_say_what_changed_since_the_last_termin(
    world, reporting, second_termin, login
) -> None:
    operator = login(world.operator_pupr_binjai)
    page = operator.get(reverse("mcp:work")).content.decode()
    assert "sama seperti termin lalu" in page
    draft = _in(second_termin, reporting, "BMD.1.1")
    operator.post(
        reverse("mcp:work_answer", kwargs={"code": "12.75", "sub_id": draft.sub_indicator_id}),
        {"value": "6.000", "version": 0},
        headers={"HX-Request": "true"},
    )
    assert "diubah sejak termin lalu" in operator.get(reverse("mcp:work")).content.decode()
    Answer.objects.filter(pk=draft.pk).update(state=Answer.State.SUBMITTED)
    verifier = login(world.verifier_sumut)
    item = verifier.get(reverse("mcp:verify_item", kwargs={"pk": draft.pk})).content.decode()
    assert "Termin sebelumnya" in item and "5.000" in item and "diubah sejak termin lalu" in item


def test_the_revise_button_reopens_a_carried_approval_over_http(
    world, reporting, second_termin, login
) -> None:
    operator = login(world.operator_binjai)
    sub = reporting.subs["PRC.1.1"]
    row = operator.get(
        reverse("mcp:work_row", kwargs={"code": "12.75", "sub_id": sub.pk}),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Perbarui item ini" in row
    done = operator.post(
        reverse("mcp:work_revise", kwargs={"code": "12.75", "sub_id": sub.pk}),
        {"version": 0},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Item dibuka untuk diperbarui" in done
    assert _in(second_termin, reporting, "PRC.1.1").state == Answer.State.DRAFT
