"""Migration mcp 0011 gives the awards already given the unit of their rule, and published
versions an empty record of what was unfinished; taken back, it drops both and loses nothing
else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cegah.mcp.models import Award, ScoreSnapshot

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("mcp", "0010_answer_state_history")]


def test_awards_given_before_units_get_their_rules_unit(published) -> None:
    given = {(a.pk, a.rule, a.value) for a in Award.objects.all()}
    assert {rule for _pk, rule, _value in given} == {
        "peningkatan-tertinggi",
        "nilai-tertinggi-provinsi",
    }
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("mcp", "Award")
        assert "unit_id" not in {f.name for f in old._meta.get_fields()}
        # One land-area award given the old way.
        first = old.objects.first()
        old.objects.create(
            snapshot_id=first.snapshot_id,
            rule="sertifikasi-luasan-terbanyak",
            name_id="Sertifikasi dengan Luasan Terbanyak",
            name_en="Most land area certified",
            category="kota",
            pemda_id=first.pemda_id,
            value=9000,
        )
        executor.loader.build_graph()
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)

    units = {(a.rule, a.unit_id, a.unit_en) for a in Award.objects.all()}
    assert units == {
        ("peningkatan-tertinggi", "poin", "points"),
        ("nilai-tertinggi-provinsi", "poin", "points"),
        ("sertifikasi-luasan-terbanyak", "m²", "m²"),
    }
    assert given <= {(a.pk, a.rule, a.value) for a in Award.objects.all()}
    assert all(s.unfinished == {} for s in ScoreSnapshot.objects.all())
