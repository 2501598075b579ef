"""Deadlines in working days on the statutory calendar; 催办, 通报 and escalation on overdue;
provisional deadlines recomputed when a year's schedule is published."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.governance.conftest import fire, new_event, to_state
from tongban.core import workflow
from tongban.core.models.calendar import CalendarDay, PublishedSchedule
from tongban.governance import services
from tongban.governance.deadlines import deadline_for, limit_for, overdue_working_days
from tongban.governance.models import Event

pytestmark = pytest.mark.django_db
D = datetime.date


def test_deadline_skips_the_national_day_holiday_and_counts_the_make_up_saturday():
    # dispatched Wed 2026-09-30; 10-01..10-07 are holidays; Sat 10-10 is a 调休 working day
    assert deadline_for(D(2026, 9, 30), 3).date == D(2026, 10, 10)
    assert deadline_for(D(2026, 9, 30), 5).date == D(2026, 10, 13)
    assert deadline_for(D(2026, 9, 30), 3).provisional is False


def test_deadline_counts_a_make_up_sunday_before_the_holiday():
    # Sun 2026-09-20 is a 调休 working day
    assert deadline_for(D(2026, 9, 18), 1).date == D(2026, 9, 20)


def test_deadline_in_an_unpublished_year_counts_weekends_only_and_is_provisional():
    due = deadline_for(D(2027, 9, 30), 3)  # Thu → Fri, Mon, Tue
    assert (due.date, due.provisional) == (D(2027, 10, 5), True)


def test_limit_depends_on_category_and_urgency(world):
    normal = new_event(world)
    urgent = new_event(world, urgency="urgent")
    assert (limit_for(normal), limit_for(urgent)) == (3, 1)


def test_clock_starts_at_dispatch(world):
    event = to_state(world, new_event(world), "registered")
    assert event.deadline is None
    event = fire(world, event, "dispatch", "dispatcher")
    today = timezone.localdate()
    assert event.deadline == deadline_for(today, 3).date
    assert event.deadline_provisional is False


def test_provisional_deadline_is_recomputed_when_the_year_is_published(world):
    event = to_state(world, new_event(world), "dispatched")
    Event.objects.filter(pk=event.pk).update(
        dispatched_at=datetime.datetime(2027, 9, 30, 10, tzinfo=datetime.UTC),
        deadline=D(2027, 10, 5),
        deadline_provisional=True,
    )
    for day in range(1, 8):
        CalendarDay.objects.create(date=D(2027, 10, day), kind=CalendarDay.Kind.HOLIDAY)
    PublishedSchedule.objects.create(year=2027)
    event = Event.objects.get(pk=event.pk)
    assert (event.deadline, event.deadline_provisional) == (D(2027, 10, 12), False)


def test_overdue_is_counted_in_working_days(world):
    event = Event(deadline=D(2026, 9, 30))
    assert overdue_working_days(event, D(2026, 9, 30)) == 0
    assert overdue_working_days(event, D(2026, 10, 9)) == 2


def _overdue(world, deadline: datetime.date) -> Event:
    event = to_state(world, new_event(world), "accepted")
    Event.objects.filter(pk=event.pk).update(deadline=deadline)
    return Event.objects.get(pk=event.pk)


def test_urged_the_day_after_the_deadline(world):
    event = _overdue(world, D(2026, 11, 27))
    assert services.supervise(D(2026, 11, 27)).urged == 0
    assert services.supervise(D(2026, 11, 30)).urged == 1
    event = Event.objects.get(pk=event.pk)
    assert event.urged_on == D(2026, 11, 30) and event.reported_overdue_on is None
    assert workflow.timeline(event).last().name == "urge"
    assert services.supervise(D(2026, 12, 1)).urged == 0  # once


@override_settings(TONGBAN_OVERDUE_NOTICE_DAYS=3)
def test_reported_past_the_configured_overdue_days(world):
    event = _overdue(world, D(2026, 11, 20))  # Fri; 11-25 is 3 working days over
    assert services.supervise(D(2026, 11, 24)).reported == 0
    assert services.supervise(D(2026, 11, 25)).reported == 1
    assert Event.objects.get(pk=event.pk).reported_overdue_on == D(2026, 11, 25)


@override_settings(TONGBAN_OVERDUE_ESCALATE_DAYS=5)
def test_escalated_to_the_level_above_when_overdue(world):
    event = _overdue(world, D(2026, 11, 20))
    result = services.supervise(D(2026, 11, 27))
    assert result.escalated == 1
    event = Event.objects.get(pk=event.pk)
    assert (event.status, event.unit, event.handoffs) == ("dispatched", world.township_unit, 2)
    assert event.deadline > D(2026, 11, 27)  # the new unit gets its own deadline
    assert workflow.timeline(event).last().by is None


def test_supervise_command_runs_the_supervision(world):
    from io import StringIO

    from django.core.management import call_command

    event = _overdue(world, D(2026, 11, 26))
    out = StringIO()
    call_command("supervise_events", "--date", "2026-11-30", stdout=out)
    assert "urged 1" in out.getvalue()
    assert Event.objects.get(pk=event.pk).urged_on == D(2026, 11, 30)


def test_workflow_diagram_in_the_docs_is_up_to_date():
    from pathlib import Path

    from tongban.core.management.commands.workflow_diagrams import render

    doc = Path(__file__).resolve().parents[2] / "docs" / "workflows" / "governance_event.md"
    assert doc.read_text(encoding="utf-8") == render(Event)
