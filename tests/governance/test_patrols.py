"""Grid patrols: answers only from the item's options, a failed check raises a hazard event
in the loop, grids as records linked to events."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories import WUXING, make_user
from tests.governance.community import make_fire_checklist, make_grid
from tests.governance.conftest import new_event
from tongban.core.permissions import Role
from tongban.governance import patrols
from tongban.governance.models import ChecklistItem, Event, Grid, PatrolAnswer, PatrolTask
from tongban.governance.patrols import Answer
from tongban.governance.views import queue_for

pytestmark = pytest.mark.django_db


def new_task(world, grid, template, **kw) -> PatrolTask:
    task = PatrolTask(grid=grid, template=template, place="幸福小区3幢", **kw)
    return patrols.assign_patrol(task, user=world.dispatcher)


def answers(template, *values) -> dict[int, Answer]:
    items = list(template.items.order_by("position"))
    return {item.pk: Answer(v) for item, v in zip(items, values, strict=True)}


def test_failed_exit_check_creates_a_hazard_event_in_the_dispatchers_queue(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template, assignee=world.grid_worker)

    task = patrols.submit_patrol(task, answers(template, "是", "堵塞"), user=world.grid_worker)

    assert task.status == "done"
    assert task.failed_checks == 1
    event = Event.objects.get()
    assert event.category == world.fire_exit
    assert event.channel == "grid"
    assert event.grid == grid
    assert event.region == world.village
    assert "安全出口和疏散通道畅通" in event.description
    assert event.status == "reported"
    assert event in queue_for(world.dispatcher)
    failed = PatrolAnswer.objects.get(task=task, passed=False)
    assert failed.event == event
    assert PatrolAnswer.objects.filter(task=task, passed=True, event=None).count() == 1


def test_passed_patrol_creates_no_event(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    task = patrols.submit_patrol(task, answers(template, "是", "畅通"), user=world.grid_worker)
    assert task.status == "done" and task.failed_checks == 0
    assert not Event.objects.exists()


def test_item_without_its_own_category_uses_the_templates(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    patrols.submit_patrol(task, answers(template, "否", "畅通"), user=world.grid_worker)
    assert Event.objects.get().category == world.hazards


def test_patrol_answer_outside_its_options_is_refused_and_nothing_saved(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    with pytest.raises(ValidationError) as err:
        patrols.submit_patrol(task, answers(template, "是", "有点堵"), user=world.grid_worker)
    assert (
        "“安全出口和疏散通道畅通”的回答“有点堵”不在可选答案中（畅通、堵塞）" in err.value.messages
    )
    assert PatrolTask.objects.get(pk=task.pk).status == "assigned"
    assert not PatrolAnswer.objects.exists() and not Event.objects.exists()


def test_patrol_with_an_unanswered_item_is_refused(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    first = template.items.order_by("position").first()
    with pytest.raises(ValidationError) as err:
        patrols.submit_patrol(task, {first.pk: Answer("是")}, user=world.grid_worker)
    assert "请回答检查项“安全出口和疏散通道畅通”" in err.value.messages


def test_a_done_patrol_cannot_be_submitted_again(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    patrols.submit_patrol(task, answers(template, "是", "畅通"), user=world.grid_worker)
    with pytest.raises(ValidationError):
        patrols.submit_patrol(task, answers(template, "是", "堵塞"), user=world.grid_worker)
    assert not Event.objects.exists()


def test_a_grid_worker_of_another_grid_may_not_submit(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    other = make_user("grid2", Role.GRID_WORKER, region=world.village.code)
    with pytest.raises(ValidationError):
        patrols.submit_patrol(task, answers(template, "是", "畅通"), user=other)


def test_assignee_must_work_the_grid(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    other = make_user("grid2", Role.GRID_WORKER, region=world.village.code)
    with pytest.raises(ValidationError) as err:
        new_task(world, grid, template, assignee=other)
    assert "assignee" in err.value.message_dict


def test_checklist_passing_answers_must_come_from_the_options(world):
    template = make_fire_checklist(world)
    item = ChecklistItem(template=template, question="x", options=["是", "否"], passing=["可以"])
    with pytest.raises(ValidationError) as err:
        item.full_clean()
    assert "passing" in err.value.message_dict


def test_grid_lies_in_a_village(world):
    grid = Grid(region=world.township, code="T-1", name="镇网格")
    with pytest.raises(ValidationError) as err:
        grid.full_clean()
    assert "region" in err.value.message_dict


def test_event_picks_the_reporting_workers_grid(world):
    grid = make_grid(world)
    event = new_event(world)
    assert event.grid == grid


def test_event_grid_must_lie_in_its_village(world):
    other_village = world.township.children.exclude(code=world.village.code).first()
    grid = Grid(region=other_village, code="G-9", name="别村网格")
    grid.full_clean()
    grid.save()
    with pytest.raises(ValidationError) as err:
        new_event(world, grid=grid)
    assert "grid" in err.value.message_dict


def test_grids_are_scoped_by_region(world):
    make_grid(world)
    outsider = make_user("grid_nanxun", Role.GRID_WORKER, region="330503000000")
    assert Grid.objects.restrict(world.grid_worker).count() == 1
    assert Grid.objects.restrict(outsider).count() == 0
    assert (
        Grid.objects.restrict(make_user("d2", Role.GOVERNANCE_DISPATCHER, region=WUXING)).count()
        == 1
    )


def test_packaged_checklists_load_with_the_packaged_categories(world):
    from tongban.governance.reference import load_categories

    load_categories()
    created, kept = patrols.load_default_templates()
    assert created == 2 and kept == 0
    assert patrols.load_default_templates() == (0, 2)


def test_a_dispatcher_held_for_a_unit_sees_the_grids_of_his_region(world):
    make_grid(world)
    unit_dispatcher = make_user(
        "d_unit", Role.GOVERNANCE_DISPATCHER, region=WUXING, organization=world.county_unit
    )
    assert Grid.objects.restrict(unit_dispatcher).count() == 1


def test_an_answer_to_a_check_of_another_checklist_is_refused(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    task = new_task(world, grid, template)
    given = answers(template, "是", "畅通")
    given[999999] = Answer("是")
    with pytest.raises(ValidationError) as err:
        patrols.submit_patrol(task, given, user=world.grid_worker)
    assert "检查项不属于该巡查清单：999999" in err.value.messages
    assert PatrolTask.objects.get(pk=task.pk).status == "assigned"


def test_a_cancelled_patrol_needs_a_reason_and_only_a_dispatcher_cancels(world):
    from tongban.core import workflow

    grid = make_grid(world)
    task = new_task(world, grid, make_fire_checklist(world))
    with pytest.raises(ValidationError):
        workflow.fire(task, "cancel", user=world.grid_worker, reason="不去了")
    with pytest.raises(ValidationError) as err:
        workflow.fire(task, "cancel", user=world.dispatcher)
    assert "reason" in err.value.message_dict
    assert workflow.fire(task, "cancel", user=world.dispatcher, reason="重复派发").status == (
        "cancelled"
    )
