"""Evidence uploaded while the server's disk is full: the operator is told so on the form, and
neither a row nor a file is left behind (no row without its file, no file without its row)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cegah.mcp.models import Evidence
from cegah.testing.disk import fill, pdf_of, small_filesystem
from cegah.uploads.models import StoredFile

pytestmark = pytest.mark.django_db


def test_evidence_on_a_full_disk_is_refused_clearly_and_leaves_nothing(
    world, reporting, login, settings, tmp_path
) -> None:
    with small_filesystem(tmp_path / "full", kib=1024) as media:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(media)}},
        }
        fill(media, leave_kib=100)
        url = reverse(
            "mcp:work_evidence", kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.1"].pk}
        )
        response = login(world.operator_binjai).post(
            url,
            {
                "file": SimpleUploadedFile("notulen.pdf", pdf_of(300_000)),
                "effective_date": timezone.localdate().isoformat(),
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert "Ruang penyimpanan server sedang penuh" in response.content.decode()
        assert not Evidence.objects.exists() and not StoredFile.objects.exists()
        assert [p for p in Path(media).rglob("*") if p.is_file()] == [media / "filler"]
        # Once there is room again, the same file is stored whole.
        (media / "filler").unlink()
        again = login(world.operator_binjai).post(
            url,
            {
                "file": SimpleUploadedFile("notulen.pdf", pdf_of(300_000)),
                "effective_date": timezone.localdate().isoformat(),
            },
            headers={"HX-Request": "true"},
        )
        assert "diunggah" in again.content.decode()
        stored = StoredFile.objects.get()
        assert (media / str(stored.file.name)).stat().st_size == stored.size
