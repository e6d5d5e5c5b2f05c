"""Who verifies (issue 25, item 3): a verifier's institution on every decision, assignments
limited to areas, and the Pemda's Inspektorat reviewing its report before the Admin submits,
where the Koordinator requires it for the year."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cegah.accounts import services as accounts_services
from cegah.accounts.models import Role, RoleAssignment, User, VerifierAssignment
from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp.models import Answer, ApipReview, Decision
from cegah.mcp.services import reporting as services
from cegah.mcp.services import verification
from cegah.uploads.tests.files import PDF

pytestmark = pytest.mark.django_db


def _complete(world, reporting) -> None:
    """Binjai answers PRC.1.1 (with its document), PRC.1.2 and BMD.1.1."""
    for user, code, value in (
        (world.operator_binjai, "PRC.1.1", 1),
        (world.operator_binjai, "PRC.1.2", 1),
        (world.operator_pupr_binjai, "BMD.1.1", 5000),
    ):
        services.answer_save(
            user=user,
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator_id=reporting.subs[code].pk,
            value=Decimal(value),
            expected_version=0,
        )
    services.evidence_add(
        user=world.operator_binjai,
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator_id=reporting.subs["PRC.1.1"].pk,
        upload=SimpleUploadedFile("notulen.pdf", PDF),
        effective_date=timezone.localdate(),
        valid_until=None,
    )


def _submitted(world, reporting) -> dict[str, Answer]:
    _complete(world, reporting)
    services.answers_submit(user=world.admin_binjai, pemda=world.binjai, period=reporting.period)
    return {a.sub_indicator.code: a for a in Answer.objects.select_related("sub_indicator")}


def test_a_verifier_is_invited_with_an_institution_and_every_decision_shows_it(
    world, reporting, login
) -> None:
    with pytest.raises(DomainError) as refused:
        accounts_services.user_invite(
            actor=world.koordinator,
            email="verif.baru@bpkp.test",
            full_name="Verifikator Baru",
            role=Role.VERIFIKATOR,
        )
    assert refused.value.code == "institution"
    assignment = accounts_services.user_invite(
        actor=world.koordinator,
        email="verif.baru@bpkp.test",
        full_name="Verifikator Baru",
        role=Role.VERIFIKATOR,
        institution="kemendagri",
    )
    assert assignment.institution == "kemendagri"
    answers = _submitted(world, reporting)
    services.answer_approve(verifier=world.verifier_sumut, answer_id=answers["PRC.1.1"].pk)
    services.answer_return(
        verifier=world.verifier_sumut, answer_id=answers["PRC.1.2"].pk, reason="Lampirkan SK."
    )
    assert set(Decision.objects.values_list("institution", flat=True)) == {"kpk"}
    page = login(world.admin_binjai).get(
        reverse("mcp:verify_item", kwargs={"pk": answers["PRC.1.1"].pk})
    )
    assert "Disetujui · Hendra Ginting (KPK (Korsup))" in page.content.decode()


def test_the_koordinator_sets_a_verifiers_institution_audited_and_nobody_else_may(
    world, login
) -> None:
    client = login(world.koordinator)
    response = client.post(
        reverse("accounts:verifier_list"),
        {"institution_set": "1", "verifier": world.verifier_sumut.pk, "institution": "bpkp"},
    )
    assert response.status_code == 302
    role = RoleAssignment.objects.get(user=world.verifier_sumut, role=Role.VERIFIKATOR)
    assert role.institution == "bpkp"
    entry = AuditEntry.objects.get(action="accounts.verifier.institution")
    assert entry.data == {"verifier": world.verifier_sumut.email, "before": "kpk", "after": "bpkp"}
    # An unknown institution changes nothing.
    client.post(
        reverse("accounts:verifier_list"),
        {"institution_set": "1", "verifier": world.verifier_sumut.pk, "institution": "polri"},
    )
    role.refresh_from_db()
    assert role.institution == "bpkp"
    with pytest.raises(Http404):
        accounts_services.verifier_institution_set(
            actor=world.admin_binjai, verifier=world.verifier_sumut, institution="kpk"
        )


def test_a_verifier_limited_to_an_area_sees_and_decides_that_area_only(
    world, reporting, login
) -> None:
    answers = _submitted(world, reporting)
    assignment = VerifierAssignment.objects.get(verifier=world.verifier_sumut, pemda=world.binjai)
    client = login(world.koordinator)
    page = client.get(reverse("mcp:verifier_areas", kwargs={"pk": assignment.pk}))
    assert "PRC · Perencanaan" in page.content.decode()
    client.post(reverse("mcp:verifier_areas", kwargs={"pk": assignment.pk}), {"area": ["PRC"]})
    assert list(assignment.area_limits.values_list("area_code", flat=True)) == ["PRC"]
    queue = login(world.verifier_sumut).get(reverse("mcp:verify_queue")).content.decode()
    assert "PRC.1.1" in queue and "BMD.1.1" not in queue
    with pytest.raises(Http404):
        services.answer_approve(verifier=world.verifier_sumut, answer_id=answers["BMD.1.1"].pk)
    result = services.answers_bulk_approve(
        verifier=world.verifier_sumut,
        answer_ids=[answers["PRC.1.2"].pk, answers["BMD.1.1"].pk],
    )
    assert (result.approved, result.skipped) == (1, 1)
    assert Answer.objects.get(pk=answers["BMD.1.1"].pk).state == Answer.State.SUBMITTED
    # Ticking nothing gives every area back.
    client = login(world.koordinator)
    client.post(reverse("mcp:verifier_areas", kwargs={"pk": assignment.pk}), {})
    services.answer_approve(verifier=world.verifier_sumut, answer_id=answers["BMD.1.1"].pk)


def test_the_inspektorat_reviews_the_report_and_a_required_review_holds_the_submission(
    world, reporting, login
) -> None:
    _complete(world, reporting)
    koordinator = login(world.koordinator)
    koordinator.post(reverse("mcp:year_setting", kwargs={"year": 2025}), {"apip_review": "on"})
    assert verification.apip_review_required(year=2025)
    with pytest.raises(DomainError) as refused:
        services.answers_submit(
            user=world.admin_binjai, pemda=world.binjai, period=reporting.period
        )
    assert "Belum direviu Inspektorat: BMD, PRC." in refused.value.messages[0]
    assert not Answer.objects.exclude(state=Answer.State.DRAFT).exists()

    inspektorat = login(world.inspektorat_binjai)
    url = reverse("mcp:report_review", kwargs={"code": "12.75"})
    page = inspektorat.get(url).content.decode()
    assert "Tandai direviu APIP" in page and "Kirim item yang lengkap" not in page
    areas = {a.code: a for a in reporting.catalogue.areas.all()}
    inspektorat.post(url, {"apip": "mark", "area": areas["PRC"].pk, "note": "Sesuai."})
    # The Inspektorat does not submit the report: that is the Admin Pemda's.
    assert inspektorat.post(url, {"confirm": "yes"}).status_code == 404
    # One area reviewed: that area goes; the other still waits.
    result = services.answers_submit(
        user=world.admin_binjai,
        pemda=world.binjai,
        period=reporting.period,
        area_id=areas["PRC"].pk,
    )
    assert result.submitted == 2
    with pytest.raises(DomainError):
        services.answers_submit(
            user=world.admin_binjai, pemda=world.binjai, period=reporting.period
        )
    inspektorat.post(url, {"apip": "mark", "area": areas["BMD"].pk})
    assert (
        services.answers_submit(
            user=world.admin_binjai, pemda=world.binjai, period=reporting.period
        ).submitted
        == 1
    )
    review = ApipReview.objects.get(area_code="PRC")
    assert review.reviewed_by == world.inspektorat_binjai and review.note == "Sesuai."
    assert AuditEntry.objects.filter(action="mcp.apip.review").count() == 2
    page = login(world.admin_binjai).get(url).content.decode()
    assert f"Direviu {world.inspektorat_binjai}" in page


def test_without_the_years_rule_the_admin_submits_unreviewed_areas(world, reporting) -> None:
    _complete(world, reporting)
    result = services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    assert result.submitted == 3


def test_the_inspektorat_comments_on_an_item_from_the_report_page(world, reporting, login) -> None:
    _complete(world, reporting)
    answer = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.1"])
    inspektorat = login(world.inspektorat_binjai)
    response = inspektorat.post(
        reverse("mcp:comment", kwargs={"pk": answer.pk}),
        {"text": "Notulen belum ditandatangani.", "from": "review"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/mcp/pemda/12.75/laporan/#item-{answer.sub_indicator_id}"
    )
    assert answer.comments.get().author == world.inspektorat_binjai
    # Another Pemda's Inspektorat sees nothing of it.
    other = reverse("mcp:report_review", kwargs={"code": "33.75"})
    assert inspektorat.get(other).status_code == 404


def test_nobody_reviews_as_apip_what_they_wrote(world, reporting) -> None:
    _complete(world, reporting)
    areas = {a.code: a for a in reporting.catalogue.areas.all()}
    # The Admin Pemda, given the Inspektorat role too, does not review their own report.
    RoleAssignment.objects.create(
        user=world.admin_binjai, role=Role.INSPEKTORAT, pemda=world.binjai
    )
    with pytest.raises(DomainError) as refused:
        verification.apip_review_mark(
            user=world.admin_binjai, pemda=world.binjai, period=reporting.period, area=areas["PRC"]
        )
    assert refused.value.code == "own_work"
    # Nor does an inspector who filled in the area's answers.
    RoleAssignment.objects.create(
        user=world.operator_binjai, role=Role.INSPEKTORAT, pemda=world.binjai
    )
    inspector = User.objects.get(pk=world.operator_binjai.pk)  # with the new role read
    with pytest.raises(DomainError):
        verification.apip_review_mark(
            user=inspector,
            pemda=world.binjai,
            period=reporting.period,
            area=areas["PRC"],
        )
    # They may review an area they did not fill in (BMD is PUPR's).
    verification.apip_review_mark(
        user=inspector, pemda=world.binjai, period=reporting.period, area=areas["BMD"]
    )


def test_a_mark_no_longer_counts_once_the_area_changes(world, reporting) -> None:
    _complete(world, reporting)
    verification.year_setting_set(actor=world.koordinator, year=2025, apip_review_required=True)
    areas = {a.code: a for a in reporting.catalogue.areas.all()}
    for code in ("PRC", "BMD"):
        verification.apip_review_mark(
            user=world.inspektorat_binjai,
            pemda=world.binjai,
            period=reporting.period,
            area=areas[code],
        )
    answer = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"])
    services.answer_save(
        user=world.operator_binjai,
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator_id=reporting.subs["PRC.1.2"].pk,
        value=Decimal(2),  # "Tidak" instead of "Sesuai"
        expected_version=answer.version,
    )
    marks = verification.apip_reviews(pemda=world.binjai, period=reporting.period)
    assert marks["PRC"][1] and not marks["BMD"][1]  # PRC changed since its review
    with pytest.raises(DomainError) as refused:
        services.answers_submit(
            user=world.admin_binjai, pemda=world.binjai, period=reporting.period
        )
    assert "Belum direviu Inspektorat: PRC." in refused.value.messages[0]
    verification.apip_review_mark(
        user=world.inspektorat_binjai,
        pemda=world.binjai,
        period=reporting.period,
        area=areas["PRC"],
    )
    result = services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    assert result.submitted == 3


def test_an_area_limited_verifier_recommends_and_reads_within_their_areas(
    world, reporting, login
) -> None:
    from cegah.mcp.access import recommendations_visible_to
    from cegah.mcp.services.recommendations import recommendation_create

    assignment = VerifierAssignment.objects.get(verifier=world.verifier_sumut, pemda=world.binjai)
    verification.verifier_areas_set(
        actor=world.koordinator, assignment_id=assignment.pk, area_codes=["PRC"]
    )
    areas = {a.code: a for a in reporting.catalogue.areas.all()}
    due = timezone.localdate() + timedelta(days=30)
    common = {"author": world.verifier_sumut, "pemda": world.binjai, "year": 2025, "due_on": due}
    for area_id in (areas["BMD"].pk, None):
        with pytest.raises(DomainError) as refused:
            recommendation_create(
                **common, title="Aset", text="Sertifikasi tanah.", area_id=area_id
            )
        assert refused.value.code == "area"
    mine = recommendation_create(
        **common, title="Musrenbang", text="Unggah notulen.", area_id=areas["PRC"].pk
    )
    other = recommendation_create(
        author=world.koordinator,
        pemda=world.binjai,
        year=2025,
        due_on=due,
        title="Aset",
        text="Sertifikasi tanah.",
        area_id=areas["BMD"].pk,
    )
    visible = set(recommendations_visible_to(user=world.verifier_sumut))
    assert mine in visible and other not in visible
    page = login(world.verifier_sumut).get(
        reverse("mcp:monitoring_pemda", kwargs={"code": "12.75"})
    )
    shown = [a.area.code for a in page.context["areas"]]
    assert shown == ["PRC"]
