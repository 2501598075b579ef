"""The grids migration turns the events' old grid text into grid records and keeps the text."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import WUXING, village_of

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("governance", "0003_reportercontactaccess")]
AFTER = [("governance", "0004_grids")]


@pytest.fixture
def back_to_the_latest_schema():
    """Migrating back to 0003 drops every table added after it (mediation's too): whatever
    happens in the test, leave the database at the latest migration of every app."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_old_grid_text_becomes_a_grid_record_linked_to_its_events(
    regions, back_to_the_latest_schema
):
    village = village_of(WUXING)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    category = old.get_model("governance", "Category").objects.create(
        code="X1", name="测试", kind="hazard", limit_normal=3, limit_urgent=1
    )
    Event = old.get_model("governance", "Event")
    for n, grid in enumerate(["一网格", "一网格", "", "二网格"]):
        Event.objects.create(
            code=f"T{n}",
            token=f"tok{n}",
            channel="grid",
            category=category,
            region_id=village.code,
            address="x",
            grid=grid,
            description="x",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Grid = new.get_model("governance", "Grid")
    Event = new.get_model("governance", "Event")
    assert sorted(Grid.objects.values_list("name", flat=True)) == ["一网格", "二网格"]
    first = Grid.objects.get(name="一网格")
    assert first.region_id == village.code
    assert Event.objects.filter(grid=first).count() == 2
    assert Event.objects.get(code="T0").grid_label == "一网格"
    assert Event.objects.get(code="T2").grid_id is None


def test_the_database_is_back_at_the_latest_schema_after_the_migration_test():
    from tongban.governance.models import PartyContactAccess

    assert PartyContactAccess._meta.db_table in connection.introspection.table_names()
