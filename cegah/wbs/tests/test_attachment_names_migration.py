"""Migration 0008 numbers existing attachments and drops the names they were uploaded under."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cegah.uploads.tests import files
from cegah.wbs import crypto
from cegah.wbs.models import Attachment
from cegah.wbs.services import Upload

from .conftest import as_legacy, jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("wbs", "0007_handlers_work_together")]


def test_old_attachments_become_lampiran_n_and_their_names_go(submit, world) -> None:
    first, _ = submit(uploads=[Upload("IMG_20261205_143212.jpg", io.BytesIO(jpeg_with_gps()))])
    second, _ = submit(
        uploads=[
            Upload("Kuitansi Rahmawati.pdf", io.BytesIO(files.pdf_with_photo())),
            Upload("foto.jpeg", io.BytesIO(jpeg_with_gps())),
        ]
    )
    # Going back before key pairs needs reports as they were then: sealed with a master key.
    first, second = as_legacy(first), as_legacy(second)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)  # going back seals "lampiran-N.ext" as each one's name
        old = executor.loader.project_state(BEFORE).apps.get_model("wbs", "Attachment")
        key = crypto.unwrap_report_key(first.key_id, bytes(first.sealed_key or b""))
        (only,) = old.objects.filter(report_id=first.pk)
        assert crypto.unseal(key, bytes(only.sealed_name)) == b"lampiran-1.jpg"
        # Attachments as they were before: each with the name it was uploaded under, sealed.
        for attachment in old.objects.select_related("report"):
            report_key = crypto.unwrap_report_key(
                attachment.report.key_id, bytes(attachment.report.sealed_key)
            )
            old.objects.filter(pk=attachment.pk).update(
                sealed_name=crypto.seal(report_key, b"IMG_20261205_143212.jpg")
            )
        executor.loader.build_graph()
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    names = {(attachment.report_id, attachment.name) for attachment in Attachment.objects.all()}
    assert names == {
        (first.pk, "lampiran-1.jpg"),
        (second.pk, "lampiran-1.pdf"),
        (second.pk, "lampiran-2.jpg"),
    }
    assert not [f for f in Attachment._meta.get_fields() if f.name == "sealed_name"]
