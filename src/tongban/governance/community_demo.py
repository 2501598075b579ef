"""Demo data for grids, patrols, screening, volunteers and the practice network (part of the
governance app's ``load_demo``). Idempotent: nothing is added once a grid exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from tongban.core import services as core_services
from tongban.core.models import Region
from tongban.governance import campaigns, patrols, volunteers
from tongban.governance.models import (
    ChecklistTemplate,
    Grid,
    PatrolTask,
    PracticeActivity,
    PracticeSite,
    ScreeningCampaign,
    ServiceSession,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
)

HUZHOU = "330500000000"
WUXING = "330502000000"


def load_community_demo() -> list[str]:
    created, _kept = patrols.load_default_templates()
    dispatcher = User.objects.filter(username="dispatcher").first()
    grid_worker = User.objects.filter(username="grid").first()
    if dispatcher is None or grid_worker is None or Grid.objects.exists():
        return [f"巡查清单：新增 {created} 个"]
    assignment = grid_worker.role_assignments.first()
    village = assignment.region if assignment is not None else None
    township = village.parent if village is not None else None
    if village is None or township is None:
        return [f"巡查清单：新增 {created} 个"]
    today = timezone.localdate()

    grids = []
    for i, name in enumerate(["一网格（幸福小区）", "二网格（老街）"], start=1):
        grid = Grid(region=village, code=f"{village.code}-{i:02d}", name=name, households=180)
        grid.full_clean()
        grid.save()
        grid.workers.add(grid_worker)
        grids.append(grid)

    fire = ChecklistTemplate.objects.filter(code="FIRE-01").first()
    if fire is not None:
        for place in ("幸福小区3幢", "老街12号沿街商铺"):
            patrols.assign_patrol(
                PatrolTask(
                    grid=grids[0],
                    template=fire,
                    place=place,
                    assignee=grid_worker,
                    due_on=today + datetime.timedelta(days=3),
                ),
                user=dispatcher,
            )

    campaign = campaigns.create_campaign(
        ScreeningCampaign(
            name=f"{today:%Y年%m月}两个排查见底",
            region=township,
            start=today.replace(day=1),
            end=today.replace(day=1) + datetime.timedelta(days=40),
        ),
        user=dispatcher,
    )
    lines = [f"住户,住户{i:02d},幸福小区{i}幢,{village.code}" for i in range(1, 9)]
    lines += [f"企业,湖州某某纺织厂{i},老街工业区{i}号,{village.code}" for i in range(1, 3)]
    campaigns.add_targets(campaign, "\n".join(lines), user=dispatcher)
    for n, target in enumerate(campaign.targets.order_by("pk")[:6]):
        campaigns.record_visit(
            target,
            user=grid_worker,
            visited_on=max(campaign.start, min(today, campaign.end)),
            disputes=1 if n == 1 else 0,
            hazards=1 if n == 4 else 0,
            findings="" if n not in (1, 4) else ("邻里漏水纠纷" if n == 1 else "楼道堆放杂物"),
        )

    team = core_services.save_record(
        VolunteerTeam(name="湖小青助老服务队", region=township, leader_name="王队长"),
        user=dispatcher,
    )
    core_services.save_record(
        VolunteerTeam(name="湖小青环境整治队", region=township, service_type="environment"),
        user=dispatcher,
    )
    for name in ("赵小青", "钱小青", "孙小青"):
        core_services.save_record(
            Volunteer(name=name, region=village, team=team, phone="13800000000"), user=dispatcher
        )
    resource = core_services.save_record(
        VolunteerResource(
            title="代购代办、送药上门", service_type="elderly", team=team, region=township
        ),
        user=dispatcher,
    )
    core_services.save_record(
        VolunteerResource(title="义务理发", service_type="elderly", team=team, region=township),
        user=dispatcher,
    )
    titles = ["独居老人代购药品", "楼道小广告清理", "老人智能手机教学"]
    demands = [
        volunteers.register_demand(
            VolunteerDemand(
                title=t, service_type="elderly", region=village, requester_name="李阿姨"
            ),
            user=grid_worker,
        )
        for t in titles
    ]
    served = volunteers.pair_demand(
        VolunteerPairing(demand=demands[0], team=team, resource=resource), user=dispatcher
    )
    served = volunteers.fire_pairing_transition(served, "accept", user=dispatcher)
    volunteers.record_session(
        ServiceSession(pairing=served, served_on=today, hours=Decimal("2"), people_served=1),
        user=dispatcher,
    )
    served = volunteers.fire_pairing_transition(served, "complete", user=dispatcher)
    volunteers.fire_pairing_transition(served, "rate", user=dispatcher, score=5, comment="满意")
    volunteers.pair_demand(VolunteerPairing(demand=demands[1], team=team), user=dispatcher)

    _practice_network(dispatcher, village, township, today)
    return [
        f"巡查清单：新增 {created} 个；网格 {len(grids)} 个；排查对象 {campaign.targets.count()} 户（家）；"
        f"志愿需求 {len(demands)} 条"
    ]


def _practice_network(
    dispatcher: User, village: Region, township: Region, today: datetime.date
) -> None:
    city = PracticeSite(name="湖州市新时代文明实践中心", level="city", region_id=HUZHOU)
    city.full_clean()
    city.save()
    chain = [city]
    for name, level, region in (
        ("吴兴区新时代文明实践中心", "county", WUXING),
        (f"{township.name}新时代文明实践所", "township", township.code),
        (f"{village.name}新时代文明实践站", "village", village.code),
        (f"{village.name}红色教育基地", "base", village.code),
    ):
        site = PracticeSite(name=name, level=level, region_id=region, parent=chain[-1])
        site.full_clean()
        site.save()
        chain.append(site)
    for site, title, people in (
        (chain[2], "理论宣讲进礼堂", 120),
        (chain[3], "邻里文化节", 80),
        (chain[4], "红色故事会", 45),
    ):
        activity = PracticeActivity(
            site=site, title=title, held_on=today, participants=people, volunteers=8
        )
        activity.full_clean()
        activity.save()
