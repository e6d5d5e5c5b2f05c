"""Submitting, routing, handling and the reporter's follow-up, through the services."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.http import Http404

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.notifications.models import Notification
from cegah.wbs import access, crypto, services
from cegah.wbs.models import HandlingLevel, Report, ReportState, RoutedBecause
from cegah.wbs.selectors import report_view
from cegah.wbs.services import ReporterIdentity

from .conftest import (
    jpeg_with_gps,
    key_of,
    opened_by,
    opened_by_reporter,
    reporter_key_of,
    solved,
)

pytestmark = pytest.mark.django_db


def test_a_report_gets_a_16_digit_receipt_stored_only_as_its_argon2_hash(submit) -> None:
    report, receipt = submit()
    assert len(receipt) == 16 and receipt.isdigit()
    assert receipt not in report.receipt_hash
    assert report.receipt_hash == crypto.receipt_hash(receipt)
    assert len(report.receipt_hash) == 64
    # A different code gives a different hash; the code itself is nowhere in the row.
    assert crypto.receipt_hash(str(int(receipt) + 1)) != report.receipt_hash
    row = Report.objects.values().get(pk=report.pk)
    assert all(receipt not in str(value) for value in row.values())


def test_the_receipt_opens_the_report_and_a_wrong_one_does_not(submit) -> None:
    report, receipt = submit()
    spaced = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    assert services.receipt_open(receipt=spaced, **_pow("receipt"))[0] == report
    with pytest.raises(DomainError, match="tidak dikenal"):
        services.receipt_open(receipt=str(int(receipt) ^ 1).zfill(16), **_pow("receipt"))
    with pytest.raises(DomainError, match="16 angka"):
        services.receipt_open(receipt="1234", **_pow("receipt"))


def _pow(purpose: str, bits: int | None = None) -> dict[str, str]:
    pair = solved(purpose, bits)
    return {"token": pair["pow_token"], "solution": pair["pow_solution"]}


def test_a_solved_challenge_is_honoured_at_the_difficulty_it_was_issued_with(
    submit, settings
) -> None:
    """Raising the bar later never refuses a challenge solved before (it did, after twenty
    wrong codes from anyone)."""
    report, receipt = submit()
    pair = _pow("receipt")  # issued at today's bits
    settings.WBS_POW_BITS += 2
    assert services.receipt_open(receipt=receipt, **pair)[0] == report


def test_a_spent_challenge_keeps_a_day_and_no_order() -> None:
    from cegah.wbs import proof_of_work
    from cegah.wbs.models import SpentChallenge

    for _ in range(2):
        pair = solved("receipt")
        proof_of_work.redeem(
            token=pair["pow_token"],
            solution=pair["pow_solution"],
            purpose="receipt",
            required_bits=1,
        )
    fields = {f.name for f in SpentChallenge._meta.get_fields()}
    assert fields == {"nonce", "expires_on"}  # a day, and no counter
    assert all(len(pk) == 32 for pk in SpentChallenge.objects.values_list("pk", flat=True))


def test_a_challenge_is_single_use_and_cannot_be_forged() -> None:
    from cegah.wbs import proof_of_work

    pair = solved("receipt")
    proof_of_work.redeem(
        token=pair["pow_token"], solution=pair["pow_solution"], purpose="receipt", required_bits=1
    )
    with pytest.raises(proof_of_work.ChallengeFailed):
        proof_of_work.redeem(
            token=pair["pow_token"],
            solution=pair["pow_solution"],
            purpose="receipt",
            required_bits=1,
        )
    other = solved("report")
    with pytest.raises(proof_of_work.ChallengeFailed):  # a report challenge is no receipt one
        proof_of_work.redeem(
            token=other["pow_token"],
            solution=other["pow_solution"],
            purpose="receipt",
            required_bits=1,
        )
    with pytest.raises(proof_of_work.ChallengeFailed):  # tampered token
        proof_of_work.redeem(
            token=other["pow_token"][:-2] + "xx", solution="0", purpose="report", required_bits=1
        )


def test_a_report_goes_to_the_pemdas_own_inspectorate(submit, world) -> None:
    report, _ = submit()
    assert (report.level, report.handler_pemda) == (HandlingLevel.PEMDA, world.binjai)
    assert access.handles(user=world.inspektorat_binjai, report=report)


def test_a_report_naming_the_inspectorate_goes_to_the_province(
    submit, world, inspektorat_sumut
) -> None:
    report, _ = submit(names_inspectorate=True)
    assert (report.level, report.handler_pemda) == (HandlingLevel.PROVINSI, world.sumut)
    assert report.routed_because == RoutedBecause.NAMES_INSPECTORATE
    assert not access.handles(user=world.inspektorat_binjai, report=report)
    assert access.handles(user=inspektorat_sumut, report=report)
    # Saying "Inspektorat" in the unit is enough, even without ticking the box.
    by_unit, _ = submit(who_unit="Inspektorat Kota Binjai")
    assert by_unit.level == HandlingLevel.PROVINSI


def test_a_report_on_a_provinces_inspectorate_goes_to_the_national_coordinator(
    submit, world, inspektorat_sumut
) -> None:
    report, _ = submit(pemda=world.sumut, names_inspectorate=True)
    assert (report.level, report.handler_pemda) == (HandlingLevel.NASIONAL, None)
    assert access.handles(user=world.koordinator, report=report)
    assert not access.handles(user=inspektorat_sumut, report=report)


def test_a_report_naming_a_handler_goes_above_them(submit, world, inspektorat_sumut) -> None:
    report, _ = submit(who_name="  sari   LUBIS ")  # the Binjai handler's own name
    assert (report.level, report.handler_pemda) == (HandlingLevel.PROVINSI, world.sumut)
    assert report.routed_because == RoutedBecause.CONFLICT


def test_a_handler_who_declares_a_conflict_hands_the_report_up(
    submit, world, inspektorat_sumut
) -> None:
    report, _ = submit()
    services.conflict_declare(
        report_id=report.pk,
        user=world.inspektorat_binjai,
        private_key=key_of(world.inspektorat_binjai),
    )
    report.refresh_from_db()
    assert (report.level, report.handler_pemda) == (HandlingLevel.PROVINSI, world.sumut)
    assert not access.handles(user=world.inspektorat_binjai, report=report)
    assert access.handles(user=inspektorat_sumut, report=report)
    assert AuditEntry.objects.filter(
        action="wbs.report.conflict", object_id=str(report.pk)
    ).exists()


def test_nobody_else_handles_a_report(submit, world) -> None:
    report, _ = submit()
    for user in (
        world.operator_binjai,
        world.admin_binjai,
        world.operator_pekalongan,
        world.admin_pekalongan,
        world.verifier_sumut,
        world.koordinator,  # a Pemda-level report is the inspectorate's, not the centre's
        world.superadmin,
        world.nobody,
    ):
        assert not access.handles(user=user, report=report), user
        with pytest.raises(Http404):
            services.report_transition(
                report_id=report.pk,
                user=user,
                private_key=crypto.new_private_key(),
                to_state="verifying",
                note="",
                version=1,
            )
        with pytest.raises(Http404):
            services.identity_request(
                report_id=report.pk,
                user=user,
                private_key=crypto.new_private_key(),
                reason="Saya ingin tahu siapa pelapornya.",
            )


def test_the_handling_path_with_notes_the_reporter_reads(submit, world) -> None:
    report, _receipt = submit()
    handler = world.inspektorat_binjai
    with pytest.raises(DomainError, match="tidak diizinkan"):
        services.report_transition(
            report_id=report.pk,
            user=handler,
            private_key=key_of(handler),
            to_state="done",
            note="x" * 20,
            version=1,
        )
    report = services.report_transition(
        report_id=report.pk,
        user=handler,
        private_key=key_of(handler),
        to_state="verifying",
        note="",
        version=1,
    )
    with pytest.raises(DomainError, match="diubah orang lain"):  # a stale form
        services.report_transition(
            report_id=report.pk,
            user=handler,
            private_key=key_of(handler),
            to_state="rejected",
            note="x" * 20,
            version=1,
        )
    with pytest.raises(DomainError, match="10 huruf"):
        services.report_transition(
            report_id=report.pk,
            user=handler,
            private_key=key_of(handler),
            to_state="followed_up",
            note="ok",
            version=2,
        )
    report = services.report_transition(
        report_id=report.pk,
        user=handler,
        private_key=key_of(handler),
        to_state="followed_up",
        note="Audit investigatif atas layanan perizinan dijadwalkan.",
        version=2,
    )
    assert report.due_on is not None and report.closed_on is None
    report = services.report_transition(
        report_id=report.pk,
        user=handler,
        private_key=key_of(handler),
        to_state="done",
        note="Terbukti; uang dikembalikan dan pejabat dijatuhi hukuman disiplin.",
        version=3,
    )
    assert report.state == ReportState.DONE and report.closed_on is not None
    view = report_view(report=report, key=opened_by_reporter(report), for_handler=False)
    assert [state for state, *_ in view.history] == ["verifying", "followed_up", "done"]
    assert "hukuman disiplin" in view.history[-1][2]
    actions = list(
        AuditEntry.objects.filter(object_id=str(report.pk), action="wbs.report.state")
        .order_by("seq")
        .values_list("data", flat=True)
    )
    assert [a["to"] for a in actions] == ["verifying", "followed_up", "done"]
    # The audit chain never holds the report's words.
    assert not AuditEntry.objects.filter(data__icontains="hukuman").exists()


def test_identity_opens_only_with_a_reason_and_a_second_handlers_approval(submit, world) -> None:
    from cegah.testing.factories import RoleAssignmentFactory, UserFactory
    from cegah.wbs.models import IdentityDisclosure
    from cegah.wbs.selectors import identity_opened_on, was_disclosed_to

    report, _ = submit(identity=ReporterIdentity(name="Ani Wijaya", contact="0812000111"))
    handler = world.inspektorat_binjai
    colleague = UserFactory.create(email="irban2@binjai.test")
    RoleAssignmentFactory.create(user=colleague, role="inspektorat", pemda=world.binjai)
    with pytest.raises(DomainError, match="20 huruf"):
        services.identity_request(
            report_id=report.pk, user=handler, private_key=key_of(handler), reason="perlu"
        )
    reason = "Perlu konfirmasi langsung atas dokumen kuitansi yang dilampirkan."
    asked = services.identity_request(
        report_id=report.pk, user=handler, private_key=key_of(handler), reason=reason
    )
    assert not was_disclosed_to(report=report, user=handler)  # one person's wish is not enough
    with pytest.raises(DomainError) as own:
        services.identity_approve(report_id=report.pk, request_id=asked.pk, user=handler)
    assert own.value.code == "own_request"
    services.identity_approve(report_id=report.pk, request_id=asked.pk, user=colleague)
    assert was_disclosed_to(report=report, user=handler)
    assert services.identity_of(report=report, key=opened_by(report, handler)) == ReporterIdentity(
        name="Ani Wijaya", contact="0812000111"
    )
    # The reason is sealed; the audit chain says only that it was asked and approved.
    row = IdentityDisclosure.objects.get()
    assert b"kuitansi" not in bytes(row.sealed_reason)
    assert not AuditEntry.objects.filter(data__icontains="kuitansi").exists()
    assert AuditEntry.objects.filter(action="wbs.identity.requested", actor=handler).exists()
    assert AuditEntry.objects.filter(action="wbs.identity.approved", actor=colleague).exists()
    assert identity_opened_on(report=report) == [row.approved_on]
    anonymous, _ = submit()
    with pytest.raises(DomainError, match="tidak memberikan identitas"):
        services.identity_request(
            report_id=anonymous.pk,
            user=handler,
            private_key=key_of(handler),
            reason="Perlu konfirmasi langsung atas dokumen.",
        )


def test_messages_both_ways_and_the_reporter_leaves_no_time(submit, world) -> None:
    report, _ = submit()
    services.handler_message_add(
        report_id=report.pk,
        user=world.inspektorat_binjai,
        private_key=key_of(world.inspektorat_binjai),
        body="Mohon sebutkan tanggal pasti kejadian.",
        asks_for_information=True,
    )
    report.refresh_from_db()
    assert report.awaiting_reporter_since == date.today()
    services.reporter_message_add(
        report=report,
        reporter_key=reporter_key_of(report),
        body="Tanggal 12 Maret 2026, pukul 10 pagi.",
    )
    report.refresh_from_db()
    assert report.awaiting_reporter_since is None
    thread = report_view(
        report=report, key=opened_by(report, world.inspektorat_binjai), for_handler=True
    ).thread
    assert [(t.side, t.author) for t in thread] == [
        ("penangan", "Sari Lubis"),
        ("pelapor", "Pelapor"),
    ]
    # The reporter's side is seen by the reporter without the handler's name.
    assert (
        report_view(report=report, key=opened_by_reporter(report), for_handler=False)
        .thread[0]
        .author
        == "Penangan"
    )
    # Reporter actions write no audit entry (it would time them); the handler's do.
    wbs_actions = (
        AuditEntry.objects.filter(action__startswith="wbs.")
        .exclude(action__startswith="wbs.key.")  # the handlers' key pairs, made before
        .values_list("action", flat=True)
    )
    assert list(wbs_actions) == ["wbs.message.sent"]


def test_an_unanswered_request_closes_the_report_after_10_working_days(
    submit, world, settings
) -> None:
    report, _ = submit()
    services.handler_message_add(
        report_id=report.pk,
        user=world.inspektorat_binjai,
        private_key=key_of(world.inspektorat_binjai),
        body="Mohon bukti kuitansi.",
        asks_for_information=True,
    )
    # Asked on 18 March 2026 (cuti bersama Nyepi). Then: 19 Nyepi, 20 and 23-24 cuti bersama
    # Idul Fitri, 21-22 Idul Fitri, 3 April Good Friday. The 10th working day is 8 April.
    Report.objects.filter(pk=report.pk).update(awaiting_reporter_since=date(2026, 3, 18))
    assert services.reports_close_unanswered(today=date(2026, 4, 7)) == 0
    assert services.reports_close_unanswered(today=date(2026, 4, 8)) == 1
    report.refresh_from_db()
    assert report.state == ReportState.DONE and report.closed_on == date(2026, 4, 8)
    assert (
        "tidak menjawab"
        in report_view(report=report, key=opened_by_reporter(report), for_handler=False).history[
            -1
        ][2]
    )


def test_closed_reports_are_purged_after_retention_with_their_files(
    submit, world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WBS_RETENTION_DAYS = 30
    report, _ = submit(uploads=[services.Upload("foto.jpg", io.BytesIO(jpeg_with_gps()))])
    stored = report.attachments.get().stored_file.file.name
    services.report_transition(
        report_id=report.pk,
        user=world.inspektorat_binjai,
        private_key=key_of(world.inspektorat_binjai),
        to_state="rejected",
        note="Bukan wewenang Inspektorat; silakan ke Ombudsman.",
        version=1,
    )
    Report.objects.filter(pk=report.pk).update(closed_on=date(2026, 1, 1))
    open_report, _ = submit()
    assert services.reports_purge(today=date(2026, 1, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_purge(today=date(2026, 2, 1)) == 1
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Report.objects.filter(pk=open_report.pk).exists()
    assert not default_storage.exists(stored)
    entry = AuditEntry.objects.get(action="wbs.reports.purged")
    assert entry.data["count"] == 1 and entry.data["reports"] == [str(report)]


def test_handlers_get_one_daily_digest_of_new_due_and_overdue(submit, world) -> None:
    submit()
    overdue, _ = submit()
    Report.objects.filter(pk=overdue.pk).update(due_on=date(2020, 1, 6))
    assert services.handler_reminders_send() == 1
    assert services.handler_reminders_send() == 0  # once a day
    note = Notification.objects.get(recipient=world.inspektorat_binjai)
    assert "1 baru" in note.body and "1 terlambat" in note.body
    assert not Notification.objects.exclude(recipient=world.inspektorat_binjai).exists()


def test_the_daily_digest_reads_handlers_once_per_inspectorate(
    submit, world, django_assert_max_num_queries
) -> None:
    submit()
    with django_assert_max_num_queries(12) as few:
        services.handler_reminders_send(today=date(2026, 11, 2))
    for _ in range(10):
        submit()
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.handler_reminders_send(today=date(2026, 11, 3))


def test_a_handler_who_stepped_aside_is_not_reminded_of_the_report(
    submit, world, second_koordinator
) -> None:
    report, _ = submit(pemda=world.sumut, names_inspectorate=True)  # national: no level above
    services.conflict_declare(
        report_id=report.pk, user=world.koordinator, private_key=key_of(world.koordinator)
    )
    services.handler_reminders_send(today=date(2026, 11, 2))
    assert "1 baru" in Notification.objects.get(recipient=second_koordinator).body
    assert not Notification.objects.filter(recipient=world.koordinator).exists()


def test_a_report_without_words_or_with_too_many_files_is_refused_and_nothing_kept(submit) -> None:
    with pytest.raises(DomainError, match="Ceritakan apa yang terjadi"):
        submit(what="   ")
    photos = [services.Upload(f"foto{n}.jpg", io.BytesIO(jpeg_with_gps())) for n in range(6)]
    with pytest.raises(DomainError, match="Paling banyak 5 lampiran sekali kirim"):
        submit(uploads=photos)
    assert not Report.objects.exists()


def test_messages_need_words_and_an_open_report(submit, world) -> None:
    report, _ = submit()
    handler = world.inspektorat_binjai
    with pytest.raises(DomainError, match="Tulis pesan atau lampirkan berkas"):
        services.reporter_message_add(
            report=report, reporter_key=reporter_key_of(report), body="  "
        )
    with pytest.raises(DomainError, match="Tulis pesan untuk pelapor"):
        services.handler_message_add(
            report_id=report.pk, user=handler, private_key=key_of(handler), body=" "
        )
    Report.objects.filter(pk=report.pk).update(state=ReportState.DONE, closed_on=date.today())
    report.refresh_from_db()
    with pytest.raises(DomainError, match="Laporan ini sudah ditutup"):
        services.reporter_message_add(
            report=report,
            reporter_key=reporter_key_of(report),
            body="Masih ada yang ingin saya tambahkan.",
        )
    with pytest.raises(DomainError, match="Laporan ini sudah ditutup"):
        services.handler_message_add(
            report_id=report.pk, user=handler, private_key=key_of(handler), body="Terima kasih."
        )
    assert not report.messages.exists()
