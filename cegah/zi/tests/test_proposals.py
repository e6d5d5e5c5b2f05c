"""Proposals and the national stages (issue 26, items 5 and 7): the Pemda proposes units whose
TPI scores meet the thresholds by 31 May; the TPN records pra-evaluasi, evaluasi desk, evaluasi
lapangan and the penetapan; a designation is public and may be revoked, which blocks a new
proposal for two years. Real database; the pages through HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.audit.models import AuditEntry
from cegah.core.errors import AlreadyDone, DomainError
from cegah.testing.clients import sign_in
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.uploads.tests.files import PDF
from cegah.workflow.transitions import InvalidTransition
from cegah.zi import services
from cegah.zi.models import Assessment, Designation, Proposal, StageRecord, Unit
from cegah.zi.tests.test_lke_and_scoring import ANSWERS, TEST_LKE

pytestmark = pytest.mark.django_db

S = Proposal.State
BEFORE_DEADLINE = date(2026, 5, 4)


def _person(email: str, role: Role, pemda=None) -> User:
    person = make_user(email, email.split("@")[0].title())
    RoleAssignmentFactory.create(user=person, role=role, pemda=pemda)
    return User.objects.get(pk=person.pk)


@pytest.fixture
def zone(world):
    """BPKAD Kota Binjai, declared; Tono in Binjai's TPI; Nina in the national TPN."""
    services.lke_import(path=TEST_LKE)
    unit = services.unit_create(
        actor=world.admin_binjai, pemda=world.binjai, opd=world.bpkad_binjai, name="BPKAD Binjai"
    )
    services.declaration_create(
        actor=world.admin_binjai,
        pemda=world.binjai,
        declared_on=date(2026, 1, 5),
        upload=SimpleUploadedFile("pakta.pdf", PDF),
        units=[unit],
    )
    unit.refresh_from_db()
    tono = _person("tono@binjai.test", Role.TPI, world.binjai)
    nina = _person("nina@menpan.test", Role.TPN)
    return unit, tono, nina


def reviewed(world, unit: Unit, tpi: User, year: int, **tpi_values: str) -> Assessment:
    """The unit's LKE of the year, answered with ANSWERS, sent, and reviewed by the TPI with
    the same values except those given."""
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=year)
    for answer in assessment.answers.all():
        services.answer_save(
            user=world.operator_binjai,
            answer_id=answer.pk,
            value=ANSWERS[answer.code],
            note="",
            expected_version=answer.version,
        )
    services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    for answer in assessment.answers.all():
        value = tpi_values.get(answer.code, answer.value)
        services.answer_review(reviewer=tpi, answer_id=answer.pk, value=value)
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.REVIEWED
    return assessment


def designate(proposal: Proposal, tpn: User, on: date) -> Designation:
    for stage in (S.PRA_EVALUASI, S.EVALUASI_DESK, S.EVALUASI_LAPANGAN):
        services.proposal_advance(actor=tpn, proposal_id=proposal.pk, stage=stage)
    services.proposal_decide(actor=tpn, proposal_id=proposal.pk, designated=True, today=on)
    return Designation.objects.get(proposal=proposal)


# --- The proposal ------------------------------------------------------------------------------


def test_a_proposal_below_a_threshold_is_refused_naming_the_blocker(zone, world) -> None:
    unit, tono, _nina = zone
    # The TPI reads IPAK 3,00 (13,13 of 17,5) where the unit said 3,60.
    assessment = reviewed(world, unit, tono, 2026, IPAK="3,00")
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBK",
            today=BEFORE_DEADLINE,
        )
    assert refused.value.code == "threshold"
    said = refused.value.messages[0]
    assert said.startswith("Nilai TPI belum memenuhi syarat WBK: ")
    assert "Indeks Persepsi Anti Korupsi 13,13, di bawah 15,75" in said
    assert "Birokrasi bersih dan akuntabel 17,63, di bawah 18,25" in said
    assert not Proposal.objects.exists()


