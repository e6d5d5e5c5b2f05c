"""Stored report states in English, like every other workflow's (diterima -> received, ...).

The labels people read stay Indonesian (and English) through gettext. Audit entries written before
this migration keep the old values in their data: the chain is hashed and never rewritten.
"""

from django.db import migrations, models

NEW = {
    "diterima": "received",
    "verifikasi": "verifying",
    "ditolak": "rejected",
    "diteruskan": "forwarded",
    "ditindaklanjuti": "followed_up",
    "selesai": "done",
}
OLD = {new: old for old, new in NEW.items()}


def _rename(apps, mapping):
    for model in ("Report", "StateChange"):
        rows = apps.get_model("wbs", model).objects
        for before, after in mapping.items():
            rows.filter(state=before).update(state=after)


def to_english(apps, schema_editor):
    _rename(apps, NEW)


def to_indonesian(apps, schema_editor):
    _rename(apps, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("wbs", "0002_attachments_in_shared_stored_files"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="report",
            name="wbs_report_state_valid",
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="wbs_report_closed_on_iff_closed",
        ),
        migrations.AlterField(
            model_name="report",
            name="state",
            field=models.CharField(
                choices=[
                    ("received", "Diterima"),
                    ("verifying", "Verifikasi"),
                    ("rejected", "Ditolak"),
                    ("forwarded", "Diteruskan"),
                    ("followed_up", "Ditindaklanjuti"),
                    ("done", "Selesai"),
                ],
                default="received",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="statechange",
            name="state",
            field=models.CharField(
                choices=[
                    ("received", "Diterima"),
                    ("verifying", "Verifikasi"),
                    ("rejected", "Ditolak"),
                    ("forwarded", "Diteruskan"),
                    ("followed_up", "Ditindaklanjuti"),
                    ("done", "Selesai"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(to_english, to_indonesian),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "state__in",
                        ["received", "verifying", "rejected", "forwarded", "followed_up", "done"],
                    )
                ),
                name="wbs_report_state_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("closed_on__isnull", False),
                        ("state__in", ("rejected", "forwarded", "done")),
                    ),
                    models.Q(
                        models.Q(("state__in", ("rejected", "forwarded", "done")), _negated=True),
                        ("closed_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="wbs_report_closed_on_iff_closed",
            ),
        ),
    ]
