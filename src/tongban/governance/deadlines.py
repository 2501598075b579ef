"""Deadlines in working days (工作日) on the one calendar in ``core.calendar``.

The clock starts at dispatch; the limit is the category's, per urgency. A deadline
in a year without a published schedule is provisional and is recomputed when an
operator enters that year (``schedule_changed``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from tongban.core.calendar import WorkingDate, add_working_days, working_days_between

if TYPE_CHECKING:
    from tongban.governance.models import Event


def limit_for(event: Event) -> int:
    category = event.category
    return int(category.limit_urgent if event.urgency == "urgent" else category.limit_normal)


def deadline_for(dispatched_on: datetime.date, working_days: int) -> WorkingDate:
    """The last day to finish: ``working_days`` working days after the dispatch day."""
    return add_working_days(dispatched_on, working_days)


def start_clock(event: Event) -> None:
    event.dispatched_at = timezone.now()
    event.extension_days = 0
    event.extension_requested_days = 0
    event.urged_on = None
    event.reported_overdue_on = None
    due = deadline_for(timezone.localdate(event.dispatched_at), limit_for(event))
    event.deadline, event.deadline_provisional = due.date, due.provisional


def extend(event: Event, days: int) -> None:
    event.extension_days += days
    recompute(event)


def recompute(event: Event) -> None:
    if event.dispatched_at is None:
        return
    due = deadline_for(
        timezone.localdate(event.dispatched_at), limit_for(event) + event.extension_days
    )
    event.deadline, event.deadline_provisional = due.date, due.provisional


def stop_clock(event: Event) -> None:
    event.closed_at = timezone.now()
    closed_on = timezone.localdate(event.closed_at)
    if event.dispatched_at is not None:
        event.working_days_to_close = max(
            0, working_days_between(timezone.localdate(event.dispatched_at), closed_on)
        )
    event.on_time = event.deadline is None or closed_on <= event.deadline


def overdue_working_days(event: Event, today: datetime.date) -> int:
    """Working days past the deadline (0 when not overdue)."""
    if event.deadline is None or today <= event.deadline:
        return 0
    return working_days_between(event.deadline, today)


def notice_after_days() -> int:
    """通报 once an event is this many working days overdue (setting)."""
    return int(getattr(settings, "TONGBAN_OVERDUE_NOTICE_DAYS", 5))


def escalate_after_days() -> int:
    """Escalate to the level above once this many working days overdue (setting)."""
    return int(getattr(settings, "TONGBAN_OVERDUE_ESCALATE_DAYS", 10))


def recompute_provisional(years: set[int], **kwargs: Any) -> int:
    """Recompute the provisional deadlines touching ``years``; returns how many changed."""
    from tongban.governance.models import Event
    from tongban.governance.models.event import CLOCK_STATES

    changed = 0
    for event in Event.objects.filter(deadline_provisional=True, status__in=CLOCK_STATES):
        if event.deadline is None or not (
            {event.deadline.year, timezone.localdate(event.dispatched_at).year} & years
            if event.dispatched_at
            else False
        ):
            continue
        before = (event.deadline, event.deadline_provisional)
        recompute(event)
        if (event.deadline, event.deadline_provisional) != before:
            Event.objects.filter(pk=event.pk).update(
                deadline=event.deadline, deadline_provisional=event.deadline_provisional
            )
            changed += 1
    return changed
