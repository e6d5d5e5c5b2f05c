from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.testing.factories import make_user
from cegah.testing.world import World
from cegah.wbs import proof_of_work, services
from cegah.wbs.models import Report
from cegah.wbs.services import ReportContent, ReporterIdentity, Upload

SubmitFn = Callable[..., tuple[Report, str]]


@pytest.fixture
def inspektorat_sumut(world: World) -> User:
    user = make_user("irda@sumutprov.test", "Togar Simanjuntak")
    RoleAssignment.objects.create(user=user, role=Role.INSPEKTORAT, pemda=world.sumut)
    return user


@pytest.fixture
def second_koordinator(world: World) -> User:
    """Another national handler beside world.koordinator."""
    user = make_user("korsup2@kpk.test", "Sari Korsup")
    RoleAssignment.objects.create(user=user, role=Role.KOORDINATOR)
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
        return services.report_submit(
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
