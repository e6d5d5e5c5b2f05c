"""In-year monitoring (issue 25, item 2): the running figures of every Pemda against hand-counted
ones, the roll-ups, who sees what, the export, and a query count that does not grow with the
number of Pemda."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import Role
from cegah.mcp import monitoring
from cegah.mcp.models import Answer, PeriodExtension
from cegah.mcp.services import reporting as services
from cegah.mcp.services.scores import scores_recompute
from cegah.regions.models import Pemda
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.uploads.tests.files import PDF

pytestmark = pytest.mark.django_db

S = Answer.State


def _answer(user, pemda, reporting, code: str, value, *, document: bool = False) -> Answer:
    answer = services.answer_save(
        user=user,
        pemda=pemda,
        period=reporting.period,
        sub_indicator_id=reporting.subs[code].pk,
        value=Decimal(value),
        expected_version=0,
    )
    if document:
        services.evidence_add(
            user=user,
            pemda=pemda,
            period=reporting.period,
            sub_indicator_id=reporting.subs[code].pk,
            upload=SimpleUploadedFile("bukti.pdf", PDF),
            effective_date=timezone.localdate(),
            valid_until=None,
        )
    return answer


@pytest.fixture
def progress(world, reporting):
    """The small 2025 catalogue: PRC.1.1 asks for a document; PRC.1.2, BMD.1.1 (kabupaten/kota)
    and BMD.2.1 (provinsi) do not. Each Pemda has 3 items and 1 document to give.

    Kota Binjai: PRC.1.1 with its document, returned; PRC.1.2 approved; BMD.1.1 draft.
    Kota Pekalongan: PRC.1.1 with its document, approved; PRC.1.2 submitted.
    Kab. Pekalongan: PRC.1.1 with its document, in review."""
    admin_kab = make_user("admin.kab@pekalongan.test", "Admin Kab")
    RoleAssignmentFactory.create(user=admin_kab, role=Role.ADMIN_PEMDA, pemda=world.kab_pekalongan)
    states = {
        (world.binjai, "PRC.1.1"): (world.operator_binjai, 1, True, S.RETURNED),
        (world.binjai, "PRC.1.2"): (world.operator_binjai, 1, False, S.APPROVED),
        (world.binjai, "BMD.1.1"): (world.operator_pupr_binjai, 5000, False, S.DRAFT),
        (world.kota_pekalongan, "PRC.1.1"): (world.operator_pekalongan, 1, True, S.APPROVED),
        (world.kota_pekalongan, "PRC.1.2"): (world.operator_pekalongan, 0, False, S.SUBMITTED),
        (world.kab_pekalongan, "PRC.1.1"): (admin_kab, 1, True, S.IN_REVIEW),
    }
    for (pemda, code), (user, value, document, state) in states.items():
        answer = _answer(user, pemda, reporting, code, value, document=document)
        Answer.objects.filter(pk=answer.pk).update(state=state, verified_value=value)
    scores_recompute(year=2025)
    return world


def test_the_running_figures_match_the_hand_counted_ones(progress, reporting) -> None:
    world = progress
    figures = monitoring.monitoring(year=2025)
    rows = {r.pemda.code: r for r in figures.rows}
    assert len(rows) == Pemda.objects.count()
    fields = ("items", "sent", "returned", "required", "uploaded", "valid", "rejected")
    counted = {
        code: (
            *(getattr(rows[code].counts, f) for f in fields),
            rows[code].counts.in_review,
            rows[code].counts.missing,
        )
        for code in ("12.75", "33.75", "33.26", "33.01")
    }
    assert counted == {
        "12.75": (3, 1, 1, 1, 1, 0, 1, 0, 0),
        "33.75": (3, 2, 0, 1, 1, 1, 0, 0, 0),
        "33.26": (3, 1, 0, 1, 1, 0, 0, 1, 0),
        "33.01": (3, 0, 0, 1, 0, 0, 0, 0, 1),  # nothing yet: its document is missing
    }
    nation = figures.nation.counts
    assert (nation.required, nation.uploaded, nation.valid, nation.rejected) == (546, 3, 1, 1)
    assert (nation.in_review, nation.missing, nation.returned, nation.sent) == (1, 543, 1, 4)
    jateng = next(p for p in figures.provinces if p.code == "33")
    assert jateng.pemda == 36 and jateng.counts.uploaded == 2 and jateng.counts.valid == 1
    # The running scores and the provisional rank are the working snapshot's.
    binjai = rows["12.75"]
    assert binjai.verified_score is not None and binjai.self_score is not None
    assert binjai.verified_score <= binjai.self_score
    assert binjai.rank_province is not None and binjai.province_size is not None
    assert world.binjai.province.code == "12"


def test_who_is_behind_the_schedule(progress, reporting) -> None:
    """Less than half sent with 14 days or fewer left; an extension moves the Pemda's deadline."""
    reporting.period.upload_deadline = timezone.now() + timedelta(days=10)
    reporting.period.save()
    rows = {r.pemda.code: r for r in monitoring.monitoring(year=2025).rows}
    assert rows["12.75"].behind  # 1 of 3 sent
    assert not rows["33.75"].behind  # 2 of 3 sent
    PeriodExtension.objects.create(
        period=reporting.period,
        pemda=progress.binjai,
        upload_deadline=timezone.now() + timedelta(days=30),
        reason="Bencana banjir",
        granted_by=progress.koordinator,
    )
    rows = {r.pemda.code: r for r in monitoring.monitoring(year=2025).rows}
    assert not rows["12.75"].behind and rows["12.75"].days_left >= 29


