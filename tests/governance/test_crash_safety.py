"""SIGKILL during an event transition leaves the event as it was: no new state without its
timeline row, no timeline row without the state, no half audit chain (PostgreSQL, real
processes); the transition then goes through once."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from tests import crash
from tests.governance.conftest import new_event
from tongban.core import audit_chain
from tongban.core.models import AuditLink, TransitionLog
from tongban.governance.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot(event: Event) -> tuple[object, ...]:
    return (
        Event.objects.values_list("status", flat=True).get(pk=event.pk),
        TransitionLog.objects.count(),
        LogEntry.objects.count(),
        AuditLink.objects.count(),
    )


@pytest.mark.parametrize("kill_at", ["saved", "commit"])
def test_a_killed_transition_leaves_the_event_as_it_was(world, tmp_path, kill_at):
    crash.require_postgresql()
    event = new_event(world)
    before = snapshot(event)
    args = ("event", str(event.pk), "verify", world.dispatcher.username)

    lines = crash.run(tmp_path, *args, kill_at=kill_at)
    assert lines[-1] == f"AT {kill_at}"
    assert snapshot(event) == before

    lines = crash.run(tmp_path, *args)
    status = snapshot(event)[0]
    assert lines[-1] == f"STATE {status}" and status != before[0]
    logs = TransitionLog.objects.filter(object_id=str(event.pk), name="verify")
    assert logs.count() == 1
    assert audit_chain.verify() == []
