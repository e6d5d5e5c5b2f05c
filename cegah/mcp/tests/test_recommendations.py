"""Recommendations and their follow-up: who writes, the state moves and their refusals,
separation of duties, files kept through cegah.uploads, overdue and reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from cegah.accounts.models import Role, RoleAssignment, VerifierAssignment
from cegah.accounts.selectors import forget_roles
from cegah.audit.models import AuditEntry
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp.models import FollowUp, FollowUpFile, Recommendation
from cegah.mcp.recommendation_selectors import RecommendationFilters, is_overdue, overdue_q
from cegah.mcp.recommendation_selectors import recommendation_list as listed
from cegah.mcp.services import recommendations as services
from cegah.mcp.services.reminders import reminders_send
from cegah.mcp.workflows import RECOMMENDATION
from cegah.notifications.models import Notification
from cegah.regions.models import Pemda
from cegah.uploads.models import StoredFile
from cegah.uploads.tests import files

from .conftest import write_recommendation

pytestmark = pytest.mark.django_db
S = Recommendation.State


def _pdf(name: str = "sop.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, files.PDF)


def _follow_up(rec, user, *uploads, text: str = "SOP ditetapkan dengan Perwal 12/2026."):
    return services.recommendation_follow_up_add(
        user=user, recommendation_id=rec.pk, text=text, uploads=list(uploads)
    )


def _awaiting(world, reporting, **kwargs) -> Recommendation:
    rec = write_recommendation(world, reporting, **kwargs)
    _follow_up(rec, world.admin_binjai, _pdf())
    return services.recommendation_acceptance_request(
        user=world.admin_binjai, recommendation_id=rec.pk
    )


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# --- Writing ------------------------------------------------------------------------------------


def test_a_verifier_writes_for_the_pemda_they_verify_and_its_admin_is_told(
    world, reporting
) -> None:
    rec = write_recommendation(world, reporting)
    assert rec.state == S.OPEN
    assert (rec.area.code, rec.indicator.code, rec.year) == ("PRC", "PRC.1", 2025)
    assert _titles(world.admin_binjai) == ["Rekomendasi MCP baru: Perbaiki SOP pengadaan"]
    assert not _titles(world.inspektorat_binjai)
    entry = AuditEntry.objects.get(action="mcp.recommendation.create")
    assert entry.actor == world.verifier_sumut
    assert entry.data["indicator"] == "PRC.1"


def test_the_koordinator_writes_for_any_pemda(world, reporting) -> None:
    rec = write_recommendation(
        world, reporting, author=world.koordinator, pemda=world.kota_pekalongan
    )
    assert rec.author == world.koordinator
    assert _titles(world.admin_pekalongan) == ["Rekomendasi MCP baru: Perbaiki SOP pengadaan"]


@pytest.mark.parametrize("who", ["verifier_jateng", "admin_binjai", "inspektorat_binjai", "nobody"])
def test_others_cannot_write_for_binjai(world, reporting, who) -> None:
    with pytest.raises(Http404):
        write_recommendation(world, reporting, author=getattr(world, who))
    assert not Recommendation.objects.exists()


def test_nobody_writes_for_a_pemda_they_hold_a_role_in(world, reporting) -> None:
    RoleAssignment.objects.create(user=world.koordinator, role=Role.INSPEKTORAT, pemda=world.binjai)
    with pytest.raises(Http404):
        write_recommendation(world, reporting, author=world.koordinator)


def test_a_due_date_in_the_past_is_refused(world, reporting) -> None:
    with pytest.raises(DomainError, match="masa lalu"):
        write_recommendation(world, reporting, days=-1)
    assert write_recommendation(world, reporting, days=0).state == S.OPEN  # today is fine


def test_the_indicator_must_apply_to_the_pemda_and_belong_to_the_area(world, reporting) -> None:
    with pytest.raises(DomainError, match="tidak berlaku"):
        write_recommendation(world, reporting, indicator="BMD.2")  # provinsi only; Binjai is a kota
    bmd = reporting.catalogue.areas.get(code="BMD")
    with pytest.raises(DomainError, match="bukan bagian"):
        services.recommendation_create(
            author=world.verifier_sumut,
            pemda=world.binjai,
            year=2025,
            title="x",
            text="y",
            due_on=timezone.localdate() + timedelta(days=3),
            area_id=bmd.pk,
            indicator_id=reporting.catalogue.indicators.get(code="PRC.1").pk,
        )
    with pytest.raises(DomainError, match="katalog MCP tahun 2019"):
        services.recommendation_create(
            author=world.verifier_sumut,
            pemda=world.binjai,
            year=2019,
            title="x",
            text="y",
            due_on=timezone.localdate() + timedelta(days=3),
            area_id=bmd.pk,
        )
    rec = services.recommendation_create(
        author=world.verifier_sumut,
        pemda=world.binjai,
        year=2025,
        title="Inventarisasi aset",
        text="Lengkapi KIB.",
        due_on=timezone.localdate() + timedelta(days=3),
        area_id=bmd.pk,
    )
    assert (rec.area, rec.indicator) == (bmd, None)


# --- Follow-up and acceptance ---------------------------------------------------------------------


def test_the_first_follow_up_starts_it_and_its_files_are_kept_through_uploads(
    world, reporting
) -> None:
    rec = write_recommendation(world, reporting)
    follow_up = _follow_up(rec, world.admin_binjai, _pdf("perwal.pdf"), _pdf("notulen.pdf"))
    rec.refresh_from_db()
    assert rec.state == S.IN_PROGRESS
    names = [f.original_name for f in follow_up.files.all()]
    assert names == ["perwal.pdf", "notulen.pdf"]
    # The same bytes twice: kept once, for this Pemda, under the follow-up's purpose.
    (stored,) = StoredFile.objects.filter(purpose="mcp.follow_up")
    assert stored.scope == "12.75"
    with default_storage.open(str(stored.file.name), "rb") as kept:
        assert kept.read() == files.PDF
    _follow_up(rec, world.inspektorat_binjai, text="Sosialisasi SOP ke OPD.")
    rec.refresh_from_db()
    assert rec.state == S.IN_PROGRESS
    assert [(c.source, c.target) for c in rec.state_changes.all()] == [("open", "in_progress")]
    entry = AuditEntry.objects.filter(action="mcp.recommendation.follow_up").order_by("seq").first()
    assert entry is not None and entry.data["files"][0]["name"] == "perwal.pdf"


def test_a_refused_file_stores_nothing_of_the_entry(world, reporting) -> None:
    rec = write_recommendation(world, reporting)
    with pytest.raises(DomainError, match=r"virus\.pdf"):
        _follow_up(rec, world.admin_binjai, _pdf(), SimpleUploadedFile("virus.pdf", files.EXE))
    rec.refresh_from_db()
    assert rec.state == S.OPEN
    assert not FollowUp.objects.exists() and not FollowUpFile.objects.exists()
    assert not StoredFile.objects.exists()
    folder = "follow-up/12.75"
    assert not default_storage.exists(folder) or not any(default_storage.listdir(folder)[1])


def test_empty_text_and_too_many_files_are_refused(world, reporting) -> None:
    rec = write_recommendation(world, reporting)
    with pytest.raises(DomainError):
        _follow_up(rec, world.admin_binjai, text="   ")
    with pytest.raises(DomainError, match="Paling banyak 5"):
        _follow_up(rec, world.admin_binjai, *[_pdf(f"{i}.pdf") for i in range(6)])


def test_an_operator_follows_up_only_what_is_tied_to_their_opds_indicator(world, reporting) -> None:
    prc = write_recommendation(world, reporting, indicator="PRC.1")  # BPKAD's
    bmd = write_recommendation(world, reporting, indicator="BMD.1")  # PUPR's
    whole = write_recommendation(world, reporting, indicator=None)  # the Pemda's
    _follow_up(prc, world.operator_binjai)
    for rec in (bmd, whole):
        with pytest.raises(Http404):
            _follow_up(rec, world.operator_binjai)
    _follow_up(bmd, world.operator_pupr_binjai)


@pytest.mark.parametrize(
    "who", ["verifier_sumut", "koordinator", "admin_pekalongan", "operator_pekalongan", "nobody"]
)
def test_only_the_pemdas_people_follow_up(world, reporting, who) -> None:
    rec = write_recommendation(world, reporting)
    with pytest.raises(Http404):
        _follow_up(rec, getattr(world, who))
    with pytest.raises(Http404):
        services.recommendation_acceptance_request(
            user=getattr(world, who), recommendation_id=rec.pk
        )


def test_asking_for_acceptance_needs_a_follow_up_and_tells_the_author(world, reporting) -> None:
    rec = write_recommendation(world, reporting)
    with pytest.raises(DomainError, match="Catat tindak lanjutnya dulu"):
        services.recommendation_acceptance_request(
            user=world.admin_binjai, recommendation_id=rec.pk
        )
    _follow_up(rec, world.admin_binjai)
    rec = services.recommendation_acceptance_request(
        user=world.admin_binjai, recommendation_id=rec.pk
    )
    assert rec.state == S.AWAITING and rec.requested_at is not None
    assert _titles(world.verifier_sumut) == [
        "Tindak lanjut menunggu penerimaan: Perbaiki SOP pengadaan"
    ]
    with pytest.raises(AlreadyDone):
        services.recommendation_acceptance_request(
            user=world.admin_binjai, recommendation_id=rec.pk
        )
    # Waiting for the decision, the Pemda adds nothing more.
    with pytest.raises(DomainError, match="tunggu keputusan"):
        _follow_up(rec, world.admin_binjai)


def test_the_author_accepts_and_it_is_done_for_good(world, reporting) -> None:
    rec = _awaiting(world, reporting)
    rec = services.recommendation_accept(user=world.verifier_sumut, recommendation_id=rec.pk)
    assert rec.state == S.DONE
    assert rec.accepted_by == world.verifier_sumut and rec.accepted_at is not None
    assert "Tindak lanjut diterima: Perbaiki SOP pengadaan" in _titles(world.admin_binjai)
    assert AuditEntry.objects.filter(action="mcp.recommendation.accept").exists()
    with pytest.raises(AlreadyDone):
        services.recommendation_accept(user=world.verifier_sumut, recommendation_id=rec.pk)
    with pytest.raises(DomainError):
        services.recommendation_return(
            user=world.verifier_sumut, recommendation_id=rec.pk, reason="x"
        )
    with pytest.raises(DomainError, match="sudah selesai"):
        _follow_up(rec, world.admin_binjai)
    assert RECOMMENDATION.targets(S.DONE) == set()


def test_the_author_returns_it_with_a_reason_and_the_pemda_goes_on(world, reporting) -> None:
    rec = _awaiting(world, reporting)
    with pytest.raises(DomainError, match="alasan"):
        services.recommendation_return(
            user=world.verifier_sumut, recommendation_id=rec.pk, reason="  "
        )
    rec = services.recommendation_return(
        user=world.verifier_sumut,
        recommendation_id=rec.pk,
        reason="Perwal belum diundangkan.",
    )
    assert rec.state == S.IN_PROGRESS
    last = rec.state_changes.last()
    assert last is not None and (last.target, last.reason) == (
        "in_progress",
        "Perwal belum diundangkan.",
    )
    assert "Tindak lanjut dikembalikan: Perbaiki SOP pengadaan" in _titles(world.admin_binjai)
    _follow_up(rec, world.admin_binjai, text="Perwal diundangkan dalam Berita Daerah.")
    services.recommendation_acceptance_request(user=world.admin_binjai, recommendation_id=rec.pk)
    rec = services.recommendation_accept(user=world.verifier_sumut, recommendation_id=rec.pk)
    assert [(c.source, c.target) for c in rec.state_changes.all()] == [
        ("open", "in_progress"),
        ("in_progress", "awaiting"),
        ("awaiting", "in_progress"),
        ("in_progress", "awaiting"),
        ("awaiting", "done"),
    ]


def test_nothing_is_accepted_before_the_pemda_asks(world, reporting) -> None:
    rec = write_recommendation(world, reporting)
    _follow_up(rec, world.admin_binjai)
    with pytest.raises(DomainError, match="belum mengajukan"):
        services.recommendation_accept(user=world.verifier_sumut, recommendation_id=rec.pk)


# --- Separation of duties -------------------------------------------------------------------------


def test_the_koordinator_does_not_accept_while_the_author_may(world, reporting) -> None:
    rec = _awaiting(world, reporting)
    with pytest.raises(DomainError, match="Hanya penulis"):
        services.recommendation_accept(user=world.koordinator, recommendation_id=rec.pk)


@pytest.mark.parametrize("who", ["admin_binjai", "inspektorat_binjai", "verifier_jateng"])
def test_the_pemda_and_other_verifiers_are_not_asked_at_all(world, reporting, who) -> None:
    rec = _awaiting(world, reporting)
    with pytest.raises(Http404):
        services.recommendation_accept(user=getattr(world, who), recommendation_id=rec.pk)
    with pytest.raises(Http404):
        services.recommendation_return(
            user=getattr(world, who), recommendation_id=rec.pk, reason="x"
        )


def test_when_the_author_no_longer_verifies_the_pemda_the_koordinator_accepts(
    world, reporting
) -> None:
    rec = _awaiting(world, reporting)
    VerifierAssignment.objects.filter(verifier=world.verifier_sumut, pemda=world.binjai).delete()
    with pytest.raises(DomainError, match="tidak lagi bertugas"):
        services.recommendation_accept(user=world.verifier_sumut, recommendation_id=rec.pk)
    rec = services.recommendation_accept(user=world.koordinator, recommendation_id=rec.pk)
    assert rec.state == S.DONE and rec.accepted_by == world.koordinator


def test_asking_for_acceptance_goes_to_the_koordinator_when_the_author_left(
    world, reporting
) -> None:
    rec = write_recommendation(world, reporting)
    _follow_up(rec, world.admin_binjai)
    type(world.verifier_sumut).objects.filter(pk=world.verifier_sumut.pk).update(is_active=False)
    services.recommendation_acceptance_request(user=world.admin_binjai, recommendation_id=rec.pk)
    assert _titles(world.koordinator) == [
        "Tindak lanjut menunggu penerimaan: Perbaiki SOP pengadaan"
    ]


def test_the_author_who_took_a_role_in_the_pemda_does_not_accept(world, reporting) -> None:
    rec = _awaiting(world, reporting, author=world.koordinator)
    RoleAssignment.objects.create(user=world.koordinator, role=Role.INSPEKTORAT, pemda=world.binjai)
    forget_roles(user=world.koordinator)  # as the next request would read them
    with pytest.raises(DomainError, match="memegang peran di Kota Binjai"):
        services.recommendation_accept(user=world.koordinator, recommendation_id=rec.pk)


# --- The database's own guards --------------------------------------------------------------------


def test_the_database_refuses_unknown_states_and_unaccepted_done(world, reporting) -> None:
    rec = write_recommendation(world, reporting)
    for fields in ({"state": "lost"}, {"state": "done"}, {"accepted_by": world.koordinator}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Recommendation.objects.filter(pk=rec.pk).update(**fields)


# --- Overdue ------------------------------------------------------------------------------------


def test_overdue_is_past_the_due_day_in_the_pemdas_own_zone_and_not_done(world, reporting) -> None:
    papua = Pemda.objects.filter(time_zone="WIT").order_by("code").first()
    assert papua is not None
    binjai = write_recommendation(world, reporting, days=1, title="Binjai")
    jayapura = write_recommendation(
        world, reporting, author=world.koordinator, pemda=papua, indicator=None, days=1
    )
    due = binjai.due_on
    Recommendation.objects.filter(pk=jayapura.pk).update(due_on=due)
    # 23.30 WIB on the due day is already 01.30 the next day in WIT.
    late_evening = datetime(due.year, due.month, due.day, 16, 30, tzinfo=UTC)
    overdue = set(Recommendation.objects.filter(overdue_q(now=late_evening)))
    assert overdue == {Recommendation.objects.get(pk=jayapura.pk)}
    for rec in Recommendation.objects.select_related("pemda"):
        assert is_overdue(rec, now=late_evening) == (rec.pk == jayapura.pk)


def test_the_overdue_filter_leaves_done_ones_out(world, reporting) -> None:
    late = write_recommendation(world, reporting, title="Terlambat")
    done = _awaiting(world, reporting, title="Selesai")
    services.recommendation_accept(user=world.verifier_sumut, recommendation_id=done.pk)
    yesterday = timezone.localdate() - timedelta(days=1)
    Recommendation.objects.update(due_on=yesterday)
    rows = listed(user=world.koordinator, filters=RecommendationFilters(overdue=True))
    assert [r.title for r in rows] == [late.title]
    everything = listed(user=world.koordinator, filters=RecommendationFilters())
    # The annotation the list's rows carry.
    assert [(r.title, vars(r)["overdue"]) for r in everything] == [
        ("Terlambat", True),
        ("Selesai", False),
    ]


# --- Reminders ----------------------------------------------------------------------------------


def _reminders(user) -> list[str]:
    return [t for t in _titles(user) if "tenggat rekomendasi" in t]


def test_reminders_go_7_3_and_1_days_before_each_once_to_the_admin(world, reporting) -> None:
    rec = write_recommendation(world, reporting, days=7)
    now = timezone.now()
    assert reminders_send(now=now) == 1
    assert reminders_send(now=now) == 0  # the same day again: nothing new
    assert _reminders(world.admin_binjai) == ["7 hari lagi: tenggat rekomendasi MCP"]
    note = Notification.objects.get(recipient=world.admin_binjai, title__startswith="7 hari")
    assert note.url == f"/mcp/rekomendasi/{rec.pk}/"
    assert "Perbaiki SOP pengadaan" in note.body
    for days_later in (1, 2, 3):  # 6, 5 and 4 days left: within 7, sent already
        assert reminders_send(now=now + timedelta(days=days_later)) == 0
    assert reminders_send(now=now + timedelta(days=4)) == 1  # 3 days left
    assert reminders_send(now=now + timedelta(days=5)) == 0
    assert reminders_send(now=now + timedelta(days=6)) == 1  # 1 day left
    assert reminders_send(now=now + timedelta(days=7)) == 0  # the due day: 1 was sent
    assert reminders_send(now=now + timedelta(days=8)) == 0  # overdue: no more reminders
    assert len(_reminders(world.admin_binjai)) == 3
    assert not _reminders(world.inspektorat_binjai) and not _reminders(world.verifier_sumut)


def test_a_missed_run_still_sends_the_nearest_threshold(world, reporting) -> None:
    write_recommendation(world, reporting, days=2)
    assert reminders_send(now=timezone.now()) == 1
    assert _reminders(world.admin_binjai) == ["2 hari lagi: tenggat rekomendasi MCP"]


def test_no_reminders_once_the_pemda_asked_for_acceptance_or_it_is_done(world, reporting) -> None:
    waiting = _awaiting(world, reporting, days=3, title="Menunggu")
    done = _awaiting(world, reporting, days=3, title="Selesai")
    services.recommendation_accept(user=world.verifier_sumut, recommendation_id=done.pk)
    assert reminders_send(now=timezone.now()) == 0
    services.recommendation_return(
        user=world.verifier_sumut, recommendation_id=waiting.pk, reason="Belum lengkap."
    )
    assert reminders_send(now=timezone.now()) == 1  # back with the Pemda: reminded again


def test_the_reminder_command_sends_them(world, reporting, capsys) -> None:
    write_recommendation(world, reporting, days=1)
    call_command("mcp_reminders", "--now")
    assert "1 reminder(s) sent" in capsys.readouterr().out
    assert _reminders(world.admin_binjai) == ["1 hari lagi: tenggat rekomendasi MCP"]
