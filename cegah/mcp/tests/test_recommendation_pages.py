"""Recommendation pages: who sees which list and page, the filters, writing one, the acts and
their refusals, files, exports, and query counts that do not grow with the rows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cegah.mcp.models import FollowUp, Recommendation
from cegah.mcp.services import catalogue_import
from cegah.mcp.services import recommendations as services
from cegah.uploads.tests import files

from .conftest import CATALOGUES, write_recommendation

pytestmark = pytest.mark.django_db
S = Recommendation.State


def _titles(response) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


def _world_of_recommendations(world, reporting) -> dict[str, Recommendation]:
    return {
        "prc": write_recommendation(world, reporting, title="Binjai PRC", indicator="PRC.1"),
        "bmd": write_recommendation(world, reporting, title="Binjai BMD", indicator="BMD.1"),
        "pekalongan": write_recommendation(
            world,
            reporting,
            author=world.verifier_jateng,
            pemda=world.kota_pekalongan,
            title="Pekalongan PRC",
        ),
    }


# --- Lists and their scope ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("koordinator", {"Binjai PRC", "Binjai BMD", "Pekalongan PRC"}),
        ("superadmin", {"Binjai PRC", "Binjai BMD", "Pekalongan PRC"}),
        ("verifier_sumut", {"Binjai PRC", "Binjai BMD"}),
        ("verifier_jateng", {"Pekalongan PRC"}),
        ("admin_binjai", {"Binjai PRC", "Binjai BMD"}),
        ("inspektorat_binjai", {"Binjai PRC", "Binjai BMD"}),
        ("operator_binjai", {"Binjai PRC"}),  # tied to BPKAD's indicator
        ("admin_pekalongan", {"Pekalongan PRC"}),
    ],
)
def test_each_person_lists_only_what_they_may_read(world, reporting, login, who, expected) -> None:
    _world_of_recommendations(world, reporting)
    response = login(getattr(world, who)).get(reverse("mcp:recommendation_list"))
    assert response.status_code == 200
    assert set(_titles(response)) == expected


def test_a_person_without_a_role_has_no_list(world, reporting, login) -> None:
    client = login(world.nobody)
    assert client.get(reverse("mcp:recommendation_list")).status_code == 404
    assert client.get(reverse("mcp:recommendation_export", args=["csv"])).status_code == 404


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("admin_binjai", "12.75", 200),
        ("admin_binjai", "33.75", 404),
        ("operator_binjai", "33.75", 404),
        ("verifier_sumut", "12.75", 200),
        ("verifier_sumut", "33.75", 404),
        ("verifier_jateng", "12.75", 404),
        ("koordinator", "33.75", 200),
        ("nobody", "12.75", 404),
    ],
)
def test_a_pemdas_list_is_for_its_people_its_verifiers_and_the_koordinator(
    world, reporting, login, who, code, status
) -> None:
    url = reverse("mcp:recommendation_pemda", kwargs={"code": code})
    assert login(getattr(world, who)).get(url).status_code == status


def test_the_pemda_list_counts_states_and_overdue(world, reporting, login) -> None:
    recs = _world_of_recommendations(world, reporting)
    Recommendation.objects.filter(pk=recs["bmd"].pk).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )
    response = login(world.admin_binjai).get(
        reverse("mcp:recommendation_pemda", kwargs={"code": "12.75"})
    )
    counts = {c.state: c.count for c in response.context["counts"]}
    assert counts == {"open": 2, "in_progress": 0, "awaiting": 0, "done": 0}
    assert response.context["overdue_count"] == 1
    page = response.content.decode()
    assert "terlambat" in page
    # The due day, day first.
    assert recs["prc"].due_on.strftime("%d-%m-%Y") in page
    assert not response.context["can_write"]  # the Pemda does not write its own


def test_the_filters_narrow_the_national_list(world, reporting, login) -> None:
    recs = _world_of_recommendations(world, reporting)
    Recommendation.objects.filter(pk=recs["pekalongan"].pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    services.recommendation_follow_up_add(
        user=world.admin_binjai, recommendation_id=recs["prc"].pk, text="Dikerjakan."
    )
    client = login(world.koordinator)
    url = reverse("mcp:recommendation_list")

    def titles(**query: str) -> set[str]:
        return set(_titles(client.get(url, query)))

    assert titles(status="in_progress") == {"Binjai PRC"}
    assert titles(terlambat="on") == {"Pekalongan PRC"}
    assert titles(provinsi="33") == {"Pekalongan PRC"}
    assert titles(area="BMD") == {"Binjai BMD"}
    catalogue_import(path=CATALOGUES / "small-2024.yaml")
    Recommendation.objects.filter(pk=recs["bmd"].pk).update(year=2024, area=None, indicator=None)
    assert titles(tahun="2025") == {"Binjai PRC", "Pekalongan PRC"}
    assert titles(tahun="2024") == {"Binjai BMD"}
    # A value the list does not know is ignored, not an error.
    assert len(titles(status="hilang", tahun="abc")) == 3


def _many(world, reporting, n: int) -> None:
    for i in range(n):
        rec = write_recommendation(world, reporting, title=f"R{i}")
        services.recommendation_follow_up_add(
            user=world.admin_binjai,
            recommendation_id=rec.pk,
            text="Dikerjakan.",
            uploads=[SimpleUploadedFile("bukti.pdf", files.PDF)],
        )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("koordinator", "/mcp/rekomendasi/"),
        ("verifier_sumut", "/mcp/rekomendasi/"),
        ("admin_binjai", "/mcp/pemda/12.75/rekomendasi/"),
    ],
)
def test_the_lists_query_count_does_not_grow_with_the_rows(
    world, reporting, login, django_assert_num_queries, who, url
) -> None:
    client = login(getattr(world, who))
    _many(world, reporting, 3)
    client.get(url)  # the session and the like, warmed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(world, reporting, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 6


# --- Writing one --------------------------------------------------------------------------------


def _form(world, reporting, **extra: str) -> dict[str, str]:
    due = timezone.localdate() + timedelta(days=14)
    return {
        "year": "2025",
        "pemda": "12.75",
        "indicator": str(reporting.catalogue.indicators.get(code="PRC.1").pk),
        "title": "Perbaiki SOP pengadaan",
        "text": "Tetapkan SOP yang memuat pemeriksaan konflik kepentingan.",
        "due_on": due.strftime("%d-%m-%Y"),
        **extra,
    }


def test_a_verifier_writes_one_from_the_form(world, reporting, login) -> None:
    client = login(world.verifier_sumut)
    page = client.get(reverse("mcp:recommendation_create"), {"pemda": "12.75", "tahun": "2025"})
    assert page.status_code == 200
    offered = {p.code for p in page.context["form"].fields["pemda"].queryset}
    assert offered == {"12", "12.75"}  # the Pemda they verify, nothing else
    response = client.post(reverse("mcp:recommendation_create"), _form(world, reporting))
    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mcp:recommendation_detail", kwargs={"pk": rec.pk})
    assert (rec.pemda, getattr(rec.indicator, "code", None), rec.author) == (
        world.binjai,
        "PRC.1",
        world.verifier_sumut,
    )


def test_a_refused_form_comes_back_as_typed(world, reporting, login) -> None:
    client = login(world.verifier_sumut)
    past = (timezone.localdate() - timedelta(days=1)).strftime("%d-%m-%Y")
    response = client.post(
        reverse("mcp:recommendation_create"), _form(world, reporting, due_on=past)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tenggat tidak boleh di masa lalu." in page
    assert "Tetapkan SOP yang memuat pemeriksaan konflik kepentingan." in page
    # Another's Pemda is not among the choices: refused, nothing written.
    response = client.post(
        reverse("mcp:recommendation_create"), _form(world, reporting, pemda="33.75")
    )
    assert response.status_code == 400
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("who", ["admin_binjai", "inspektorat_binjai", "operator_binjai", "nobody"])
def test_the_pemda_side_has_no_form_to_write(world, reporting, login, who) -> None:
    client = login(getattr(world, who))
    assert client.get(reverse("mcp:recommendation_create")).status_code == 404
    response = client.post(reverse("mcp:recommendation_create"), _form(world, reporting))
    assert response.status_code == 404
    assert not Recommendation.objects.exists()


# --- One recommendation: its page and acts ------------------------------------------------------


def _detail(rec) -> str:
    return reverse("mcp:recommendation_detail", kwargs={"pk": rec.pk})


def _act(name: str, rec) -> str:
    return reverse(f"mcp:recommendation_{name}", kwargs={"pk": rec.pk})


def test_the_whole_way_through_the_pages(world, reporting, login, client) -> None:
    rec = write_recommendation(world, reporting)
    admin = login(world.admin_binjai)
    page = admin.get(_detail(rec))
    assert page.context["can_follow_up"] and not page.context["can_request"]
    response = admin.post(
        _act("follow_up", rec),
        {
            "text": "Perwal 12/2026 ditetapkan.",
            "attachments": [SimpleUploadedFile("perwal.pdf", files.PDF)],
        },
    )
    assert response.status_code == 302
    file = FollowUp.objects.get().files.get()
    assert admin.get(_detail(rec)).context["can_request"]
    assert admin.post(_act("request", rec)).status_code == 302
    rec.refresh_from_db()
    assert rec.state == S.AWAITING
    # The verifier reads the file and accepts.
    verifier = login(world.verifier_sumut)
    download = verifier.get(reverse("mcp:recommendation_file", kwargs={"pk": file.pk}))
    assert b"".join(download.streaming_content) == files.PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert verifier.get(_detail(rec)).context["can_decide"]
    assert verifier.post(_act("accept", rec)).status_code == 302
    rec.refresh_from_db()
    assert rec.state == S.DONE
    page = verifier.get(_detail(rec)).content.decode()
    assert "Selesai" in page and "perwal.pdf" in page


def test_a_refused_follow_up_keeps_the_text_and_names_the_files(world, reporting, login) -> None:
    rec = write_recommendation(world, reporting)
    response = login(world.admin_binjai).post(
        _act("follow_up", rec),
        {
            "text": "Perwal ditetapkan.",
            "attachments": [SimpleUploadedFile("virus.pdf", files.EXE)],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Perwal ditetapkan." in page and "Pilih lagi berkas: virus.pdf." in page
    assert not FollowUp.objects.exists()


def test_a_return_needs_a_reason_and_says_it_on_the_page(world, reporting, login) -> None:
    rec = write_recommendation(world, reporting)
    services.recommendation_follow_up_add(
        user=world.admin_binjai, recommendation_id=rec.pk, text="x"
    )
    services.recommendation_acceptance_request(user=world.admin_binjai, recommendation_id=rec.pk)
    verifier = login(world.verifier_sumut)
    assert verifier.post(_act("return", rec), {"reason": ""}).status_code == 400
    assert verifier.post(_act("return", rec), {"reason": "Lampirkan Perwal."}).status_code == 302
    page = verifier.get(_detail(rec)).content.decode()
    assert "Lampirkan Perwal." in page and "Sedang ditindaklanjuti" in page


def test_the_koordinator_is_told_why_they_may_not_accept_yet(world, reporting, login) -> None:
    rec = write_recommendation(world, reporting)
    services.recommendation_follow_up_add(
        user=world.admin_binjai, recommendation_id=rec.pk, text="x"
    )
    services.recommendation_acceptance_request(user=world.admin_binjai, recommendation_id=rec.pk)
    client = login(world.koordinator)
    page = client.get(_detail(rec))
    assert not page.context["can_decide"]
    assert "Hanya penulis rekomendasi ini, Hendra Ginting" in page.content.decode()
    client.post(_act("accept", rec))
    rec.refresh_from_db()
    assert rec.state == S.AWAITING


@pytest.mark.parametrize(
    ("who", "act"),
    [
        ("admin_pekalongan", "follow_up"),
        ("verifier_jateng", "follow_up"),
        ("verifier_sumut", "follow_up"),  # the writer does not follow up for the Pemda
        ("operator_pupr_binjai", "follow_up"),  # another OPD's indicator
        ("admin_pekalongan", "request"),
        ("admin_binjai", "accept"),
        ("inspektorat_binjai", "return"),
        ("verifier_jateng", "accept"),
        ("nobody", "accept"),
    ],
)
def test_acts_out_of_scope_are_404_and_change_nothing(world, reporting, login, who, act) -> None:
    rec = write_recommendation(world, reporting)
    services.recommendation_follow_up_add(
        user=world.admin_binjai, recommendation_id=rec.pk, text="x"
    )
    services.recommendation_acceptance_request(user=world.admin_binjai, recommendation_id=rec.pk)
    response = login(getattr(world, who)).post(_act(act, rec), {"text": "y", "reason": "z"})
    assert response.status_code == 404
    rec.refresh_from_db()
    assert rec.state == S.AWAITING and FollowUp.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["admin_pekalongan", "verifier_jateng", "operator_pupr_binjai", "nobody"]
)
def test_another_pemdas_page_and_files_are_404(world, reporting, login, who) -> None:
    rec = write_recommendation(world, reporting)
    follow_up = services.recommendation_follow_up_add(
        user=world.admin_binjai,
        recommendation_id=rec.pk,
        text="x",
        uploads=[SimpleUploadedFile("bukti.pdf", files.PDF)],
    )
    client = login(getattr(world, who))
    assert client.get(_detail(rec)).status_code == 404
    file_url = reverse("mcp:recommendation_file", kwargs={"pk": follow_up.files.get().pk})
    assert client.get(file_url).status_code == 404


def test_reading_a_page_never_changes_anything(world, reporting, login) -> None:
    rec = write_recommendation(world, reporting)
    services.recommendation_follow_up_add(
        user=world.admin_binjai, recommendation_id=rec.pk, text="x"
    )
    services.recommendation_acceptance_request(user=world.admin_binjai, recommendation_id=rec.pk)
    verifier = login(world.verifier_sumut)
    for name in ("accept", "return", "follow_up", "request"):
        assert verifier.get(_act(name, rec)).status_code == 405
    rec.refresh_from_db()
    assert rec.state == S.AWAITING


# --- Exports ------------------------------------------------------------------------------------


def test_the_csv_export_holds_what_the_list_shows_with_its_filters(world, reporting, login) -> None:
    recs = _world_of_recommendations(world, reporting)
    Recommendation.objects.filter(pk=recs["prc"].pk).update(title='=HYPERLINK("x")')
    client = login(world.verifier_sumut)
    response = client.get(reverse("mcp:recommendation_export", args=["csv"]), {"area": "PRC"})
    assert response["Content-Disposition"] == 'attachment; filename="rekomendasi-mcp.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Kode Pemda", "Pemda", "Provinsi", "Tahun"]
    assert len(rows) == 2  # Binjai's PRC only: Pekalongan is not the verifier's
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Pemda"] == "Kota Binjai" and row["Indikator"] == "PRC.1"
    assert row["Judul"] == '\'=HYPERLINK("x")'  # a formula is neutralised
    assert row["Tenggat"] == recs["prc"].due_on.strftime("%d-%m-%Y")
    assert (row["Status"], row["Terlambat"], row["Penulis"]) == (
        "Terbuka",
        "Tidak",
        "Hendra Ginting",
    )


def test_the_excel_export_of_one_pemda(world, reporting, login) -> None:
    _world_of_recommendations(world, reporting)
    response = login(world.koordinator).get(
        reverse("mcp:recommendation_export", args=["xlsx"]), {"pemda": "12.75"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][1] == "Pemda"
    assert sorted(v[6] for v in values[1:]) == ["Binjai BMD", "Binjai PRC"]
    assert (
        login(world.koordinator).get(reverse("mcp:recommendation_export", args=["pdf"])).status_code
        == 404
    )
