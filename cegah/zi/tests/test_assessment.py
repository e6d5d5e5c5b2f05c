"""Units, their declaration, the unit's self-assessment and the TPI's review (issue 26, items 1
and 3): who may do what, the states, separation of duties, and scores from both sides."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from cegah.accounts.models import Role, User
from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.uploads.tests.files import PDF
from cegah.workflow.transitions import InvalidTransition
from cegah.zi import selectors, services
from cegah.zi.models import Answer, Assessment, LkeVersion
from cegah.zi.tests.test_lke_and_scoring import ANSWERS, TEST_LKE

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(world):
    """Kota Binjai declares its BPKAD as a zone; Rina (its operator) fills the LKE; two TPI
    members, Tono and Tari, review it."""
    services.lke_import(path=TEST_LKE)
    unit = services.unit_create(
        actor=world.admin_binjai, pemda=world.binjai, opd=world.bpkad_binjai, name="BPKAD Binjai"
    )
    services.declaration_create(
        actor=world.admin_binjai,
        pemda=world.binjai,
        declared_on=timezone.localdate(),
        upload=SimpleUploadedFile("pakta-integritas.pdf", PDF),
        units=[unit],
    )
    tpi = []
    for email, name in (("tono@binjai.test", "Tono"), ("tari@binjai.test", "Tari")):
        person = make_user(email, name)
        RoleAssignmentFactory.create(user=person, role=Role.TPI, pemda=world.binjai)
        tpi.append(User.objects.get(pk=person.pk))
    unit.refresh_from_db()
    return unit, tpi


def _fill(assessment: Assessment, user: User, answers: dict[str, str]) -> None:
    for answer in assessment.answers.all():
        if answer.code in answers:
            services.answer_save(
                user=user,
                answer_id=answer.pk,
                value=answers[answer.code],
                note="",
                expected_version=answer.version,
            )


def test_a_unit_must_be_declared_before_its_lke_starts(world) -> None:
    services.lke_import(path=TEST_LKE)
    unit = services.unit_create(
        actor=world.admin_binjai, pemda=world.binjai, opd=world.pupr_binjai, name="Dinas PUPR"
    )
    with pytest.raises(DomainError) as refused:
        services.assessment_start(actor=world.admin_binjai, unit=unit, year=2026)
    assert refused.value.code == "not_declared"


def test_another_pemda_cannot_touch_a_unit(zone, world) -> None:
    unit, _tpi = zone
    with pytest.raises(Http404):
        services.unit_create(
            actor=world.admin_pekalongan, pemda=world.binjai, opd=world.bpkad_binjai, name="X"
        )
    with pytest.raises(Http404):
        services.assessment_start(actor=world.operator_pekalongan, unit=unit, year=2026)
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    answer = assessment.answers.first()
    assert answer is not None
    with pytest.raises(Http404):
        services.answer_save(
            user=world.admin_pekalongan,
            answer_id=answer.pk,
            value="Ya",
            note="",
            expected_version=0,
        )


def test_the_unit_answers_submits_and_the_tpi_reviews_then_both_scores_show(zone, world) -> None:
    unit, (tono, tari) = zone
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    assert LkeVersion.objects.get().frozen_at is not None  # in use: no silent change now
    with pytest.raises(DomainError) as refused:
        services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    assert refused.value.code == "unanswered"
    _fill(assessment, world.operator_binjai, ANSWERS)
    bad = assessment.answers.get(code="MP.P1.b")
    with pytest.raises(DomainError):  # an answer outside its type
        services.answer_save(
            user=world.operator_binjai,
            answer_id=bad.pk,
            value="D",
            note="",
            expected_version=bad.version,
        )
    services.answer_evidence_add(
        user=world.operator_binjai,
        answer_id=assessment.answers.get(code="MP.P1.a").pk,
        upload=SimpleUploadedFile("sk-tim.pdf", PDF),
    )
    sent = services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    assert sent == len(ANSWERS)
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    # The TPI agrees everywhere but on MP.P1.b (C, not B) and returns PW.R1.a.
    for answer in assessment.answers.exclude(code__in=["MP.P1.b", "PW.R1.a"]):
        services.answer_review(reviewer=tono, answer_id=answer.pk, value=answer.value)
    services.answer_review(
        reviewer=tari,
        answer_id=assessment.answers.get(code="MP.P1.b").pk,
        value="C",
        note="Rencana belum ditetapkan pimpinan.",
    )
    returned = assessment.answers.get(code="PW.R1.a")
    services.answer_return(
        reviewer=tari, answer_id=returned.pk, reason="Lampirkan rekap pelanggaran."
    )
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    returned.refresh_from_db()
    services.answer_save(
        user=world.operator_binjai,
        answer_id=returned.pk,
        value="0",
        note="Tidak ada pelanggaran tahun ini.",
        expected_version=returned.version,
    )
    services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    services.answer_review(reviewer=tari, answer_id=returned.pk, value="0")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.REVIEWED
    mine, theirs = selectors.assessment_scores(assessment=assessment)
    # The unit's own: PW Reform now 7.5 x 1 (0 breaches): 88.59 + 3.75 = 92.34.
    assert mine.total == Decimal("92.34")
    # The TPI's: MP Pemenuhan 4 x (1 + 0 + 0.67) / 3 = 2.2266… instead of 2.8933…: 0.67 less.
    assert theirs.total == Decimal("91.68")
    assert AuditEntry.objects.filter(action="zi.answer.review").count() == len(ANSWERS)
    assert AuditEntry.objects.get(action="zi.answer.return").data["reason"] == (
        "Lampirkan rekap pelanggaran."
    )


def test_nobody_reviews_their_own_answer(zone, world) -> None:
    unit, (tono, _tari) = zone
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    answer = assessment.answers.get(code="MP.P1.a")
    services.answer_save(
        user=world.admin_binjai, answer_id=answer.pk, value="Ya", note="", expected_version=0
    )
    # Budi (Admin Pemda) is appointed to the TPI as well.
    RoleAssignmentFactory.create(user=world.admin_binjai, role=Role.TPI, pemda=world.binjai)
    admin = User.objects.get(pk=world.admin_binjai.pk)
    _fill(assessment, world.operator_binjai, {k: v for k, v in ANSWERS.items() if k != "MP.P1.a"})
    services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    with pytest.raises(DomainError) as refused:
        services.answer_review(reviewer=admin, answer_id=answer.pk, value="Ya")
    assert refused.value.code == "own_work"
    services.answer_review(reviewer=tono, answer_id=answer.pk, value="Ya")


def test_states_only_move_as_written_down(zone, world) -> None:
    unit, (tono, _tari) = zone
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    answer = assessment.answers.get(code="MP.P1.a")
    # A draft is not the TPI's to review, and a sent answer is not the unit's to change.
    with pytest.raises(InvalidTransition):
        services.answer_review(reviewer=tono, answer_id=answer.pk, value="Ya")
    _fill(assessment, world.operator_binjai, ANSWERS)
    services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    answer.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.answer_save(
            user=world.operator_binjai,
            answer_id=answer.pk,
            value="Tidak",
            note="",
            expected_version=answer.version,
        )
    assert refused.value.code == "state"
    assert Answer.objects.filter(assessment=assessment, state="submitted").count() == len(ANSWERS)


def test_a_declaration_is_not_in_the_future(world) -> None:
    services.lke_import(path=TEST_LKE)
    unit = services.unit_create(
        actor=world.admin_binjai, pemda=world.binjai, opd=world.bpkad_binjai, name="BPKAD"
    )
    with pytest.raises(DomainError) as refused:
        services.declaration_create(
            actor=world.admin_binjai,
            pemda=world.binjai,
            declared_on=timezone.localdate() + timedelta(days=1),
            upload=SimpleUploadedFile("pakta.pdf", PDF),
            units=[unit],
        )
    assert refused.value.code == "future"
