"""Attachment bytes are described by the shared uploads.StoredFile instead of columns of their own.

The sealed files stay where they are in storage; each gets a StoredFile row with the SHA-256 of
its stored (sealed) bytes, read once here. Reversible.
"""

import hashlib

import django.db.models.deletion
from django.core.files.storage import default_storage
from django.db import migrations, models


def _sha256(name):
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _settle(schema_editor):
    # PostgreSQL defers foreign-key checks to the end of the transaction; a later ALTER TABLE in the
    # same migration refuses to run while those checks are pending, so run them now.
    schema_editor.connection.check_constraints()


def to_stored_files(apps, schema_editor):
    Attachment = apps.get_model("wbs", "Attachment")
    StoredFile = apps.get_model("uploads", "StoredFile")
    for attachment in Attachment.objects.iterator():
        stored = StoredFile.objects.create(
            purpose="wbs.attachment",
            file=attachment.storage_name,
            # A file already missing keeps an empty digest, which no backup check will match.
            sha256=_sha256(attachment.storage_name)
            if default_storage.exists(attachment.storage_name)
            else "",
            size=attachment.size,
            content_type=attachment.content_type,
            stored_on=attachment.created_on,
        )
        Attachment.objects.filter(pk=attachment.pk).update(stored_file_id=stored.pk)
    _settle(schema_editor)


def to_columns(apps, schema_editor):
    Attachment = apps.get_model("wbs", "Attachment")
    StoredFile = apps.get_model("uploads", "StoredFile")
    for attachment in Attachment.objects.select_related("stored_file").iterator():
        stored = attachment.stored_file
        Attachment.objects.filter(pk=attachment.pk).update(
            storage_name=stored.file.name,
            size=stored.size,
            content_type=stored.content_type,
            stored_file_id=None,
        )
    # A raw delete: the historical StoredFile may know relations whose columns are gone already.
    StoredFile.objects.filter(purpose="wbs.attachment")._raw_delete(schema_editor.connection.alias)
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("wbs", "0001_reports"),
        ("uploads", "0001_stored_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="stored_file",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="wbs_attachment",
                to="uploads.storedfile",
            ),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="storage_name",
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="content_type",
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.AlterField(
            model_name="attachment", name="size", field=models.PositiveIntegerField(null=True)
        ),
        migrations.RunPython(to_stored_files, to_columns),
        migrations.RemoveField(model_name="attachment", name="storage_name"),
        migrations.RemoveField(model_name="attachment", name="content_type"),
        migrations.RemoveField(model_name="attachment", name="size"),
        migrations.AlterField(
            model_name="attachment",
            name="stored_file",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="wbs_attachment",
                to="uploads.storedfile",
            ),
        ),
    ]
