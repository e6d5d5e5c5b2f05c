"""The move of MCP evidence and WBS attachment rows into the shared StoredFile table loses nothing.

The data is made the way people make it (through the services), the schema is taken back to before
the shared table existed, one more evidence revision is added there with the old models, and the
migrations are run forward again: every file keeps its bytes (SHA-256), every row its file.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cegah.mcp.models import Evidence, IndicatorAssignment, Period, SubIndicator
from cegah.mcp.services import catalogue_import
from cegah.mcp.services.reporting import evidence_add
from cegah.mcp.tests.conftest import CATALOGUES, make_period
from cegah.uploads.models import StoredFile
from cegah.uploads.tests import files
from cegah.wbs import crypto
from cegah.wbs.models import Attachment
from cegah.wbs.services import ReportContent, Upload, report_submit
from cegah.wbs.tests.conftest import RECEIPTS, as_legacy, jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("mcp", "0008_score_snapshot_indexed_by_unique_constraints"), ("wbs", "0001_reports")]


def _sha256_in_storage(name: str) -> str:
    with default_storage.open(name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def _make_evidence_and_attachments(world) -> None:
    catalogue = catalogue_import(path=CATALOGUES / "valid.yaml").catalogue
    catalogue.opened_at = timezone.now()
    catalogue.save()
    period = make_period(state=Period.State.OPEN)
    IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=catalogue.indicators.get(code="PRC.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    for code, data in (("PRC.1.1", files.PDF), ("PRC.1.2", files.PDF)):  # the same bytes twice
        evidence_add(
            user=world.operator_binjai,
            pemda=world.binjai,
            period=period,
            sub_indicator_id=SubIndicator.objects.get(code=code).pk,
            upload=SimpleUploadedFile("notulen.pdf", data),
            effective_date=timezone.localdate(),
            valid_until=None,
        )
    report, receipt = report_submit(
        pemda=world.binjai,
        type="korupsi",
        content=ReportContent(what="Pungutan liar di loket izin.", who_name="Pak Seksi"),
        identity=None,
        names_inspectorate=False,
        uploads=[Upload("foto.jpg", io.BytesIO(jpeg_with_gps()))],
    )
    # Migrating back past key pairs needs the report as it was then: sealed with a master key.
    RECEIPTS[report.pk] = receipt
    as_legacy(report)


def test_rows_move_to_stored_files_and_every_file_keeps_its_bytes(
    world, settings, tmp_path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cegah.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    _make_evidence_and_attachments(world)
    plain_photo = crypto.unseal(
        crypto.unwrap_report_key(
            Attachment.objects.get().report.key_id,
            bytes(Attachment.objects.get().report.sealed_key or b""),
        ),
        default_storage.open(str(Attachment.objects.get().stored_file.file.name)).read(),
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)  # back to before the shared table: the reverse migrations run
        old = executor.loader.project_state(BEFORE).apps
        assert "storedfile" not in {m._meta.model_name for m in old.get_models()}
        OldFile = old.get_model("mcp", "EvidenceFile")
        OldEvidence = old.get_model("mcp", "Evidence")
        OldAttachment = old.get_model("wbs", "Attachment")
        # One more revision made with the old models, its file written the old way.
        second = default_storage.save("evidence/12.75/xx/second.png", io.BytesIO(files.png()))
        first = OldEvidence.objects.get(revision=1, answer__sub_indicator__code="PRC.1.1")
        blob = OldFile.objects.create(
            pemda_id=world.binjai.pk,
            sha256=hashlib.sha256(files.png()).hexdigest(),
            size=len(files.png()),
            content_type="image/png",
            file=second,
        )
        OldEvidence.objects.create(
            answer_id=first.answer_id,
            blob=blob,
            revision=2,
            original_name="foto.png",
            effective_date=timezone.localdate(),
            uploaded_by_id=world.operator_binjai.pk,
        )
        before_evidence = {
            e.pk: (e.blob.file.name, e.blob.sha256) for e in OldEvidence.objects.all()
        }
        before_attachments = {
            a.pk: (a.storage_name, _sha256_in_storage(a.storage_name), a.size, a.content_type)
            for a in OldAttachment.objects.all()
        }
        assert len(before_evidence) == 3 and OldFile.objects.count() == 2
        assert len(before_attachments) == 1
        on_disk_before = {
            p.relative_to(tmp_path / "media"): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in Path(tmp_path / "media").rglob("*")
            if p.is_file()
        }
        executor.loader.build_graph()
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)

    # Every evidence revision points at a stored file with the same name and bytes.
    for evidence in Evidence.objects.select_related("stored_file"):
        name, sha256 = before_evidence[evidence.pk]
        assert evidence.stored_file.file.name == name
        assert evidence.stored_file.sha256 == sha256 == _sha256_in_storage(name)
        assert evidence.stored_file.scope == world.binjai.code
    assert StoredFile.objects.filter(purpose="mcp.evidence").count() == 2
    for attachment in Attachment.objects.select_related("stored_file"):
        name, sha256, size, content_type = before_attachments[attachment.pk]
        stored = attachment.stored_file
        assert (stored.file.name, stored.sha256, stored.size, stored.content_type) == (
            name,
            sha256,
            size,
            content_type,
        )
    # The files themselves were not touched, and the attachment still opens with its key.
    on_disk_after = {
        p.relative_to(tmp_path / "media"): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in Path(tmp_path / "media").rglob("*")
        if p.is_file()
    }
    assert on_disk_after == on_disk_before
    attachment = Attachment.objects.select_related("report", "stored_file").get()
    key = crypto.unwrap_report_key(
        attachment.report.key_id, bytes(attachment.report.sealed_key or b"")
    )
    assert crypto.unseal(
        key, default_storage.open(str(attachment.stored_file.file.name)).read()
    ) == (plain_photo)
