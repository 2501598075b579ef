"""Risk warnings: each rule firing and not firing, one open warning per rule and subject,
acknowledgement and closure through the transition mechanism, the page by region."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.governance.conftest import fire, new_event, to_state
from tests.governance.mediation_world import centres, new_case  # noqa: F401
from tongban.core import workflow
from tongban.governance import risk_warnings
from tongban.governance.models import Event, RiskWarning, WarningRule

pytestmark = pytest.mark.django_db


def rule(kind: str, **kw) -> WarningRule:
    values = {"code": kind.replace("_", "-"), "name": kind, "kind": kind, "level": "yellow"}
    values.update(kw)
    r = WarningRule(**values)
    r.full_clean()
    r.save()
    return r


def days_ago(event: Event, days: int) -> None:
    Event.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_repeat_address_fires_at_the_threshold_within_the_window(world):
    rule("repeat_address", threshold=3, window_days=30)
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    assert risk_warnings.evaluate().raised == 0
    new_event(world, address="幸福小区3幢")
    assert risk_warnings.evaluate().raised == 1
    warning = RiskWarning.objects.get()
    assert (warning.count, warning.level, warning.region_id) == (3, "yellow", world.village.code)
    assert warning.owner == world.dispatcher


def test_repeat_address_does_not_count_events_before_the_window(world):
    rule("repeat_address", threshold=3, window_days=30)
    old = new_event(world, address="幸福小区3幢")
    days_ago(old, 40)
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    assert risk_warnings.evaluate().raised == 0


def test_repeat_reporter_fires_for_one_phone_and_stores_it_masked(world):
    rule("repeat_reporter", threshold=2, window_days=7)
    for address in ("一号楼", "二号楼"):
        new_event(
            world,
            channel="hotline",
            user=world.dispatcher,
            address=address,
            reporter_name="赵六",
            reporter_phone="13812345678",
        )
    new_event(
        world,
        channel="hotline",
        user=world.dispatcher,
        reporter_name="钱七",
        reporter_phone="13900000000",
    )
    result = risk_warnings.evaluate()
    assert result.raised == 1
    warning = RiskWarning.objects.get()
    assert "13812345678" not in warning.subject_label + warning.subject_key
    assert warning.count == 2


def test_anonymous_reports_do_not_make_a_repeat_reporter(world):
    rule("repeat_reporter", threshold=2, window_days=7)
    for _ in range(2):
        new_event(world, channel="hotline", user=world.dispatcher, anonymous=True)
    assert risk_warnings.evaluate().raised == 0


def test_a_category_spike_against_the_townships_own_baseline_fires(world):
    rule("category_spike", threshold=3, window_days=7, baseline_days=28, factor=2)
    old = new_event(world)  # one a month before: a baseline of 0.25 a week
    days_ago(old, 14)
    for _ in range(3):
        new_event(world)
    assert risk_warnings.evaluate().raised == 1
    warning = RiskWarning.objects.get()
    assert warning.region_id == world.township.code and warning.count == 3


def test_no_spike_when_the_township_always_has_that_many(world):
    rule("category_spike", threshold=3, window_days=7, baseline_days=28, factor=2)
    for age in range(8, 36, 2):  # fourteen in the four weeks before: 3.5 a week
        days_ago(new_event(world), age)
    for _ in range(3):
        new_event(world)
    assert risk_warnings.evaluate().raised == 0


def test_many_party_dispute_fires_and_two_parties_do_not(world, centres):  # noqa: F811
    rule("many_party", threshold=5)
    new_case(centres)
    assert risk_warnings.evaluate().raised == 0
    new_case(centres, "甲", "乙", "丙", "丁", "戊", title="土地征收多方纠纷")
    assert risk_warnings.evaluate().raised == 1
    assert RiskWarning.objects.get().count == 5


def test_repeated_dissatisfaction_fires_on_the_second_unsatisfied_rating(world):
    rule("repeated_dissatisfaction", threshold=2, level="orange")
    event = to_state(world, new_event(world), "closed")
    event = fire(world, event, "rate_unsatisfied", "dispatcher", "没有解决")
    assert risk_warnings.evaluate().raised == 0
    event = fire(world, event, "accept", "handler")
    event = fire(world, event, "handle", "handler", "再次清理")
    event = fire(world, event, "review_pass", "reviewer")
    fire(world, event, "rate_unsatisfied_again", "dispatcher", "还是没有解决")
    assert risk_warnings.evaluate().raised == 1
    assert RiskWarning.objects.get().level == "orange"


def test_many_overdue_events_in_one_unit_fire(world):
    rule("unit_overdue", threshold=2, level="red")
    first = to_state(world, new_event(world), "dispatched")
    Event.objects.filter(pk=first.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert risk_warnings.evaluate().raised == 0
    second = to_state(world, new_event(world, address="二号楼"), "dispatched")
    Event.objects.filter(pk=second.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert risk_warnings.evaluate().raised == 1
    assert RiskWarning.objects.get().region_id == world.village_unit.region_id


def test_evaluation_is_idempotent_one_open_warning_per_rule_and_subject(world):
    rule("repeat_address", threshold=2)
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    risk_warnings.evaluate()
    new_event(world, address="幸福小区3幢")
    result = risk_warnings.evaluate()
    assert (result.raised, result.updated) == (0, 1)
    assert RiskWarning.objects.get().count == 3


def test_a_closed_warning_comes_back_only_on_new_evidence(world):
    rule("repeat_address", threshold=2)
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    risk_warnings.evaluate()
    warning = RiskWarning.objects.get()
    warning = workflow.fire(warning, "acknowledge", user=world.dispatcher)
    with pytest.raises(ValidationError):
        workflow.fire(warning, "close", user=world.dispatcher)
    workflow.fire(warning, "close", user=world.dispatcher, reason="已现场处置")
    assert risk_warnings.evaluate().raised == 0
    new_event(world, address="幸福小区3幢")
    assert risk_warnings.evaluate().raised == 1
    assert RiskWarning.objects.filter(status="open").count() == 1


def test_a_handler_cannot_acknowledge_a_warning(world):
    rule("repeat_address", threshold=2)
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    risk_warnings.evaluate()
    warning = RiskWarning.objects.get()
    assert workflow.available(warning, world.handler) == []


def test_the_command_runs_the_rules_and_a_dry_run_writes_nothing(world, capsys):
    rule("repeat_address", threshold=2)
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    call_command("evaluate_warnings", "--dry-run")
    assert not RiskWarning.objects.exists()
    call_command("evaluate_warnings")
    call_command("evaluate_warnings")
    assert RiskWarning.objects.count() == 1
    assert "raised 1" in capsys.readouterr().out


def test_open_warnings_by_region(world):
    rule("repeat_address", threshold=2, level="red")
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    risk_warnings.evaluate()
    rows = risk_warnings.open_by_region(RiskWarning.objects.restrict(world.dispatcher))
    assert [(r.name, r.counts["red"], r.total) for r in rows] == [(world.township.name, 1, 1)]