def test_the_pemda_page_counts_per_area(progress, reporting, login) -> None:
    areas = {
        a.area.code: a.counts for a in monitoring.pemda_areas(pemda=progress.binjai, year=2025)
    }
    assert (areas["PRC"].items, areas["PRC"].returned, areas["PRC"].rejected) == (2, 1, 1)
    assert (areas["BMD"].items, areas["BMD"].required, areas["BMD"].sent) == (1, 0, 0)
    page = login(progress.admin_binjai).get(
        reverse("mcp:monitoring_pemda", kwargs={"code": "12.75"})
    )
    text = page.content.decode()
    assert "Sementara" in text and "1 dari 3 item terkirim ke verifikator." in text
    # Another Pemda's page is not theirs.
    assert (
        login(progress.admin_binjai)
        .get(reverse("mcp:monitoring_pemda", kwargs={"code": "33.75"}))
        .status_code
        == 404
    )


def test_a_verifier_sees_their_pemda_and_the_koordinator_filters_and_exports(
    progress, login
) -> None:
    page = login(progress.verifier_sumut).get(reverse("mcp:monitoring"))
    assert [r.pemda.code for r in page.context["rows"]] == ["12", "12.75"]
    # Their two Pemda add up to their own total, not the nation's.
    assert page.context["figures"].nation.label == "Pemda yang Anda verifikasi"
    assert "Nasional" not in page.content.decode().split("nation-heading")[1][:2000]
    koordinator = login(progress.koordinator)
    page = koordinator.get(reverse("mcp:monitoring"), {"provinsi": "33", "urut": "hilang"})
    rows = page.context["rows"]
    assert len(rows) == 36 and all(r.pemda.province.code == "33" for r in rows)
    assert [r.pemda.code for r in rows[-2:]] in (["33.26", "33.75"], ["33.75", "33.26"])
    export = koordinator.get(
        reverse("mcp:monitoring_export", kwargs={"fmt": "csv"}), {"provinsi": "33"}
    )
    table = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    assert table[0][3] == "Nilai mandiri sementara"
    by_code = {line[0]: line for line in table[1:]}
    assert len(by_code) == 36
    assert by_code["33.75"][10:15] == ["1", "1", "0", "0", "0"]


def test_the_page_reads_the_same_queries_however_many_pemda_it_lists(
    progress, login, django_assert_num_queries
) -> None:
    client = login(progress.koordinator)
    url = reverse("mcp:monitoring")
    client.get(url)
    # Made from nothing: the signed-in page's reads (session, user, second factor, roles, menu,
    # unread badge), the year and termin, the three reads that key the cached figures, and the
    # figures' own (catalogue, Pemda, sub-indicators, one grouped count, scores, extensions):
    # none per Pemda.
    cache.clear()
    with django_assert_num_queries(20) as everyone:
        client.get(url)
    cache.clear()
    with django_assert_num_queries(len(everyone.captured_queries)):
        client.get(url, {"provinsi": "33"})
    # A verifier's three Pemda cost what the nation's 546 do.
    verifier = login(progress.verifier_jateng)
    cache.clear()
    with django_assert_num_queries(len(everyone.captured_queries)):
        verifier.get(url)


def test_the_figures_are_kept_until_something_changes(progress, reporting, login) -> None:
    client = login(progress.koordinator)
    url = reverse("mcp:monitoring")
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        page = client.get(url)
    assert not any("GROUP BY" in q["sql"] for q in again.captured_queries)
    assert "Kabupaten Cilacap" in page.content.decode()
    # Kab. Cilacap answers with its document: the next page counts it.
    before = monitoring.monitoring(year=2025).nation.counts.uploaded
    admin = make_user("admin.cilacap@pemda.test", "Admin Cilacap")
    RoleAssignmentFactory.create(
        user=admin, role=Role.ADMIN_PEMDA, pemda=Pemda.objects.get(code="33.01")
    )
    _answer(admin, Pemda.objects.get(code="33.01"), reporting, "PRC.1.1", 1, document=True)
    client = login(progress.koordinator)
    rows = client.get(url, {"provinsi": "33"}).context["rows"]
    cilacap = next(r for r in rows if r.pemda.code == "33.01")
    assert cilacap.counts.uploaded == 1
    assert monitoring.monitoring(year=2025).nation.counts.uploaded == before + 1
