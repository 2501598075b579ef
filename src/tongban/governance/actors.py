"""Actors that fire event transitions without a staff login.

``SYSTEM`` is the periodic supervision job (催办 / 通报 / escalation on overdue);
``ReporterProof`` is a citizen who holds the event's code and its private token
(printed on the receipt) and rates the handling on the public status page.
Neither is authenticated, so the transition log records no user for them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    is_authenticated: bool = False
    pk: None = None

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


@dataclass(frozen=True)
class ReporterProof:
    code: str
    token: str
    is_authenticated: bool = False
    pk: None = None
