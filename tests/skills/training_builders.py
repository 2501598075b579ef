"""Builders for training, archive, credit and fund test data, through the same services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import HUZHOU, WUXING, make_org, make_user
from tongban.core.permissions import Role
from tongban.core.services import save_record
from tongban.skills import training
from tongban.skills.models import (
    TrainingClass,
    TrainingProgramme,
    TrainingSession,
)

DAY = datetime.date(2026, 12, 7)


def at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hh, mm), tzinfo=timezone.get_current_timezone()
    )


def institution(name: str = "湖州市职业技能培训中心") -> Any:
    return make_org(name, kind="training_institution", region=WUXING)


def staff(org: Any, username: str = "teacher", **kw: Any) -> Any:
    return make_user(username, Role.TRAINING_STAFF, organization=org, **kw)


def programme(org: Any, user: Any, hours: str = "8", **kw: Any) -> TrainingProgramme:
    values = {"name": "数控车床操作技能提升", "kind": "upgrading", "delivery": "in_person"}
    values.update(kw)
    return save_record(TrainingProgramme(provider=org, hours=Decimal(hours), **values), user=user)


def training_class(
    prog: TrainingProgramme,
    user: Any,
    name: str = "2026年第1期",
    starts_on: datetime.date = DAY,
    ends_on: datetime.date | None = None,
) -> TrainingClass:
    return save_record(
        TrainingClass(programme=prog, name=name, starts_on=starts_on, ends_on=ends_on or starts_on),
        user=user,
    )


def session(
    cls: TrainingClass, user: Any, start: int, end: int, day: datetime.date = DAY
) -> TrainingSession:
    return training.add_session(
        cls, starts_at=at(day, start), ends_at=at(day, end), topic="实操", user=user
    )


def hr(username: str = "hr_city") -> Any:
    return make_user(username, Role.HR_OFFICER, region=HUZHOU)