def test_a_proposal_after_the_deadline_is_refused_and_on_it_is_taken(zone, world, settings) -> None:
    unit, tono, _nina = zone
    assessment = reviewed(world, unit, tono, 2026)
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBK",
            today=date(2026, 6, 1),
        )
    assert refused.value.code == "deadline"
    assert refused.value.messages == ["Batas usulan tahun 2026 sudah lewat (31 Mei 2026)."]
    settings.ZI_PROPOSAL_DEADLINE = "04-30"  # from the configuration
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBK",
            today=date(2026, 5, 1),
        )
    assert "30 April 2026" in refused.value.messages[0]
    settings.ZI_PROPOSAL_DEADLINE = "05-31"
    proposal = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBK",
        today=date(2026, 5, 31),
    )
    assert proposal.state == S.PROPOSED
    assert proposal.stages.get().stage == S.PROPOSED
    assert AuditEntry.objects.get(action="zi.proposal.create").data["tpi_total"] == "88.59"


def test_only_a_reviewed_assessment_is_proposed_and_only_by_its_admin(zone, world) -> None:
    unit, tono, _nina = zone
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBK",
            today=BEFORE_DEADLINE,
        )
    assert refused.value.code == "not_reviewed"
    for outsider in (world.operator_binjai, tono, world.admin_pekalongan, world.koordinator):
        with pytest.raises(Http404):
            services.proposal_create(
                actor=outsider, assessment_id=assessment.pk, predicate="WBK", today=BEFORE_DEADLINE
            )


def test_wbbm_is_refused_without_wbk_and_proposed_once_the_unit_holds_it(zone, world) -> None:
    unit, tono, nina = zone
    # The TPI's IPKP 3,80 (16,63) meets WBBM's 15,75.
    assessment = reviewed(world, unit, tono, 2026, IPKP="3,80")
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBBM",
            today=BEFORE_DEADLINE,
        )
    assert refused.value.code == "needs_wbk"
    assert refused.value.messages == ["WBBM hanya diusulkan untuk unit yang sudah berpredikat WBK."]
    wbk = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    with pytest.raises(AlreadyDone):  # twice
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBK",
            today=BEFORE_DEADLINE,
        )
    designate(wbk, nina, date(2026, 5, 20))
    with pytest.raises(AlreadyDone) as held:  # WBK is held now
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=assessment.pk,
            predicate="WBK",
            today=date(2026, 5, 21),
        )
    assert held.value.code == "held"
    wbbm = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBBM",
        today=date(2026, 5, 21),
    )
    assert wbbm.state == S.PROPOSED


# --- The TPN's stages --------------------------------------------------------------------------


def test_the_tpn_records_each_stage_in_order_then_the_penetapan(zone, world) -> None:
    unit, tono, nina = zone
    assessment = reviewed(world, unit, tono, 2026)
    proposal = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    # Stage by stage: no skipping to the desk evaluation, no penetapan before the field visit.
    with pytest.raises(InvalidTransition):
        services.proposal_advance(actor=nina, proposal_id=proposal.pk, stage=S.EVALUASI_DESK)
    with pytest.raises(InvalidTransition):
        services.proposal_decide(actor=nina, proposal_id=proposal.pk, designated=True)
    services.proposal_advance(
        actor=nina,
        proposal_id=proposal.pk,
        stage=S.PRA_EVALUASI,
        note="Dokumen lengkap.",
        upload=SimpleUploadedFile("pra-evaluasi.pdf", PDF),
    )
    with pytest.raises(InvalidTransition):  # the same stage twice (a second click)
        services.proposal_advance(actor=nina, proposal_id=proposal.pk, stage=S.PRA_EVALUASI)
    services.proposal_advance(actor=nina, proposal_id=proposal.pk, stage=S.EVALUASI_DESK)
    services.proposal_advance(actor=nina, proposal_id=proposal.pk, stage=S.EVALUASI_LAPANGAN)
    services.proposal_decide(
        actor=nina, proposal_id=proposal.pk, designated=True, today=date(2026, 11, 2)
    )
    proposal.refresh_from_db()
    assert proposal.state == S.DESIGNATED
    assert list(proposal.stages.values_list("source", "stage")) == [
        ("", S.PROPOSED),
        (S.PROPOSED, S.PRA_EVALUASI),
        (S.PRA_EVALUASI, S.EVALUASI_DESK),
        (S.EVALUASI_DESK, S.EVALUASI_LAPANGAN),
        (S.EVALUASI_LAPANGAN, S.DESIGNATED),
    ]
    first = proposal.stages.get(stage=S.PRA_EVALUASI)
    assert (first.note, first.evidence_name, first.decided_by) == (
        "Dokumen lengkap.",
        "pra-evaluasi.pdf",
        nina,
    )
    designation = Designation.objects.get()
    assert (designation.unit, designation.predicate, designation.year) == (unit, "WBK", 2026)
    assert designation.designated_on == date(2026, 11, 2)
    with pytest.raises(InvalidTransition):  # decided
        services.proposal_decide(actor=nina, proposal_id=proposal.pk, designated=False, note="x")


