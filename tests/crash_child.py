"""A process that issues one certificate or fires one event transition, announcing on
stdout the point it reached ("AT saved": the row is written, "AT commit": everything is
written and COMMIT is next) and then waiting there to be killed.

    python -m tests.crash_child KILL_AT certificate EVALUATOR_PK PERSON_PK OCCUPATION LEVEL DAY
    python -m tests.crash_child KILL_AT event EVENT_PK TRANSITION USERNAME
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402

from tongban.core.audit import acting_as  # noqa: E402


def hold(point: str) -> None:
    print(f"AT {point}", flush=True)
    time.sleep(120)  # killed here


def main(kill_at: str, kind: str, *args: str) -> None:
    if kill_at == "commit":
        real_commit = connection.commit

        def commit() -> None:
            hold("commit")
            real_commit()

        connection.commit = commit  # type: ignore[method-assign]

    if kind == "certificate":
        from tongban.skills import services
        from tongban.skills.models import Certificate, Evaluator, Occupation, Route
        from tongban.skills.models.occupation import level

        evaluator_pk, person_pk, code, key, day = args
        if kill_at == "saved":
            post_save.connect(lambda **kw: hold("saved"), sender=Certificate, weak=False)
        from tongban.core.models import Person

        certificate = services.issue_certificate(
            person=Person.objects.get(pk=person_pk),
            occupation=Occupation.objects.get(code=code),
            level=level(key),
            evaluator=Evaluator.objects.get(pk=evaluator_pk),
            site_code="330502",
            route=Route.SOCIAL_EVALUATION,
            issued_on=datetime.date.fromisoformat(day),
        )
        print(f"ISSUED {certificate.number}", flush=True)
    else:
        from tongban.core.models import TransitionLog
        from tongban.governance import services as governance
        from tongban.governance.models import Event

        event_pk, name, username = args
        if kill_at == "saved":
            post_save.connect(lambda **kw: hold("saved"), sender=TransitionLog, weak=False)
        user: Any = User.objects.get(username=username)
        with acting_as(user):
            event = governance.fire_event_transition(
                Event.objects.get(pk=event_pk), name, user=user
            )
        print(f"STATE {event.status}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
