"""Opening a reporter's identity takes a second handler's approval, its reason is sealed with the
report's key, and its dates are days. Requests already made were one handler's decision: they
stay approved (by the same person, as it was then), their reasons sealed now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def seal_reasons(apps, schema_editor):
    from cegah.wbs import crypto

    Disclosure = apps.get_model("wbs", "IdentityDisclosure")
    for row in Disclosure.objects.select_related("report"):
        key = crypto.unwrap_report_key(row.report.key_id, bytes(row.report.sealed_key))
        day = timezone.localdate(row.disclosed_at)
        Disclosure.objects.filter(pk=row.pk).update(
            sealed_reason=crypto.seal(key, row.reason.encode()),
            requested_on=day,
            approved_by_id=row.user_id,
            approved_on=day,
        )
    # PostgreSQL defers foreign-key checks to the transaction's end; the ALTER TABLEs that
    # follow refuse to run while they are pending.
    schema_editor.connection.check_constraints()


def unseal_reasons(apps, schema_editor):
    from datetime import datetime, time

    from cegah.wbs import crypto

    Disclosure = apps.get_model("wbs", "IdentityDisclosure")
    for row in Disclosure.objects.select_related("report"):
        key = crypto.unwrap_report_key(row.report.key_id, bytes(row.report.sealed_key))
        Disclosure.objects.filter(pk=row.pk).update(
            reason=crypto.unseal(key, bytes(row.sealed_reason)).decode(),
            disclosed_at=timezone.make_aware(datetime.combine(row.requested_on, time(12))),
        )
    schema_editor.connection.check_constraints()


class Migration(migrations.Migration):
    dependencies = [
        ("wbs", "0005_follow_epoch_for_revocable_follow_cookies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="identitydisclosure",
            name="sealed_reason",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="identitydisclosure",
            name="requested_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="identitydisclosure",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="identitydisclosure",
            name="approved_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="identitydisclosure",
            name="reason",
            field=models.TextField(default=""),
        ),
        migrations.AlterField(
            model_name="identitydisclosure",
            name="disclosed_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(seal_reasons, unseal_reasons),
        migrations.RemoveField(model_name="identitydisclosure", name="reason"),
        migrations.RemoveField(model_name="identitydisclosure", name="disclosed_at"),
        migrations.AlterField(
            model_name="identitydisclosure",
            name="requested_on",
            field=models.DateField(),
        ),
    ]
