"""Attachments are shown and downloaded as "lampiran-<number>.<extension>"; the name each file
was uploaded under (sealed until now) is dropped.

Existing attachments are numbered in the order they came within their report, and their
extension is taken from the type found in their content when they were checked. Going back
seals "lampiran-<number>.<extension>" as each one's name: the original names are gone for good,
which is the point. Going back needs the key file, as reading any report does.
"""

from django.db import migrations, models
from django.db.models import Q

# The types WBS attachments are accepted as (cegah.uploads.inspection.ACCEPTED), one extension
# each; written out here so that this migration does not change when that table does.
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def number_attachments(apps, schema_editor):
    Attachment = apps.get_model("wbs", "Attachment")
    numbers: dict[int, int] = {}
    for attachment in Attachment.objects.select_related("stored_file").order_by("report_id", "pk"):
        numbers[attachment.report_id] = numbers.get(attachment.report_id, 0) + 1
        Attachment.objects.filter(pk=attachment.pk).update(
            number=numbers[attachment.report_id],
            extension=EXTENSIONS.get(attachment.stored_file.content_type, "bin"),
        )


def seal_numbered_names(apps, schema_editor):
    from cegah.wbs import crypto

    Attachment = apps.get_model("wbs", "Attachment")
    for attachment in Attachment.objects.select_related("report"):
        report = attachment.report
        key = crypto.unwrap_report_key(report.key_id, bytes(report.sealed_key))
        name = f"lampiran-{attachment.number}.{attachment.extension}"
        Attachment.objects.filter(pk=attachment.pk).update(
            sealed_name=crypto.seal(key, name.encode())
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wbs", "0007_handlers_work_together"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="number",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="attachment",
            name="extension",
            field=models.CharField(default="", max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(number_attachments, seal_numbered_names),
        # So that going back can add the column again to rows that exist (and then fill it).
        migrations.AlterField(
            model_name="attachment",
            name="sealed_name",
            field=models.BinaryField(default=b""),
        ),
        migrations.RemoveField(
            model_name="attachment",
            name="sealed_name",
        ),
        migrations.AlterField(
            model_name="attachment",
            name="number",
            field=models.PositiveIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(
                fields=("report", "number"), name="wbs_attachment_number_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.CheckConstraint(
                condition=Q(number__gte=1), name="wbs_attachment_number_from_1"
            ),
        ),
    ]
