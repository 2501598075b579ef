"""Demo competition, honours, incentives and a shortage list for ``tongban demo``.

Idempotent: nothing is created when the demo contest already exists. Everything goes
through the same services as the pages, acting as the demo city HR officer.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from tongban.core.audit import acting_as
from tongban.core.models import Organization, Person, Region, RoleAssignment
from tongban.core.services import save_record
from tongban.skills import awards, competitions, incentives, talent_pool
from tongban.skills.models import (
    AllowanceScheme,
    AwardType,
    Competition,
    Evaluator,
    EvaluatorKind,
    FiledScope,
    MentorshipPair,
    Occupation,
    ShortageList,
)
from tongban.skills.models.occupation import level

CONTEST = "2026年全国行业职业技能竞赛——车工（湖州赛区）"
TURNER = "6-18-01-01"
HUZHOU = "330500000000"


def _issuer(occupation: Occupation) -> Evaluator | None:
    organization = (
        Organization.objects.filter(kind="evaluation_organization").order_by("pk").first()
    )
    if organization is None:
        return None
    evaluator = Evaluator.objects.filter(organization=organization).first()
    if evaluator is None:
        code = next(
            c for c in (f"{n:04d}" for n in range(9001, 9999))
            if not Evaluator.objects.filter(institution_code=c).exists()
        )  # fmt: skip
        evaluator = Evaluator.objects.create(
            organization=organization, kind=EvaluatorKind.SOCIAL, institution_code=code
        )
    FiledScope.objects.get_or_create(
        evaluator=evaluator, occupation=occupation, defaults={"top_level": level("level1")}
    )
    return evaluator


@transaction.atomic
def load_competition_demo() -> list[str]:
    if Competition.objects.filter(name=CONTEST).exists():
        return [f"职业技能竞赛：{Competition.objects.count()} 项"]
    hr = User.objects.filter(username="hr_province").first()  # the evaluator is provincial
    occupation = Occupation.objects.filter(code=TURNER).first()
    organiser = Organization.objects.filter(kind="hr_department", region_id=HUZHOU).first()
    people = list(
        Person.objects.filter(residence_region__code__startswith="3305").order_by("pk")[:8]
    )
    if hr is None or occupation is None or organiser is None or len(people) < 8:
        return ["职业技能竞赛：缺少演示人员或职业分类，未创建"]
    issuer = _issuer(occupation)
    region = Region.objects.get(pk=HUZHOU)
    with acting_as(hr):
        contest = competitions.create_competition(
            Competition(
                name=CONTEST,
                level="national",
                occupation=occupation,
                organiser=organiser,
                region=region,
                starts_on=datetime.date(2026, 10, 20),
                ends_on=datetime.date(2026, 10, 22),
                issuer=issuer,
                site_code="330500",
            ),
            user=hr,
        )
        contestants = people[:6]
        for person in contestants:
            competitions.enter(contest, [person], user=hr)
        for rank, person in enumerate(contestants, start=1):
            competitions.record_result(contest, person, rank, user=hr)
        report = competitions.publish_results(contest, user=hr)
        awards.confer(
            people[6],
            AwardType.objects.get(name="省五一劳动奖章"),
            conferred_on=datetime.date(2025, 4, 28),
            region=region,
            user=hr,
            document="浙工〔2025〕12号",
        )
    enterprise_hr = User.objects.filter(username="enterprise_hr").first()
    assignment = (
        RoleAssignment.objects.filter(user=enterprise_hr, organization__isnull=False).first()
        if enterprise_hr
        else None
    )
    if enterprise_hr is not None and assignment is not None:
        enterprise = assignment.organization
        with acting_as(enterprise_hr):
            pair = MentorshipPair(
                employer=enterprise,
                mentor=people[6],
                apprentice=people[7],
                occupation=occupation,
                started_on=datetime.date(2023, 3, 1),
                ended_on=datetime.date(2025, 3, 1),
                result="outstanding",
                achievement="徒弟取得四级/中级工证书并获市级竞赛三等奖",
            )
            save_record(pair, user=enterprise_hr)
            incentives.save_scheme(
                AllowanceScheme(
                    employer=enterprise, kind="skill", effective_from=datetime.date(2026, 1, 1)
                ),
                {
                    level("level3"): Decimal("300"),
                    level("level2"): Decimal("600"),
                    level("level1"): Decimal("1000"),
                },
                user=enterprise_hr,
            )
    with acting_as(hr):
        talent_pool.publish_shortage_list(
            ShortageList(region=region, year=2026, name="湖州市2026年高技能人才紧缺职业目录"),
            [f"{TURNER} 技师"],
            user=hr,
        )
    return [
        f"职业技能竞赛：{contest.name}，晋升 {len(report.certificates)} 人，"
        f"授予荣誉 {len(report.conferrals)} 人",
    ]
