from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.testing.factories import PASSWORD, make_user
from cegah.testing.world import World
from cegah.wbs import crypto, proof_of_work, services
from cegah.wbs.models import Report, ReportGrant
from cegah.wbs.services import ReportContent, ReporterIdentity, Upload

SubmitFn = Callable[..., tuple[Report, str]]


def key_of(user: User) -> bytes:
    """The handler's private key, opened with the test password as at sign-in (the key pair is
    made the first time, as a handler's first sign-in makes it)."""
    private_key = services.handler_key_open(user=user, password=PASSWORD)
    assert private_key is not None, f"{user.email} handles no reports"
    return private_key


@pytest.fixture(autouse=True)
def _handler_key_pairs(request: pytest.FixtureRequest) -> None:
    # The world's handlers have signed in once since key pairs came: reports are sealed to them.
    if "world" in request.fixturenames:
        world: World = request.getfixturevalue("world")
        key_of(world.inspektorat_binjai)
        key_of(world.koordinator)


@pytest.fixture
def inspektorat_sumut(world: World) -> User:
    user = make_user("irda@sumutprov.test", "Togar Simanjuntak")
    RoleAssignment.objects.create(user=user, role=Role.INSPEKTORAT, pemda=world.sumut)
    key_of(user)
    return user


@pytest.fixture
def second_koordinator(world: World) -> User:
    """Another national handler beside world.koordinator."""
    user = make_user("korsup2@kpk.test", "Sari Korsup")
    RoleAssignment.objects.create(user=user, role=Role.KOORDINATOR)
    key_of(user)
    return user


@pytest.fixture
def submit(world: World) -> SubmitFn:
    def _submit(
        *,
        pemda=None,
        what: str = "Pungutan liar saat pengurusan izin usaha di kantor layanan terpadu.",
        who_name: str = "Pak Kepala Seksi",
        who_unit: str = "DPMPTSP",
        identity: ReporterIdentity | None = None,
        names_inspectorate: bool = False,
        uploads: list[Upload] | None = None,
        type: str = "korupsi",
    ) -> tuple[Report, str]:
        report, receipt = services.report_submit(
            pemda=pemda or world.binjai,
            type=type,
            content=ReportContent(
                what=what,
                who_name=who_name,
                who_position="Kepala Seksi Perizinan",
                who_unit=who_unit,
                when="Maret 2026",
                where="Kantor DPMPTSP",
                how="Meminta uang tunai di luar tarif resmi.",
                estimated_loss=15_000_000,
            ),
            identity=identity,
            names_inspectorate=names_inspectorate,
            uploads=uploads or [],
        )
        RECEIPTS[report.pk] = receipt
        return report, receipt

    return _submit


def solved(purpose: str, bits: int | None = None) -> dict[str, str]:
    challenge = proof_of_work.issue(purpose=purpose, bits=bits)
    return {
        "pow_token": challenge.token,
        "pow_solution": proof_of_work.solve(challenge.token, challenge.bits),
    }


def jpeg_with_gps() -> bytes:
    """A photo as a phone takes it: EXIF with the camera, a comment and a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x9286] = "Rahasia pelapor"  # UserComment (in IFD0 for simplicity)
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (3.0, 35.0, 52.0)  # Binjai, 3°35'N
    gps[3] = "E"
    gps[4] = (98.0, 29.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


# The receipts of the reports `submit` made, so a test can act as their reporter.
RECEIPTS: dict[int, str] = {}


def reporter_key_of(report: Report) -> bytes:
    """The reporter's private key, derived from the receipt as at the follow-up sign-in."""
    return crypto.reporter_private_key(RECEIPTS[report.pk], bytes(report.reporter_salt or b""))


def opened_by(report: Report, user: User) -> bytes:
    """The report's key as this handler's key opens it."""
    return services.report_key_for(report=report, user=user, private_key=key_of(user))


def opened_by_reporter(report: Report) -> bytes:
    if report.reporter_salt is None:  # made before key pairs and its reporter not back since
        return crypto.unwrap_legacy_key(report.key_id, bytes(report.sealed_key or b""))
    return services.reporter_report_key(report=report, reporter_key=reporter_key_of(report))


def as_legacy(report: Report) -> Report:
    """The report as one made before key pairs was stored: its key sealed with a master key of
    the key file, and to nobody's key pair."""
    key = opened_by_reporter(report)
    ring = crypto.keyring()
    if not ring.keys:
        ring = crypto.KeyRing(ring.receipt_salt, ((crypto.new_key_id(), crypto.new_secret_key()),))
        crypto.write_keyring(ring)
    key_id, master = ring.keys[0]
    ReportGrant.objects.filter(report=report).delete()
    Report.objects.filter(pk=report.pk).update(
        key_id=key_id,
        sealed_key=crypto.seal(master, key),
        reporter_salt=None,
        reporter_public_key=None,
        reporter_sealed_key=None,
        escrow_sealed_key=None,
    )
    report.refresh_from_db()
    return report
