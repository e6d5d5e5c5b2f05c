"""Acts that cannot simply be undone ask first: the first post shows the confirm page with what
the act touches, in numbers, and changes nothing; the confirmed post does the act. Whoever may
not do the act gets 404 for both posts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp.models import Answer, AnswerStateChange, Period, ScoreJob, ScoreSnapshot
from cegah.mcp.services.scores import scores_publish
from cegah.regions.models import Pemda

pytestmark = pytest.mark.django_db


def _draft(reporting, world, code: str, value: int | None) -> Answer:
    return Answer.objects.create(
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator=reporting.subs[code],
        value=None if value is None else Decimal(value),
    )


def _nothing_moved() -> None:
    assert not Answer.objects.exclude(state="draft").exists()
    assert not AnswerStateChange.objects.exists()
    assert not AuditEntry.objects.filter(action="mcp.report.submit").exists()


# --- Submitting a Pemda's report to the verifier (the Admin Pemda) ---------------------------


def test_submitting_the_report_asks_first_saying_what_goes_and_what_stays(
    world, reporting, login
) -> None:
    _draft(reporting, world, "PRC.1.2", 0)  # a choice that asks no document: complete
    _draft(reporting, world, "PRC.1.1", 1)  # asks for the minutes, none uploaded: incomplete
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    admin = login(world.admin_binjai)

    asked = admin.post(review)
    assert asked.status_code == 200
    text = " ".join(asked.content.decode().split())
    assert "Kirim 1 item lengkap dari Kota Binjai, Termin 1 tahun 2025, ke verifikator?" in text
    # BMD.1.1 (Binjai is a kota) was never answered.
    assert "Tetap di Pemda, tidak dikirim: 1 item belum lengkap dan 1 item belum diisi." in text
    assert 'name="confirm" value="yes"' in text and "Ya, kirim" in text
    _nothing_moved()

    done = admin.post(review, {"confirm": "yes"}, follow=True).content.decode()
    assert "1 item dikirim ke verifikator." in done
    assert Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"]).state == "submitted"
    assert Answer.objects.get(sub_indicator=reporting.subs["PRC.1.1"]).state == "draft"
    assert AuditEntry.objects.filter(action="mcp.report.submit").count() == 1
    # A second confirmed click (a double submit) sends nothing more.
    again = admin.post(review, {"confirm": "yes"}, follow=True).content.decode()
    assert "Tidak ada item lengkap yang perlu dikirim." in again
    assert AuditEntry.objects.filter(action="mcp.report.submit").count() == 1


def test_submitting_one_area_names_the_area_and_sends_only_it(world, reporting, login) -> None:
    _draft(reporting, world, "PRC.1.2", 0)
    _draft(reporting, world, "BMD.1.1", 5000)  # a number with a target, no document asked
    planning = reporting.subs["PRC.1.2"].indicator.area
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    admin = login(world.admin_binjai)
    text = " ".join(admin.post(review, {"area": planning.pk}).content.decode().split())
    assert f"Kirim 1 item lengkap area {planning.name} dari Kota Binjai" in text
    assert f'name="area" value="{planning.pk}"' in text
    _nothing_moved()
    admin.post(review, {"area": planning.pk, "confirm": "yes"})
    assert Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"]).state == "submitted"
    assert Answer.objects.get(sub_indicator=reporting.subs["BMD.1.1"]).state == "draft"


def test_with_nothing_complete_there_is_nothing_to_confirm(world, reporting, login) -> None:
    _draft(reporting, world, "PRC.1.1", 1)  # incomplete
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    text = login(world.admin_binjai).post(review, follow=True).content.decode()
    assert "Tidak ada item lengkap yang perlu dikirim." in text and "Ya, kirim" not in text
    _nothing_moved()


@pytest.mark.parametrize(
    "who", ["admin_pekalongan", "operator_binjai", "verifier_sumut", "koordinator"]
)
def test_only_the_admin_pemda_is_asked_or_submits(world, reporting, login, who) -> None:
    _draft(reporting, world, "PRC.1.2", 0)
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    client = login(getattr(world, who))
    assert client.post(review).status_code == 404
    assert client.post(review, {"confirm": "yes"}).status_code == 404
    _nothing_moved()


# --- Publishing and recomputing a year's scores (the Koordinator) ----------------------------


def _whole_nation_answered(reporting) -> int:
    """Every Pemda answered PRC.1.1 and PRC.1.2, approved: 1.092 answers."""
    Answer.objects.bulk_create(
        Answer(
            pemda=pemda,
            period=reporting.period,
            sub_indicator=reporting.subs[code],
            value=Decimal(1),
            verified_value=Decimal(1),
            state="approved",
        )
        for pemda in Pemda.objects.all()
        for code in ("PRC.1.1", "PRC.1.2")
    )
    return Answer.objects.count()


def _close(reporting) -> None:
    Period.objects.filter(pk=reporting.period.pk).update(state=Period.State.CLOSED)


def _said(response) -> str:
    return " ".join(response.content.decode().split())


def test_publishing_asks_first_in_numbers_then_publishes_once(world, reporting, login) -> None:
    assert _whole_nation_answered(reporting) == 1092
    _close(reporting)
    url = reverse("mcp:score_admin")
    koordinator = login(world.koordinator)

    asked = koordinator.post(url, {"year": "2025", "publish": "1"})
    assert asked.status_code == 200
    text = _said(asked)
    assert "Terbitkan skor 2025 sebagai versi 1?" in text
    # Numbers as Indonesians read them: a dot groups the thousands.
    assert "546 Pemda, 1.092 jawaban (1.092 disetujui verifikator)" in text
    assert "setelah diterbitkan, publik melihat skor" in text.lower()
    assert 'name="version" value="1"' in text and "Belum selesai" not in text
    assert not ScoreSnapshot.objects.exists()  # not even a working snapshot
    assert not AuditEntry.objects.filter(action="mcp.scores.publish").exists()

    confirm = {"year": "2025", "publish": "1", "version": "1", "confirm": "yes"}
    done = koordinator.post(url, confirm, follow=True).content.decode()
    assert "Skor 2025 versi 1 diterbitkan." in done
    # The same confirmed form again (a double click) publishes nothing more.
    again = koordinator.post(url, confirm, follow=True).content.decode()
    assert "Skor 2025 versi 1 sudah diterbitkan." in again
    assert ScoreSnapshot.objects.filter(state="published").count() == 1
    assert AuditEntry.objects.filter(action="mcp.scores.publish").count() == 1


def test_english_readers_get_their_own_digit_grouping(world, reporting, login) -> None:
    _whole_nation_answered(reporting)
    client = login(world.koordinator)
    client.cookies["django_language"] = "en"
    text = _said(client.post(reverse("mcp:score_admin"), {"year": "2025", "publish": "1"}))
    assert "1,092" in text and "1.092" not in text


def test_publishing_an_unfinished_year_is_refused_with_the_list_unless_a_reason_is_given(
    world, reporting, login
) -> None:
    # Termin 1 is still open and one of Binjai's items waits for its verifier.
    Answer.objects.create(
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator=reporting.subs["PRC.1.2"],
        value=Decimal(0),
        state="submitted",
    )
    url = reverse("mcp:score_admin")
    koordinator = login(world.koordinator)

    asked = _said(koordinator.post(url, {"year": "2025", "publish": "1"}))
    assert "Belum selesai" in asked
    assert "Termin 1 masih dibuka." in asked
    assert "1 item dari 1 Pemda masih menunggu keputusan verifikator." in asked
    assert "Kota Binjai (1)" in asked
    assert "Alasan menerbitkan sebelum semua selesai (wajib)" in asked

    confirm = {"year": "2025", "publish": "1", "version": "1", "confirm": "yes"}
    refused = koordinator.post(url, confirm)
    assert refused.status_code == 400  # shown again, with why
    text = _said(refused)
    assert "Skor 2025 belum diterbitkan karena masih ada yang belum selesai." in text
    assert 'role="alert"' in text and "Termin 1 masih dibuka." in text
    assert not ScoreSnapshot.objects.filter(state="published").exists()
    # The service refuses too, whoever calls it.
    with pytest.raises(DomainError) as raised:
        scores_publish(actor=world.koordinator, year=2025)
    assert "Termin 1 masih dibuka." in raised.value.messages

    reason = "KPK menutup penilaian 2025 sesuai jadwal nasional."
    done = koordinator.post(url, {**confirm, "reason": reason}, follow=True).content.decode()
    assert "Skor 2025 versi 1 diterbitkan." in done
    published = ScoreSnapshot.objects.get(state="published")
    assert published.reason == reason
    assert published.unfinished == {"open_termins": [1], "undecided": 1, "undecided_pemdas": 1}
    entry = AuditEntry.objects.get(action="mcp.scores.publish")
    assert entry.data["reason"] == reason and entry.data["unfinished"]["open_termins"] == [1]
    # The public page says it was published unfinished, what was unfinished, and why.
    page = _said(Client().get(reverse("public:national", kwargs={"year": 2025})))
    assert "Diterbitkan sebelum semua selesai" in page
    assert "Termin 1 masih dibuka." in page and reason in page


def test_recomputing_asks_first_and_says_the_published_version_stays(
    world, reporting, login, django_capture_on_commit_callbacks
) -> None:
    _whole_nation_answered(reporting)
    _close(reporting)
    scores_publish(actor=world.koordinator, year=2025)
    url = reverse("mcp:score_admin")
    koordinator = login(world.koordinator)

    asked = koordinator.post(url, {"year": "2025", "recompute": "1"})
    assert asked.status_code == 200
    text = _said(asked)
    assert "Hitung ulang skor berjalan 2025 untuk 546 Pemda dari 1.092 jawaban?" in text
    assert "Skor terbitan versi 1" in text and "tidak berubah" in text
    assert not ScoreJob.objects.exists()
    assert not AuditEntry.objects.filter(action="mcp.scores.recompute").exists()

    assert 'name="after" value="0"' in text
    confirm = {"year": "2025", "recompute": "1", "after": "0", "confirm": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        started = koordinator.post(url, confirm)
    job = ScoreJob.objects.get()
    assert started["Location"] == f"{url}?job={job.pk}" and job.state == "done"
    assert AuditEntry.objects.filter(action="mcp.scores.recompute").count() == 1
    # The same confirmed form again (a double click) follows that job instead of another.
    again = koordinator.post(url, confirm)
    assert again["Location"] == f"{url}?job={job.pk}"
    assert (
        "Hitung ulang skor 2025 sudah dimulai."
        in koordinator.get(again["Location"]).content.decode()
    )
    assert ScoreJob.objects.count() == 1


def test_a_year_without_a_catalogue_is_not_asked_about(world, reporting, login) -> None:
    koordinator = login(world.koordinator)
    for act in ("publish", "recompute"):
        response = koordinator.post(reverse("mcp:score_admin"), {"year": "1999", act: "1"})
        assert response.status_code == 404


# --- Closing a termin (the Koordinator) -------------------------------------------------------


def test_closing_a_termin_asks_first_saying_what_it_cuts_off(world, reporting, login) -> None:
    _whole_nation_answered(reporting)
    Answer.objects.filter(pemda=world.binjai).update(state="draft", verified_value=None)
    Answer.objects.filter(pemda=world.kota_pekalongan).update(state="submitted")
    url = reverse("mcp:period_close", kwargs={"pk": reporting.period.pk})
    koordinator = login(world.koordinator)

    asked = koordinator.post(url)
    assert asked.status_code == 200
    text = _said(asked)
    assert "Tutup Termin 1 tahun 2025 untuk 546 Pemda?" in text
    assert "546 Pemda melaporkan 1.092 jawaban di termin ini." in text
    assert "2 jawaban masih draf atau dikembalikan" in text
    assert "2 item menunggu verifikator: tetap dapat diputuskan." in text
    assert "belum lewat: Pemda kehilangan sisa waktunya." in text  # the deadline is 30 days off
    reporting.period.refresh_from_db()
    assert reporting.period.state == "open"
    assert not AuditEntry.objects.filter(action="mcp.period.close").exists()

    done = koordinator.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "Termin 1 tahun 2025 ditutup." in done
    reporting.period.refresh_from_db()
    assert reporting.period.state == "closed"
    # A second confirmed click is told, not scolded, and changes nothing.
    again = koordinator.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "Termin 1 tahun 2025 sudah ditutup." in again
    assert AuditEntry.objects.filter(action="mcp.period.close").count() == 1


# --- Who may: 404 for everyone else, on the first post and the confirmed one --------------------


@pytest.mark.parametrize(
    "who", ["admin_binjai", "operator_binjai", "verifier_sumut", "inspektorat_binjai"]
)
def test_only_the_koordinator_is_asked_to_publish_recompute_or_close(
    world, reporting, login, who
) -> None:
    client = login(getattr(world, who))
    scores = reverse("mcp:score_admin")
    close = reverse("mcp:period_close", kwargs={"pk": reporting.period.pk})
    for url, data in (
        (scores, {"year": "2025", "publish": "1", "version": "1", "reason": "x"}),
        (scores, {"year": "2025", "recompute": "1"}),
        (close, {}),
    ):
        assert client.post(url, data).status_code == 404
        assert client.post(url, {**data, "confirm": "yes"}).status_code == 404
    assert not ScoreSnapshot.objects.exists() and not ScoreJob.objects.exists()
    reporting.period.refresh_from_db()
    assert reporting.period.state == "open"
    assert not AuditEntry.objects.filter(action__in=["mcp.period.close"]).exists()
    assert not AuditEntry.objects.filter(action__startswith="mcp.scores.").exists()
