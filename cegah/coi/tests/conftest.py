from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cegah.accounts.models import Employee, Role, User
from cegah.coi import services
from cegah.coi.services import Facts
from cegah.regions.models import Opd, Pemda
from cegah.testing.factories import RoleAssignmentFactory, make_user
from cegah.testing.world import World

LISTS = sorted((Path(settings.BASE_DIR) / "data" / "coi").glob("daftar-*.yaml"))


def employee(
    email: str,
    name: str,
    *,
    pemda: Pemda,
    opd: Opd,
    nip: str,
    position: str = "Staf",
    superior: Employee | None = None,
    user: User | None = None,
) -> Employee:
    user = user or make_user(email, name)
    RoleAssignmentFactory.create(user=user, role=Role.PEGAWAI, pemda=pemda)
    return Employee.objects.create(
        user=user,
        pemda=pemda,
        opd=opd,
        nip=nip,
        full_name=user.full_name,
        position=position,
        superior=superior,
    )


@dataclass
class Coi:
    world: World
    sekda: Employee  # the head's superior
    head: Employee  # BPKAD's head: the declarant's superior
    declarant: Employee
    colleague: Employee
    pupr_head: Employee  # the superior of another unit
    pupr_staff: Employee
    officer: User  # the appointed officer (PPKK) of Binjai
    pekalongan: Employee


@pytest.fixture
def coi(world: World) -> Coi:
    for path in LISTS:
        services.lists_import(path=path)
    b, bpkad, pupr = world.binjai, world.bpkad_binjai, world.pupr_binjai
    sekda = employee(
        "sekda@binjai.test",
        "Ir. Hasan Lubis",
        pemda=b,
        opd=bpkad,
        nip="196501011990031001",
        position="Sekretaris Daerah",
    )
    head = employee(
        "kaban@binjai.test",
        "Ahmad Harahap",
        pemda=b,
        opd=bpkad,
        nip="197001012000031001",
        position="Kepala BPKAD",
        superior=sekda,
    )
    declarant = employee(
        "rudi@binjai.test",
        "Rudi Simanjuntak",
        pemda=b,
        opd=bpkad,
        nip="198501012010011002",
        position="Pokja Pemilihan",
        superior=head,
    )
    colleague = employee(
        "lina@binjai.test",
        "Lina Sembiring",
        pemda=b,
        opd=bpkad,
        nip="199001012015022003",
        superior=head,
    )
    pupr_head = employee(
        "kadis@binjai.test",
        "Bambang Saragih",
        pemda=b,
        opd=pupr,
        nip="197501012002121004",
        position="Kepala Dinas PUPR",
        superior=sekda,
    )
    pupr_staff = employee(
        "pupr.staf@binjai.test",
        "Tina Purba",
        pemda=b,
        opd=pupr,
        nip="199201012019032005",
        superior=pupr_head,
    )
    officer = make_user("ppkk@binjai.test", "Nur Hasibuan")
    RoleAssignmentFactory.create(user=officer, role=Role.PPKK, pemda=b)
    pekalongan = employee(
        "staf@pekalongan.test",
        "Dewi Lestari",
        pemda=world.kota_pekalongan,
        opd=world.bpbj_pekalongan,
        nip="199001012015022009",
    )
    return Coi(world, sekda, head, declarant, colleague, pupr_head, pupr_staff, officer, pekalongan)


def facts(**changes: object) -> Facts:
    values: dict[str, object] = {
        "matter_kind": "pengadaan",
        "matter": "Tender rehabilitasi gedung DPRD 2026",
        "conflict_type": "aktual",
        "source": "keluarga",
        "parties": "CV Karya Mandiri (milik adik ipar saya)",
        "since": timezone.localdate() - timedelta(days=30),
        "description": "Adik ipar saya direktur salah satu peserta tender yang saya evaluasi.",
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


def day(text: str) -> date:
    return date.fromisoformat(text)