def test_not_designated_needs_a_note_and_ends_the_proposal_at_any_stage(zone, world) -> None:
    unit, tono, nina = zone
    assessment = reviewed(world, unit, tono, 2026)
    proposal = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    services.proposal_advance(actor=nina, proposal_id=proposal.pk, stage=S.PRA_EVALUASI)
    with pytest.raises(DomainError) as refused:
        services.proposal_decide(actor=nina, proposal_id=proposal.pk, designated=False, note=" ")
    assert refused.value.code == "note"
    services.proposal_decide(
        actor=nina,
        proposal_id=proposal.pk,
        designated=False,
        note="Survei IPKP belum dari lembaga independen.",
    )
    proposal.refresh_from_db()
    assert proposal.state == S.NOT_DESIGNATED
    assert not Designation.objects.exists()
    with pytest.raises(InvalidTransition):
        services.proposal_advance(actor=nina, proposal_id=proposal.pk, stage=S.EVALUASI_DESK)
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database insists too
        StageRecord.objects.create(proposal=proposal, stage=S.NOT_DESIGNATED, decided_by=nina)


def test_only_the_tpn_records_stages_and_not_for_a_pemda_it_holds_a_role_in(zone, world) -> None:
    unit, tono, nina = zone
    assessment = reviewed(world, unit, tono, 2026)
    proposal = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    for outsider in (world.admin_binjai, tono, world.koordinator, world.verifier_sumut):
        with pytest.raises(Http404):
            services.proposal_advance(actor=outsider, proposal_id=proposal.pk, stage=S.PRA_EVALUASI)
    # Separation of duties: a TPN member who is also in Binjai's TPI does not evaluate Binjai.
    RoleAssignmentFactory.create(user=nina, role=Role.TPI, pemda=world.binjai)
    nina = User.objects.get(pk=nina.pk)
    for act in (
        lambda: services.proposal_advance(
            actor=nina, proposal_id=proposal.pk, stage=S.PRA_EVALUASI
        ),
        lambda: services.proposal_decide(
            actor=nina, proposal_id=proposal.pk, designated=False, note="x"
        ),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert refused.value.code == "conflict"
    proposal.refresh_from_db()
    assert proposal.state == S.PROPOSED


# --- Revocation --------------------------------------------------------------------------------


def test_a_revocation_blocks_a_new_proposal_for_two_years(zone, world) -> None:
    unit, tono, nina = zone
    first = reviewed(world, unit, tono, 2026)
    proposal = services.proposal_create(
        actor=world.admin_binjai, assessment_id=first.pk, predicate="WBK", today=date(2026, 3, 2)
    )
    designation = designate(proposal, nina, date(2026, 3, 20))
    with pytest.raises(Http404):  # not the Pemda's to revoke
        services.designation_revoke(
            actor=world.admin_binjai, designation_id=designation.pk, reason="x"
        )
    with pytest.raises(DomainError) as refused:
        services.designation_revoke(actor=nina, designation_id=designation.pk, reason="  ")
    assert refused.value.code == "reason"
    services.designation_revoke(
        actor=world.koordinator,
        designation_id=designation.pk,
        reason="Pungutan liar terbukti (laporan masyarakat, dikonfirmasi Inspektorat).",
        today=date(2026, 4, 1),
    )
    designation.refresh_from_db()
    assert (designation.revoked_on, designation.revoked_by) == (date(2026, 4, 1), world.koordinator)
    later = reviewed(world, unit, tono, 2028)
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=world.admin_binjai,
            assessment_id=later.pk,
            predicate="WBK",
            today=date(2028, 3, 31),
        )
    assert refused.value.code == "revoked"
    assert refused.value.messages == [
        "Predikat unit ini pernah dicabut; unit dapat diusulkan lagi mulai 1 April 2028."
    ]
    # From the day the block ends; the revoked predicate is no longer held.
    again = services.proposal_create(
        actor=world.admin_binjai, assessment_id=later.pk, predicate="WBK", today=date(2028, 4, 1)
    )
    assert again.state == S.PROPOSED
    with pytest.raises(AlreadyDone):
        services.designation_revoke(actor=nina, designation_id=designation.pk, reason="lagi")


