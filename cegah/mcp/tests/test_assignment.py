"""The Admin Pemda gives indicators to OPD; operators see only what is theirs."""

import pytest
from django.http import Http404
from django.urls import reverse

from cegah.accounts.models import Role, RoleAssignment
from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp.models import IndicatorAssignment
from cegah.mcp.services.assignment import indicator_assign, indicator_unassign
from cegah.regions.models import Opd

pytestmark = pytest.mark.django_db


def _board(code: str = "12.75") -> str:
    return reverse("mcp:assignment_board", kwargs={"code": code}) + "?tahun=2025"


def _ids(catalogue, *codes: str) -> list[int]:
    return [catalogue.indicators.get(code=c).pk for c in codes]


def test_admin_assigns_indicators_to_an_opd_and_sees_them_on_the_board(
    world, catalogue_2025, login
) -> None:
    client = login(world.admin_binjai)
    response = client.post(
        _board(),
        {"opd": world.bpkad_binjai.pk, "indicators": _ids(catalogue_2025, "PRC.1", "BMD.1")},
        follow=True,
    )
    page = response.content.decode()
    assert "2 indikator ditugaskan ke Badan Pengelolaan Keuangan dan Aset Daerah." in page
    assert "BPKAD" in page
    assert set(IndicatorAssignment.objects.values_list("indicator__code", flat=True)) == {
        "PRC.1",
        "BMD.1",
    }
    entry = AuditEntry.objects.get(action="mcp.assignment.add")
    assert entry.data == {"year": 2025, "indicators": ["BMD.1", "PRC.1"]}


def test_one_indicator_may_go_to_several_opd_and_assigning_twice_adds_nothing(
    world, catalogue_2025, login
) -> None:
    client = login(world.admin_binjai)
    ids = _ids(catalogue_2025, "PRC.1")
    for opd in (world.bpkad_binjai, world.pupr_binjai, world.bpkad_binjai):
        client.post(_board(), {"opd": opd.pk, "indicators": ids})
    assert IndicatorAssignment.objects.count() == 2


def test_a_kota_never_gets_a_provinsi_only_indicator(world, catalogue_2025, login) -> None:
    client = login(world.admin_binjai)
    page = client.get(_board()).content.decode()
    assert "BMD.2" not in page  # not even offered
    response = client.post(
        _board(),
        {"opd": world.bpkad_binjai.pk, "indicators": _ids(catalogue_2025, "PRC.1", "BMD.2")},
    )
    assert response.status_code == 200
    assert "tidak berlaku untuk Pemda ini" in response.content.decode()
    assert not IndicatorAssignment.objects.exists()


def test_the_province_gets_its_own_indicator_and_not_the_kota_ones(
    world, catalogue_2025, login
) -> None:
    RoleAssignment.objects.create(user=world.admin_binjai, role=Role.ADMIN_PEMDA, pemda=world.sumut)
    page = login(world.admin_binjai).get(_board("12")).content.decode()
    assert "BMD.2" in page and "BMD.1 " not in page


def test_a_forged_opd_of_another_pemda_is_refused_and_nothing_written(
    world, catalogue_2025, login
) -> None:
    client = login(world.admin_binjai)
    response = client.post(
        _board(),
        {"opd": world.bpbj_pekalongan.pk, "indicators": _ids(catalogue_2025, "PRC.1")},
    )
    assert "Pilih OPD aktif dari Pemda ini." in response.content.decode()
    assert not IndicatorAssignment.objects.exists()


def test_an_inactive_opd_cannot_receive_indicators(world, catalogue_2025, login) -> None:
    Opd.objects.filter(pk=world.pupr_binjai.pk).update(is_active=False)
    response = login(world.admin_binjai).post(
        _board(), {"opd": world.pupr_binjai.pk, "indicators": _ids(catalogue_2025, "PRC.1")}
    )
    assert "Pilih OPD aktif dari Pemda ini." in response.content.decode()
    assert not IndicatorAssignment.objects.exists()


