from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("purpose", models.CharField(max_length=40)),
                ("scope", models.CharField(blank=True, max_length=40)),
                ("file", models.FileField(max_length=200, upload_to="")),
                ("sha256", models.CharField(max_length=64)),
                ("size", models.PositiveBigIntegerField()),
                ("content_type", models.CharField(max_length=120)),
                ("stored_on", models.DateField()),
            ],
            options={
                "verbose_name": "berkas tersimpan",
                "verbose_name_plural": "berkas tersimpan",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("scope", ""), _negated=True),
                        fields=("purpose", "scope", "sha256"),
                        name="stored_file_once_per_scope",
                    ),
                    models.UniqueConstraint(fields=("file",), name="stored_file_name_unique"),
                ],
            },
        ),
    ]