def test_the_block_follows_the_configuration(zone, world, settings) -> None:
    unit, tono, nina = zone
    first = reviewed(world, unit, tono, 2026)
    proposal = services.proposal_create(
        actor=world.admin_binjai, assessment_id=first.pk, predicate="WBK", today=date(2026, 3, 2)
    )
    designation = designate(proposal, nina, date(2026, 3, 20))
    services.designation_revoke(
        actor=nina, designation_id=designation.pk, reason="Dicabut.", today=date(2026, 4, 1)
    )
    settings.ZI_REPROPOSAL_BLOCK_YEARS = 1
    later = reviewed(world, unit, tono, 2027)
    assert services.proposal_create(
        actor=world.admin_binjai, assessment_id=later.pk, predicate="WBK", today=date(2027, 4, 1)
    )


def test_a_revoked_designation_has_a_reason_in_the_database(zone, world) -> None:
    unit, tono, nina = zone
    proposal = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=reviewed(world, unit, tono, 2026).pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    designation = designate(proposal, nina, date(2026, 5, 20))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Designation.objects.filter(pk=designation.pk).update(
            revoked_on=date(2026, 6, 1), revoked_by=nina
        )


# --- Through the pages -------------------------------------------------------------------------


def _client(user: User) -> Client:
    return sign_in(Client(), user)


