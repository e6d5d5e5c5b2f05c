"""Every role lands on its work: after sign-in the home shows the work itself, a section per
role, the most urgent first; nobody sees another role's work, another Pemda's, or anything of a
WBS report they do not handle."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.mcp.models import Answer, Period
from cegah.mcp.services import reporting as reporting_services
from cegah.mcp.tests.test_reporting import _answer, _upload
from cegah.regions.models import Pemda
from cegah.testing.factories import OpdFactory, make_user
from cegah.wbs.models import Report
from cegah.wbs.services import ReporterIdentity

pytestmark = pytest.mark.django_db
HOME = reverse("home:home")


def _home(client: Client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _main(page: str) -> str:
    return page[page.index('<main id="main"') : page.index("</main>")]


def _section_titles(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'<h2 id="section-\d+">(.*?)</h2>', page)
    ]


def _binjai_in_every_state(world, reporting) -> None:
    """PRC.1.1 sent and waiting, PRC.1.2 returned with a reason; BMD.1.1 (PUPR's) untouched."""
    operator = Client()
    from cegah.testing.clients import sign_in

    sign_in(operator, world.operator_binjai)
    _answer(operator, reporting, "PRC.1.1", "1")
    _upload(operator, reporting)
    _answer(operator, reporting, "PRC.1.2", "1")
    reporting_services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    returned = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"], pemda=world.binjai)
    reporting_services.answer_return(
        verifier=world.verifier_sumut, answer_id=returned.pk, reason="RKPD belum ditetapkan."
    )


# --- The operator -----------------------------------------------------------------------------


def test_the_operator_lands_on_their_items_due_in_their_pemdas_time_zone(
    world, reporting, login
) -> None:
    """An operator in Kota Jayapura (WIT) sees what is still to do and when it is due there:
    16.59 UTC is 01.59 the next day in Papua."""
    jayapura = Pemda.objects.get(code="91.71")
    opd = OpdFactory.create(pemda=jayapura, name="Bappeda Kota Jayapura", short_name="Bappeda")
    operator = make_user("operator@jayapura.test", "Yohana Wenda")
    RoleAssignment.objects.create(user=operator, role=Role.OPERATOR, pemda=jayapura, opd=opd)
    from cegah.mcp.models import IndicatorAssignment

    IndicatorAssignment.objects.create(
        pemda=jayapura,
        indicator=reporting.catalogue.indicators.get(code="PRC.1"),
        opd=opd,
        assigned_by=world.admin_binjai,
    )
    deadline = datetime(2099, 3, 30, 16, 59, tzinfo=UTC)
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=deadline, verification_deadline=deadline + timedelta(days=14)
    )
    page = _main(_home(login(operator)))
    assert "Laporan MCP Bappeda Kota Jayapura" in page
    assert "Perlu dikerjakan sebelum 31 Maret 2099, 01.59 WIT" in page
    assert "batas unggah 31 Maret 2099, 01.59 WIT" in page
    assert "0 dari 2 item lengkap" in page
    for code in ("PRC.1.1", "PRC.1.2"):
        sub = reporting.subs[code]
        assert f'href="/mcp/lapor/?opd={opd.pk}&amp;buka={sub.pk}#sub-{sub.pk}"' in page
    assert page.count("Belum diisi") == 2


def test_the_operator_sees_returned_items_first_and_only_their_own_opds(
    world, reporting, login
) -> None:
    _binjai_in_every_state(world, reporting)
    page = _main(_home(login(world.operator_binjai)))
    lines = page[page.index('<ul class="work-lines">') :]
    # PRC.1.2 was returned: it leads, with the verifier's reason; PRC.1.1 waits for the verifier
    # and is not the operator's to do.
    assert "PRC.1.2" in lines and "RKPD belum ditetapkan." in lines and "PRC.1.1" not in lines
    assert "Dikembalikan" in lines
    assert '<p class="late"><small>1 dikembalikan verifikator</small></p>' in page
    # Returned is not complete: only PRC.1.1 (sent) counts.
    assert "1 dari 2 item lengkap" in page
    assert "work-section urgent" in page
    # Not PUPR's BMD.1.1, not another role's work, not another Pemda's.
    for unseen in ("BMD.1.1", "Antrean verifikasi", "Laporan WBS", "Kelola OPD", "Pekalongan"):
        assert unseen not in page


