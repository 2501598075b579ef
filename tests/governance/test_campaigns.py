"""Screening campaigns (两个排查见底): the list, the visits, coverage."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_user
from tongban.core.permissions import Role
from tongban.governance import campaigns
from tongban.governance.models import ScreeningCampaign, ScreeningTarget

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 11, 1)
END = datetime.date(2026, 11, 30)


def new_campaign(world) -> ScreeningCampaign:
    return campaigns.create_campaign(
        ScreeningCampaign(name="11月两个排查", region=world.township, start=START, end=END),
        user=world.dispatcher,
    )


def listed(world, campaign, n: int) -> list[ScreeningTarget]:
    lines = "\n".join(f"住户,住户{i},幸福小区{i}幢,{world.village.code}" for i in range(n))
    campaigns.add_targets(campaign, lines, user=world.dispatcher)
    return list(ScreeningTarget.objects.filter(campaign=campaign).order_by("pk"))


def test_campaign_coverage_counts_visited_households_against_the_list(world):
    campaign = new_campaign(world)
    targets = listed(world, campaign, 4)
    assert campaigns.campaign_coverage(campaign, world.dispatcher).percent == 0.0
    campaigns.record_visit(
        targets[0], user=world.grid_worker, visited_on=datetime.date(2026, 11, 3)
    )
    campaigns.record_visit(
        targets[1],
        user=world.grid_worker,
        visited_on=datetime.date(2026, 11, 4),
        disputes=1,
        hazards=2,
        findings="与邻居因漏水争执；楼道堆物、灭火器过期",
    )
    cover = campaigns.campaign_coverage(campaign, world.dispatcher)
    assert (cover.listed, cover.visited, cover.disputes, cover.hazards) == (4, 2, 1, 2)
    assert cover.percent == 50.0
    [(village, by_village)] = campaigns.coverage_by_village(campaign, world.dispatcher)
    assert village == world.village.name and by_village.percent == 50.0


def test_every_visit_counts_once_and_a_full_list_is_100_percent(world):
    campaign = new_campaign(world)
    targets = listed(world, campaign, 3)
    for t in targets:
        campaigns.record_visit(t, user=world.grid_worker, visited_on=START)
    campaigns.record_visit(targets[0], user=world.grid_worker, visited_on=END)
    assert campaigns.campaign_coverage(campaign, world.dispatcher).percent == 100.0


def test_empty_list_has_no_coverage(world):
    campaign = new_campaign(world)
    assert campaigns.campaign_coverage(campaign, world.dispatcher).percent is None


def test_visit_outside_the_campaign_period_is_refused(world):
    campaign = new_campaign(world)
    [target] = listed(world, campaign, 1)
    with pytest.raises(ValidationError) as err:
        campaigns.record_visit(
            target, user=world.grid_worker, visited_on=datetime.date(2026, 12, 1)
        )
    assert err.value.message_dict["visited_on"] == [
        "走访日期不在排查期内（2026-11-01 至 2026-11-30）"
    ]
    assert ScreeningTarget.objects.get().visited_on is None


def test_findings_without_a_description_are_refused(world):
    campaign = new_campaign(world)
    [target] = listed(world, campaign, 1)
    with pytest.raises(ValidationError) as err:
        campaigns.record_visit(target, user=world.grid_worker, visited_on=START, hazards=1)
    assert "findings" in err.value.message_dict


def test_a_list_line_outside_the_campaign_region_refuses_the_whole_list(world):
    campaign = new_campaign(world)
    outside = "330503001001"  # 南浔区
    text = f"住户,张家,幸福小区1幢,{world.village.code}\n企业,某厂,工业园,{outside}\n商铺,x,y,{world.village.code}"
    with pytest.raises(ValidationError) as err:
        campaigns.add_targets(campaign, text, user=world.dispatcher)
    messages = err.value.message_dict["targets"]
    assert any(m.startswith("第2行：所在村（社区）：") for m in messages)
    assert "第3行：对象类型“商铺”应为“住户”或“企业”" in messages
    assert not ScreeningTarget.objects.exists()


def test_campaign_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as err:
        campaigns.create_campaign(
            ScreeningCampaign(name="x", region=world.township, start=END, end=START),
            user=world.dispatcher,
        )
    assert err.value.message_dict["end"] == ["结束日期不能早于开始日期"]


def test_grid_worker_sees_his_villages_targets_and_their_campaign(world):
    campaign = new_campaign(world)
    listed(world, campaign, 2)
    assert ScreeningCampaign.objects.restrict(world.grid_worker).count() == 1
    assert ScreeningTarget.objects.restrict(world.grid_worker).count() == 2
    outsider = make_user("grid_nanxun", Role.GRID_WORKER, region="330503000000")
    assert ScreeningCampaign.objects.restrict(outsider).count() == 0
    assert campaigns.campaign_coverage(campaign, outsider).listed == 0


def test_a_visit_may_report_what_it_found_as_an_event_in_the_loop(world):
    from tongban.governance.models import Event

    campaign = new_campaign(world)
    [target] = listed(world, campaign, 1)
    campaigns.record_visit(
        target,
        user=world.grid_worker,
        visited_on=START,
        hazards=1,
        findings="楼道堆放纸箱堵塞消防通道",
        report_category=world.fire_exit,
    )
    event = Event.objects.get()
    assert event.category == world.fire_exit and event.region == world.village
    assert "楼道堆放纸箱堵塞消防通道" in event.description
    assert list(ScreeningTarget.objects.get().events.all()) == [event]


def test_reporting_a_visit_without_findings_or_to_a_non_screening_category_is_refused(world):
    from tongban.governance.models import Event

    campaign = new_campaign(world)
    [target] = listed(world, campaign, 1)
    with pytest.raises(ValidationError) as err:
        campaigns.record_visit(
            target, user=world.grid_worker, visited_on=START, report_category=world.fire_exit
        )
    assert err.value.message_dict["report_category"] == ["没有发现矛盾纠纷或安全隐患，无需上报事件"]
    with pytest.raises(ValidationError) as err:
        campaigns.record_visit(
            target,
            user=world.grid_worker,
            visited_on=START,
            disputes=1,
            findings="咨询政策",
            report_category=world.consultation,
        )
    assert "report_category" in err.value.message_dict
    assert not Event.objects.exists()
    assert ScreeningTarget.objects.get().visited_on is None


def test_a_visit_is_recorded_through_the_api(world, client):
    campaign = new_campaign(world)
    [target] = listed(world, campaign, 1)
    client.force_login(world.grid_worker)
    response = client.post(
        f"/api/governance/screening-targets/{target.pk}/visit/",
        {"visited_on": "2026-11-03", "disputes_found": 0},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert target.visited_on == datetime.date(2026, 11, 3)