def test_from_usulkan_to_the_public_designation_through_the_pages(zone, world, settings) -> None:
    unit, tono, nina = zone
    settings.ZI_PROPOSAL_DEADLINE = "12-31"  # whatever day the suite runs on
    year = timezone.localdate().year
    assessment = reviewed(world, unit, tono, year)
    admin = _client(world.admin_binjai)
    units_page = admin.get(reverse("zi:units", kwargs={"code": "12.75"})).content.decode()
    propose_url = reverse("zi:proposal_create", kwargs={"pk": assessment.pk})
    assert propose_url in units_page
    answer = admin.post(propose_url, {"predicate": "WBK"})
    proposal = Proposal.objects.get()
    assert answer["Location"] == reverse("zi:proposal", kwargs={"pk": proposal.pk})
    page_url = reverse("zi:proposal", kwargs={"pk": proposal.pk})
    # Not public while in evaluation.
    public = Client()
    assert unit.name not in public.get(reverse("public:zi_designations")).content.decode()
    tpn = _client(nina)
    assert (
        tpn.get(reverse("zi:proposals"), {"tahap": "proposed"}).content.decode().count(unit.name)
        == 1
    )
    refused = tpn.post(page_url, {"decide": "1", "decide-decision": "not_designated"})
    assert refused.status_code == 400
    assert "Tulis alasan unit tidak ditetapkan" in refused.content.decode()
    for stage in (S.PRA_EVALUASI, S.EVALUASI_DESK, S.EVALUASI_LAPANGAN):
        done = tpn.post(
            page_url,
            {
                "record_stage": "1",
                "stage-stage": stage,
                "stage-note": f"Catatan {stage}",
                "stage-evidence": SimpleUploadedFile(f"{stage}.pdf", PDF),
            },
        )
        assert done.status_code == 302, done.content.decode()
    # A second click on a stage already recorded changes nothing.
    stale = tpn.post(
        page_url, {"record_stage": "1", "stage-stage": S.EVALUASI_LAPANGAN}, follow=True
    )
    assert "Tahap ini sudah dicatat, atau usulan sudah diputuskan." in stale.content.decode()
    assert proposal.stages.count() == 4
    tpn.post(page_url, {"decide": "1", "decide-decision": "designated", "decide-note": "Layak."})
    proposal.refresh_from_db()
    assert proposal.state == S.DESIGNATED
    record = proposal.stages.get(stage=S.EVALUASI_DESK)
    download = admin.get(reverse("zi:stage_evidence", kwargs={"pk": record.pk}))
    assert download.status_code == 200
    page = admin.get(page_url).content.decode()
    assert "Catatan evaluasi_desk" in page and "Ditetapkan WBK pada" in page
    listing = public.get(reverse("public:zi_designations")).content.decode()
    assert unit.name in listing and "Kota Binjai" in listing
    assert (
        unit.name
        in public.get(reverse("public:zi_pemda", kwargs={"code": "12.75"})).content.decode()
    )
    api = public.get(reverse("api_zi_designations"), {"pemda": "12.75"}).json()
    assert api["count"] == 1 and api["demo"] is settings.DEMO
    assert api["results"][0] | {"designated_on": None} == {
        "pemda": "12.75",
        "pemda_name": world.binjai.name,
        "province": "12",
        "unit": unit.name,
        "opd": world.bpkad_binjai.name,
        "predicate": "WBK",
        "year": year,
        "designated_on": None,
        "revoked": False,
        "revoked_on": None,
    }
    # The Koordinator revokes it, saying why; the public still sees it, as revoked.
    koordinator = _client(world.koordinator)
    designation = Designation.objects.get()
    revoke_url = reverse("zi:designation_revoke", kwargs={"pk": designation.pk})
    koordinator.post(revoke_url, {"reason": ""})
    designation.refresh_from_db()
    assert designation.revoked_on is None
    koordinator.post(revoke_url, {"reason": "Terbukti pungutan liar."})
    designation.refresh_from_db()
    assert designation.revoked_on == timezone.localdate()
    pemda_page = public.get(reverse("public:zi_pemda", kwargs={"code": "12.75"})).content.decode()
    assert "Dicabut" in pemda_page and "Terbukti pungutan liar." not in pemda_page
    assert public.get(reverse("api_zi_designations")).json()["results"][0]["revoked"] is True
    assert public.get(reverse("api_zi_designations"), {"predicate": "X"}).status_code == 400


def test_a_refused_proposal_says_why_on_the_pemda_page(zone, world, settings) -> None:
    unit, tono, _nina = zone
    settings.ZI_PROPOSAL_DEADLINE = "12-31"
    this_year = timezone.localdate().year
    low = reviewed(world, unit, tono, this_year, IPAK="3,00")
    admin = _client(world.admin_binjai)
    page = admin.post(
        reverse("zi:proposal_create", kwargs={"pk": low.pk}), {"predicate": "WBK"}, follow=True
    ).content.decode()
    assert "Nilai TPI belum memenuhi syarat WBK" in page
    assert "Indeks Persepsi Anti Korupsi 13,13, di bawah 15,75" in page
    last_year = reviewed(world, unit, tono, this_year - 1)
    page = admin.post(
        reverse("zi:proposal_create", kwargs={"pk": last_year.pk}),
        {"predicate": "WBK"},
        follow=True,
    ).content.decode()
    assert f"Batas usulan tahun {this_year - 1} sudah lewat (31 Desember {this_year - 1})." in page
    assert not Proposal.objects.exists()


