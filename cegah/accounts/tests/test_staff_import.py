"""Civil servants as users (issue 27, item 1): the Admin Pemda loads the HR office's staff list.
Every bad row is named by line and column and nothing loads; a re-import updates in place and
marks those who left; invitations leave in the background with their progress shown."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from cegah.accounts.models import Employee, Role, RoleAssignment, StaffImport, User
from cegah.accounts.selectors import invitable_roles
from cegah.accounts.staff_services import StaffListRefused, staff_import
from cegah.audit.models import AuditEntry
from cegah.core.tables import stream_table
from cegah.regions.models import Pemda
from cegah.testing.factories import OpdFactory, RoleAssignmentFactory
from cegah.testing.totp import add_confirmed_device
from cegah.testing.world import World

pytestmark = pytest.mark.django_db

HEADER = ("nip", "nama", "email", "opd", "jabatan", "nip_atasan")


def nip(n: int) -> str:
    """A NIP in the real shape (birth day, appointment month, sex, sequence), never ending 000."""
    return f"19800101{2005 + n // 900:04d}01{1 + n % 2}{1 + n % 900:03d}"


# Kota Binjai's staff: the head of BPKAD, two under them, one in PUPR under the head.
STAFF = [
    (nip(1), "Hasan Basri", "hasan@binjai.test", "BPKAD", "Kepala Badan", ""),
    (nip(2), "Lestari Ginting", "lestari@binjai.test", "bpkad", "Kepala Bidang", nip(1)),
    (
        nip(3),
        "Andi Sembiring",
        "andi@binjai.test",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "Analis",
        nip(2),
    ),
    (nip(4), "Wati Purba", "wati@binjai.test", "PUPR", "Analis", nip(1)),
]


def csv_bytes(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] = HEADER, sep: str = ","
) -> bytes:
    return "\n".join(sep.join(r) for r in [header, *rows]).encode() + b"\n"


def load(
    world: World,
    rows: Sequence[Sequence[str]],
    *,
    dry_run: bool = False,
    actor: User | None = None,
    content: bytes | None = None,
    name: str = "pegawai.csv",
) -> StaffImport:
    content = content if content is not None else csv_bytes(rows)
    record, _plan = staff_import(
        actor=actor or world.admin_binjai,
        pemda=world.binjai,
        table=stream_table(content, filename=name),
        file_name=name,
        file_sha256=hashlib.sha256(content).hexdigest(),
        dry_run=dry_run,
    )
    return record


def problems_of(world: World, rows: Sequence[Sequence[str]], **kwargs: object) -> list[str]:
    with pytest.raises(StaffListRefused) as refused:
        load(world, rows, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in refused.value.problems]


def with_row(index: int, **change: str) -> list[tuple[str, ...]]:
    rows = [list(r) for r in STAFF]
    for key, value in change.items():
        rows[index][HEADER.index(key)] = value
    return [tuple(r) for r in rows]


# --- Every bad row, by line and column, nothing loaded ---------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            with_row(3, nip="19800101200501200"),
            ["Baris 5, kolom A (nip): NIP “19800101200501200” bukan 18 angka (17 angka)."],
            id="nip-17-digits",
        ),
        pytest.param(
            with_row(3, nip="1980010120050120021"),
            ["Baris 5, kolom A (nip): NIP “1980010120050120021” bukan 18 angka (19 angka)."],
            id="nip-19-digits",
        ),
        pytest.param(
            with_row(3, nip="19800101A005012004"),
            ["Baris 5, kolom A (nip): NIP “19800101A005012004” bukan 18 angka (17 angka)."],
            id="nip-with-a-letter",
        ),
        pytest.param(
            [*STAFF, (nip(2), "Orang Lain", "lain@binjai.test", "PUPR", "Analis", "")],
            [f"Baris 6, kolom A (nip): NIP {nip(2)} sudah ada di baris 3."],
            id="nip-twice",
        ),
        pytest.param(
            with_row(3, email="HASAN@binjai.test"),
            ["Baris 5, kolom C (email): email hasan@binjai.test sudah dipakai di baris 2."],
            id="email-twice-in-another-case",
        ),
        pytest.param(
            with_row(2, email="andi at binjai"),
            ["Baris 4, kolom C (email): “andi at binjai” bukan alamat email."],
            id="bad-email",
        ),
        pytest.param(
            with_row(3, opd="Dinas Pariwisata"),
            [
                "Baris 5, kolom D (opd): OPD “Dinas Pariwisata” tidak ada di antara OPD aktif "
                "Kota Binjai."
            ],
            id="unknown-opd",
        ),
        pytest.param(
            with_row(3, nip_atasan=nip(99)),
            [
                f"Baris 5, kolom F (nip_atasan): NIP atasan {nip(99)} tidak ada dalam berkas ini. "
                "Atasan harus ikut dalam daftar pegawai yang sama (kosongkan untuk pimpinan "
                "tertinggi)."
            ],
            id="superior-not-listed",
        ),
        pytest.param(
            with_row(0, nip_atasan=nip(2)),
            ["Baris 2, kolom F (nip_atasan): atasan membentuk lingkaran: baris 2 → 3 → 2."],
            id="two-person-loop",
        ),
        pytest.param(
            with_row(0, nip_atasan=nip(3)),
            ["Baris 2, kolom F (nip_atasan): atasan membentuk lingkaran: baris 2 → 4 → 3 → 2."],
            id="three-person-loop",
        ),
        pytest.param(
            with_row(3, nip_atasan=nip(4)),
            ["Baris 5, kolom F (nip_atasan): atasan tidak boleh dirinya sendiri."],
            id="own-superior",
        ),
        pytest.param(
            with_row(1, nama="  "),
            ["Baris 3, kolom B (nama): nama kosong."],
            id="no-name",
        ),
    ],
)
def test_each_bad_row_is_named_by_line_and_column_and_nothing_loads(
    world: World, rows: list[tuple[str, ...]], expected: list[str]
) -> None:
    users = User.objects.count()
    assert problems_of(world, rows) == expected
    assert not Employee.objects.exists()
    assert User.objects.count() == users
    assert not RoleAssignment.objects.filter(role=Role.PEGAWAI).exists()
    assert not StaffImport.objects.exists()


def test_every_problem_of_a_file_is_reported_at_once(world: World) -> None:
    rows = [
        (nip(1), "A", "a@binjai.test", "BPKAD", "", nip(2)),
        (nip(2), "B", "b@binjai.test", "BPKAD", "", nip(1)),
        ("123", "C", "c@binjai.test", "Dinas X", "", ""),
        (nip(4), "D", "a@binjai.test", "PUPR", "", nip(77)),
    ]
    said = problems_of(world, rows)
    assert [s.split(":")[0] for s in said] == [
        "Baris 2, kolom F (nip_atasan)",  # the loop 2 → 3
        "Baris 4, kolom A (nip)",
        "Baris 4, kolom D (opd)",
        "Baris 5, kolom C (email)",
        "Baris 5, kolom F (nip_atasan)",
    ]


def test_a_nip_of_another_pemda_is_refused_saying_transfers_come_later(world: World) -> None:
    bpbj = world.bpbj_pekalongan
    staff_import(
        actor=world.admin_pekalongan,
        pemda=world.kota_pekalongan,
        table=stream_table(
            csv_bytes(
                [(nip(3), "Andi Sembiring", "andi@pekalongan.test", bpbj.short_name, "", "")]
            ),
            filename="p.csv",
        ),
        file_name="p.csv",
        file_sha256="0" * 64,
        dry_run=False,
    )
    (said,) = problems_of(world, STAFF)
    assert said.startswith(
        f"Baris 4, kolom A (nip): NIP {nip(3)} terdaftar sebagai pegawai Kota Pekalongan."
    )
    assert "fitur berikutnya" in said
    assert not Employee.objects.filter(pemda=world.binjai).exists()


def test_an_email_of_an_employee_of_another_pemda_is_refused(world: World) -> None:
    staff_import(
        actor=world.admin_pekalongan,
        pemda=world.kota_pekalongan,
        table=stream_table(
            csv_bytes([(nip(50), "Orang", "andi@binjai.test", "BPBJ", "", "")]), filename="p.csv"
        ),
        file_name="p.csv",
        file_sha256="0" * 64,
        dry_run=False,
    )
    (said,) = problems_of(world, STAFF)
    assert (
        said
        == f"Baris 4, kolom C (email): email andi@binjai.test sudah dipakai pegawai NIP {nip(50)} (Orang)."
    )


def test_missing_columns_are_named(world: World) -> None:
    (said,) = problems_of(world, [], content=b"nip,nama,opd\n" + nip(1).encode() + b",A,BPKAD\n")
    assert said.startswith("Baris 1: kolom “email” tidak ada.")


def test_an_inactive_opd_is_unknown(world: World) -> None:
    OpdFactory.create(pemda=world.binjai, name="Dinas Lama", short_name="LAMA", is_active=False)
    (said,) = problems_of(world, with_row(3, opd="LAMA"))
    assert "OPD “LAMA” tidak ada di antara OPD aktif Kota Binjai." in said


# --- Files as offices make them -----------------------------------------------------------------


def test_semicolons_a_bom_spaced_nips_and_hr_titles_load(world: World) -> None:
    """A spreadsheet saved in Indonesian settings: semicolons, a BOM, titles as HR writes them,
    NIP spaced as on the card, and a figure with a decimal comma in a column nobody asked for."""
    spaced = f"{nip(1)[:8]} {nip(1)[8:14]} {nip(1)[14]} {nip(1)[15:]}"
    content = (
        "\ufeffNIP;Nama Lengkap; E-mail ;Unit Kerja;Jabatan;NIP Atasan;Tunjangan\n"
        f"{spaced};Hasan Basri;Hasan@Binjai.test;bpkad;Kepala Badan;;1.500.000,50\n"
        f"{nip(2)};Lestari  Ginting;lestari@binjai.test;  Dinas Pekerjaan Umum dan Penataan Ruang ;"
        f"Analis;{spaced};2,5\n"
    ).encode()
    load(world, [], content=content)
    hasan = Employee.objects.select_related("user", "opd").get(nip=nip(1))
    lestari = Employee.objects.select_related("opd").get(nip=nip(2))
    assert hasan.user.email == "hasan@binjai.test" and hasan.opd == world.bpkad_binjai
    assert lestari.full_name == "Lestari Ginting" and lestari.opd == world.pupr_binjai
    assert lestari.superior == hasan and hasan.superior is None


def _xlsx_with_whole_numbers(rows: list[list[object]]) -> bytes:
    """A workbook whose NIP cells are numbers stored whole, as HR software that writes
    integers makes them (openpyxl, like Excel, would write 15 digits of a float)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append([float(c) if isinstance(c, int) else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for c in {c for row in rows for c in row if isinstance(c, int)}:
                    data = data.replace(f"<v>{float(c)!r}</v>".encode(), f"<v>{c}</v>".encode())
            target.writestr(item, data)
    return out.getvalue()


def test_an_excel_file_with_the_nip_as_a_whole_number_loads(world: World) -> None:
    content = _xlsx_with_whole_numbers(
        [
            ["NIP", "Nama", "Email", "OPD", "Jabatan", "NIP Atasan"],
            [int(nip(1)), "Hasan Basri", "hasan@binjai.test", "BPKAD", "Kepala", None],
            [int(nip(2)), "Lestari", "lestari@binjai.test", "PUPR", "Analis", int(nip(1))],
        ]
    )
    assert f"<v>{nip(1)}</v>".encode() in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/worksheets/sheet1.xml"
    )
    load(world, [], content=content, name="pegawai.xlsx")
    assert Employee.objects.get(nip=nip(2)).superior == Employee.objects.get(nip=nip(1))


def test_a_nip_excel_rounded_to_15_digits_is_refused_saying_why(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["nip", "nama", "email", "opd"])
    sheet.append([float(nip(1)), "Hasan", "hasan@binjai.test", "BPKAD"])  # as Excel keeps it
    buffer = io.BytesIO()
    workbook.save(buffer)
    (said,) = problems_of(world, [], content=buffer.getvalue(), name="pegawai.xlsx")
    assert "berakhir 000" in said and "15 angka" in said


# --- Dry run, load, re-import ---------------------------------------------------------------


def test_a_dry_run_loads_nothing_and_says_what_would_change(world: World) -> None:
    users = User.objects.count()
    record = load(world, STAFF, dry_run=True)
    assert not Employee.objects.exists() and User.objects.count() == users
    assert (record.dry_run, record.rows, record.created, record.invitations_total) == (
        True,
        4,
        4,
        0,
    )
    assert not AuditEntry.objects.filter(action="accounts.staff.import").exists()


def test_loading_makes_employees_accounts_and_the_pegawai_role(world: World) -> None:
    record = load(world, STAFF)
    assert (record.created, record.updated, record.leaving, record.invitations_total) == (
        4,
        0,
        0,
        4,
    )
    andi = Employee.objects.select_related("user", "superior", "opd").get(nip=nip(3))
    assert andi.superior is not None and andi.superior.nip == nip(2)
    assert andi.opd == world.bpkad_binjai and andi.position == "Analis"
    assert andi.user.email == "andi@binjai.test" and andi.user.nip == nip(3)
    assert not andi.user.has_usable_password()  # set from the invitation's link
    assert list(RoleAssignment.objects.filter(user=andi.user).values_list("role", "pemda")) == [
        (Role.PEGAWAI, world.binjai.pk)
    ]
    entry = AuditEntry.objects.get(action="accounts.staff.import")
    assert entry.data["created"] == 4 and entry.data["pemda"] == "12.75"


def test_a_reimport_updates_in_place_marks_leavers_and_brings_back_returners(world: World) -> None:
    load(world, STAFF)
    before = {e.nip: (e.pk, e.user_id, e.created_at) for e in Employee.objects.all()}
    wati_user = Employee.objects.get(nip=nip(4)).user
    # Lestari moves to PUPR with a new address; Wati has left.
    changed = [
        r for r in with_row(1, opd="PUPR", email="lestari.baru@binjai.test") if r[0] != nip(4)
    ]
    record = load(world, changed)
    assert (record.created, record.updated, record.unchanged, record.leaving) == (0, 1, 2, 1)
    lestari = Employee.objects.select_related("user").get(nip=nip(2))
    assert lestari.opd == world.pupr_binjai and lestari.user.email == "lestari.baru@binjai.test"
    wati = Employee.objects.get(nip=nip(4))
    assert not wati.is_active and wati.left_at is not None
    assert wati.user == wati_user  # never deleted: what she reported stays hers
    assert not RoleAssignment.objects.filter(user=wati_user, role=Role.PEGAWAI).exists()
    # Every row is the same row as before: updated in place, keyed by NIP.
    for e in Employee.objects.all():
        assert (e.pk, e.user_id, e.created_at) == before[e.nip]
    # Wati returns.
    record = load(world, STAFF)
    assert (record.returning, record.leaving) == (1, 0)
    wati.refresh_from_db()
    assert wati.is_active and wati.left_at is None
    assert RoleAssignment.objects.filter(user=wati_user, role=Role.PEGAWAI).exists()


def test_an_existing_account_is_reused_and_keeps_its_roles(world: World) -> None:
    rows = [*STAFF, (nip(5), "Rina Siregar", "OPERATOR@Binjai.test", "BPKAD", "Analis", nip(2))]
    load(world, rows)
    rina = world.operator_binjai
    assert Employee.objects.get(nip=nip(5)).user == rina
    assert set(RoleAssignment.objects.filter(user=rina).values_list("role", flat=True)) == {
        Role.OPERATOR,
        Role.PEGAWAI,
    }


def test_the_admin_cannot_import_themselves_out_of_their_admin_role(world: World) -> None:
    admin = world.admin_binjai
    load(world, [*STAFF, (nip(6), "Budi Nasution", admin.email, "BPKAD", "Analis", "")])
    load(world, STAFF)  # and leaves the list again
    assert RoleAssignment.objects.filter(user=admin, role=Role.ADMIN_PEMDA).exists()
    assert not RoleAssignment.objects.filter(user=admin, role=Role.PEGAWAI).exists()
    assert not Employee.objects.get(nip=nip(6)).is_active


def test_another_pemdas_admin_cannot_import_here(world: World) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        load(world, STAFF, actor=world.admin_pekalongan)
    with pytest.raises(Http404):
        load(world, STAFF, actor=world.operator_binjai)
    assert not Employee.objects.exists()


# --- Invitations in the background ------------------------------------------------------------


def _many(count: int, start: int = 100) -> list[tuple[str, str, str, str, str, str]]:
    head = (nip(start), "Kepala", f"p{start}@binjai.test", "BPKAD", "Kepala", "")
    return [head] + [
        (nip(start + i), f"Pegawai {i}", f"p{start + i}@binjai.test", "PUPR", "Analis", nip(start))
        for i in range(1, count)
    ]


def test_invitations_go_out_in_batches_in_the_background_and_count_their_progress(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        record = load(world, _many(150))
    assert mail.outbox == [] and len(queued) == 1  # nothing sent inside the import
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    record.refresh_from_db()
    assert (record.invitations_total, record.invitations_sent, record.invitations_failed) == (
        150,
        150,
        0,
    )
    assert record.invitations_finished_at is not None
    assert len(mail.outbox) == 150
    first = next(m for m in mail.outbox if m.to == ["p101@binjai.test"])
    assert "/sandi/atur/" in first.body  # a new account sets its password first
    assert not Employee.objects.filter(invited_at__isnull=True).exists()
    # A re-import invites nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        again = load(world, _many(150))
    assert again.invitations_total == 0 and len(mail.outbox) == 150


def test_a_failed_invitation_is_counted_and_sent_by_the_next_import(
    world: World, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.mail import send_mail

    def refusing(*, recipient_list: list[str], **kwargs: Any) -> int:
        if recipient_list == ["andi@binjai.test"]:
            raise OSError("mailbox unavailable")
        return send_mail(recipient_list=recipient_list, **kwargs)

    monkeypatch.setattr("cegah.accounts.services.send_mail", refusing)
    with django_capture_on_commit_callbacks(execute=True):
        record = load(world, STAFF)
    record.refresh_from_db()
    assert (record.invitations_sent, record.invitations_failed) == (3, 1)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = load(world, STAFF)
    again.refresh_from_db()
    assert (again.invitations_total, again.invitations_sent) == (1, 1)
    assert mail.outbox[-1].to == ["andi@binjai.test"]


# --- Query budget -------------------------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_query_count_does_not_grow_with_the_rows(world: World, dry_run: bool) -> None:
    def queries(rows: Sequence[Sequence[str]]) -> int:
        with CaptureQueriesContext(connection) as captured:
            load(world, rows, dry_run=dry_run)
        return len(captured)

    small = queries(_many(200, start=1000))
    # A second Pemda-sized file again: the first's employees are updated, the second's new.
    large = queries(_many(200, start=1000) + _many(200, start=2000))
    assert large <= small
    assert small < 40


def test_a_list_read_in_chunks_loads_superiors_named_in_a_later_chunk(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is read and loaded a chunk at a time; here chunks of 3, with every employee
    listed before their superior, so each superior arrives in a later chunk."""
    monkeypatch.setattr("cegah.accounts.staff.CHUNK", 3)
    staff = list(reversed(_many(10)))
    assert staff[0][5] == nip(100) and staff[-1][0] == nip(100)  # the head comes last
    record = load(world, staff)
    assert (record.rows, record.created) == (10, 10)
    superiors = dict(Employee.objects.values_list("nip", "superior__nip"))
    assert superiors == {row[0]: row[5] or None for row in staff}
    # Moved under another superior, across chunks, and nothing else: one employee updated.
    moved = [(*row[:5], nip(101)) if row[0] == nip(109) else row for row in staff]
    again = load(world, moved)
    assert (again.updated, again.unchanged) == (1, 9)
    assert Employee.objects.values_list("superior__nip", flat=True).get(nip=nip(109)) == nip(101)


def test_a_loop_and_a_missing_superior_across_chunks_are_still_found(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cegah.accounts.staff.CHUNK", 2)
    rows = [
        (nip(1), "A", "a@binjai.test", "BPKAD", "", nip(5)),
        (nip(2), "B", "b@binjai.test", "BPKAD", "", nip(7)),  # nip(7) is not listed
        (nip(3), "C", "c@binjai.test", "BPKAD", "", ""),
        (nip(4), "D", "d@binjai.test", "BPKAD", "", ""),
        (nip(5), "E", "e@binjai.test", "BPKAD", "", nip(1)),  # 1 → 5 → 1
    ]
    said = problems_of(world, rows)
    assert any("Baris 3" in p and nip(7) in p and "tidak ada dalam berkas" in p for p in said)
    assert any("lingkaran: baris 2 → 6 → 2" in p for p in said)
    assert not Employee.objects.exists()


def test_the_memory_of_a_check_grows_by_its_keys_only(world: World) -> None:
    """What a dry run keeps per row is the whole-list keys (NIP, line, superior, email), not the
    rows: doubling the list adds well under a kilobyte a row (2.7 KB before the rows streamed)."""
    import tracemalloc

    def peak(count: int) -> int:
        content = csv_bytes(_many(count, start=1000))
        tracemalloc.start()
        try:
            load(world, (), content=content, dry_run=True)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(200)  # the first run imports and caches what any run needs
    small, large = peak(1000), peak(2000)
    assert (large - small) / 1000 < 600, (small, large)


# --- Pages -----------------------------------------------------------------------------------


def _upload(client, world: World, content: bytes, name: str = "pegawai.csv", **extra: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("accounts:staff_import", kwargs={"code": world.binjai.code}),
        {"file": SimpleUploadedFile(name, content), "check": "1", **extra},
    )


def test_the_admin_checks_confirms_and_loads_and_sees_the_invitations_progress(
    world: World, login, django_capture_on_commit_callbacks
) -> None:
    client = login(world.admin_binjai)
    url = reverse("accounts:staff_import", kwargs={"code": world.binjai.code})
    assert "Impor daftar pegawai Kota Binjai" in client.get(url).content.decode()
    checked = _upload(client, world, csv_bytes(STAFF))
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "Hasil pemeriksaan (belum dimuat)" in page
    assert re.search(r"Baru</th><td>4</td>", page)
    assert not Employee.objects.exists()
    signed = re.search(r'name="checked" value="([^"]+)"', page)
    assert signed is not None
    asking = client.post(url, {"checked": signed.group(1), "load": "1"})
    assert asking.status_code == 200 and 'name="confirm" value="yes"' in asking.content.decode()
    assert "4 pegawai dari pegawai.csv" in asking.content.decode()
    assert not Employee.objects.exists()  # nothing before the yes
    with django_capture_on_commit_callbacks(execute=False) as queued:
        done = client.post(url, {"checked": signed.group(1), "load": "1", "confirm": "yes"})
    record = StaffImport.objects.get(dry_run=False)
    assert done.status_code == 302 and done.url == reverse(
        "accounts:staff_import_detail", kwargs={"code": "12.75", "pk": record.pk}
    )
    assert Employee.objects.count() == 4
    running = client.get(done.url, HTTP_HX_REQUEST="true").content.decode()
    assert "0 dari 4 undangan terkirim" in running and 'hx-trigger="every 3s"' in running
    for callback in queued:
        callback()
    finished = client.get(done.url).content.decode()
    assert "4 dari 4 undangan terkirim" in finished and "hx-trigger" not in finished


def test_a_bad_file_shows_every_problem_in_a_table_and_loads_nothing(world: World, login) -> None:
    client = login(world.admin_binjai)
    response = _upload(client, world, csv_bytes(with_row(0, nip_atasan=nip(2))))
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 masalah; tidak ada yang dimuat." in page
    assert (
        "<td>2</td><td>F (nip_atasan)</td><td>atasan membentuk lingkaran: baris 2 → 3 → 2.</td>"
        in page
    )
    assert not Employee.objects.exists() and not StaffImport.objects.exists()


def test_the_staff_list_searches_filters_and_shows_superior_and_invitation(
    world: World, login
) -> None:
    load(world, STAFF)
    load(world, STAFF[:3])  # Wati leaves
    client = login(world.inspektorat_binjai)
    url = reverse("accounts:staff_list", kwargs={"code": "12.75"})
    page = client.get(url).content.decode()
    assert "Andi Sembiring" in page and "Lestari Ginting" in page and "Wati Purba" not in page
    assert "Belum diundang" in page
    by_nip = client.get(url, {"q": nip(3)[:10] + " " + nip(3)[10:]}).content.decode()
    assert "Andi Sembiring" in by_nip and "Hasan Basri</td>" not in by_nip
    by_opd = client.get(url, {"opd": world.pupr_binjai.pk, "status": "semua"}).content.decode()
    assert "Wati Purba" in by_opd and "Andi Sembiring" not in by_opd
    left = client.get(url, {"status": "keluar"}).content.decode()
    assert "Wati Purba" in left and "Keluar, tercatat" in left
    assert "Impor daftar pegawai" not in page  # the Inspektorat reads, the Admin imports


@pytest.mark.parametrize(
    "who", ["admin_pekalongan", "operator_binjai", "pegawai", "verifier_sumut", "koordinator"]
)
def test_others_get_404_on_the_staff_pages(world: World, login, who: str) -> None:
    record = load(world, STAFF)
    if who == "pegawai":
        person = Employee.objects.get(nip=nip(3)).user
        add_confirmed_device(person)
    else:
        person = getattr(world, who)
    client = login(person)
    for name, kwargs in (
        ("accounts:staff_list", {"code": "12.75"}),
        ("accounts:staff_import", {"code": "12.75"}),
        ("accounts:staff_import_detail", {"code": "12.75", "pk": record.pk}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    assert _upload(client, world, csv_bytes(STAFF)).status_code == 404


def test_the_inspektorat_may_read_the_list_but_not_import(world: World, login) -> None:
    client = login(world.inspektorat_binjai)
    assert client.get(reverse("accounts:staff_list", kwargs={"code": "12.75"})).status_code == 200
    assert client.get(reverse("accounts:staff_import", kwargs={"code": "12.75"})).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world: World, client) -> None:
    for name in ("accounts:staff_list", "accounts:staff_import"):
        response = client.get(reverse(name, kwargs={"code": "12.75"}))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_pemdas_import_record_is_404_for_this_admin(world: World, login) -> None:
    record = load(world, STAFF)
    client = login(world.admin_pekalongan)
    url = reverse("accounts:staff_import_detail", kwargs={"code": "33.75", "pk": record.pk})
    assert client.get(url).status_code == 404


def test_a_pegawai_sets_a_password_from_the_invitation_signs_in_and_holds_only_pegawai(
    world: World, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        load(world, STAFF)
    body = str(next(m.body for m in mail.outbox if m.to == ["andi@binjai.test"]))
    link = re.search(r"https?://\S+", body)
    assert link is not None
    form_page = client.get(urlsplit(link.group(0)).path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "Pempek-Kapal-Selam-88", "new_password2": "Pempek-Kapal-Selam-88"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "Andi@Binjai.test", "password": "Pempek-Kapal-Selam-88"},
    )
    assert signed_in.status_code == 302  # on to the second step, as everyone
    user = User.objects.get(email="andi@binjai.test")
    assert str(client.session["_auth_user_id"]) == str(user.pk)
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.PEGAWAI
    ]


# --- The command, the UPG role, the demo ------------------------------------------------------


def test_the_command_checks_and_loads_with_the_same_service(
    world: World, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(STAFF))
    call_command("staff_import", str(path), "--pemda", "12.75", "--dry-run")
    assert "4 employees: 4 new" in capsys.readouterr().out and not Employee.objects.exists()
    call_command("staff_import", str(path), "--pemda", "12.75")
    assert Employee.objects.filter(pemda=world.binjai).count() == 4
    assert StaffImport.objects.get(dry_run=False).via == "manage.py staff_import"
    path.write_bytes(csv_bytes(with_row(3, nip="123")))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("staff_import", str(path), "--pemda", "12.75")
    assert "Baris 5, kolom A (nip)" in capsys.readouterr().err


def test_the_admin_pemda_invites_the_upg_of_their_own_pemda_but_not_pegawai(
    world: World, login
) -> None:
    roles = invitable_roles(user=world.admin_binjai, pemda=world.binjai)
    assert Role.UPG in roles and Role.PEGAWAI not in roles
    assert Role.UPG not in invitable_roles(user=world.admin_binjai, pemda=world.kota_pekalongan)
    client = login(world.admin_binjai)
    url = reverse("accounts:pemda_members", kwargs={"code": "12.75"})
    response = client.post(url, {"email": "upg@binjai.test", "full_name": "Tim UPG", "role": "upg"})
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__email="upg@binjai.test").role == Role.UPG
    refused = client.post(url, {"email": "p@binjai.test", "full_name": "P", "role": "pegawai"})
    assert refused.status_code == 200 and not User.objects.filter(email="p@binjai.test").exists()


@pytest.mark.usefixtures("demo_on")
def test_the_demo_has_palembangs_staff_and_two_pegawai_who_sign_in(regions: None) -> None:
    call_command("seed_demo")
    palembang = Pemda.objects.get(code="16.71")
    employees = Employee.objects.filter(pemda=palembang)
    assert employees.count() == 29 and employees.filter(superior__isnull=True).count() == 1
    pegawai = User.objects.get(email="pegawai.palembang@cegah.test")
    assert pegawai.check_password(settings.DEMO_PASSWORD)
    assert pegawai.employee.superior is not None
    assert pegawai.employee.superior.user.email == "atasan.palembang@cegah.test"
    assert list(RoleAssignment.objects.filter(user=pegawai).values_list("role", flat=True)) == [
        Role.PEGAWAI
    ]
    call_command("seed_demo")
    assert StaffImport.objects.filter(pemda=palembang).count() == 1


def test_a_second_pemdas_role_does_not_make_its_admin_see_this_list(world: World, login) -> None:
    RoleAssignmentFactory.create(user=world.admin_pekalongan, role=Role.TPI, pemda=world.binjai)
    client = login(world.admin_pekalongan)
    assert client.get(reverse("accounts:staff_list", kwargs={"code": "12.75"})).status_code == 404


def test_the_users_page_leaves_pegawai_to_the_staff_list(world: World, login) -> None:
    load(world, [*STAFF, (nip(5), "Rina Siregar", world.operator_binjai.email, "BPKAD", "", "")])
    client = login(world.admin_binjai)
    page = client.get(reverse("accounts:pemda_members", kwargs={"code": "12.75"})).content.decode()
    assert "Andi Sembiring" not in page  # thousands of Pegawai would bury the Pemda's roles
    assert "Rina Siregar" in page and "Operator OPD" in page
    assert ">Pegawai<" not in page and "Pegawai —" not in page
