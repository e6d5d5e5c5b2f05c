"""A published version records what was still unfinished when the Koordinator published anyway,
and an award says what its value counts. Awards already given get the unit of their rule in
data/mcp/awards.yaml as it stood: m² for the land area, points for the score rules."""

from typing import Any

from django.db import migrations, models

LAND_AREA = "sertifikasi-luasan-terbanyak"


def units_of_awards_given(apps: Any, schema_editor: Any) -> None:
    award = apps.get_model("mcp", "Award")
    award.objects.filter(rule=LAND_AREA).update(unit_id="m²", unit_en="m²")
    award.objects.exclude(rule=LAND_AREA).update(unit_id="poin", unit_en="points")


class Migration(migrations.Migration):
    dependencies = [
        ("mcp", "0010_answer_state_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="unit_en",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="award",
            name="unit_id",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="scoresnapshot",
            name="unfinished",
            field=models.JSONField(blank=True, default=dict),
        ),
        # Going back drops the columns: nothing to undo in the rows.
        migrations.RunPython(units_of_awards_given, migrations.RunPython.noop),
    ]
