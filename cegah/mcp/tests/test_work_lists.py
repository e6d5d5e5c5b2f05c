"""Lists that match the work: the operator's list filtered by state, area, OPD and deadline
with counts; "Lengkap" counting only what is really done; the verifier's queue with each item's
value and evidence count in a fixed number of queries; the item page with the criteria it is
judged by, going on to the next item after a decision; "Terakhir diubah" naming who changed it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import Role, RoleAssignment
from cegah.mcp.models import Answer, AnswerStateChange, IndicatorAssignment, Period
from cegah.mcp.services import reporting as services

from .conftest import make_period
from .test_reporting import _answer, _upload

pytestmark = pytest.mark.django_db
WORK = reverse("mcp:work")
QUEUE = reverse("mcp:verify_queue")


def _codes(response) -> list[str]:
    return [row.sub.code for row in response.context["rows"]]


def _options(page: str, name: str) -> list[str]:
    """The options of one of the page's selects, as a person reads them."""
    select = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S)
    assert select, name
    return [re.sub(r"\s+", " ", o).strip() for o in re.findall(r">([^<]+)</option>", select[1])]


def _item(reporting, code: str, pemda: str = "12.75") -> Answer:
    return Answer.objects.get(sub_indicator=reporting.subs[code], pemda__code=pemda)