def test_an_operator_of_another_pemda_sees_none_of_binjais_work(world, reporting, login) -> None:
    _binjai_in_every_state(world, reporting)
    page = _main(_home(login(world.operator_pekalongan)))
    assert "Laporan MCP Bagian Pengadaan Barang dan Jasa" in page
    assert "0 dari 2 item lengkap" in page
    for unseen in ("RKPD belum ditetapkan.", "Binjai", "dikembalikan"):
        assert unseen not in page


# --- The Admin Pemda ---------------------------------------------------------------------------


def test_the_admin_lands_on_the_report_per_area_and_the_returned_items(
    world, reporting, login
) -> None:
    _binjai_in_every_state(world, reporting)
    page = _main(_home(login(world.admin_binjai)))
    assert "Laporan MCP Kota Binjai" in page
    # Per area: complete/total, returned, waiting, approved.
    assert (
        '<th scope="row">PRC · Perencanaan</th><td>1/2</td><td><strong class="late">1</strong>'
        "</td><td>1</td><td>0</td>"
    ) in page
    assert '<th scope="row">BMD · Pengelolaan BMD</th><td>0/1</td><td>0</td><td>0</td>' in page
    # The returned item, its reason, and its own page.
    returned = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.2"], pemda=world.binjai)
    assert f'<a href="/mcp/verifikasi/{returned.pk}/"><strong>PRC.1.2</strong></a>' in page
    assert "RKPD belum ditetapkan." in page
    assert "1 dari 3 item lengkap" in page
    # The Pemda's settings come after the report.
    assert _section_titles(page) == ["Laporan MCP Kota Binjai", "Pengelolaan Kota Binjai"]
    assert (
        login(world.admin_binjai)
        .get(reverse("mcp:verify_item", kwargs={"pk": returned.pk}))
        .status_code
        == 200
    )
    for unseen in ("Antrean verifikasi", "Laporan WBS", "Pekalongan"):
        assert unseen not in page


def test_an_admin_of_another_pemda_sees_only_their_own_report(world, reporting, login) -> None:
    _binjai_in_every_state(world, reporting)
    page = _main(_home(login(world.admin_pekalongan)))
    assert "Laporan MCP Kota Pekalongan" in page and "0 dari 3 item lengkap" in page
    for unseen in ("Binjai", "RKPD belum ditetapkan.", "Dikembalikan verifikator"):
        assert unseen not in page


def test_the_admin_is_told_what_is_ready_to_send(world, reporting, login) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")  # asks for no document
    page = _main(_home(login(world.admin_binjai)))
    assert "1 item lengkap siap dikirim ke verifikator" in page


# --- The verifier ------------------------------------------------------------------------------


def test_the_verifier_lands_on_the_oldest_items_with_value_and_evidence(
    world, reporting, login
) -> None:
    _binjai_in_every_state(world, reporting)
    waiting = Answer.objects.get(sub_indicator=reporting.subs["PRC.1.1"], pemda=world.binjai)
    Answer.objects.filter(pk=waiting.pk).update(
        submitted_at=datetime(2025, 4, 15, 16, 59, tzinfo=UTC)
    )
    page = _main(_home(login(world.verifier_sumut)))
    assert "Anda ditugaskan memverifikasi 2 Pemda." in page
    assert "1 item menunggu keputusan Anda; yang terlama dikirim 15 April 2025, 23.59 WIB." in page
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert f'<a href="/mcp/verifikasi/{waiting.pk}/"><strong>PRC.1.1</strong></a>' in row
    # Item, Pemda, the Pemda's value, the evidence count, when it was sent.
    assert "<td>Kota Binjai</td><td>Ya</td><td>1</td><td>15 April 2025, 23.59 WIB</td>" in row
    assert '<a href="/mcp/verifikasi/">Buka antrean: 1 item</a>' in page
    # Waiting for more than a week: it says so.
    assert '<p class="late"><small>1 item menunggu' in page
    for unseen in ("PRC.1.2", "Laporan WBS", "Kelola OPD", "Pekalongan"):
        assert unseen not in page


