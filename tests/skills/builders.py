"""Builders for skills test data, going through the same loader and services as users do."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from tests.factories import WUXING, make_org, make_person, make_user
from tongban.core.models import Employment, Person
from tongban.core.permissions import Role
from tongban.skills import services
from tongban.skills.models import (
    Certificate,
    EvaluationPlan,
    Evaluator,
    EvaluatorKind,
    Occupation,
    Route,
)
from tongban.skills.models.occupation import level
from tongban.skills.occupations import load_occupations

SAMPLE = Path(__file__).parent / "data" / "csco_sample.csv"
TURNER = "6-18-01-01"  # 车工
MILLER = "6-18-01-02"  # 铣工


def load_sample() -> None:
    load_occupations(SAMPLE)


def occupation(code: str = TURNER) -> Occupation:
    return Occupation.objects.get(code=code)


def years_ago(on: datetime.date, years: int, months: int = 0) -> datetime.date:
    total = on.year * 12 + on.month - 1 - years * 12 - months
    return datetime.date(total // 12, total % 12 + 1, min(on.day, 28))


def employ(
    person: Person,
    org: Any,
    since: datetime.date,
    *,
    code: str = TURNER,
    until: datetime.date | None = None,
    frontline: bool = False,
) -> Employment:
    return Employment.objects.create(
        person=person,
        organization=org,
        occupation_code=code,
        start_date=since,
        end_date=until,
        frontline=frontline,
    )


def hr_officer(username: str = "hr_huzhou") -> Any:
    return make_user(username, Role.HR_OFFICER, region="330500000000")


def social_evaluator(
    name: str = "湖州市技能评价中心", code: str = "1001", top: str = "level1"
) -> Evaluator:
    org = make_org(name, kind="evaluation_organization", region=WUXING)
    return services.file_evaluator(
        org,
        kind=EvaluatorKind.SOCIAL,
        institution_code=code,
        scope=[(occupation(TURNER), level(top))],
        user=hr_officer(f"hr_{code}"),
    )


def enterprise_evaluator(
    name: str = "湖州精工机械制造有限公司", code: str = "2001", top: str = "level3"
) -> Evaluator:
    org = make_org(name, kind="enterprise", region=WUXING)
    return services.file_evaluator(
        org,
        kind=EvaluatorKind.ENTERPRISE,
        institution_code=code,
        scope=[(occupation(TURNER), level(top))],
        user=hr_officer(f"hr_{code}"),
    )


def staff_of(evaluator: Evaluator, username: str = "assessor") -> Any:
    role = (
        Role.ENTERPRISE_HR if evaluator.kind == EvaluatorKind.ENTERPRISE else Role.EVALUATION_STAFF
    )
    return make_user(username, role, organization=evaluator.organization)


def plan(evaluator: Evaluator, user: Any, key: str = "level4", **kw: Any) -> EvaluationPlan:
    fields = {
        "evaluator": evaluator,
        "occupation": occupation(kw.pop("code", TURNER)),
        "level": level(key),
        "site_code": "330502",
        "site_name": "吴兴区实训基地",
        "starts_on": datetime.date(2026, 12, 1),
        "ends_on": datetime.date(2026, 12, 2),
    }
    fields.update(kw)
    return services.create_plan(EvaluationPlan(**fields), user=user)


def give_certificate(
    person: Person,
    evaluator: Evaluator,
    key: str,
    issued_on: datetime.date,
    code: str = TURNER,
) -> Certificate:
    return services.issue_certificate(
        person=person,
        occupation=occupation(code),
        level=level(key),
        evaluator=evaluator,
        site_code="330502",
        route=Route.SOCIAL_EVALUATION,
        issued_on=issued_on,
    )


def eligible_for_level4(evaluator: Evaluator, name: str = "李师傅", **kw: Any) -> Person:
    """Someone with 6 years as a turner (the second alternative of 四级)."""
    person = make_person(name, **kw)
    employ(person, make_org(f"{name}的单位"), datetime.date(2018, 1, 1))
    return person