def test_a_unit_of_one_pemda_is_404_to_every_role_of_another(zone, world) -> None:
    unit, tono, nina = zone
    proposal = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=reviewed(world, unit, tono, 2026).pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    services.proposal_advance(
        actor=nina,
        proposal_id=proposal.pk,
        stage=S.PRA_EVALUASI,
        upload=SimpleUploadedFile("pra.pdf", PDF),
    )
    designation = designate_rest(proposal, nina)
    record = proposal.stages.get(stage=S.PRA_EVALUASI)
    others = [
        world.admin_pekalongan,
        world.operator_pekalongan,
        _person("tpi@pekalongan.test", Role.TPI, world.kota_pekalongan),
        _person("irda@pekalongan.test", Role.INSPEKTORAT, world.kota_pekalongan),
        world.verifier_jateng,
        world.nobody,
    ]
    gets = [
        reverse("zi:units", kwargs={"code": "12.75"}),
        reverse("zi:proposal", kwargs={"pk": proposal.pk}),
        reverse("zi:stage_evidence", kwargs={"pk": record.pk}),
        reverse("zi:proposals"),
    ]
    posts = [
        reverse("zi:proposal_create", kwargs={"pk": proposal.assessment_id}),
        reverse("zi:proposal", kwargs={"pk": proposal.pk}),
        reverse("zi:designation_revoke", kwargs={"pk": designation.pk}),
    ]
    for person in others:
        client = _client(person)
        for url in gets:
            assert client.get(url).status_code == 404, (person, url)
        for url in posts:
            answer = client.post(url, {"predicate": "WBBM", "reason": "x", "record_stage": "1"})
            assert answer.status_code == 404, (person, url)
    designation.refresh_from_db()
    assert designation.revoked_on is None
    # The national team reads every Pemda's, from its menu.
    assert reverse("zi:proposals") in _client(nina).get(reverse("home:home")).content.decode()
    assert _client(nina).get(reverse("zi:proposal", kwargs={"pk": proposal.pk})).status_code == 200


def designate_rest(proposal: Proposal, tpn: User) -> Designation:
    for stage in (S.EVALUASI_DESK, S.EVALUASI_LAPANGAN):
        services.proposal_advance(actor=tpn, proposal_id=proposal.pk, stage=stage)
    services.proposal_decide(actor=tpn, proposal_id=proposal.pk, designated=True)
    return Designation.objects.get(proposal=proposal)


# --- Query counts: the lists cost the same whatever their length -------------------------------


def _units_with_designations(world, creator: User, start: int, count: int) -> None:
    """`count` more units of Binjai, each with a 2026 assessment, a WBK proposal and its
    designation (every other one revoked), straight into the database: only reads are measured."""
    lke = services.current_lke()
    for i in range(start, start + count):
        unit = Unit.objects.create(
            pemda=world.binjai, opd=world.bpkad_binjai, name=f"Unit {i:03}", created_by=creator
        )
        assessment = Assessment.objects.create(
            unit=unit, year=2026, lke=lke, state=Assessment.State.REVIEWED
        )
        proposal = Proposal.objects.create(
            assessment=assessment, predicate="WBK", state=S.DESIGNATED, proposed_by=creator
        )
        StageRecord.objects.create(proposal=proposal, stage=S.PROPOSED, decided_by=creator)
        revoked = i % 2 == 1
        Designation.objects.create(
            unit=unit,
            predicate="WBK",
            year=2026,
            designated_on=date(2026, 11, 2),
            proposal=proposal,
            revoked_on=date(2026, 12, 1) if revoked else None,
            revoked_reason="Dicabut." if revoked else "",
            revoked_by=creator if revoked else None,
        )


@pytest.mark.parametrize(
    ("name", "who", "kwargs", "query"),
    [
        ("zi:units", "admin_binjai", {"code": "12.75"}, {"tahun": "2026"}),
        ("zi:proposals", "tpn", {}, {"tahun": "2026"}),
        ("public:zi_designations", None, {}, {}),
        ("public:zi_pemda", None, {"code": "12.75"}, {}),
        ("api_zi_designations", None, {}, {"province": "12"}),
    ],
)
def test_list_pages_cost_the_same_queries_for_n_and_2n_units(
    zone, world, django_assert_num_queries, name, who, kwargs, query
) -> None:
    _unit, _tono, nina = zone
    user = nina if who == "tpn" else getattr(world, who) if who else None
    url = reverse(name, kwargs=kwargs)
    counts = []
    for start, n in ((0, 4), (4, 4)):  # 4 units, then 8
        _units_with_designations(world, world.admin_binjai, start, n)
        client = _client(user) if user else Client()
        client.get(url, query)  # warm the session
        cache.clear()  # the page made from nothing, not served from the public page cache
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url, query)
        assert answer.status_code == 200
        assert answer.content.decode().count(f"Unit {start + n - 1:03}") >= 1
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    cache.clear()
    with django_assert_num_queries(EXPECTED_QUERIES[name]):
        client.get(url, query)