def test_a_verifier_of_another_province_sees_none_of_it(world, reporting, login) -> None:
    _binjai_in_every_state(world, reporting)
    page = _main(_home(login(world.verifier_jateng)))
    assert "Tidak ada item yang menunggu." in page
    assert "Binjai" not in page and "PRC.1.1" not in page and "<table" not in page


# --- The WBS handler ---------------------------------------------------------------------------


def test_the_handler_lands_on_open_reports_by_due_date_and_never_on_their_words(
    world, login, submit
) -> None:
    identity = ReporterIdentity(name="Ani Wijaya", contact="0812000111")
    late, _code = submit(identity=identity, what="Pungutan liar di loket perizinan.")
    soon, _code = submit(type="gratifikasi", who_name="Bu Bendahara")
    done, _code = submit()
    today = timezone.localdate()
    Report.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=2))
    Report.objects.filter(pk=soon.pk).update(due_on=today + timedelta(days=1))
    Report.objects.filter(pk=done.pk).update(state="done", closed_on=today, due_on=None)
    page = _main(_home(login(world.inspektorat_binjai)))
    assert "2 laporan terbuka, 1 melewati batas waktu." in page
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    # The overdue one first, marked; then the next; the closed one not at all.
    assert rows.index(str(late)) < rows.index(str(soon))
    assert str(done) not in rows
    assert '<strong class="late">terlambat</strong>' in rows
    assert "Gratifikasi" in rows and "Dugaan korupsi" in rows and "Kota Binjai" in rows
    assert f'href="/wbs/{late.pk}/"' in rows
    # Nothing the reporter wrote, and no word of who they are.
    for secret in ("Ani Wijaya", "0812000111", "Pungutan liar", "Bu Bendahara", "DPMPTSP"):
        assert secret not in page
    assert "work-section urgent" in page


def test_nobody_but_the_handlers_sees_anything_of_wbs_reports(
    world, reporting, login, submit
) -> None:
    report, _code = submit()
    other = make_user("irda@pekalongan.test", "Slamet Riyadi")
    RoleAssignment.objects.create(user=other, role=Role.INSPEKTORAT, pemda=world.kota_pekalongan)
    page = _main(_home(login(other)))
    assert "0 laporan terbuka, 0 melewati batas waktu." in page and str(report) not in page
    for person in (
        world.operator_binjai,
        world.admin_binjai,
        world.verifier_sumut,
        world.superadmin,  # running the system is no reason to read reports
        world.nobody,
    ):
        seen = _home(login(person))
        assert "WBS" not in seen and "laporan terbuka" not in seen, person


# --- The Koordinator -------------------------------------------------------------------------


def test_the_koordinator_lands_on_the_national_overview(world, reporting, login) -> None:
    _binjai_in_every_state(world, reporting)
    # Kota Pekalongan sends one item; its verifier is removed: it waits with nobody to decide.
    _answer(login(world.operator_pekalongan), reporting, "PRC.1.2", "1", pemda="33.75")
    reporting_services.answers_submit(
        user=world.admin_pekalongan, pemda=world.kota_pekalongan, period=reporting.period
    )
    world.verifier_jateng.verified_pemdas.filter(pemda=world.kota_pekalongan).delete()
    page = _main(_home(login(world.koordinator)))
    assert _section_titles(page)[0] == "Ringkasan nasional MCP"
    assert "<dt>Pemda yang sudah mengirim</dt><dd>2 dari 546</dd>" in page
    assert "<dt>Menunggu verifikasi</dt><dd>2 · yang terlama dikirim" in page
    assert '<th scope="row">Dikembalikan</th><td>1</td>' in page
    assert '<th scope="row">Dikirim</th><td>2</td>' in page
    assert (
        '<p class="late"><small>1 Pemda menunggu verifikasi tetapi belum punya verifikator.' in page
    )
    for link in ("Penugasan verifikator", "Termin MCP", "Penerbitan skor"):
        assert f">{link}</a>" in page
    # The Koordinator handles national WBS reports: that section is theirs too.
    assert "Laporan WBS" in _section_titles(page)


