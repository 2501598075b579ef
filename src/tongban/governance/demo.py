"""Governance demo data for ``tongban demo``: categories, the served area, routing rules,
an Open311 client and a few reported events. Idempotent like the core demo."""

from __future__ import annotations

from django.contrib.auth.models import User

from tongban.core.models import Organization, OrganizationKind, Region
from tongban.governance import services
from tongban.governance.models import Category, Event, Jurisdiction, Open311Client, RoutingRule
from tongban.governance.reference import load_categories

DEMO_OPEN311_KEY = "demo-open311-key-huzhou"
HUZHOU = "330500000000"
WUXING = "330502000000"
DEMO_EVENTS = [
    ("H-01-01", "消防通道被杂物堵塞", "三单元楼道口堆放纸箱，消防通道无法通行"),
    ("I-05-03", "机动车占用人行道停放", "小区东门人行道上长期停放三辆轿车"),
    ("D-01", "楼上漏水引发邻里纠纷", "楼上卫生间漏水，双方对维修费用有争议，请求调解"),
]


def load_demo() -> list[str]:
    created, _kept = load_categories()
    Jurisdiction.objects.get_or_create(jurisdiction_id="huzhou", defaults={"region_id": HUZHOU})
    centre = Organization.objects.filter(kind=OrganizationKind.GOVERNANCE_DEPARTMENT).first()
    mediation = Organization.objects.filter(kind=OrganizationKind.MEDIATION_CENTRE).first()
    if centre is not None and not RoutingRule.objects.exists():
        RoutingRule.objects.create(region_id=HUZHOU, category=None, unit=centre)
        dispute = Category.objects.filter(code="D").first()
        if mediation is not None and dispute is not None:
            RoutingRule.objects.create(region_id=WUXING, category=dispute, unit=mediation)
    Open311Client.objects.get_or_create(
        api_key=DEMO_OPEN311_KEY, defaults={"name": "演示客户端（浙里办）"}
    )
    grid = User.objects.filter(username="grid").first()
    if grid is not None and not Event.objects.exists():
        village = Region.objects.filter(code__startswith="330502", level="village").first()
        for code, title, text in DEMO_EVENTS:
            category = Category.objects.filter(code=code).first()
            if category is None or village is None:
                continue
            event = Event(
                channel="grid",
                category=category,
                region=village,
                address=f"{village.name} {title}",
                description=text,
                reporter_name="",
                anonymous=True,
            )
            services.report_event(event, user=grid, check_scope=False)
    from tongban.governance.community_demo import load_community_demo
    from tongban.governance.mediation_demo import load_demo as load_mediation_demo

    return [
        f"事件分类：新增 {created} 个；服务辖区：湖州市；Open311 api_key：{DEMO_OPEN311_KEY}",
        *load_mediation_demo(),
        *load_community_demo(),
    ]
