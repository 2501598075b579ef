"""Working days on the statutory calendar, with 调休 make-up days and provisional years."""

from __future__ import annotations

import datetime

import pytest

from tongban.core import calendar
from tongban.core.models import CalendarDay, PublishedSchedule

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


def test_national_day_holiday_is_skipped():
    # 2026-09-30 is the last working day before 国庆; the holiday runs 10-01 to 10-07
    assert calendar.add_working_days(D(2026, 9, 30), 1) == calendar.WorkingDate(
        D(2026, 10, 8), False
    )


def test_makeup_saturday_counts_as_a_working_day():
    # 2026-10-10 is a Saturday worked in exchange (调休)
    assert calendar.is_working_day(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 9, 30), 3).date == D(2026, 10, 10)


def test_working_days_between_across_the_holiday():
    assert calendar.working_days_between(D(2026, 9, 28), D(2026, 10, 12)) == 6
    assert calendar.working_days_between(D(2026, 10, 12), D(2026, 9, 28)) == -6


def test_zero_days_rolls_forward_to_a_working_day():
    assert calendar.add_working_days(D(2026, 10, 3), 0).date == D(2026, 10, 8)


def test_unpublished_year_counts_weekends_only_and_is_provisional():
    result = calendar.add_working_days(D(2027, 1, 1), 1)  # a Friday
    assert result == calendar.WorkingDate(D(2027, 1, 4), True)
    assert calendar.is_provisional(2027)
    assert not calendar.is_provisional(2026)


def test_crossing_into_an_unpublished_year_marks_the_answer_provisional():
    assert calendar.add_working_days(D(2026, 12, 30), 5).provisional


def test_operator_schedule_changes_the_answer_and_signals_recompute():
    received: list[set[int]] = []

    def listener(sender, years, **kwargs):
        received.append(years)

    calendar.schedule_changed.connect(listener)
    try:
        CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
        CalendarDay.objects.create(date=D(2027, 1, 4), kind="holiday", name="元旦")
        CalendarDay.objects.create(date=D(2027, 1, 9), kind="workday", name="元旦调休")
        assert calendar.add_working_days(D(2026, 12, 31), 1).date == D(2027, 1, 5)
        assert calendar.is_working_day(D(2027, 1, 9))
        assert calendar.is_provisional(2027)
        PublishedSchedule.objects.create(year=2027, source="国办发明电〔2026〕")
        assert not calendar.is_provisional(2027)
        assert not calendar.add_working_days(D(2027, 3, 1), 3).provisional
    finally:
        calendar.schedule_changed.disconnect(listener)
    assert {2027} in received


def test_operator_correction_overrides_the_library():
    CalendarDay.objects.create(date=D(2026, 10, 9), kind="holiday", name="临时调整")
    assert not calendar.is_working_day(D(2026, 10, 9))


def test_negative_count_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 5), -1)
