"""Numbers in MCP answers and verified values are read the reader's way and shown back so."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cegah.mcp.models import Answer

pytestmark = pytest.mark.django_db


def _post(client, reporting, value: str, version: int = 0):
    sub = reporting.subs["BMD.1.1"]  # a number with a target of 10.000
    url = reverse("mcp:work_answer", kwargs={"code": "12.75", "sub_id": sub.pk})
    return client.post(url, {"value": value, "version": version}, headers={"HX-Request": "true"})


def _stored(reporting) -> Answer:
    return Answer.objects.get(sub_indicator=reporting.subs["BMD.1.1"])


def test_527_500_is_five_hundred_thousand_and_is_shown_back_so(world, reporting, login) -> None:
    client = login(world.operator_pupr_binjai)
    saved = _post(client, reporting, "527.500").content.decode()
    assert _stored(reporting).value == Decimal(527500)
    assert "Jawaban disimpan: 527.500." in saved
    assert 'value="527.500"' in saved  # the input shows it back in the same notation


def test_twelve_and_a_half_in_indonesian_and_a_refusal_of_the_english_way(
    world, reporting, login
) -> None:
    client = login(world.operator_pupr_binjai)
    assert "Jawaban disimpan: 12,5." in _post(client, reporting, "12,5").content.decode()
    assert _stored(reporting).value == Decimal("12.5")
    refused = _post(client, reporting, "12.5", version=1).content.decode()
    assert "koma menandai desimal" in refused and 'value="12.5"' in refused
    assert _stored(reporting).value == Decimal("12.5")  # nothing changed


def test_an_english_reader_types_the_english_way(world, reporting, login) -> None:
    client = login(world.operator_pupr_binjai)
    client.cookies["django_language"] = "en"
    saved = _post(client, reporting, "527,500").content.decode()
    assert _stored(reporting).value == Decimal(527500)
    assert "527,500" in saved


def test_the_verifier_types_a_verified_value_the_same_way(world, reporting, login, client) -> None:
    operator = login(world.operator_pupr_binjai)
    _post(operator, reporting, "527.500")
    answer = _stored(reporting)
    Answer.objects.filter(pk=answer.pk).update(state=Answer.State.SUBMITTED)
    verifier = login(world.verifier_sumut)
    url = reverse("mcp:verify_item", kwargs={"pk": answer.pk})
    refused = verifier.post(
        url, {"decision_form": "1", "decision": "approve", "verified_value": "1.50.000"}
    )
    assert refused.status_code == 200 and "1.500.000 atau 12,5" in refused.content.decode()
    assert 'value="1.50.000"' in refused.content.decode()
    verifier.post(url, {"decision_form": "1", "decision": "approve", "verified_value": "500.000"})
    answer.refresh_from_db()
    assert answer.verified_value == Decimal(500000) and answer.state == Answer.State.APPROVED
    assert "500.000" in verifier.get(url).content.decode()


def test_answers_stored_before_the_shared_input_are_listed_for_checking(world, reporting) -> None:
    from io import StringIO

    from django.core.management import call_command

    sub = reporting.subs["BMD.1.1"]  # counts whole m², target 10.000
    for pemda, value in ((world.binjai, Decimal("527.5")), (world.kota_pekalongan, 527500)):
        Answer.objects.create(
            pemda=pemda, period=reporting.period, sub_indicator=sub, value=value, version=1
        )
    out = StringIO()
    call_command("mcp_numbers_misread", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[-1] == "1 answer(s) to check."
    assert lines[0].startswith("12.75\t") and "\tvalue\t527,5\tlikely 527.500\t" in lines[0]
