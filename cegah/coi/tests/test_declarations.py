"""Declarations: each handling path, the superior's 7 working days and the escalation when they
pass, conflicts nobody declared, positions at risk with their yearly statements, and who may see
and act."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cegah.audit.models import AuditEntry
from cegah.coi import services
from cegah.coi.models import Declaration, Handling
from cegah.coi.services import Decision
from cegah.coi.tasks import daily_run
from cegah.core.errors import AlreadyDone, DomainError
from cegah.notifications.models import Notification
from cegah.testing.clients import sign_in

from .conftest import Coi, facts

pytestmark = pytest.mark.django_db


def on(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)


def declare(c: Coi, **changes: object) -> Declaration:
    return services.declaration_submit(
        actor=c.declarant.user, employee=c.declarant, facts=facts(**changes)
    )


def test_declaring_puts_the_matter_on_hold_and_asks_the_superior(
    coi: Coi, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, date(2026, 3, 16))
    d = declare(coi, since=date(2026, 3, 1))
    # 7 working days from Monday 16 March 2026, past Nyepi and Idul Fitri with cuti bersama.
    assert d.decision_due == date(2026, 4, 1)  # 17, 25, 26, 27, 30, 31 March, 1 April
    assert (d.state, d.superior, d.number) == (
        Declaration.State.SUBMITTED,
        coi.head,
        f"BK-{coi.world.binjai.code}-2026-0001",
    )
    told = Notification.objects.get(recipient=coi.head.user)
    assert "01-04-2026" in told.title
    page = sign_in(Client(), coi.declarant.user).get(
        reverse("coi:declaration", kwargs={"pk": d.pk})
    )
    assert "tidak ikut mengambil keputusan atas" in page.content.decode()


@pytest.mark.parametrize(
    ("handling", "state"),
    [
        (Handling.RECUSAL, Declaration.State.DECIDED),
        (Handling.DELEGATED, Declaration.State.DECIDED),
        (Handling.REASSIGNED, Declaration.State.DECIDED),
        (Handling.OVERSIGHT, Declaration.State.OVERSIGHT),
        (Handling.NONE, Declaration.State.DECIDED),
    ],
)
def test_each_handling(coi: Coi, handling: str, state: str) -> None:
    d = declare(coi)
    decision = Decision(
        handling,
        "Peserta tender dimiliki keluarga dekat.",
        delegate=coi.colleague if handling == Handling.DELEGATED else None,
        conditions="Setiap berita acara evaluasi direviu Inspektorat."
        if handling == Handling.OVERSIGHT
        else "",
    )
    services.declaration_decide(actor=coi.head.user, declaration=d, decision=decision)
    d.refresh_from_db()
    assert (d.state, d.handling, d.decided_by) == (state, handling, coi.head.user)
    assert Notification.objects.filter(
        recipient=coi.declarant.user, title__contains=str(Handling(handling).label)
    ).exists()
    if handling == Handling.DELEGATED:
        assert d.delegate == coi.colleague
        assert Notification.objects.filter(
            recipient=coi.colleague.user, title__contains="Anda ditunjuk"
        ).exists()
    if handling == Handling.OVERSIGHT:
        assert Notification.objects.filter(recipient=coi.world.inspektorat_binjai).exists()
        services.note_add(
            actor=coi.world.inspektorat_binjai,
            declaration=d,
            text="Berita acara 1 direviu: sesuai.",
        )
        services.oversight_close(
            actor=coi.world.inspektorat_binjai, declaration=d, note="Tender selesai tanpa temuan."
        )
        d.refresh_from_db()
        assert d.state == Declaration.State.CLOSED
        assert d.notes.count() == 2
    with pytest.raises(AlreadyDone):
        services.declaration_decide(actor=coi.head.user, declaration=d, decision=decision)


def test_a_decision_needs_a_reason_a_named_official_and_conditions(coi: Coi) -> None:
    d = declare(coi)
    head = coi.head.user
    for decision, message in (
        (Decision(Handling.RECUSAL, "  "), "alasan"),
        (Decision(Handling.DELEGATED, "Keluarga."), "pejabat yang mengambil alih"),
        (Decision(Handling.DELEGATED, "Keluarga.", delegate=coi.declarant), "pegawai aktif lain"),
        (Decision(Handling.DELEGATED, "Keluarga.", delegate=coi.pekalongan), "pegawai aktif lain"),
        (Decision(Handling.OVERSIGHT, "Keluarga."), "syarat pengawasan"),
    ):
        with pytest.raises(DomainError, match=message):
            services.declaration_decide(actor=head, declaration=d, decision=decision)
    d.refresh_from_db()
    assert d.state == Declaration.State.SUBMITTED


def test_only_the_superior_decides(coi: Coi) -> None:
    d = declare(coi)
    decision = Decision(Handling.RECUSAL, "Keluarga.")
    for outsider in (coi.colleague.user, coi.pupr_head.user, coi.pekalongan.user):
        with pytest.raises(Http404):
            services.declaration_decide(actor=outsider, declaration=d, decision=decision)
    # Those who may read it do not decide for the superior.
    for reader in (coi.declarant.user, coi.sekda.user, coi.world.inspektorat_binjai, coi.officer):
        with pytest.raises(DomainError, match="atasan langsung"):
            services.declaration_decide(actor=reader, declaration=d, decision=decision)


def test_the_deadline_passes_and_goes_up(coi: Coi, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, date(2026, 11, 2))
    d = declare(coi)
    assert d.decision_due == date(2026, 11, 11)
    on(monkeypatch, date(2026, 11, 11))
    assert daily_run()["escalated"] == 0  # the last day still counts
    on(monkeypatch, date(2026, 11, 12))
    assert daily_run()["escalated"] == 2  # the superior's superior and the Inspektorat
    late = Notification.objects.filter(title__startswith="Lewat batas")
    assert {n.recipient_id for n in late} == {coi.sekda.user_id, coi.world.inspektorat_binjai.pk}
    assert daily_run()["escalated"] == 0  # once
    d.refresh_from_db()
    assert d.escalated_on == date(2026, 11, 12)
    # The register shows it among the overdue.
    client = sign_in(Client(), coi.world.inspektorat_binjai)
    url = reverse("coi:register", kwargs={"code": coi.world.binjai.code})
    assert d.number in client.get(url + "?lewat=1").content.decode()


def test_a_conflict_nobody_declared(coi: Coi) -> None:
    """The Inspektorat records one for anyone of the Pemda; a superior for their own staff;
    nobody for someone of another unit or Pemda, or for themselves."""
    inspektorat = coi.world.inspektorat_binjai
    d = services.undeclared_record(actor=inspektorat, employee=coi.pupr_staff, facts=facts())
    assert d.undeclared and d.recorded_by == inspektorat and d.superior == coi.pupr_head
    assert Notification.objects.filter(
        recipient=coi.pupr_staff.user, title__contains="dicatat atas nama Anda"
    ).exists()
    assert Notification.objects.filter(recipient=coi.pupr_head.user).exists()
    mine = services.undeclared_record(actor=coi.head.user, employee=coi.colleague, facts=facts())
    assert mine.superior == coi.head
    assert not Notification.objects.filter(
        recipient=coi.head.user, title__contains=mine.number
    ).exists()
    for actor, person in (
        (coi.head.user, coi.pupr_staff),  # another unit's
        (coi.colleague.user, coi.declarant),  # a colleague
        (coi.head.user, coi.pekalongan),  # another Pemda
        (coi.head.user, coi.head),  # oneself
    ):
        with pytest.raises(Http404):
            services.undeclared_record(actor=actor, employee=person, facts=facts())
    assert AuditEntry.objects.filter(action="coi.declaration.record").count() == 2


def test_an_official_with_no_superior_is_decided_by_the_inspektorat(coi: Coi) -> None:
    d = services.declaration_submit(actor=coi.sekda.user, employee=coi.sekda, facts=facts())
    assert d.superior is None
    with pytest.raises(DomainError):
        services.declaration_decide(
            actor=coi.officer, declaration=d, decision=Decision(Handling.RECUSAL, "Keluarga.")
        )
    services.declaration_decide(
        actor=coi.world.inspektorat_binjai,
        declaration=d,
        decision=Decision(Handling.RECUSAL, "Keluarga."),
    )


def test_who_sees_a_declaration(coi: Coi) -> None:
    d = declare(coi)
    url = reverse("coi:declaration", kwargs={"pk": d.pk})
    for reader in (
        coi.declarant.user,
        coi.head.user,
        coi.sekda.user,  # the superior's superior, to whom an overdue decision goes
        coi.world.inspektorat_binjai,
        coi.officer,
    ):
        assert sign_in(Client(), reader).get(url).status_code == 200, reader
    for outsider in (
        coi.colleague.user,  # a colleague
        coi.pupr_head.user,  # the superior of another unit
        coi.pupr_staff.user,
        coi.pekalongan.user,  # another Pemda
        coi.world.admin_binjai,
        coi.world.koordinator,
    ):
        client = sign_in(Client(), outsider)
        assert client.get(url).status_code == 404, outsider
        assert (
            client.post(url, {"action": "decide", "handling": "mundur", "reason": "x"}).status_code
            == 404
        )
    register = reverse("coi:register", kwargs={"code": coi.world.binjai.code})
    for outsider in (coi.head.user, coi.world.admin_binjai, coi.pekalongan.user):
        assert sign_in(Client(), outsider).get(register).status_code == 404
    assert sign_in(Client(), coi.officer).get(register).status_code == 200
    assert AuditEntry.objects.filter(action="coi.declaration.open").count() == 5


def test_positions_at_risk_and_who_has_not_answered(coi: Coi) -> None:
    inspektorat = coi.world.inspektorat_binjai
    year = timezone.localdate().year
    b = coi.world.binjai
    with pytest.raises(DomainError, match="123, 999999999999999999"):
        services.risk_position_add(
            actor=inspektorat,
            pemda=b,
            year=year,
            title="Pokja Pemilihan",
            holder_nips="123, 999999999999999999",
        )
    services.risk_position_add(
        actor=inspektorat,
        pemda=b,
        year=year,
        title="Pokja Pemilihan",
        holder_nips=f"{coi.declarant.nip}\n{coi.colleague.nip}",
    )
    services.risk_position_add(
        actor=inspektorat,
        pemda=b,
        year=year,
        title="Bendahara Pengeluaran",
        holder_nips=coi.pupr_staff.nip,
    )
    with pytest.raises(Http404):
        services.risk_position_add(
            actor=coi.officer, pemda=b, year=year, title="X", holder_nips=coi.head.nip
        )
    assert services.statements_ask(actor=inspektorat, pemda=b, year=year) == 3
    assert services.statements_ask(actor=inspektorat, pemda=b, year=year) == 0  # once
    services.statement_submit(
        actor=coi.declarant.user, employee=coi.declarant, year=year, no_conflict=True
    )
    with pytest.raises(DomainError, match="Sebutkan"):
        services.statement_submit(
            actor=coi.colleague.user, employee=coi.colleague, year=year, no_conflict=False
        )
    with pytest.raises(Http404):  # holds no position at risk
        services.statement_submit(
            actor=coi.head.user, employee=coi.head, year=year, no_conflict=True
        )
    page = (
        sign_in(Client(), inspektorat)
        .get(reverse("coi:positions", kwargs={"code": b.code}) + f"?tahun={year}")
        .content.decode()
    )
    assert "2 pemegang belum mengisi pernyataan" in page
    waiting = page.split("Belum mengisi")
    assert "Lina Sembiring" in page and "Tina Purba" in page
    assert len(waiting) == 3  # two without a statement
    # The holder answers on their page.
    client = sign_in(Client(), coi.colleague.user)
    answer = client.post(
        reverse("coi:statement", kwargs={"year": year}),
        {"no_conflict": "0", "note": "Suami saya pemilik toko alat tulis rekanan."},
    )
    assert answer.status_code == 302
    assert coi.colleague.coi_statements.get().note.startswith("Suami saya")


def test_declaring_over_http_keeps_what_was_typed(coi: Coi) -> None:
    client = sign_in(Client(), coi.declarant.user)
    url = reverse("coi:declare")
    data = {
        "matter_kind": "pengadaan",
        "matter": "Tender jalan lingkar 2026",
        "conflict_type": "potensial",
        "source": "usaha",
        "parties": "PT Jalan Raya",
        "since": "31-12-2099",
        "description": "Saya pemegang saham kecil.",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Tender jalan lingkar 2026" in refused.content.decode()
    assert not Declaration.objects.exists()
    sent = client.post(url, {**data, "since": "02-01-2026"})
    assert sent.status_code == 302
    assert Declaration.objects.get().since == date(2026, 1, 2)
