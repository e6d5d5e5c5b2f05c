"""Acts that cannot simply be undone ask first: the first post shows the confirm page with what
the act touches, in numbers, and changes nothing; the confirmed post does the act. Whoever may
not do the act gets 404 for both posts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cegah.audit.models import AuditEntry
from cegah.mcp.models import Answer, AnswerStateChange

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
