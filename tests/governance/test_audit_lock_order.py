"""Audit writers never deadlock: a transaction that wrote an audit row and then fires a
transition, against another firing the same transition at once (PostgreSQL threads)."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.governance.conftest import fire, new_event
from tongban.core import audit_chain
from tongban.core.models import TransitionLog

pytestmark = pytest.mark.django_db(transaction=True)


def test_audit_row_then_transition_against_the_same_transition_does_not_deadlock(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises writers on one connection")
    event = new_event(world)
    kind = ContentType.objects.get_for_model(event)
    started = threading.Event()
    errors: list[BaseException] = []

    def audit_then_fire() -> None:
        try:
            with transaction.atomic():
                TransitionLog.objects.create(
                    content_type=kind, object_id="0", name="note", source="a", target="a"
                )
                started.set()
                time.sleep(0.5)  # the other thread fires meanwhile
                fire(world, event, "verify", "dispatcher")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    def fire_at_once() -> None:
        try:
            started.wait()
            fire(world, event, "verify", "dispatcher")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=audit_then_fire), threading.Thread(target=fire_at_once)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # one of the two verifies, the other is told the transition is no longer available
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert TransitionLog.objects.filter(object_id=str(event.pk), name="verify").count() == 1
    assert audit_chain.verify() == []
