"""The one working-day calendar (工作日).

Statutory holidays and make-up working days (调休) come from chinese-calendar
for the years it publishes (2004-2026 in its current release) and from the
operator-edited ``CalendarDay`` table for later years (and corrections). A year
that neither covers (no ``PublishedSchedule`` row) counts weekends only and every
answer about it is marked provisional; when an operator publishes the year,
``schedule_changed`` is sent so that deadlines can be recomputed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from tongban.core.models.calendar import CalendarDay, PublishedSchedule
from tongban.core.refcache import reference

# Sent with ``years`` (a set of ints) whenever the schedule of those years changes.
schedule_changed = Signal()


def library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


REFRESH_SECONDS = 300  # other processes see an operator's edit within this time


@reference(watch=("core.CalendarDay", "core.PublishedSchedule"), seconds=REFRESH_SECONDS)
def _year(year: int) -> tuple[frozenset[datetime.date], bool]:
    """The non-working days of ``year`` and whether the year is provisional."""
    covered = library_covers(year)
    overrides = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))
    published = covered or PublishedSchedule.objects.filter(year=year).exists()
    off: set[datetime.date] = set()
    day = datetime.date(year, 1, 1)
    while day.year == year:
        kind = overrides.get(day)
        if kind == CalendarDay.Kind.HOLIDAY:
            working = False
        elif kind == CalendarDay.Kind.WORKDAY:
            working = True
        elif covered:
            working = chinese_calendar.is_workday(day)
        else:
            working = day.weekday() < 5
        if not working:
            off.add(day)
        day += datetime.timedelta(days=1)
    return frozenset(off), not published


def forget() -> None:
    _year.cache_clear()  # type: ignore[attr-defined]


def is_working_day(day: datetime.date) -> bool:
    return day not in _year(day.year)[0]


def is_provisional(year: int) -> bool:
    return _year(year)[1]


@dataclass(frozen=True)
class WorkingDate:
    date: datetime.date
    provisional: bool


def add_working_days(start: datetime.date, count: int) -> WorkingDate:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    ``count`` = 0 gives ``start`` if it is a working day, else the next one.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    provisional = is_provisional(start.year)
    if count == 0:
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
            provisional = provisional or is_provisional(day.year)
        return WorkingDate(day, provisional)
    left = count
    while left:
        day += datetime.timedelta(days=1)
        provisional = provisional or is_provisional(day.year)
        if is_working_day(day):
            left -= 1
    return WorkingDate(day, provisional)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    days = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
@receiver(post_save, sender=PublishedSchedule)
@receiver(post_delete, sender=PublishedSchedule)
def _schedule_edited(
    sender: type, instance: CalendarDay | PublishedSchedule, **kwargs: object
) -> None:
    forget()
    year = instance.year if isinstance(instance, PublishedSchedule) else instance.date.year
    schedule_changed.send(sender=sender, years={year})