@pytest.fixture
def bpkad_with_three(world, reporting):
    """BPKAD reports BMD.1 too: PRC.1.1 (asks for minutes), PRC.1.2 (a choice), BMD.1.1 (a
    number), in two areas."""
    IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=reporting.catalogue.indicators.get(code="BMD.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    return reporting


# --- The operator's work list: filters with counts ---------------------------------------------


def test_the_work_list_filters_by_each_state_and_counts_them(
    world, bpkad_with_three, login
) -> None:
    reporting = bpkad_with_three
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.2", "1")  # complete, not sent
    _answer(client, reporting, "BMD.1.1", "5000")
    Answer.objects.filter(sub_indicator=reporting.subs["BMD.1.1"]).update(state="returned")
    # PRC.1.1 is not filled in.
    page = client.get(WORK)
    assert _options(page.content.decode(), "status") == [
        "Semua",
        "Belum diisi (1)",
        "Dikembalikan (1)",
        "Lengkap, belum dikirim (1)",
        "Menunggu verifikasi (0)",
        "Disetujui (0)",
    ]
    for state, expected in (
        ("belum-diisi", ["PRC.1.1"]),
        ("dikembalikan", ["BMD.1.1"]),
        ("siap-dikirim", ["PRC.1.2"]),
        ("menunggu-verifikasi", []),
        ("disetujui", []),
        ("", ["PRC.1.1", "PRC.1.2", "BMD.1.1"]),
    ):
        assert _codes(client.get(WORK, {"status": state})) == expected, state
    filtered = client.get(WORK, {"status": "dikembalikan"}).content.decode()
    assert '<option value="dikembalikan" selected>Dikembalikan (1)</option>' in filtered
    assert "1 dari 3 item sesuai saringan." in " ".join(filtered.split())
    assert "Tidak ada item yang sesuai dengan saringan ini." in (
        client.get(WORK, {"status": "disetujui"}).content.decode()
    )

    # Later: PRC.1.2 approved, PRC.1.1 sent and waiting.
    Answer.objects.filter(sub_indicator=reporting.subs["PRC.1.2"]).update(
        state="approved", verified_value=1
    )
    Answer.objects.create(
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator=reporting.subs["PRC.1.1"],
        value=1,
        state="submitted",
        submitted_at=timezone.now(),
    )
    page = client.get(WORK).content.decode()
    assert _options(page, "status")[1:] == [
        "Belum diisi (0)",
        "Dikembalikan (1)",
        "Lengkap, belum dikirim (0)",
        "Menunggu verifikasi (1)",
        "Disetujui (1)",
    ]
    assert _codes(client.get(WORK, {"status": "menunggu-verifikasi"})) == ["PRC.1.1"]
    assert _codes(client.get(WORK, {"status": "disetujui"})) == ["PRC.1.2"]


def test_the_work_list_filters_by_area_counting_within_the_chosen_state(
    world, bpkad_with_three, login
) -> None:
    reporting = bpkad_with_three
    client = login(world.operator_binjai)
    _answer(client, reporting, "BMD.1.1", "5000")
    Answer.objects.filter(sub_indicator=reporting.subs["BMD.1.1"]).update(state="returned")
    page = client.get(WORK).content.decode()
    assert _options(page, "area") == ["Semua", "PRC · Perencanaan (2)", "BMD · Pengelolaan BMD (1)"]
    assert _codes(client.get(WORK, {"area": "BMD"})) == ["BMD.1.1"]
    assert _codes(client.get(WORK, {"area": "PRC"})) == ["PRC.1.1", "PRC.1.2"]
    # With a state chosen, each area counts that state's items, and each state the area's.
    both = client.get(WORK, {"status": "belum-diisi", "area": "PRC"}).content.decode()
    assert _options(both, "area")[1:] == ["PRC · Perencanaan (2)", "BMD · Pengelolaan BMD (0)"]
    assert _options(both, "status")[1:3] == ["Belum diisi (2)", "Dikembalikan (0)"]
    # An area the list does not have shows nothing; a malformed filter is ignored.
    assert _codes(client.get(WORK, {"area": "ZZZ"})) == []
    assert len(_codes(client.get(WORK, {"status": "bukan-status", "area": "BMD"}))) == 1


def test_the_work_list_filters_by_opd_among_the_operators_own(world, reporting, login) -> None:
    """Rina works for BPKAD (PRC.1: two items) and PUPR (BMD.1: one)."""
    RoleAssignment.objects.create(
        user=world.operator_binjai, role=Role.OPERATOR, pemda=world.binjai, opd=world.pupr_binjai
    )
    client = login(world.operator_binjai)
    page = client.get(WORK).content.decode()
    assert _options(page, "opd") == ["BPKAD (2 item)", "PUPR (1 item)"]
    assert _codes(client.get(WORK, {"opd": world.pupr_binjai.pk})) == ["BMD.1.1"]
    assert _codes(client.get(WORK, {"opd": world.bpkad_binjai.pk})) == ["PRC.1.1", "PRC.1.2"]
    chosen = client.get(WORK, {"opd": world.pupr_binjai.pk, "status": "belum-diisi"})
    assert _codes(chosen) == ["BMD.1.1"]
    assert f'<option value="{world.pupr_binjai.pk}" selected>' in chosen.content.decode()
    # Another Pemda's OPD is not a choice: the operator's first OPD is shown.
    assert _codes(client.get(WORK, {"opd": world.bpbj_pekalongan.pk})) == ["PRC.1.1", "PRC.1.2"]
    # One OPD: no OPD to choose.
    assert '<select name="opd">' not in login(world.operator_pupr_binjai).get(WORK).content.decode()


def test_the_work_list_filters_by_deadline(world, bpkad_with_three, login) -> None:
    """Only what the Pemda still has to do has a deadline: sent and approved items do not."""
    reporting = bpkad_with_three
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.2", "1")
    Answer.objects.filter(sub_indicator=reporting.subs["PRC.1.2"]).update(
        state="submitted", submitted_at=timezone.now()
    )
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() + timedelta(days=2)
    )
    page = client.get(WORK).content.decode()
    assert _options(page, "tenggat") == [
        "Semua",
        "Batas sudah lewat (0)",
        "Batas dalam 3 hari (2)",
        "Batas dalam 7 hari (2)",
        "Batas dalam 30 hari (2)",
    ]
    assert _codes(client.get(WORK, {"tenggat": "3"})) == ["PRC.1.1", "BMD.1.1"]
    assert _codes(client.get(WORK, {"tenggat": "lewat"})) == []
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() - timedelta(hours=1)
    )
    page = client.get(WORK).content.decode()
    assert _options(page, "tenggat")[1:3] == ["Batas sudah lewat (2)", "Batas dalam 3 hari (0)"]
    assert _codes(client.get(WORK, {"tenggat": "lewat"})) == ["PRC.1.1", "BMD.1.1"]
    # With a state: the deadline counts that state's items.
    late = client.get(WORK, {"tenggat": "lewat", "status": "menunggu-verifikasi"})
    assert _codes(late) == []


