"""Builders for test data, going through the same services and rules as users do."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.contrib.auth.models import User
from stdnum.cn import ric, uscc

from tongban.core.models import Organization, Person, Region, RoleAssignment
from tongban.core.regions import load_regions

WUXING = "330502000000"  # 湖州市吴兴区
NANXUN = "330503000000"  # 湖州市南浔区
HUZHOU = "330500000000"
_serial = itertools.count(1)


def ensure_regions() -> None:
    if not Region.objects.filter(code__startswith="3305", level="village").exists():
        load_regions(deep_prefixes=("3305",))


def township_of(county_code: str) -> Region:
    return Region.objects.filter(parent_id=county_code).order_by("code").first()  # type: ignore[return-value]


def village_of(county_code: str) -> Region:
    return Region.objects.filter(parent=township_of(county_code)).order_by("code").first()  # type: ignore[return-value]


def resident_id(
    region6: str = "330502",
    born: datetime.date = datetime.date(1990, 3, 7),
    male: bool = True,
    sequence: int | None = None,
) -> str:
    seq = (next(_serial) if sequence is None else sequence) % 499 * 2 + (1 if male else 0)
    body = f"{region6}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def with_wrong_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def credit_code(region6: str = "330502") -> str:
    body = f"9133{region6[2:]}MA{next(_serial):07d}"
    return body + uscc.calc_check_digit(body)


def make_org(
    name: str = "测试机械有限公司", kind: str = "enterprise", region: str = WUXING, **kw: Any
) -> Organization:
    org = Organization(
        name=name, kind=kind, region_id=region, credit_code=credit_code(region[:6]), **kw
    )
    org.full_clean()
    org.save()
    return org


def make_person(
    name: str = "张三", region: str | None = None, county6: str = "330502", **kw: Any
) -> Person:
    region_code = region or village_of(county6 + "000000").code
    kw.setdefault("document_number", resident_id(county6))
    person = Person(name=name, residence_region_id=region_code, **kw)
    person.full_clean()
    person.save()
    return person


def make_user(
    username: str,
    role: str,
    region: str | None = None,
    organization: Organization | None = None,
    password: str = "pw-for-tests-1",
) -> User:
    user = User.objects.create_user(username=username, password=password)
    assignment = RoleAssignment(user=user, role=role, region_id=region, organization=organization)
    assignment.full_clean()
    assignment.save()
    return user
