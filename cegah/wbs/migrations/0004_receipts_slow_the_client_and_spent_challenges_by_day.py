"""Wrong receipts no longer raise the proof of work for everyone (the per-window counter goes),
and a spent challenge keeps its day, keyed by its nonce (a counter numbered reports in order).

Spent challenges live two hours at most: the table is recreated empty rather than converted.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wbs", "0003_report_states_in_english")]

    operations = [
        migrations.DeleteModel(name="ReceiptFailures"),
        migrations.DeleteModel(name="SpentChallenge"),
        migrations.CreateModel(
            name="SpentChallenge",
            fields=[
                ("nonce", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("expires_on", models.DateField(db_index=True)),
            ],
        ),
    ]