def test_the_filters_are_kept_by_the_links_that_open_and_close_every_form(
    world, reporting, login
) -> None:
    client = login(world.operator_binjai)
    page = client.get(WORK, {"status": "belum-diisi", "area": "PRC"}).content.decode()
    assert 'href="?status=belum-diisi&amp;area=PRC&amp;buka=semua"' in page
    opened = client.get(WORK, {"status": "belum-diisi", "area": "PRC", "buka": "semua"})
    assert opened.content.decode().count("Simpan jawaban") == 2
    assert 'href="?status=belum-diisi&amp;area=PRC">Ringkas semua item' in opened.content.decode()


# --- "Lengkap": what is really done ------------------------------------------------------------


def test_a_returned_item_is_not_counted_complete(world, reporting, login) -> None:
    def work_page() -> str:
        return str(login(world.operator_binjai).get(WORK).content.decode())

    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    _upload(client, reporting)
    _answer(client, reporting, "PRC.1.2", "1")
    services.answers_submit(user=world.admin_binjai, pemda=world.binjai, period=reporting.period)
    assert "2 dari 2 item lengkap" in work_page()
    services.answer_return(
        verifier=world.verifier_sumut,
        answer_id=_item(reporting, "PRC.1.2").pk,
        reason="Tanpa tanda tangan.",
    )
    # The returned item keeps its answer, but the verifier asked for a change: not done.
    assert "1 dari 2 item lengkap" in work_page()
    review = login(world.admin_binjai).get(reverse("mcp:report_review", kwargs={"code": "12.75"}))
    by_area = {p.label: (p.complete, p.missing, p.returned) for p in review.context["by_area"]}
    assert by_area["PRC · Perencanaan"] == (1, 1, 1)
    home = login(world.admin_binjai).get(reverse("home:home")).content.decode()
    assert "1 dari 3 item lengkap" in home
    # Sent again, it counts again.
    answer = _item(reporting, "PRC.1.2")
    services.answer_resubmit(
        user=world.operator_binjai, answer_id=answer.pk, expected_version=answer.version
    )
    assert "2 dari 2 item lengkap" in work_page()


# --- The verifier's queue: the value and the evidence, in a fixed number of queries -------------


def _waiting(world, reporting, periods: int) -> None:
    """Binjai's three items submitted in each of `periods` termin, the first with evidence."""
    chosen = [reporting.period]
    for number in range(2, periods + 1):
        chosen.append(make_period(number=number, state=Period.State.CLOSED))
    for period in chosen:
        for code, value in (("PRC.1.1", 1), ("PRC.1.2", 1), ("BMD.1.1", 5000)):
            Answer.objects.create(
                pemda=world.binjai,
                period=period,
                sub_indicator=reporting.subs[code],
                value=value,
                state=Answer.State.SUBMITTED,
                submitted_at=timezone.now() - timedelta(days=1),
            )


