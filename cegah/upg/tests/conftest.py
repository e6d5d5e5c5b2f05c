from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cegah.accounts.models import Employee, Role, User
from cegah.regions.models import Opd, Pemda
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.testing.world import World
from cegah.upg import services
from cegah.upg.services import Gift, Reporter

RULES = sorted((Path(settings.BASE_DIR) / "data" / "upg").glob("aturan-*.yaml"))


def employee(
    user: User, *, pemda: Pemda, opd: Opd, nip: str, superior: Employee | None = None
) -> Employee:
    RoleAssignmentFactory.create(user=user, role=Role.PEGAWAI, pemda=pemda)
    return Employee.objects.create(
        user=user,
        pemda=pemda,
        opd=opd,
        nip=nip,
        full_name=user.full_name,
        position="Analis Keuangan",
        superior=superior,
    )


@dataclass
class Upg:
    world: World
    head: Employee  # the BPKAD's head: the reporter's superior
    reporter: Employee
    colleague: Employee
    upg: User  # the UPG of Kota Binjai
    upg_other: User  # a second member
    upg_pekalongan: User


@pytest.fixture
def upg(world: World) -> Upg:
    for path in RULES:
        services.rules_import(path=path)
    head = employee(
        make_user("kepala@binjai.test", "Ahmad Harahap"),
        pemda=world.binjai,
        opd=world.bpkad_binjai,
        nip="197001012000031001",
    )
    reporter = employee(
        make_user("rudi@binjai.test", "Rudi Simanjuntak"),
        pemda=world.binjai,
        opd=world.bpkad_binjai,
        nip="198501012010011002",
        superior=head,
    )
    colleague = employee(
        make_user("lina@binjai.test", "Lina Sembiring"),
        pemda=world.binjai,
        opd=world.bpkad_binjai,
        nip="199001012015022003",
        superior=head,
    )
    upg_user = make_user("upg@binjai.test", "Yusuf Batubara")
    RoleAssignmentFactory.create(user=upg_user, role=Role.UPG, pemda=world.binjai)
    other = make_user("upg2@binjai.test", "Nur Hasibuan")
    RoleAssignmentFactory.create(user=other, role=Role.UPG, pemda=world.binjai)
    pekalongan = make_user("upg@pekalongan.test", "Slamet Widodo")
    RoleAssignmentFactory.create(user=pekalongan, role=Role.UPG, pemda=world.kota_pekalongan)
    return Upg(world, head, reporter, colleague, upg_user, other, pekalongan)


def gift(**changes: object) -> Gift:
    values: dict[str, object] = {
        "giver_name": "PT Maju Jaya",
        "giver_relation": "Rekanan penyedia BPKAD",
        "giver_address": "Jl. Sudirman 1, Binjai",
        "received_on": timezone.localdate() - timedelta(days=7),
        "place": "Kantor BPKAD",
        "occasion": "Akhir tahun anggaran",
        "category": "",
        "kind": "barang",
        "description": "Satu parsel makanan",
        "value": Decimal(750000),
        "refused": False,
        "chronology": "Diantar kurir ke meja saya, saya simpan dan laporkan.",
    }
    values.update(changes)
    return Gift(**values)  # type: ignore[arg-type]


REPORTER = Reporter(nik="1275010101850002", address="Jl. Gatot Subroto 5, Binjai", phone="0812")
