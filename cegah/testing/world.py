"""One small, realistic world shared by every test: 2 provinces, 5 Pemda, every role."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management import call_command

from cegah.accounts.models import Role, User
from cegah.regions.models import Opd, Pemda
from cegah.testing.factories import (
    OpdFactory,
    RoleAssignmentFactory,
    VerifierAssignmentFactory,
    make_user,
)


@dataclass
class World:
    sumut: Pemda
    binjai: Pemda
    jateng: Pemda
    kota_pekalongan: Pemda
    kab_pekalongan: Pemda
    bpkad_binjai: Opd
    pupr_binjai: Opd
    bpbj_pekalongan: Opd
    operator_binjai: User
    operator_pupr_binjai: User
    admin_binjai: User
    inspektorat_binjai: User
    operator_pekalongan: User
    admin_pekalongan: User
    verifier_sumut: User
    verifier_jateng: User
    koordinator: User
    superadmin: User
    nobody: User


def ensure_regions() -> None:
    # A transactional test flushes the tables it used; put the reference data back.
    if not Pemda.objects.exists():
        call_command("load_regions", verbosity=0)


def _person(
    email: str,
    name: str,
    role: Role,
    pemda: Pemda | None = None,
    opd: Opd | None = None,
    institution: str = "",
) -> User:
    is_root = role == Role.SUPERADMIN
    user = make_user(email, name, is_staff=is_root, is_superuser=is_root)
    RoleAssignmentFactory.create(
        user=user, role=role, pemda=pemda, opd=opd, institution=institution
    )
    return user


def build_world() -> World:
    """North Sumatra (Binjai) and Central Java (both Pekalongan), their OPD and one person per
    role; the reference regions must be loaded (ensure_regions)."""
    p = {x.code: x for x in Pemda.objects.filter(code__in=["12", "12.75", "33", "33.75", "33.26"])}
    bpkad = OpdFactory.create(
        pemda=p["12.75"], name="Badan Pengelolaan Keuangan dan Aset Daerah", short_name="BPKAD"
    )
    pupr = OpdFactory.create(
        pemda=p["12.75"], name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="PUPR"
    )
    bpbj = OpdFactory.create(
        pemda=p["33.75"], name="Bagian Pengadaan Barang dan Jasa", short_name="BPBJ"
    )

    w = World(
        sumut=p["12"],
        binjai=p["12.75"],
        jateng=p["33"],
        kota_pekalongan=p["33.75"],
        kab_pekalongan=p["33.26"],
        bpkad_binjai=bpkad,
        pupr_binjai=pupr,
        bpbj_pekalongan=bpbj,
        operator_binjai=_person(
            "operator@binjai.test", "Rina Siregar", Role.OPERATOR, p["12.75"], bpkad
        ),
        operator_pupr_binjai=_person(
            "pupr@binjai.test", "Joko Tarigan", Role.OPERATOR, p["12.75"], pupr
        ),
        admin_binjai=_person("admin@binjai.test", "Budi Nasution", Role.ADMIN_PEMDA, p["12.75"]),
        inspektorat_binjai=_person("irda@binjai.test", "Sari Lubis", Role.INSPEKTORAT, p["12.75"]),
        operator_pekalongan=_person(
            "operator@pekalongan.test", "Dewi Rahayu", Role.OPERATOR, p["33.75"], bpbj
        ),
        admin_pekalongan=_person(
            "admin@pekalongan.test", "Agus Santoso", Role.ADMIN_PEMDA, p["33.75"]
        ),
        verifier_sumut=_person(
            "verif.sumut@kpk.test", "Hendra Ginting", Role.VERIFIKATOR, institution="kpk"
        ),
        verifier_jateng=_person(
            "verif.jateng@kpk.test", "Wahyu Prasetyo", Role.VERIFIKATOR, institution="bpkp"
        ),
        koordinator=_person("korsup@kpk.test", "Maya Kusuma", Role.KOORDINATOR),
        superadmin=_person("root@cegah.test", "Admin Sistem", Role.SUPERADMIN),
        nobody=make_user("nobody@cegah.test", "Tanpa Peran"),
    )
    for code in ("12", "12.75"):
        VerifierAssignmentFactory.create(verifier=w.verifier_sumut, pemda=p[code])
    for code in ("33", "33.75", "33.26"):
        VerifierAssignmentFactory.create(verifier=w.verifier_jateng, pemda=p[code])
    return w
