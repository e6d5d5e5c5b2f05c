"""The home page tells each person where the open termin stands for them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cegah.mcp.models import Answer, Period, PeriodExtension
from cegah.mcp.services import reporting as reporting_services
from cegah.regions.templatetags.pemda_time import pemda_time

from .test_reporting import _answer

pytestmark = pytest.mark.django_db
HOME = reverse("home:home")


def _home(login, user) -> str:
    return " ".join(login(user).get(HOME).content.decode().split())


def _items(reporting, prefix: str) -> int:
    return sum(code.startswith(prefix) for code in reporting.subs)


def test_the_operator_sees_the_deadline_and_their_own_items(world, reporting, login) -> None:
    PeriodExtension.objects.create(
        period=reporting.period,
        pemda=world.binjai,
        upload_deadline=reporting.period.upload_deadline + timedelta(days=7),
        reason="Banjir",
        granted_by=world.koordinator,
    )
    operator = login(world.operator_binjai)
    _answer(operator, reporting, "PRC.1.2", "1")  # complete: a choice that asks no document
    page = _home(login, world.operator_binjai)
    extended = pemda_time(reporting.period.upload_deadline + timedelta(days=7), world.binjai)
    # The home, the work page and the review page say it alike, the time left marked.
    said = f'{reporting.period} · batas unggah {extended} · <strong class="">sisa 36 hari'
    work = login(world.operator_binjai).get(reverse("mcp:work")).content.decode()
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    for text in (page, work, login(world.admin_binjai).get(review).content.decode()):
        assert said in " ".join(text.split())
    # BPKAD's items only (PRC.1), not PUPR's (BMD.1).
    assert f"1 dari {_items(reporting, 'PRC.1.')} item lengkap" in page
    assert "dikembalikan" not in page


def test_returned_items_stand_out_for_the_operator(world, reporting, login) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    reporting_services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    answer = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"], pemda=world.binjai)
    reporting_services.answer_return(
        verifier=world.verifier_sumut, answer_id=answer.pk, reason="Tanpa tanda tangan."
    )
    page = _home(login, world.operator_binjai)
    assert '<p class="late"><small>1 dikembalikan verifikator</small></p>' in page
    # A returned item keeps its answer, but the verifier asked for a change: not complete.
    assert f"0 dari {_items(reporting, 'PRC.1.')} item lengkap" in page


def test_the_admin_sees_the_whole_pemda_and_a_passed_deadline(world, reporting, login) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    all_items = _items(reporting, "PRC.1.") + _items(reporting, "BMD.1.")
    page = _home(login, world.admin_binjai)
    assert f"1 dari {all_items} item lengkap" in page
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() - timedelta(minutes=1)
    )
    page = _home(login, world.admin_binjai)
    assert '<strong class="late">batas sudah lewat, item terkunci</strong>' in page
    assert "sisa" not in page


def test_without_an_open_termin_the_home_says_so(world, reporting, login) -> None:
    Period.objects.update(state=Period.State.CLOSED)
    page = _home(login, world.operator_binjai)
    assert "Belum ada termin yang dibuka." in page and "item lengkap" not in page


def test_the_verifier_sees_what_waits_in_their_own_queue_only(world, reporting, login) -> None:
    assert "Tidak ada item yang menunggu." in _home(login, world.verifier_sumut)
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    reporting_services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    sent = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"]).submitted_at
    page = _home(login, world.verifier_sumut)
    assert f"1 item menunggu keputusan Anda; yang terlama dikirim {pemda_time(sent)}." in page
    # Binjai's item is not in Central Java's queue.
    assert "Tidak ada item yang menunggu." in _home(login, world.verifier_jateng)


def test_the_home_in_english(world, reporting, login) -> None:
    client = login(world.verifier_sumut)
    client.cookies["django_language"] = "en"
    assert "No items are waiting." in client.get(HOME).content.decode()
    operator = login(world.operator_binjai)
    operator.cookies["django_language"] = "en"
    page = operator.get(HOME).content.decode()
    assert f"0 of {_items(reporting, 'PRC.1.')} items complete" in page


def test_the_operator_home_reads_a_fixed_number_of_queries(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    _answer(client, reporting, "PRC.1.2", "1")
    with CaptureQueriesContext(connection) as more:
        client.get(HOME)
    assert len(more) == len(few)
