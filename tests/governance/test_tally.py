"""The dashboard's pre-aggregated counts stay exact through every event write, the rebuild
gives the same counts, and the dashboard reads them only where they answer exactly."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.factories import WUXING, make_user
from tests.governance.conftest import fire, new_event, to_state
from tongban.core.permissions import Role
from tongban.governance import tally
from tongban.governance.dashboard import build, split_period, tally_prefixes
from tongban.governance.models import Event, EventTally


def stored() -> dict[tuple, tuple]:
    """The tally's rows that count something."""
    return {
        (r.month, r.county, r.dimension, r.key): (r.n, r.closed, r.on_time, r.days_n, r.days_sum)
        for r in EventTally.objects.all()
        if any((r.n, r.closed, r.on_time, r.days_n, r.days_sum))
    }


def expected() -> dict[tuple, tuple]:
    """What the events themselves add up to, counted one by one."""
    sums: dict[tuple, Counter] = {}
    for values in Event.objects.values(*tally.TALLY_FIELDS):
        for key, row in tally.contribution(values).items():
            sums.setdefault(key, Counter())
            for i, n in enumerate(row):
                sums[key][i] += n
    return {key: tuple(c[i] for i in range(5)) for key, c in sums.items()}


def run_a_sequence(world) -> None:
    closed = to_state(world, new_event(world), "closed")
    fire(world, closed, "rate_satisfied", "dispatcher")
    unhappy = to_state(world, new_event(world, channel="hotline", reporter_name="李四"), "closed")
    fire(world, unhappy, "rate_unsatisfied", "dispatcher", "还是堵着")
    fire(world, new_event(world, category=world.consultation), "cancel", "dispatcher", "无效")
    to_state(world, new_event(world, urgency="urgent"), "accepted")
    old = new_event(world, created_at=timezone.now() - datetime.timedelta(days=70))
    fire(world, old, "verify", "dispatcher")


def test_tally_equals_the_live_counts_after_reports_and_transitions(world):
    run_a_sequence(world)
    assert stored() == expected()
    assert sum(n for (*_k, dim, _key), (n, *_r) in stored().items() if dim == "total") == 5


def test_tally_equals_the_live_counts_after_a_rebuild(world):
    run_a_sequence(world)
    before = stored()
    EventTally.objects.all().delete()
    out = StringIO()
    call_command("rebuild_event_tally", stdout=out)
    assert "tally rows" in out.getvalue()
    assert stored() == expected() == before


def test_a_refused_transition_leaves_the_tally_unchanged(world):
    event = new_event(world)
    before = stored()
    with pytest.raises(ValidationError), transaction.atomic():
        fire(world, event, "handle", "handler", "")
    assert stored() == before == expected()


def test_deleting_an_event_takes_it_out_of_the_tally(world):
    event = new_event(world)
    new_event(world)
    Event.objects.get(pk=event.pk).delete()
    assert stored() == expected()


def test_dashboard_from_the_tally_equals_the_live_dashboard(world):
    run_a_sequence(world)
    today = timezone.localdate()
    for start in (today - datetime.timedelta(days=365), today - datetime.timedelta(days=3)):
        live = build(Event.objects.all(), start, today)
        fast = build(Event.objects.all(), start, today, tally_prefixes(world.dispatcher))
        for name in (
            "total",
            "by_channel",
            "by_state",
            "by_village",
            "closed",
            "on_time",
            "mean_days_to_close",
            "satisfaction",
        ):
            assert getattr(fast, name) == getattr(live, name), name
        assert sorted(fast.by_category) == sorted(live.by_category)


def test_partial_months_shared_with_other_events_are_counted_live(world):
    month = datetime.date(2026, 3, 1)
    tz = timezone.get_current_timezone()
    new_event(world, created_at=datetime.datetime(2026, 3, 2, 9, tzinfo=tz))
    new_event(world, created_at=datetime.datetime(2026, 3, 20, 9, tzinfo=tz))
    # 10–31 March: the 2 March event lies outside the period in the same month
    months, live = split_period(datetime.date(2026, 3, 10), datetime.date(2026, 4, 30))
    assert months == [datetime.date(2026, 4, 1)]
    assert live == [(datetime.date(2026, 3, 10), datetime.date(2026, 3, 31))]
    board = build(Event.objects.all(), datetime.date(2026, 3, 10), datetime.date(2026, 4, 30), [""])
    assert board.total == 1
    # 1–25 March: nothing else in the month, so the whole month comes from the tally
    assert split_period(month, datetime.date(2026, 3, 25)) == ([month], [])
    assert build(Event.objects.all(), month, datetime.date(2026, 3, 25), [""]).total == 2


def test_users_scoped_below_a_county_or_to_a_unit_are_counted_live(world):
    assert tally_prefixes(world.dispatcher) == [WUXING[:6]]
    assert tally_prefixes(world.grid_worker) is None
    assert tally_prefixes(world.handler) is None
    city = make_user("city", Role.GOVERNANCE_REVIEWER, region="330500000000")
    assert tally_prefixes(city) == ["3305"]
