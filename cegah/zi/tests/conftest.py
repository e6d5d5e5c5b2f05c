from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cegah.uploads.tests.files import PDF
from cegah.zi import services
from cegah.zi.models import Unit
from cegah.zi.tests.test_lke_and_scoring import TEST_LKE


@pytest.fixture
def declared_unit(world) -> Callable[..., list[Unit]]:
    """Units of Kota Binjai's BPKAD (by default), declared today, with the test LKE loaded."""
    services.lke_import(path=TEST_LKE)

    def make(*names: str, opd=None) -> list[Unit]:
        units = [
            services.unit_create(
                actor=world.admin_binjai,
                pemda=world.binjai,
                opd=opd or world.bpkad_binjai,
                name=name,
            )
            for name in names or ("BPKAD",)
        ]
        services.declaration_create(
            actor=world.admin_binjai,
            pemda=world.binjai,
            declared_on=timezone.localdate(),
            upload=SimpleUploadedFile("pakta.pdf", PDF),
            units=units,
        )
        for unit in units:
            unit.refresh_from_db()
        return units

    return make
