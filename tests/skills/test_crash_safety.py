"""SIGKILL during certificate issuance leaves no half-state and no duplicate or skipped
number: the issuing process is killed after the certificate row is written, or just
before COMMIT; the next issue takes the very next serial (PostgreSQL, real processes)."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry

from tests import crash
from tests.factories import make_person
from tests.skills import builders
from tongban.core import audit_chain
from tongban.core.models import AuditLink, TransitionLog
from tongban.skills.models import Certificate, CertificateCounter

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.date(2026, 11, 30)


def snapshot() -> tuple[int, ...]:
    return (
        Certificate.objects.count(),
        sum(CertificateCounter.objects.values_list("last", flat=True)),
        LogEntry.objects.count(),
        TransitionLog.objects.count(),
        AuditLink.objects.count(),
    )


@pytest.mark.parametrize("kill_at", ["saved", "commit"])
def test_a_killed_issue_leaves_nothing_and_the_next_takes_the_next_serial(
    catalogue, settings, kill_at
):
    crash.require_postgresql()
    evaluator = builders.social_evaluator(code="0042")
    people = [make_person(f"学员{i}") for i in range(3)]
    first = builders.give_certificate(people[0], evaluator, "level4", DAY)
    args = ("certificate", str(evaluator.pk))
    tail = (builders.TURNER, "level4", DAY.isoformat())
    before = snapshot()

    for _ in range(2):  # killed twice in a row at the same point
        lines = crash.run(settings.DATA_DIR, *args, str(people[1].pk), *tail, kill_at=kill_at)
        assert lines[-1] == f"AT {kill_at}"
        assert snapshot() == before
        assert not Certificate.objects.filter(person=people[1]).exists()

    lines = crash.run(settings.DATA_DIR, *args, str(people[1].pk), *tail)
    second = Certificate.objects.get(person=people[1])
    assert lines[-1] == f"ISSUED {second.number}"
    assert second.number[:-6] == first.number[:-6]
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1  # nothing skipped
    third = builders.give_certificate(people[2], evaluator, "level4", DAY)
    assert int(third.number[-6:]) == int(first.number[-6:]) + 2
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert audit_chain.verify() == []
