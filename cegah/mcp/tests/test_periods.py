"""Termin: the Koordinator opens, closes and extends them; deadlines in each Pemda's time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp.models import Period, PeriodExtension
from cegah.mcp.services import period_close, period_create, period_extend, period_open
from cegah.regions.models import Pemda

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _create(world, number: int = 1) -> Period:
    return period_create(
        actor=world.koordinator,
        year=2025,
        number=number,
        opens_at=datetime(2025, 1, 2, 8, 0, tzinfo=WIB),
        upload_deadline=datetime(2025, 4, 15, 23, 59, tzinfo=WIB),
        verification_deadline=datetime(2025, 5, 15, 23, 59, tzinfo=WIB),
    )


def test_the_coordinator_creates_a_termin_through_the_page(world, catalogue_2025, login) -> None:
    client = login(world.koordinator)
    response = client.post(
        reverse("mcp:period_list") + "?tahun=2025",
        {
            "number": "1",
            "opens_at": "2025-01-02T08:00",
            "upload_deadline": "2025-04-15T23:59",
            "verification_deadline": "2025-05-15T23:59",
        },
        follow=True,
    )
    assert "Termin 1 tahun 2025 dibuat." in response.content.decode()
    period = Period.objects.get(year=2025, number=1)
    # Entered in WIB, stored as the same instant in UTC.
    assert period.upload_deadline == datetime(2025, 4, 15, 23, 59, tzinfo=WIB)
    assert AuditEntry.objects.filter(action="mcp.period.create").count() == 1


def test_the_page_offers_only_the_termin_a_year_does_not_have_yet(
    world, catalogue_2025, login
) -> None:
    client = login(world.koordinator)
    page = reverse("mcp:period_list") + "?tahun=2025"
    for number in (1, 3):
        _create(world, number)
    form = client.get(page).context["form"]
    assert [n for n, _label in form.fields["number"].choices] == [2, 4]
    fields = {
        "opens_at": "2025-04-02T08:00",
        "upload_deadline": "2025-07-15T23:59",
        "verification_deadline": "2025-08-15T23:59",
    }
    again = client.post(page, {"number": "3", **fields})  # a stale form, or a forged number
    assert "3 bukan salah satu dari pilihan yang tersedia" in again.content.decode()
    assert Period.objects.filter(year=2025).count() == 2
    for number in (2, 4):
        _create(world, number)
    text = client.get(page).content.decode()
    assert "Keempat termin tahun 2025 sudah dibuat." in text and 'name="number"' not in text


def test_dates_out_of_order_are_refused_with_a_message(world, catalogue_2025, login) -> None:
    client = login(world.koordinator)
    response = client.post(
        reverse("mcp:period_list") + "?tahun=2025",
        {
            "number": "1",
            "opens_at": "2025-05-02T08:00",
            "upload_deadline": "2025-04-15T23:59",
            "verification_deadline": "2025-05-15T23:59",
        },
    )
    assert "Urutan tanggal harus" in response.content.decode()
    assert not Period.objects.exists()


def test_a_termin_needs_the_year_catalogue(world) -> None:
    with pytest.raises(DomainError, match="Belum ada katalog MCP tahun 2025"):
        _create(world)
    assert not Period.objects.exists()


def test_opening_freezes_the_catalogue_and_only_one_termin_is_open(world, catalogue_2025) -> None:
    first, second = _create(world, 1), _create(world, 2)
    period_open(actor=world.koordinator, period_id=first.pk)
    catalogue_2025.refresh_from_db()
    assert catalogue_2025.opened_at is not None
    with pytest.raises(DomainError, match="Masih ada termin lain yang dibuka"):
        period_open(actor=world.koordinator, period_id=second.pk)
    period_close(actor=world.koordinator, period_id=first.pk)
    period_open(actor=world.koordinator, period_id=second.pk)
    assert list(Period.objects.values_list("number", "state")) == [(1, "closed"), (2, "open")]
    with pytest.raises(DomainError, match="tidak dalam status direncanakan"):
        period_open(actor=world.koordinator, period_id=first.pk)


def test_an_extension_for_one_pemda_needs_a_reason_and_a_later_deadline(
    world, catalogue_2025
) -> None:
    period = _create(world)
    later = datetime(2025, 4, 22, 23, 59, tzinfo=WIB)
    with pytest.raises(DomainError, match="Alasan perpanjangan wajib diisi"):
        period_extend(
            actor=world.koordinator,
            period_id=period.pk,
            pemda=world.binjai,
            upload_deadline=later,
            reason="  ",
        )
    with pytest.raises(DomainError, match="setelah batas unggah termin"):
        period_extend(
            actor=world.koordinator,
            period_id=period.pk,
            pemda=world.binjai,
            upload_deadline=datetime(2025, 4, 1, tzinfo=WIB),
            reason="Banjir",
        )
    assert not PeriodExtension.objects.exists()
    period_extend(
        actor=world.koordinator,
        period_id=period.pk,
        pemda=world.binjai,
        upload_deadline=later,
        reason="Server Pemda terdampak banjir",
    )
    entry = AuditEntry.objects.get(action="mcp.period.extend")
    assert (
        entry.data["pemda"] == "12.75" and entry.data["reason"] == "Server Pemda terdampak banjir"
    )


def test_the_extension_form_on_the_page_grants_and_shows_it(world, catalogue_2025, login) -> None:
    period = _create(world)
    client = login(world.koordinator)
    response = client.post(
        reverse("mcp:period_extend", kwargs={"pk": period.pk}),
        {"pemda": "12.75", "upload_deadline": "2025-04-20T23:59", "reason": "Gangguan listrik"},
        follow=True,
    )
    page = response.content.decode()
    assert "Perpanjangan untuk Kota Binjai disimpan." in page
    assert "20 April 2025, 23.59 WIB" in page and "Gangguan listrik" in page


@pytest.mark.parametrize(
    "who", ["admin_binjai", "operator_binjai", "verifier_sumut", "inspektorat_binjai"]
)
def test_only_the_coordinator_manages_termin(world, catalogue_2025, client, login, who) -> None:
    period = _create(world)
    client = login(getattr(world, who))
    assert client.get(reverse("mcp:period_list")).status_code == 404
    for name in ("mcp:period_open", "mcp:period_close", "mcp:period_extend"):
        assert client.post(reverse(name, kwargs={"pk": period.pk}), {}).status_code == 404
    period.refresh_from_db()
    assert period.state == "planned"
    assert not PeriodExtension.objects.exists()


def test_deadlines_are_shown_in_each_pemda_local_time(regions) -> None:
    render = Template("{% load pemda_time %}{{ when|pemda_time:pemda }}")
    when = datetime(2025, 4, 15, 23, 59, tzinfo=WIB)
    shown = {
        code: render.render(Context({"when": when, "pemda": Pemda.objects.get(code=code)}))
        for code in ("12.75", "73.71", "91.71")  # Binjai, Makassar, Jayapura
    }
    assert shown == {
        "12.75": "15 April 2025, 23.59 WIB",
        "73.71": "16 April 2025, 00.59 WITA",
        "91.71": "16 April 2025, 01.59 WIT",
    }