def test_nobody_else_sees_the_national_overview(world, reporting, login) -> None:
    for person in (world.operator_binjai, world.admin_binjai, world.verifier_sumut):
        assert "Ringkasan nasional MCP" not in _home(login(person))


# --- Several roles -----------------------------------------------------------------------------


def test_with_several_roles_the_most_urgent_work_comes_first(
    world, reporting, login, submit
) -> None:
    """Hendra verifies North Sumatra and also works, in Kota Pekalongan, for its Inspektorat
    and for its BPBJ: the returned item comes first, then the report due on a day, then the
    queue; once the report is overdue, it comes first."""
    person: User = world.verifier_sumut
    pekalongan = world.kota_pekalongan
    RoleAssignment.objects.create(user=person, role=Role.INSPEKTORAT, pemda=pekalongan)
    RoleAssignment.objects.create(
        user=person, role=Role.OPERATOR, pemda=pekalongan, opd=world.bpbj_pekalongan
    )
    _binjai_in_every_state(world, reporting)  # a Binjai item waits in Hendra's queue
    _answer(login(world.operator_pekalongan), reporting, "PRC.1.2", "1", pemda="33.75")
    reporting_services.answers_submit(
        user=world.admin_pekalongan, pemda=pekalongan, period=reporting.period
    )
    reporting_services.answer_return(
        verifier=world.verifier_jateng,
        answer_id=Answer.objects.get(pemda=pekalongan).pk,
        reason="Lampirkan RKPD.",
    )
    report, _code = submit(pemda=pekalongan)
    page = _main(_home(login(person)))
    assert _section_titles(page) == [
        "Laporan MCP Bagian Pengadaan Barang dan Jasa",  # a returned item: late
        "Laporan WBS",  # waiting, and due on a day
        "Antrean verifikasi",  # waiting
    ]
    Report.objects.filter(pk=report.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page = _main(_home(login(person)))
    assert _section_titles(page)[0] == "Laporan WBS"


def test_the_home_changes_nothing_and_answers_only_reads(world, login) -> None:
    client = login(world.admin_binjai)
    assert client.post(HOME).status_code == 405
    assert client.head(HOME).status_code == 200


def test_the_home_reads_a_fixed_number_of_queries_for_each_role(
    world, reporting, login, django_assert_max_num_queries, submit
) -> None:
    """More items, reports or waiting answers do not mean more queries."""
    _binjai_in_every_state(world, reporting)
    submit()
    people = (
        world.operator_binjai,
        world.admin_binjai,
        world.verifier_sumut,
        world.inspektorat_binjai,
        world.koordinator,
    )
    counts = {}
    for person in people:
        client = login(person)
        client.get(HOME)
        with django_assert_max_num_queries(30) as captured:
            client.get(HOME)
        counts[person.pk] = len(captured.captured_queries)
    _answer(login(world.operator_pupr_binjai), reporting, "BMD.1.1", "5000")
    reporting_services.answers_submit(
        user=world.admin_binjai, pemda=world.binjai, period=reporting.period
    )
    for _n in range(3):
        submit()
    assert Answer.objects.filter(state="submitted").count() == 2
    for person in people:
        client = login(person)
        client.get(HOME)  # as above: measured after a first request
        with django_assert_max_num_queries(counts[person.pk], info=person.email):
            client.get(HOME)
