"""Demo data for mediation and warnings: the three levels of centres in 吴兴区 with their
stationed departments and people, a village station account, a resolved neighbours'
dispute and one waiting for consent, the default warning rules and one evaluation.
Idempotent: everything is found by name or code and created only when missing."""

from __future__ import annotations

from django.contrib.auth.models import User

from tongban.core.audit import acting_as
from tongban.core.demo import DEMO_PASSWORD
from tongban.core.models import Organization, OrganizationKind, Region, RoleAssignment
from tongban.core.permissions import Role
from tongban.core.workflow import fire
from tongban.governance import mediation, risk_warnings
from tongban.governance.models import (
    MediationCase,
    MediationCentre,
    MediationParty,
    ReturnVisit,
    StationedMember,
)

WUXING = "330502000000"
STATION_USER = "station"


def _first_child(code: str) -> Region | None:
    return Region.objects.filter(parent_id=code).order_by("code").first()


def _unit(name: str, region: Region) -> Organization:
    org = Organization.objects.filter(name=name, kind=OrganizationKind.MEDIATION_CENTRE).first()
    if org is None:
        org = Organization.objects.create(
            name=name, kind=OrganizationKind.MEDIATION_CENTRE, region=region
        )
    return org


def _centre(
    name: str, level: str, region: Region, parent: MediationCentre | None
) -> MediationCentre:
    centre = MediationCentre.objects.filter(name=name).first()
    if centre is None:
        centre = MediationCentre(
            name=name,
            level=level,
            region=region,
            parent=parent,
            organization=_unit(name, region),
            phone="0572-2000000",
        )
        centre.full_clean()
        centre.save()
    return centre


def _member(centre: MediationCentre, kind: str, name: str, **kw: object) -> StationedMember:
    member, _created = StationedMember.objects.get_or_create(
        centre=centre, kind=kind, name=name, defaults=kw
    )
    return member


def load_demo() -> list[str]:
    county_region = Region.objects.filter(code=WUXING).first()
    township_region = _first_child(WUXING)
    village_region = _first_child(township_region.code) if township_region else None
    if county_region is None or township_region is None or village_region is None:
        return []
    with acting_as(None):
        return _load(county_region, township_region, village_region)


def _load(county_region: Region, township_region: Region, village_region: Region) -> list[str]:
    county = _centre("吴兴区社会矛盾纠纷调处化解中心", "county", county_region, None)
    township = _centre(f"{township_region.name}矛调中心", "township", township_region, county)
    station = _centre(f"{village_region.name}调解站", "village", village_region, township)
    for kind, name in (
        ("public_security", "吴兴区公安分局（入驻窗口）"),
        ("enforcement", "区综合行政执法局（入驻窗口）"),
        ("market_regulation", "区市场监管局（入驻窗口）"),
        ("court", "吴兴区人民法院共享法庭"),
        ("lawyer", "沈律师（公益律师）"),
    ):
        _member(county, kind, name)
    _member(township, "public_security", f"{township_region.name}派出所")
    _member(township, "justice", f"{township_region.name}司法所")
    _member(township, "mediator", "周调解（乡镇专职调解员）")
    user = User.objects.filter(username=STATION_USER).first()
    if user is None:
        user = User(username=STATION_USER, first_name=f"{village_region.name}调解站 调解员")
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.create(
            user=user,
            role=Role.GOVERNANCE_HANDLER,
            region=village_region,
            organization=station.organization,
        )
    mediator = _member(station, "mediator", "陈调解（村调解员）", user=user)
    if not MediationCase.objects.exists():
        resolved = mediation.register_case(
            MediationCase(
                centre=station,
                region=village_region,
                channel="walk_in",
                kind="neighbour",
                title="楼上漏水邻里纠纷",
                description="楼上卫生间漏水致楼下天花板受损，双方对维修费用有争议",
            ),
            [
                MediationParty(role="applicant", name="李小红"),
                MediationParty(role="respondent", name="王大明", phone="13912345678"),
            ],
            user=user,
            mediators=[mediator],
        )
        for party in resolved.parties.all():
            mediation.record_consent(party, consented=True, user=user)
        resolved = fire(resolved, "start", user=user)
        resolved = mediation.record_agreement(
            resolved,
            terms="一、王大明于十日内修复卫生间防水；\n二、楼下天花板修复费用800元由王大明承担。",
            mediator_name="陈调解",
            signed_party_ids=list(resolved.parties.values_list("pk", flat=True)),
            user=user,
        )
        mediation.record_return_visit(
            resolved, ReturnVisit(performance="performed", note="防水已修复，费用已付清"), user=user
        )
        mediation.register_case(
            MediationCase(
                centre=station,
                region=village_region,
                channel="dispute_qr",
                kind="property",
                title="停车位占用纠纷",
                description="业主反映车位长期被他人占用",
            ),
            [
                MediationParty(role="applicant", name="张建国"),
                MediationParty(role="respondent", name="刘海燕"),
            ],
            user=user,
            mediators=[mediator],
        )
    rules = risk_warnings.install_default_rules()
    result = risk_warnings.evaluate()
    return [
        f"矛调中心：{county.name} → {township.name} → {station.name}；"
        f"村调解站账号：{STATION_USER}（密码同上）",
        f"预警规则：新增 {rules} 条；本次评估新增预警 {result.raised} 条",
    ]
