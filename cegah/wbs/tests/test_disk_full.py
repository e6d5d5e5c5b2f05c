"""A report whose attachment meets a full disk: the reporter is told so on the form (what they
wrote stays in it), and no report, row or file is left behind."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cegah.testing.disk import fill, pdf_page, small_filesystem
from cegah.uploads.models import StoredFile
from cegah.wbs.models import Attachment, Report

from .test_confidentiality import pdf_with
from .test_pages import report_data

pytestmark = pytest.mark.django_db


def test_an_attachment_on_a_full_disk_is_refused_clearly_and_leaves_nothing(
    world, settings, tmp_path
) -> None:
    with small_filesystem(tmp_path / "full", kib=1024) as media:
        settings.MEDIA_ROOT = media
        fill(media, leave_kib=100)
        response = Client().post(
            reverse("wbs_public:report_new", args=[world.binjai.code]),
            report_data(
                attachments=[
                    SimpleUploadedFile("a.pdf", pdf_with("Kuitansi", "Budi")),
                    SimpleUploadedFile("b.pdf", pdf_page(300_000)),
                ]
            ),
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Ruang penyimpanan server sedang penuh" in html
        assert "fee 10%" in html  # what the person wrote stays in the form
        assert not Report.objects.exists() and not Attachment.objects.exists()
        assert not StoredFile.objects.exists()
        # The first file, stored before the second met the full disk, went with the rollback.
        assert [p for p in Path(media).rglob("*") if p.is_file()] == [media / "filler"]