def test_the_queue_shows_each_items_value_and_evidence_count(world, reporting, login) -> None:
    operator = login(world.operator_binjai)
    _answer(operator, reporting, "PRC.1.1", "1")
    _upload(operator, reporting)
    _answer(operator, reporting, "PRC.1.2", "1")  # "Sebagian"
    _answer(login(world.operator_pupr_binjai), reporting, "BMD.1.1", "7.500")
    services.answers_submit(user=world.admin_binjai, pemda=world.binjai, period=reporting.period)
    page = login(world.verifier_sumut).get(QUEUE).content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = {
        re.search(r"<strong>([A-Z]+\.\d\.\d)</strong>", row)[1]: row  # type: ignore[index]
        for row in body.split("<tr>")[1:]
    }
    assert "<td>Ya</td>\n        <td>1</td>" in rows["PRC.1.1"]
    assert "<td>Sebagian</td>\n        <td>0</td>" in rows["PRC.1.2"]
    assert "<td>7.500</td>\n        <td>0</td>" in rows["BMD.1.1"]
    assert '<th scope="col">Nilai Pemda</th>' in page


@pytest.mark.parametrize("periods", [1, 2])
def test_the_queue_reads_the_same_queries_for_n_and_2n_rows(
    world, reporting, login, django_assert_num_queries, periods
) -> None:
    _waiting(world, reporting, periods)
    client = login(world.verifier_sumut)
    client.get(QUEUE)  # what a first request after signing in may write is written
    cache.clear()  # every row rendered, not served from the cache
    # Session, user, second factor, the verifier's Pemda, the areas their assignments are
    # limited to, their roles (for the menu), the count, the page's rows (each with its value
    # and evidence count), the rows' sub-indicators, the areas to filter by and the unread badge.
    with django_assert_num_queries(11):
        page = client.get(QUEUE)
    assert len(page.context["rows"]) == 3 * periods
    assert page.content.decode().count("<td>5.000</td>") == periods


# --- The item page: what it is judged by -------------------------------------------------------


def test_the_item_page_shows_the_criteria_and_the_evidence_asked_for(
    world, bpkad_with_three, login
) -> None:
    reporting = bpkad_with_three
    _waiting(world, reporting, 1)
    verifier = login(world.verifier_sumut)

    def basis(code: str, client=verifier) -> str:
        page = client.get(reverse("mcp:verify_item", kwargs={"pk": _item(reporting, code).pk}))
        text = " ".join(page.content.decode().split())
        start = text.index('<h2 class="h5" id="basis">')
        return text[start : text.index("</article>", start)]

    choice = basis("PRC.1.2")
    for shown in (
        "<dd>Pilihan</dd>",
        "<li>Sesuai: 100% dari bobot</li>",
        "<li>Sebagian: 50% dari bobot</li>",
        "<li>Tidak: 0% dari bobot</li>",
        "50 dari 100 dalam indikator",
        "Tidak ada dokumen yang diminta.",
    ):
        assert shown in choice, shown
    assert "<li>Notulen (pdf)</li>" in basis("PRC.1.1")
    assert "<dd>Ya/Tidak</dd>" in basis("PRC.1.1")
    number = basis("BMD.1.1")
    assert "<p>Hitung dari KIB A.</p>" in number  # the catalogue's guidance
    assert "Nilai dibagi target 10.000, paling banyak seluruh bobot." in number
    # The Pemda reads the same basis on the item's page; in English, in English.
    admin = login(world.admin_binjai)
    admin.cookies["django_language"] = "en"
    english = basis("BMD.1.1", admin)
    assert "Basis of assessment" in english
    assert "Count from the land register." in english and "target of 10,000" in english


# --- After a decision, the next item of the same queue ----------------------------------------


@pytest.fixture
def three_waiting(world, reporting) -> dict[str, Answer]:
    """Binjai's three items waiting, sent one after another: PRC.1.2, then BMD.1.1, PRC.1.1."""
    now = timezone.now()
    found = {}
    for age, code in ((3, "PRC.1.2"), (2, "BMD.1.1"), (1, "PRC.1.1")):
        found[code] = Answer.objects.create(
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator=reporting.subs[code],
            value=1,
            state=Answer.State.SUBMITTED,
            submitted_at=now - timedelta(hours=age),
        )
    return found


def _item_url(answer: Answer, query: str = "") -> str:
    url = reverse("mcp:verify_item", kwargs={"pk": answer.pk})
    return f"{url}?{query}" if query else url


