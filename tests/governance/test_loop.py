"""The event loop: every transition, every refusal, hand-offs, timeline, return visit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.governance.conftest import fire, new_event, png_upload, to_state
from tongban.core import workflow
from tongban.governance import services
from tongban.governance.models import Event, EventPhoto

pytestmark = pytest.mark.django_db


def test_report_creates_one_code_per_event_with_a_report_entry_in_the_timeline(world):
    a, b = new_event(world), new_event(world)
    assert a.code != b.code and len(a.code) == 16 and a.code[:8].isdigit()
    assert a.status == "reported"
    assert [e.name for e in workflow.timeline(a)] == ["report"]


def test_verify_register_dispatch_accept_handle_review_pass(world):
    event = new_event(world)
    event = to_state(world, event, "closed")
    assert event.status == "closed"
    assert event.unit == world.village_unit
    assert event.result == "已清理杂物，通道畅通"
    assert event.on_time is True and event.working_days_to_close == 0
    names = [e.name for e in workflow.timeline(event)]
    assert names == ["report", "verify", "register", "dispatch", "accept", "handle", "review_pass"]


def test_cancel_needs_a_reason_and_records_the_kind(world):
    event = new_event(world)
    with pytest.raises(ValidationError) as err:
        fire(world, event, "cancel", "dispatcher", cancel_kind="out_of_scope")
    assert "理由" in str(err.value)
    event = fire(world, event, "cancel", "dispatcher", "已进入诉讼程序", cancel_kind="out_of_scope")
    assert (event.status, event.cancel_kind) == ("cancelled", "out_of_scope")
    assert workflow.timeline(event).last().reason == "已进入诉讼程序"


def test_cancel_with_an_unknown_kind_is_refused(world):
    event = new_event(world)
    with pytest.raises(ValidationError, match="未知的作废类型"):
        fire(world, event, "cancel", "dispatcher", "x", cancel_kind="bored")
    assert Event.objects.get(pk=event.pk).status == "reported"


def test_handler_sends_back_with_reason_and_the_dispatcher_routes_again(world):
    event = to_state(world, new_event(world), "dispatched")
    event = fire(world, event, "send_back", "handler", "不属本村职责")
    assert (event.status, event.unit) == ("registered", None)
    event = fire(world, event, "dispatch", "dispatcher", unit_id=world.township_unit.pk)
    assert (event.unit, event.handoffs) == (world.township_unit, 2)


def test_transfer_between_units_counts_a_handoff(world):
    event = to_state(world, new_event(world), "accepted")
    event = fire(
        world, event, "transfer", "dispatcher", "由镇平安办处理", unit_id=world.township_unit.pk
    )
    assert (event.status, event.unit, event.handoffs) == ("dispatched", world.township_unit, 2)


def test_transfer_to_the_same_unit_is_refused(world):
    event = to_state(world, new_event(world), "accepted")
    with pytest.raises(ValidationError, match="相同"):
        fire(world, event, "transfer", "dispatcher", "x", unit_id=world.village_unit.pk)


def test_escalation_goes_to_the_next_level_up(world):
    event = to_state(world, new_event(world), "accepted")
    event = fire(world, event, "escalate", "handler", "本级无法解决")
    assert (event.unit, event.handoffs) == (world.township_unit, 2)
    event = fire(world, event, "accept", "township_handler")
    event = fire(world, event, "escalate", "township_handler", "需区级协调")
    assert (event.unit, event.handoffs) == (world.county_unit, 3)


def test_progress_notes_go_into_the_timeline(world):
    event = to_state(world, new_event(world), "accepted")
    event = fire(world, event, "add_progress", "handler", "已联系物业")
    assert event.status == "accepted"
    assert workflow.timeline(event).last().reason == "已联系物业"


def test_extension_asked_before_the_deadline_and_approved_moves_the_deadline(world):
    event = to_state(world, new_event(world), "accepted")
    before = event.deadline
    event = fire(world, event, "request_extension", "handler", "需采购材料", days=2)
    assert event.deadline == before and event.extension_requested_days == 2
    event = fire(world, event, "approve_extension", "dispatcher")
    assert event.deadline > before and event.extension_days == 2


def test_extension_refused_by_the_dispatcher_keeps_the_deadline(world):
    event = to_state(world, new_event(world), "accepted")
    before = event.deadline
    event = fire(world, event, "request_extension", "handler", "需采购材料", days=2)
    event = fire(world, event, "refuse_extension", "dispatcher", "可先临时处置")
    assert (event.deadline, event.extension_requested_days) == (before, 0)


def test_extension_after_the_deadline_is_refused(world):
    event = to_state(world, new_event(world), "accepted")
    Event.objects.filter(pk=event.pk).update(deadline="2026-01-05")
    event = Event.objects.get(pk=event.pk)
    with pytest.raises(ValidationError, match="不能执行"):
        fire(world, event, "request_extension", "handler", "来不及", days=2)


def test_handling_without_a_result_is_refused(world):
    event = to_state(world, new_event(world), "accepted")
    with pytest.raises(ValidationError):
        fire(world, event, "handle", "handler", "")
    assert Event.objects.get(pk=event.pk).status == "accepted"


def test_review_fail_sends_the_event_back_to_handling(world):
    event = to_state(world, new_event(world), "handled")
    event = fire(world, event, "review_fail", "reviewer", "通道仍有杂物")
    assert event.status == "accepted"


def test_review_of_an_event_not_yet_handled_is_refused(world):
    event = to_state(world, new_event(world), "accepted")
    with pytest.raises(ValidationError, match="不能执行"):
        fire(world, event, "review_pass", "reviewer")
    assert Event.objects.get(pk=event.pk).status == "accepted"


def test_a_transition_the_actor_may_not_make_is_refused(world):
    event = new_event(world)
    for who in ("grid_worker", "handler", "reviewer"):
        with pytest.raises(ValidationError, match="不能执行"):
            fire(world, event, "verify", who)
    event = to_state(world, event, "dispatched")
    with pytest.raises(ValidationError, match="不能执行"):
        fire(world, event, "accept", "township_handler")  # another unit's event
    assert Event.objects.get(pk=event.pk).status == "dispatched"


def test_satisfied_and_basically_satisfied_end_the_loop(world):
    a = to_state(world, new_event(world), "closed")
    a = fire(world, a, "rate_satisfied", "dispatcher")
    assert (a.status, a.satisfaction) == ("evaluated", "satisfied")
    b = to_state(world, new_event(world), "closed")
    b = services.rate_by_reporter(b.code, b.token, "rate_basically")
    assert (b.status, b.satisfaction) == ("evaluated", "basically")


def test_reporter_rating_needs_the_events_token(world):
    event = to_state(world, new_event(world), "closed")
    with pytest.raises(ValidationError, match="不能执行"):
        services.rate_by_reporter(event.code, "wrong-token", "rate_satisfied")
    assert Event.objects.get(pk=event.pk).status == "closed"


def test_unsatisfied_reopens_once_to_the_same_unit_then_escalates(world):
    event = to_state(world, new_event(world), "closed")
    event = fire(world, event, "rate_unsatisfied", "dispatcher", "杂物又堆回来了")
    assert (event.status, event.unit, event.reopened_count) == (
        "dispatched",
        world.village_unit,
        1,
    )
    event = fire(world, event, "accept", "handler")
    event = fire(world, event, "handle", "handler", "已清理并加装警示牌")
    event = fire(world, event, "review_pass", "reviewer")
    assert {t.name for t in workflow.available(event, world.dispatcher)} == {
        "rate_satisfied",
        "rate_basically",
        "rate_unsatisfied_again",
    }
    event = fire(world, event, "rate_unsatisfied_again", "dispatcher", "仍不满意")
    assert (event.status, event.unit) == ("dispatched", world.township_unit)


def test_handoffs_count_every_unit_that_held_the_event(world):
    event = to_state(world, new_event(world), "accepted")
    event = fire(world, event, "escalate", "handler", "本级无法解决")
    event = fire(world, event, "transfer", "dispatcher", "改由区里", unit_id=world.county_unit.pk)
    assert event.handoffs == 3


def test_photos_are_kept_with_the_report(world):
    event = new_event(world, photos=[png_upload()])
    photo = EventPhoto.objects.get(event=event)
    assert (photo.stage, photo.content_type) == ("report", "image/png")


def test_merge_keeps_both_reporters_informed(world):
    first = new_event(world, latitude="30.870000", longitude="120.100000")
    second = new_event(world, latitude="30.870500", longitude="120.100500")
    second = fire(world, second, "merge", "dispatcher", merge_into=first.code)
    assert (second.status, second.merged_into) == ("merged", first)
    first = to_state(world, first, "handled")
    assert services.public_status(second) == first
    assert services.public_status(second).status == "handled"
