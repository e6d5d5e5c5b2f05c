"""Evidence bytes move from MCP's own EvidenceFile table to the shared uploads.StoredFile.

The files stay where they are in storage (same names, same bytes); only the rows move. Reversible:
going back recreates each EvidenceFile from its StoredFile row.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def _settle(schema_editor):
    # PostgreSQL defers foreign-key checks to the end of the transaction; a later ALTER TABLE in the
    # same migration refuses to run while those checks are pending, so run them now.
    schema_editor.connection.check_constraints()


def to_stored_files(apps, schema_editor):
    EvidenceFile = apps.get_model("mcp", "EvidenceFile")
    Evidence = apps.get_model("mcp", "Evidence")
    StoredFile = apps.get_model("uploads", "StoredFile")
    for old in EvidenceFile.objects.select_related("pemda").iterator():
        new = StoredFile.objects.create(
            purpose="mcp.evidence",
            scope=old.pemda.code,
            file=old.file.name,
            sha256=old.sha256,
            size=old.size,
            content_type=old.content_type,
            stored_on=timezone.localdate(old.created_at),
        )
        Evidence.objects.filter(blob_id=old.pk).update(stored_file_id=new.pk)
    _settle(schema_editor)


def to_evidence_files(apps, schema_editor):
    EvidenceFile = apps.get_model("mcp", "EvidenceFile")
    Evidence = apps.get_model("mcp", "Evidence")
    StoredFile = apps.get_model("uploads", "StoredFile")
    Pemda = apps.get_model("regions", "Pemda")
    pemda_ids = dict(Pemda.objects.values_list("code", "pk"))
    for new in StoredFile.objects.filter(purpose="mcp.evidence").iterator():
        old = EvidenceFile.objects.create(
            pemda_id=pemda_ids[new.scope],
            sha256=new.sha256,
            size=new.size,
            content_type=new.content_type,
            file=new.file.name,
        )
        Evidence.objects.filter(stored_file_id=new.pk).update(blob_id=old.pk, stored_file_id=None)
    # A raw delete: the historical StoredFile may know relations whose columns are gone already.
    StoredFile.objects.filter(purpose="mcp.evidence")._raw_delete(schema_editor.connection.alias)
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("mcp", "0008_score_snapshot_indexed_by_unique_constraints"),
        ("regions", "0001_initial"),
        ("uploads", "0001_stored_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="stored_file",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mcp_evidence",
                to="uploads.storedfile",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="blob",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="uses",
                to="mcp.evidencefile",
            ),
        ),
        migrations.RunPython(to_stored_files, to_evidence_files),
        migrations.RemoveField(model_name="evidence", name="blob"),
        migrations.AlterField(
            model_name="evidence",
            name="stored_file",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mcp_evidence",
                to="uploads.storedfile",
            ),
        ),
        migrations.DeleteModel(name="EvidenceFile"),
    ]