# Exact counts, the same for 4 and 8 units (asserted above) and for any other number.
EXPECTED_QUERIES = {
    # Session, user, device, Pemda, roles, units (who may see), units, assessments, proposals,
    # designations, unread notifications, the OPD of the unit form.
    "zi:units": 12,
    # Session, user, device, roles, provinces (filter), count, the page, unread notifications.
    "zi:proposals": 8,
    # The page cache's marker (the designations' count and latest change), then the page's.
    "public:zi_designations": 4,  # marker, designations, provinces, years
    "public:zi_pemda": 3,  # marker, the Pemda, its designations
    "api_zi_designations": 3,  # the province asked exists, count, the page
}


# --- Review mends -------------------------------------------------------------------------------


def test_wbbm_is_not_designated_once_the_units_wbk_is_revoked(zone, world) -> None:
    unit, tono, nina = zone
    assessment = reviewed(world, unit, tono, 2026, IPKP="3,80")
    wbk = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBK",
        today=BEFORE_DEADLINE,
    )
    designation = designate(wbk, nina, date(2026, 5, 20))
    wbbm = services.proposal_create(
        actor=world.admin_binjai,
        assessment_id=assessment.pk,
        predicate="WBBM",
        today=date(2026, 5, 21),
    )
    for stage in (S.PRA_EVALUASI, S.EVALUASI_DESK, S.EVALUASI_LAPANGAN):
        services.proposal_advance(actor=nina, proposal_id=wbbm.pk, stage=stage)
    services.designation_revoke(
        actor=nina, designation_id=designation.pk, reason="Laporan media terkonfirmasi."
    )
    with pytest.raises(DomainError) as refused:
        services.proposal_decide(actor=nina, proposal_id=wbbm.pk, designated=True)
    assert refused.value.code == "wbk_required"
    assert not Designation.objects.filter(predicate="WBBM").exists()


def test_an_answer_longer_than_its_column_is_refused_in_words(zone, world) -> None:
    unit, _tono, _nina = zone
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    answer = assessment.answers.get(code="MP.R1.a")
    with pytest.raises(DomainError, match="paling panjang 30"):
        services.answer_save(
            user=world.operator_binjai,
            answer_id=answer.pk,
            value="0" * 40 + "50",
            note="",
            expected_version=0,
        )


def test_the_admin_pemda_and_the_units_operators_do_not_assess_it_as_tpi(zone, world) -> None:
    unit, tono, _nina = zone
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    for answer in assessment.answers.all():
        services.answer_save(
            user=world.operator_binjai,
            answer_id=answer.pk,
            value=ANSWERS[answer.code],
            note="",
            expected_version=answer.version,
        )
    services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    answer = assessment.answers.get(code="PW.P1.a")
    for person in (world.admin_binjai, world.operator_pupr_binjai):
        RoleAssignment.objects.create(user=person, role=Role.TPI, pemda=world.binjai)
    for person in (world.admin_binjai, world.operator_binjai):
        if person == world.operator_binjai:
            RoleAssignment.objects.create(user=person, role=Role.TPI, pemda=world.binjai)
        fresh = User.objects.get(pk=person.pk)
        with pytest.raises(DomainError) as refused:
            services.answer_review(reviewer=fresh, answer_id=answer.pk, value="Ya")
        assert refused.value.code == "own_work"
    # An operator of another OPD of the Pemda may sit in the TPI and assess it.
    services.answer_review(
        reviewer=User.objects.get(pk=world.operator_pupr_binjai.pk), answer_id=answer.pk, value="Ya"
    )
    services.answer_review(reviewer=tono, answer_id=answer.pk, value="Ya")
