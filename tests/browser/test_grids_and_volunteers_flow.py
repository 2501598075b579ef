"""Grid patrols and volunteers in a real Chromium: a grid worker opens a patrol task on a
phone, fails the "exits clear" check, and the hazard event waits in the dispatcher's queue;
then a resident's volunteer demand is ordered, paired, accepted, served and rated."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.governance.community import make_fire_checklist, make_grid
from tests.governance.conftest import world  # noqa: F401 (fixture)
from tongban.core import services as core_services
from tongban.governance import patrols
from tongban.governance.models import (
    Event,
    PatrolTask,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerTeam,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-1"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_failed_exit_check_reaches_the_dispatcher_and_a_demand_is_paired_and_rated(
    page,
    world,  # noqa: F811
    shot,
):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    patrols.assign_patrol(
        PatrolTask(grid=grid, template=template, place="幸福小区3幢", assignee=world.grid_worker),
        user=world.dispatcher,
    )
    core_services.save_record(
        VolunteerTeam(name="湖小青助老服务队", region=world.township), user=world.dispatcher
    )

    # the grid worker patrols on a phone and the exits are blocked
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "grid")
    page.get_by_role("link", name="巡查任务").first.click()
    page.get_by_role("link", name="幸福小区3幢").click()
    page.get_by_role("group", name="1. 灭火器配备齐全且在有效期内").get_by_label("是").check()
    exits = page.get_by_role("group", name="2. 安全出口和疏散通道畅通")
    exits.get_by_label("堵塞").check()
    exits.get_by_role("textbox").fill("一楼安全出口被电动车堵塞")
    shot("grid-patrol")
    page.get_by_role("button", name="提交巡查结果").click()
    expect(page.locator("#task-fields .status")).to_have_text("已巡查")
    event = Event.objects.get()
    expect(page.locator("#answers")).to_contain_text(event.code)
    assert event.category == world.fire_exit and event.grid == grid

    # ...and the point of the patrol: the hazard waits for the dispatcher
    log_out(page)
    page.set_viewport_size({"width": 1280, "height": 860})
    log_in(page, "dispatcher")
    page.get_by_role("link", name="我的待办").first.click()
    page.locator("#queue").get_by_role("link", name=event.code).click()
    expect(page.locator("#event-fields .status")).to_have_text("已上报")
    expect(page.locator("#event-fields")).to_contain_text(grid.name)
    log_out(page)

    # a resident's demand is ordered by the grid worker
    log_in(page, "grid")
    page.get_by_role("link", name="志愿服务点单").first.click()
    page.get_by_label("需求名称").fill("独居老人代购药品")
    page.get_by_label("服务类别").select_option(label="助老助残")
    page.get_by_label("所在村（社区）").fill(world.village.code)
    page.get_by_label("点单人姓名").fill("李阿姨")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#demand-fields .status")).to_have_text("待派单")
    demand = VolunteerDemand.objects.get()
    log_out(page)

    # the dispatcher pairs it, records the team's answer and the service, and rates it
    log_in(page, "dispatcher")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="志愿服务").click()
    page.get_by_role("link", name="独居老人代购药品").click()
    page.get_by_label("服务队伍").select_option(label="湖小青助老服务队")
    page.locator("#pair-form").get_by_role("button", name="派单").click()
    expect(page.locator("#pairing-fields .status")).to_have_text("已派单待接单")
    expect(page.locator("#pairing-fields .demand-status")).to_have_text("已派单")
    page.get_by_role("button", name="接单").click()
    expect(page.locator("#pairing-fields .status")).to_have_text("已接单")
    page.get_by_label("服务时长（小时）").fill("2")
    page.get_by_label("服务人数").fill("1")
    page.get_by_label("服务内容").fill("代购降压药并送药上门")
    page.get_by_role("button", name="登记服务").click()
    expect(page.locator("#sessions")).to_contain_text("代购降压药并送药上门")
    page.get_by_role("button", name="服务完成").click()
    expect(page.locator("#pairing-fields .status")).to_have_text("服务完成待评单")
    page.locator("#rate-form select").select_option("5")
    page.get_by_label("评价意见").fill("老人很满意")
    page.locator("#rate-form").get_by_role("button", name="评单").click()
    expect(page.locator("#pairing-fields .status")).to_have_text("已评单")
    expect(page.locator("#pairing-fields .demand-status")).to_have_text("已评价关闭")
    assert VolunteerPairing.objects.get().rating == 5
    assert VolunteerDemand.objects.get(pk=demand.pk).status == "closed"

    # the figures count it
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="网格与志愿看板").click()
    expect(page.locator("#volunteer-figures .demands")).to_have_text("1")
    expect(page.locator("#volunteer-figures .pairings")).to_have_text("1")
    expect(page.locator("#volunteer-figures .people")).to_have_text("1")
    expect(page.locator("#patrol-figures .hazard-events")).to_have_text("1")
    shot("community-dashboard")
