"""Demo organisations, people and one account per role, in 浙江省湖州市.

Idempotent: every record is found by its natural key (credit code, document
number, username) and created only when missing, so running it again neither
duplicates nor overwrites what users have edited since.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from stdnum.cn import ric, uscc

from tongban.core.audit import acting_as
from tongban.core.models import (
    Education,
    Employment,
    Organization,
    OrganizationKind,
    Person,
    Region,
    RoleAssignment,
)
from tongban.core.permissions import Role

DEMO_PASSWORD = "tongban-demo-2026"  # noqa: S105  (printed on screen for the demo only)
HUZHOU = "330500000000"
COUNTIES = ["330502", "330503", "330521", "330522", "330523"]  # 吴兴 南浔 德清 长兴 安吉
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗沈钱姚施潘"
GIVEN = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "建华", "志强", "海燕", "晓东", "丽萍", "国平", "佳怡", "子涵", "浩然", "雨桐",
    "建国", "春梅", "文博", "思远", "欣怡",
]  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str
    created: bool


def credit_code(authority: str, kind: str, region6: str, serial: int) -> str:
    """A well-formed 统一社会信用代码 for demo organisations (check character computed)."""
    body = f"{authority}{kind}{region6}MA{serial:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def resident_id(region6: str, born: datetime.date, sequence: int, male: bool) -> str:
    seq = sequence % 500 * 2 + (1 if male else 0)
    body = f"{region6}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _org(
    name: str, kind: str, region: str, serial: int, parent: Organization | None = None
) -> Organization:
    code = credit_code("9" if kind == OrganizationKind.ENTERPRISE else "1", "1", region[:6], serial)
    org, _created = Organization.objects.get_or_create(
        credit_code=code,
        defaults={"name": name, "kind": kind, "region_id": region, "parent": parent},
    )
    return org


def first_child(code: str) -> Region:
    region = Region.objects.filter(parent_id=code).order_by("code").first()
    if region is None:
        raise RuntimeError(f"region {code} has no children loaded; run load_regions first")
    return region


@transaction.atomic
def load_demo_data() -> list[DemoLogin]:
    with acting_as(None):
        return _load()


def _load() -> list[DemoLogin]:
    hr_city = _org("湖州市人力资源和社会保障局", OrganizationKind.HR_DEPARTMENT, HUZHOU, 1)
    _org("吴兴区人力资源和社会保障局", OrganizationKind.HR_DEPARTMENT, "330502000000", 2, hr_city)
    _org("南浔区人力资源和社会保障局", OrganizationKind.HR_DEPARTMENT, "330503000000", 3, hr_city)
    governance = _org(
        "湖州市社会治理综合指挥中心", OrganizationKind.GOVERNANCE_DEPARTMENT, HUZHOU, 4
    )
    _org("吴兴区社会矛盾纠纷调处化解中心", OrganizationKind.MEDIATION_CENTRE, "330502000000", 5)
    enterprise = _org("湖州精工机械制造有限公司", OrganizationKind.ENTERPRISE, "330502000000", 11)
    enterprise2 = _org("南浔电梯部件有限公司", OrganizationKind.ENTERPRISE, "330503000000", 12)
    _org("德清县绿色建材科技有限公司", OrganizationKind.ENTERPRISE, "330521000000", 13)
    training = _org("湖州市职业技能培训中心", OrganizationKind.TRAINING_INSTITUTION, HUZHOU, 21)
    _org("湖州交通技师学院", OrganizationKind.VOCATIONAL_SCHOOL, HUZHOU, 22)
    evaluation = _org(
        "浙江省机械行业技能等级评价中心",
        OrganizationKind.EVALUATION_ORGANIZATION,
        "330000000000",
        31,
    )

    rng = random.Random(2022)  # noqa: S311  (deterministic demo data)
    people: list[Person] = []
    for i in range(60):
        county = COUNTIES[i % len(COUNTIES)]
        township = first_child(f"{county}000000")
        village = first_child(township.code) if i % 3 == 0 else township
        male = rng.random() < 0.6
        born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
        number = resident_id(county, born, i + 1, male)
        values = {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "document_number": number,
            "mobile": f"13{rng.randrange(0, 10)}{rng.randrange(10**8):08d}",
            "social_security_card_number": f"A{rng.randrange(10**8):08d}",
            "residence_region": village,
            "education": rng.choice(list(Education.values)),
        }
        person = Person.objects.filter(document_type="resident_id", document_number=number).first()
        if person is None:
            person = Person(**values)
            person.full_clean()
            person.save()
        people.append(person)
    for i, person in enumerate(people[:30]):
        employer = enterprise if person.residence_region_id.startswith("330502") else enterprise2
        if not Employment.objects.filter(person=person, organization=employer).exists():
            Employment.objects.create(
                person=person,
                organization=employer,
                post=["数控车工", "钳工", "电工", "焊工", "质检员"][i % 5],
                occupation_code=[
                    "6-18-01-01",
                    "6-20-01-01",
                    "6-31-01-03",
                    "6-18-02-04",
                    "6-31-03-01",
                ][i % 5],  # fmt: skip
                start_date=datetime.date(2015 + i % 8, 1 + i % 12, 1),
                frontline=i % 5 != 4,
            )

    wuxing = "330502000000"
    grid_village = first_child(first_child(wuxing).code)
    worker_person = next(p for p in people if p.residence_region_id.startswith("330502"))
    accounts = [
        ("admin", "系统管理员", Role.PLATFORM_ADMIN, None, None),
        ("hr_province", "省人社厅 王科长", Role.HR_OFFICER, "330000000000", None),
        ("hr_huzhou", "湖州市人社局 李科长", Role.HR_OFFICER, HUZHOU, None),
        ("hr_wuxing", "吴兴区人社局 张科员", Role.HR_OFFICER, wuxing, None),
        ("hr_nanxun", "南浔区人社局 陈科员", Role.HR_OFFICER, "330503000000", None),
        ("dispatcher", "吴兴区 调度员", Role.GOVERNANCE_DISPATCHER, wuxing, governance),
        ("handler", "吴兴区 处置人员", Role.GOVERNANCE_HANDLER, wuxing, governance),
        ("reviewer", "吴兴区 复核人员", Role.GOVERNANCE_REVIEWER, wuxing, governance),
        ("enterprise_hr", "湖州精工 人事专员", Role.ENTERPRISE_HR, None, enterprise),
        ("training", "培训中心 教务", Role.TRAINING_STAFF, None, training),
        ("evaluation", "评价中心 考务", Role.EVALUATION_STAFF, None, evaluation),
        ("grid", "网格员", Role.GRID_WORKER, grid_village.code, None),
        ("worker", worker_person.name, Role.WORKER, None, None),
    ]
    logins: list[DemoLogin] = []
    for username, full_name, role, region, org in accounts:
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            user = User(username=username, first_name=full_name)
            user.set_password(DEMO_PASSWORD)
            if role == Role.PLATFORM_ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
            assignment = RoleAssignment(user=user, role=role, region_id=region, organization=org)
            assignment.full_clean()
            assignment.save()
            if role == Role.WORKER and worker_person.user_id is None:
                worker_person.user = user
                worker_person.save(update_fields=["user"])
        parts = [Region.objects.get(code=region).full_name] if region else []
        parts += [org.name] if org else []
        if role == Role.WORKER:
            parts = ["本人档案"]
        scope = " · ".join(parts) or "全平台"
        logins.append(DemoLogin(username, str(Role(role).label), str(scope), created))
    return logins