def test_after_a_decision_the_next_item_of_the_queue_opens(world, three_waiting, login) -> None:
    items = three_waiting
    verifier = login(world.verifier_sumut)
    approve = {"decision_form": "1", "decision": "approve"}
    # The middle one first: then the one after it in the queue's order (oldest first).
    done = verifier.post(_item_url(items["BMD.1.1"]), approve)
    assert done.url == _item_url(items["PRC.1.1"])
    # The last one: the queue goes round to the one left before it.
    done = verifier.post(_item_url(items["PRC.1.1"]), approve)
    assert done.url == _item_url(items["PRC.1.2"])
    # The last waiting item: back to the queue, which says nothing is left.
    done = verifier.post(
        _item_url(items["PRC.1.2"]), {**approve, "decision": "return", "reason": "Cek."}
    )
    assert done.url == QUEUE
    said = verifier.get(done.url).content.decode()
    assert "Item dikembalikan ke Pemda." in said
    assert "Tidak ada lagi item yang menunggu di antrean ini." in said


def test_the_next_item_follows_the_queues_filters_and_order(world, three_waiting, login) -> None:
    items = three_waiting
    verifier = login(world.verifier_sumut)
    # The queue links its items with its filters.
    queue = verifier.get(QUEUE, {"area": "PRC", "urut": "baru", "halaman": "1"}).content.decode()
    assert f'href="{_item_url(items["PRC.1.1"])}?area=PRC&amp;urut=baru"' in queue
    query = "area=PRC&urut=baru"
    page = verifier.get(_item_url(items["PRC.1.1"], query)).content.decode()
    assert f'<a href="{QUEUE}?area=PRC&amp;urut=baru">← Antrean verifikasi</a>' in page
    # Newest first, PRC only: after PRC.1.1 comes PRC.1.2, not BMD.1.1.
    done = verifier.post(
        _item_url(items["PRC.1.1"], query), {"decision_form": "1", "decision": "approve"}
    )
    assert done.url == _item_url(items["PRC.1.2"], query)
    # One decided by someone else in the meantime is passed over.
    services.answer_approve(verifier=world.verifier_sumut, answer_id=items["PRC.1.2"].pk)
    done = verifier.post(
        _item_url(items["BMD.1.1"], "urut=lama"), {"decision_form": "1", "decision": "approve"}
    )
    assert done.url == f"{QUEUE}?urut=lama"


def test_a_refused_decision_stays_on_the_item(world, three_waiting, login) -> None:
    items = three_waiting
    verifier = login(world.verifier_sumut)
    url = _item_url(items["PRC.1.2"], "area=PRC")
    refused = verifier.post(url, {"decision_form": "1", "decision": "return", "reason": " "})
    assert refused.url == url  # the same item, the queue's filters kept
    assert "Tulis alasan pengembalian" in verifier.get(url).content.decode()
    assert Answer.objects.get(pk=items["PRC.1.2"].pk).state == "submitted"


# --- "Terakhir diubah" -------------------------------------------------------------------------


def test_terakhir_diubah_names_whoever_made_the_last_change(world, reporting, login) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    item = _item_url(_item(reporting, "PRC.1.2"))

    def last_change() -> str:
        page = " ".join(login(world.verifier_sumut).get(item).content.decode().split())
        return page.split("<dt>Terakhir diubah</dt><dd>")[1].split("</dd>")[0]

    assert last_change().startswith("Rina Siregar, ")
    services.answers_submit(user=world.admin_binjai, pemda=world.binjai, period=reporting.period)
    assert last_change().startswith("Budi Nasution, ")
    login(world.verifier_sumut).post(item, {"start_review": "1"})
    answer = _item(reporting, "PRC.1.2")
    assert answer.updated_by == world.verifier_sumut
    started = AnswerStateChange.objects.filter(answer=answer, target="in_review").get()
    assert started.actor == world.verifier_sumut
    assert last_change().startswith("Hendra Ginting, ")
