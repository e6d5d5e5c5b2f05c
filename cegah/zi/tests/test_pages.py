"""The Zona Integritas pages, as the Admin Pemda, the unit and the TPI use them (real HTTP)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import Role
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.uploads.tests.files import PDF
from cegah.zi import services
from cegah.zi.models import Assessment, Unit
from cegah.zi.tests.test_lke_and_scoring import ANSWERS, TEST_LKE

pytestmark = pytest.mark.django_db


def test_from_a_new_unit_to_the_tpi_verdict_through_the_pages(world, login) -> None:
    services.lke_import(path=TEST_LKE)
    admin = login(world.admin_binjai)
    units_url = reverse("zi:units", kwargs={"code": "12.75"})
    admin.post(units_url, {"unit": "1", "opd": world.bpkad_binjai.pk, "name": "BPKAD Binjai"})
    unit = Unit.objects.get()
    refused = admin.post(
        units_url,
        {
            "declare": "1",
            "declared_on": "31-12-2999",
            "units": [unit.pk],
            "document": SimpleUploadedFile("pakta.pdf", PDF),
        },
    )
    assert refused.status_code == 400
    admin.post(
        units_url,
        {
            "declare": "1",
            "declared_on": timezone.localdate().strftime("%d-%m-%Y"),
            "units": [unit.pk],
            "document": SimpleUploadedFile("pakta.pdf", PDF),
        },
    )
    unit.refresh_from_db()
    assert unit.declaration is not None
    operator = login(world.operator_binjai)
    year = timezone.localdate().year
    started = operator.post(reverse("zi:assessment_start", kwargs={"pk": unit.pk}), {"year": year})
    assessment = Assessment.objects.get()
    assert started["Location"] == reverse("zi:assessment", kwargs={"pk": assessment.pk})
    page_url = reverse("zi:assessment", kwargs={"pk": assessment.pk})
    versions = {a.code: a.version for a in assessment.answers.all()}
    fields = {f"v-{c}": v for c, v in ANSWERS.items()} | {
        f"ver-{c}": n for c, n in versions.items()
    }
    # One answer outside its type: the rest is saved, that one comes back as typed.
    page = operator.post(page_url, fields | {"v-MP.P1.b": "Z"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "1 jawaban belum tersimpan; yang lain tersimpan." in text
    assert "“Z”: jawab salah satu dari A, B, C." in text
    assert assessment.answers.get(code="MP.P1.a").value == "Ya"
    versions = {a.code: a.version for a in assessment.answers.all()}
    operator.post(page_url, {"v-MP.P1.b": "B", "ver-MP.P1.b": versions["MP.P1.b"]})
    operator.post(page_url, {"submit": "1"})
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    tpi = make_user("tono@binjai.test", "Tono")
    RoleAssignmentFactory.create(user=tpi, role=Role.TPI, pemda=world.binjai)
    reviewer = login(tpi)
    review = {f"tpi-{c}": "value" for c in ANSWERS} | {f"tv-{c}": v for c, v in ANSWERS.items()}
    review |= {"tv-IPKP": "3,80"}  # the TPI's own survey reading
    reviewer.post(page_url, review)
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.REVIEWED
    verdict = reviewer.get(reverse("zi:verdict", kwargs={"pk": assessment.pk})).content.decode()
    # The unit's own IPKP 3.20 → 14.00 blocks WBBM; the TPI's 3.80 → 16.63 does not.
    assert "Indeks Persepsi Kualitas Pelayanan 14,00, di bawah 15,75" in verdict
    assert verdict.count("belum berpredikat WBK") == 2


def test_a_unit_of_one_pemda_is_404_to_every_role_of_another(world, login, declared_unit) -> None:
    (unit,) = declared_unit()
    assessment = services.assessment_start(actor=world.admin_binjai, unit=unit, year=2026)
    for person in (world.admin_pekalongan, world.operator_pekalongan, world.verifier_jateng):
        client = login(person)
        for url in (
            reverse("zi:units", kwargs={"code": "12.75"}),
            reverse("zi:assessment", kwargs={"pk": assessment.pk}),
            reverse("zi:verdict", kwargs={"pk": assessment.pk}),
        ):
            assert client.get(url).status_code == 404, (person, url)


def test_the_filled_lke_exports_to_excel_and_a_pdf_summary(world, login, declared_unit) -> None:
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from cegah.zi.tests.test_assessment import _fill

    (unit,) = declared_unit()
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    _fill(assessment, world.operator_binjai, ANSWERS)
    services.answer_evidence_add(
        user=world.operator_binjai,
        answer_id=assessment.answers.get(code="MP.P1.b").pk,
        upload=SimpleUploadedFile("rencana-zi.pdf", PDF),
    )
    client = login(world.admin_binjai)
    sheet = client.get(reverse("zi:worksheet", kwargs={"pk": assessment.pk}))
    book = load_workbook(io.BytesIO(b"".join(sheet.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:6] == ("Kode", "Area", "Bagian", "Sub-komponen", "Pertanyaan", "Jawaban unit")
    by_code = {r[0]: r for r in rows[1:]}
    # MP.P1.b: B of A/B/C = 0.5 of its share of MP.P1 (weight 4 over 3 questions): 0.67.
    # Four places: the rows add up to the score, which is rounded once at the end.
    assert by_code["MP.P1.b"][5:9] == ("B", "rencana-zi.pdf", None, 0.6667)  # no note: empty
    assert by_code["IPAK"][8] == 15.75
    assert len(rows) == 1 + len(ANSWERS)
    summary = client.get(reverse("zi:summary", kwargs={"pk": assessment.pk}))
    assert summary["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(summary.content)).pages)
    assert "Ringkasan LKE BPKAD 2026" in text and "88,59" in text
    assert "Indeks Persepsi Kualitas Pelayanan 14,00, di bawah 15,75" in text
    # Another Pemda reads neither.
    other = login(world.admin_pekalongan)
    assert other.get(reverse("zi:worksheet", kwargs={"pk": assessment.pk})).status_code == 404
    assert other.get(reverse("zi:summary", kwargs={"pk": assessment.pk})).status_code == 404


def test_what_if_moves_the_verdict_and_saves_nothing(world, login, declared_unit) -> None:
    from cegah.zi.models import Answer
    from cegah.zi.tests.test_assessment import _fill

    (unit,) = declared_unit()
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    _fill(assessment, world.operator_binjai, ANSWERS)
    before = list(Answer.objects.values_list("code", "value", "tpi_value", "version"))
    client = login(world.admin_binjai)
    url = reverse("zi:whatif", kwargs={"pk": assessment.pk})
    as_saved = client.get(url).content.decode()
    assert "WBK</strong>: memenuhi ambang" in as_saved
    # IPAK 3,00 → 13,13: WBK is blocked by it, named; an impossible answer is said and ignored.
    tried = client.get(
        url, {"v-IPAK": "3,00", "v-MP.P1.a": "Mungkin"}, headers={"HX-Request": "true"}
    )
    text = tried.content.decode()
    assert "Indeks Persepsi Anti Korupsi 13,13, di bawah 15,75" in text
    assert "MP.P1.a: “Mungkin”: jawab salah satu dari Ya, Tidak." in text
    assert list(Answer.objects.values_list("code", "value", "tpi_value", "version")) == before


def test_zi_score_agrees_with_the_page_for_the_same_answers(
    world, login, tmp_path, declared_unit
) -> None:
    import io
    import json

    from django.core.management import call_command

    from cegah.zi.tests.test_assessment import _fill

    (unit,) = declared_unit()
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    _fill(assessment, world.operator_binjai, ANSWERS)
    page = login(world.admin_binjai).get(reverse("zi:verdict", kwargs={"pk": assessment.pk}))
    _title, own = page.context["sides"][0]
    filled = tmp_path / "lke.csv"
    filled.write_text(
        "kode;jawaban\n" + "".join(f"{c};{v}\n" for c, v in ANSWERS.items()), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("zi_score", "--lke", "1", str(filled), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["total"] == str(own.total) == "88.59"
    assert printed["verdicts"] == {
        v.predicate: {"met": v.met, "blockers": v.blockers} for v in own.verdicts
    }
    assert "Indeks Persepsi Kualitas Pelayanan 14,00, di bawah 15,75" in page.content.decode()


@pytest.mark.parametrize("units", [3, 6])
def test_the_units_page_reads_the_same_queries_as_units_double(
    world, login, django_assert_num_queries, units, declared_unit
) -> None:
    made = declared_unit(*(f"Unit {n}" for n in range(units)))
    for unit in made:
        services.assessment_start(actor=world.admin_binjai, unit=unit, year=2026)
    client = login(world.admin_binjai)
    url = reverse("zi:units", kwargs={"code": "12.75"})
    client.get(url)
    # Session, user, second factor, roles, the Pemda, the listed units with their Pemda, OPD
    # and declaration, their assessments, proposals and designations, the forms' OPD and
    # undeclared units, and the unread badge: none per unit.
    with django_assert_num_queries(12):
        page = client.get(url)
    assert page.content.decode().count("Buka LKE") == units


def test_a_refused_review_keeps_what_the_tpi_typed(world, login, declared_unit) -> None:
    from cegah.accounts.models import Role
    from cegah.testing.factories import RoleAssignmentFactory, make_user
    from cegah.zi.tests.test_assessment import _fill

    (unit,) = declared_unit()
    assessment = services.assessment_start(actor=world.operator_binjai, unit=unit, year=2026)
    _fill(assessment, world.operator_binjai, ANSWERS)
    services.assessment_submit(user=world.operator_binjai, assessment_id=assessment.pk)
    tpi = make_user("tono@binjai.test", "Tono")
    RoleAssignmentFactory.create(user=tpi, role=Role.TPI, pemda=world.binjai)
    page = login(tpi).post(
        reverse("zi:assessment", kwargs={"pk": assessment.pk}),
        {
            "tpi-IPAK": "value",
            "tv-IPAK": "9",  # outside 1 to 4: refused
            "tn-IPAK": "Survei ulang oleh BPS.",
            "tpi-IPKP": "return",
            "tr-IPKP": "",  # no reason: refused
        },
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert 'value="9"' in text and 'value="Survei ulang oleh BPS."' in text
    assert "indeks survei 1 sampai 4" in text
