"""Snapshots: recompute, incremental update, ranks, publishing and awards."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp import scoring
from cegah.mcp.models import (
    YEAR,
    Answer,
    Award,
    PemdaScore,
    Period,
    ScoreJob,
    ScoreSnapshot,
    SubIndicator,
)
from cegah.mcp.services import catalogue_import
from cegah.mcp.services.scores import (
    score_job_run,
    scores_publish,
    scores_recompute,
    scores_update_pemda,
    snapshot_hash,
)
from cegah.regions.models import Pemda

from .conftest import CATALOGUES, make_period

pytestmark = pytest.mark.django_db


def _approve(pemda, period, sub, value, verified=None) -> None:
    Answer.objects.update_or_create(
        pemda=pemda,
        period=period,
        sub_indicator=sub,
        defaults={
            "value": D(value),
            "verified_value": D(verified if verified is not None else value),
            "state": "approved",
        },
    )


def _year_score(snapshot, code):
    return PemdaScore.objects.get(snapshot=snapshot, pemda__code=code, termin=YEAR)


def test_recompute_scores_every_pemda_and_ranks_within_province_and_kind(reporting, world) -> None:
    s = reporting.subs
    # Binjai: PRC.1.1 yes (40) + PRC.1.2 Sesuai (60) → PRC 100; BMD.1.1 5000/10000 → 50.
    for code, value in (("PRC.1.1", 1), ("PRC.1.2", 0), ("BMD.1.1", 5000)):
        _approve(world.binjai, reporting.period, s[code], value)
    # Kota Pekalongan: PRC 100, BMD 100 → 100. Kab Pekalongan equal to Binjai.
    for code, value in (("PRC.1.1", 1), ("PRC.1.2", 0), ("BMD.1.1", 20000)):
        _approve(world.kota_pekalongan, reporting.period, s[code], value)
    for code, value in (("PRC.1.1", 1), ("PRC.1.2", 0), ("BMD.1.1", 5000)):
        _approve(world.kab_pekalongan, reporting.period, s[code], value)
    snapshot = scores_recompute(year=2025)
    assert PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR).count() == 546
    binjai = _year_score(snapshot, "12.75")
    # (60*100 + 40*50) / 100 = 80
    assert binjai.verified_score == D("80.00") and binjai.category == "hijau"
    assert binjai.termin == YEAR
    assert PemdaScore.objects.get(
        snapshot=snapshot, pemda=world.binjai, termin=1
    ).verified_score == D("80.00")
    kota = _year_score(snapshot, "33.75")
    kab = _year_score(snapshot, "33.26")
    assert kota.verified_score == D("100.00")
    # Within Jawa Tengah's 35 kabupaten/kota: Kota Pekalongan 1st, Kab Pekalongan 2nd, the rest
    # share 3rd with 0.
    assert (kota.rank_province, kota.province_size) == (1, 35)
    assert (kab.rank_province, kab.province_size) == (2, 35)
    assert _year_score(snapshot, "33.01").rank_province == 3
    # Nationally among the 93 kota: Pekalongan 1st, Binjai 2nd.
    assert (kota.rank_national, kota.national_size) == (1, 93)
    assert binjai.rank_national == 2
    # A province has no rank within a province; it ranks among the 38.
    sumut = _year_score(snapshot, "12")
    assert sumut.rank_province is None and sumut.national_size == 38


def test_recomputing_twice_gives_the_same_snapshot_hash(reporting, world) -> None:
    _approve(world.binjai, reporting.period, reporting.subs["PRC.1.1"], 1)
    first = scores_recompute(year=2025).content_hash
    again = scores_recompute(year=2025)
    assert again.content_hash == first == snapshot_hash(again)
    _approve(world.binjai, reporting.period, reporting.subs["PRC.1.2"], 1)
    assert scores_recompute(year=2025).content_hash != first


def test_an_incremental_update_equals_a_full_recompute(reporting, world) -> None:
    scores_recompute(year=2025)
    _approve(world.binjai, reporting.period, reporting.subs["BMD.1.1"], 8000)
    incremental = scores_update_pemda(year=2025, pemda_id=world.binjai.pk)
    # BMD.2 is for provinces, so for a kota BMD is BMD.1 alone: 80 → (60*0 + 40*80)/100 = 32.
    assert _year_score(incremental, "12.75").verified_score == D("32.00")
    assert incremental.content_hash == ""  # stale until the next full computation
    incremental_hash = snapshot_hash(incremental)
    assert scores_recompute(year=2025).content_hash == incremental_hash


def test_verification_updates_that_pemda_score_in_the_background(
    reporting, world, login, django_capture_on_commit_callbacks
) -> None:
    from django.urls import reverse

    scores_recompute(year=2025)
    answer = Answer.objects.create(
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator=reporting.subs["PRC.1.2"],
        value=0,
        state="submitted",
    )
    client = login(world.verifier_sumut)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mcp:verify_item", kwargs={"pk": answer.pk}),
            {"decision_form": "1", "decision": "approve"},
        )
    working = ScoreSnapshot.objects.get(year=2025, state="working")
    # PRC.1.2 Sesuai is 50 of PRC.1 → PRC 50 → total (60*50 + 40*0)/100 = 30.
    assert _year_score(working, "12.75").verified_score == D("30.00")


def test_publishing_freezes_a_version_and_republishing_needs_a_reason(reporting, world) -> None:
    # The termin is over (an open one asks for a reason too: test_confirmations.py).
    Period.objects.filter(pk=reporting.period.pk).update(state=Period.State.CLOSED)
    _approve(world.binjai, reporting.period, reporting.subs["PRC.1.1"], 1)
    first = scores_publish(actor=world.koordinator, year=2025)
    assert (first.state, first.version) == ("published", 1)
    frozen = _year_score(first, "12.75").verified_score
    _approve(world.binjai, reporting.period, reporting.subs["PRC.1.2"], 0)
    scores_recompute(year=2025)
    assert _year_score(first, "12.75").verified_score == frozen  # the published one never moves
    with pytest.raises(DomainError, match="Sebutkan alasan penerbitan ulang"):
        scores_publish(actor=world.koordinator, year=2025)
    second = scores_publish(actor=world.koordinator, year=2025, reason="Koreksi verifikasi PRC.1.2")
    assert second.version == 2 and _year_score(second, "12.75").verified_score > frozen
    assert ScoreSnapshot.objects.filter(year=2025, state="published").count() == 2
    assert AuditEntry.objects.filter(action="mcp.scores.publish").count() == 2
    with pytest.raises(Exception):  # noqa: B017 - only the Koordinator publishes
        scores_publish(actor=world.verifier_sumut, year=2025, reason="x")


def test_awards_highest_increase_best_in_province_and_most_land(
    reporting, world, monkeypatch
) -> None:
    rules = (
        {"code": "naik", "name": {"id": "Naik", "en": "Up"}, "rule": "increase", "per": "kind"},
        {
            "code": "terbaik",
            "name": {"id": "Terbaik", "en": "Best"},
            "rule": "best",
            "per": "province",
        },
        {
            "code": "tanah",
            "name": {"id": "Tanah", "en": "Land"},
            "rule": "sub_indicator",
            "sub_indicators": ["BMD.1.1"],
            "per": "kind",
        },
    )
    monkeypatch.setattr(scoring, "award_rules", lambda: rules)
    # 2024: the same small catalogue one year earlier, Binjai 20, Kota Pekalongan 80.
    catalogue_import(path=CATALOGUES / "small-2024.yaml")
    period_2024 = make_period(2024, state=Period.State.CLOSED)
    subs_2024 = {s.code: s for s in SubIndicator.objects.filter(indicator__catalogue__year=2024)}
    _approve(world.binjai, period_2024, subs_2024["BMD.1.1"], 2000)  # BMD 20 → 20*50/100 = 10
    _approve(world.kota_pekalongan, period_2024, subs_2024["PRC.1.1"], 1)  # 60 * ...
    scores_publish(actor=world.koordinator, year=2024)
    # 2025: Binjai rises most; Kota Pekalongan certifies the most land.
    s = reporting.subs
    for code, value in (("PRC.1.1", 1), ("PRC.1.2", 0), ("BMD.1.1", 9000)):
        _approve(world.binjai, reporting.period, s[code], value)
    _approve(world.kota_pekalongan, reporting.period, s["BMD.1.1"], 12000)
    Period.objects.filter(pk=reporting.period.pk).update(state=Period.State.CLOSED)
    published = scores_publish(actor=world.koordinator, year=2025)
    awards = {
        (a.rule, a.category): (a.pemda.code, a.value)
        for a in Award.objects.filter(snapshot=published)
    }
    binjai_2025 = _year_score(published, "12.75").verified_score  # (60*100 + 40*90)/100 = 96
    assert binjai_2025 == D("96.00")
    assert awards[("naik", "kota")] == ("12.75", binjai_2025 - D("10.00"))
    assert awards[("terbaik", "12")][0] == "12.75"
    assert awards[("tanah", "kota")] == ("33.75", D("12000.000"))


def test_the_command_recomputes_a_year(reporting, world, capsys) -> None:
    call_command("mcp_scores", "recompute", "--year", "2025")
    out = capsys.readouterr().out
    assert "546 Pemda" in out and "sha256" in out
    computed = ScoreSnapshot.objects.get(year=2025, state="working").computed_at
    assert computed is not None and computed <= timezone.now()
    assert Pemda.objects.count() == 546


def test_the_koordinator_recomputes_in_the_background_and_publishes_from_the_page(
    reporting, world, login, django_capture_on_commit_callbacks
) -> None:
    from django.urls import reverse

    client = login(world.koordinator)
    url = reverse("mcp:score_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"year": "2025", "recompute": "1", "confirm": "yes"})
    job = ScoreJob.objects.get()
    assert response["Location"] == f"{url}?job={job.pk}"
    assert (job.state, job.done, job.total) == ("done", 546, 546)
    fragment = client.get(reverse("mcp:score_job", kwargs={"pk": job.pk})).content.decode()
    assert "546/546" in fragment and "every 1s" not in fragment  # polling stops when done
    assert ScoreSnapshot.objects.filter(year=2025, state="working").count() == 1
    assert not ScoreSnapshot.objects.filter(state="staging").exists()
    working = ScoreSnapshot.objects.get(year=2025, state="working")
    assert f"sha256 {working.content_hash[:12]}" in client.get(url).content.decode()
    # After a verification rescored one Pemda, the fingerprint waits for the next full pass.
    ScoreSnapshot.objects.filter(pk=working.pk).update(content_hash="")
    assert "sidik belum dihitung" in client.get(url).content.decode()
    Period.objects.filter(pk=reporting.period.pk).update(state=Period.State.CLOSED)
    publish = {"year": "2025", "publish": "1", "confirm": "yes"}
    page = client.post(url, {**publish, "version": "1"}, follow=True).content.decode()
    assert "Skor 2025 versi 1 diterbitkan." in page
    again = client.post(url, {**publish, "version": "2"}, follow=True).content.decode()
    assert "Sebutkan alasan penerbitan ulang" in again


@pytest.mark.parametrize("who", ["verifier_sumut", "admin_binjai", "operator_binjai"])
def test_only_the_koordinator_computes_or_publishes(reporting, world, login, who) -> None:
    from django.urls import reverse

    client = login(getattr(world, who))
    assert client.get(reverse("mcp:score_admin")).status_code == 404
    assert (
        client.post(reverse("mcp:score_admin"), {"year": "2025", "publish": "1"}).status_code == 404
    )
    assert not ScoreSnapshot.objects.exists()


def test_a_failed_job_says_what_to_do_in_the_readers_language(client, world, login) -> None:
    """The worker's error (here: no catalogue for the year) is kept as the detail."""
    job = ScoreJob.objects.create(year=1999, started_by=world.koordinator)
    with pytest.raises(DomainError):
        score_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.message) == (ScoreJob.State.FAILED, "Belum ada katalog MCP tahun 1999.")
    koordinator = login(world.koordinator)
    url = reverse("mcp:score_job", kwargs={"pk": job.pk})
    page = koordinator.get(url).content.decode()
    assert "Pekerjaan ini gagal dan tidak mengubah apa pun." in page and job.message in page
    koordinator.cookies["django_language"] = "en"
    assert "This job failed and changed nothing." in koordinator.get(url).content.decode()
    assert login(world.admin_binjai).get(url).status_code == 404