@pytest.mark.parametrize(
    "who", ["admin_pekalongan", "operator_binjai", "inspektorat_binjai", "verifier_sumut", "nobody"]
)
def test_only_the_pemda_admin_opens_or_changes_its_board(world, catalogue_2025, login, who) -> None:
    assignment = IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=catalogue_2025.indicators.get(code="PRC.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    client = login(getattr(world, who))
    assert client.get(_board()).status_code == 404
    post = {"opd": world.pupr_binjai.pk, "indicators": _ids(catalogue_2025, "BMD.1")}
    assert client.post(_board(), post).status_code == 404
    remove = reverse("mcp:assignment_remove", kwargs={"code": "12.75", "pk": assignment.pk})
    assert client.post(remove).status_code == 404
    assert list(IndicatorAssignment.objects.all()) == [assignment]


def test_an_admin_cannot_remove_another_pemda_assignment_through_their_own_url(
    world, catalogue_2025, login
) -> None:
    theirs = IndicatorAssignment.objects.create(
        pemda=world.kota_pekalongan,
        indicator=catalogue_2025.indicators.get(code="PRC.1"),
        opd=world.bpbj_pekalongan,
        assigned_by=world.admin_pekalongan,
    )
    client = login(world.admin_binjai)
    url = reverse("mcp:assignment_remove", kwargs={"code": "12.75", "pk": theirs.pk})
    assert client.post(url).status_code == 404
    assert IndicatorAssignment.objects.filter(pk=theirs.pk).exists()


def test_admin_removes_an_assignment(world, catalogue_2025, login) -> None:
    assignment = IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=catalogue_2025.indicators.get(code="PRC.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    url = reverse("mcp:assignment_remove", kwargs={"code": "12.75", "pk": assignment.pk})
    response = login(world.admin_binjai).post(url, {"tahun": "2025"}, follow=True)
    assert "Penugasan dihapus." in response.content.decode()
    assert not IndicatorAssignment.objects.exists()
    assert AuditEntry.objects.filter(action="mcp.assignment.remove").count() == 1


def test_operators_see_only_what_is_assigned_to_their_own_opd(world, catalogue_2025, login) -> None:
    IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=catalogue_2025.indicators.get(code="PRC.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=catalogue_2025.indicators.get(code="BMD.1"),
        opd=world.pupr_binjai,
        assigned_by=world.admin_binjai,
    )
    url = reverse("mcp:my_indicators")
    mine = login(world.operator_binjai).get(url).content.decode()
    assert "Musrenbang terdokumentasi" in mine and "Sertifikasi tanah" not in mine
    other = login(world.operator_pupr_binjai).get(url).content.decode()
    assert "Sertifikasi tanah" in other and "Musrenbang terdokumentasi" not in other
    assert login(world.operator_pekalongan).get(url).content.decode().count("<details") == 0
    assert login(world.admin_binjai).get(url).status_code == 404


def test_the_board_query_count_does_not_grow_with_opd_or_assignments(
    world, catalogue_2025, login, django_assert_max_num_queries
) -> None:
    client = login(world.admin_binjai)
    client.get(_board())  # warm the session and role caches
    for n in range(12):
        opd = Opd.objects.create(pemda=world.binjai, name=f"Dinas Uji {n}")
        for indicator in catalogue_2025.indicators.filter(code__in=["PRC.1", "BMD.1"]):
            IndicatorAssignment.objects.create(
                pemda=world.binjai, indicator=indicator, opd=opd, assigned_by=world.admin_binjai
            )
    with django_assert_max_num_queries(14):
        response = client.get(_board())
    assert response.content.decode().count('class="chip"') == 24


def test_the_service_refuses_what_the_board_form_already_keeps_out(world, catalogue_2025) -> None:
    """The form offers only the Pemda's active OPD and applicable indicators; the service does
    not rely on it."""
    prc1 = _ids(catalogue_2025, "PRC.1")
    binjai = {"pemda": world.binjai, "catalogue": catalogue_2025}
    with pytest.raises(Http404):
        indicator_assign(
            actor=world.admin_pekalongan, opd_id=world.bpkad_binjai.pk, indicator_ids=prc1, **binjai
        )
    refusals = {
        "opd": {"opd_id": world.bpbj_pekalongan.pk, "indicator_ids": prc1},
        "empty": {"opd_id": world.bpkad_binjai.pk, "indicator_ids": []},
        "not_applicable": {
            "opd_id": world.bpkad_binjai.pk,
            "indicator_ids": _ids(catalogue_2025, "PRC.1", "BMD.2"),
        },
    }
    for code, wrong in refusals.items():
        with pytest.raises(DomainError) as refused:
            indicator_assign(actor=world.admin_binjai, **binjai, **wrong)
        assert refused.value.code == code
    assert not IndicatorAssignment.objects.exists()
    indicator_assign(
        actor=world.admin_binjai, opd_id=world.bpkad_binjai.pk, indicator_ids=prc1, **binjai
    )
    given = IndicatorAssignment.objects.get()
    with pytest.raises(Http404):
        indicator_unassign(actor=world.admin_pekalongan, pemda=world.binjai, assignment_id=given.pk)
    assert IndicatorAssignment.objects.filter(pk=given.pk).exists()
