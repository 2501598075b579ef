"""Demo data for the statistics and wage prices: certificates for some of the demo
workers (through the issuing service, so the tally moves), official employment counts,
and employers' wage reports with one cell too small to publish."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from tongban.core.models import Employment, Organization
from tongban.skills.models import (
    Certificate,
    Evaluator,
    EvaluatorKind,
    Occupation,
    OfficialEmployment,
    Route,
    WageReport,
)
from tongban.skills.models.occupation import level

EVALUATOR = "浙江省机械行业技能等级评价中心"
EMPLOYERS = ("湖州精工机械制造有限公司", "南浔电梯部件有限公司")


def load() -> list[str]:
    org = Organization.objects.filter(name=EVALUATOR).first()
    occupations = list(Occupation.objects.filter(is_occupation=True, code__startswith="6-18-01"))
    if org is None or not occupations:
        return []
    with transaction.atomic():
        evaluator = Evaluator.objects.filter(organization=org).first()
        if evaluator is None:
            evaluator = Evaluator(
                organization=org, kind=EvaluatorKind.SOCIAL, institution_code="3301"
            )
            evaluator.full_clean()
            evaluator.save()
        issued = _certificates(evaluator, occupations)
        official = _official_counts()
        reports = _wage_reports(occupations)
    return [
        f"技能人才统计：新发证书 {issued} 张，就业人员统计数 {official} 条",
        f"工资价位：工资填报 {reports} 条",
    ]


def _certificates(evaluator: Evaluator, occupations: list[Occupation]) -> int:
    from tongban.skills.services import issue_certificate

    if Certificate.objects.filter(issuer=evaluator).exists():
        return 0
    rng = random.Random(2024)  # noqa: S311  (deterministic demo data)
    keys = ["level5", "level4", "level4", "level3", "level2"]
    count = 0
    for employment in Employment.objects.select_related("person").order_by("pk")[:18]:
        issue_certificate(
            person=employment.person,
            occupation=rng.choice(occupations),
            level=level(keys[count % len(keys)]),
            evaluator=evaluator,
            site_code="330502",
            route=Route.SOCIAL_EVALUATION,
            issued_on=datetime.date(2019 + count % 7, 6, 1),
        )
        count += 1
    return count


def _official_counts() -> int:
    created = 0
    for code, base in (("330502000000", 402000), ("330503000000", 311000)):
        for year in range(2019, 2027):
            _row, new = OfficialEmployment.objects.get_or_create(
                region_id=code,
                year=year,
                defaults={
                    "employed": base + (year - 2019) * 2100,
                    "source": "湖州市统计年鉴（演示数据）",
                },
            )
            created += int(new)
    return created


def _wage_reports(occupations: list[Occupation]) -> int:
    employers = list(Organization.objects.filter(name__in=EMPLOYERS).order_by("name"))
    if not employers or WageReport.objects.exists():
        return 0
    rng = random.Random(9)  # noqa: S311
    rows = []
    # (level, reports, median pay): the 技师 cell has too few reports to be published
    for key, reports, median in (
        ("level4", 12, 78000),
        ("level3", 9, 96000),
        ("level2", 3, 128000),
    ):
        for i in range(reports):
            employer = employers[i % len(employers)]
            rows.append(
                WageReport(
                    employer=employer,
                    occupation=occupations[0],
                    level=level(key),
                    region_id=employer.region_id,
                    year=2025,
                    annual_pay=Decimal(round(median * rng.uniform(0.75, 1.3), -2)),
                )
            )
    for row in rows:
        row.full_clean()
        row.save()
    return len(rows)
