"""The governance loop in a real Chromium: a grid worker reports a blocked fire exit with a
photo on a phone, the dispatcher routes it, the handler resolves it, the reviewer closes it,
the citizen rates it on the public page, and the dashboard counts it."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.governance.conftest import world  # noqa: F401 (fixture)
from tongban.governance.models import Event, EventPhoto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def open_from_queue(page, code: str) -> None:
    page.get_by_role("link", name="我的待办").first.click()
    page.locator("#queue").get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(code)


def photo_file(tmp_path) -> str:
    path = tmp_path / "fire-exit.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_fire_exit_report_goes_round_the_loop_and_is_counted(page, world, shot, tmp_path):  # noqa: F811
    # a grid worker on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "grid")
    page.get_by_role("link", name="上报事件").click()
    page.get_by_label("事件分类").select_option(label="04.01 消防通道堵塞")
    page.get_by_label("所在村（社区）").fill(world.village.code)
    page.get_by_label("详细地址").fill("幸福小区3幢一单元楼道")
    page.get_by_label("事件描述").fill("一楼消防通道被电动车和纸箱堵塞")
    page.get_by_label("照片").set_input_files(photo_file(tmp_path))
    shot("governance-report")
    page.get_by_role("button", name="上报").click()
    expect(page.locator("#event-fields .status")).to_have_text("已上报")
    event = Event.objects.get()
    assert EventPhoto.objects.filter(event=event).count() == 1
    expect(page.locator(".photos img")).to_have_count(1)
    log_out(page)

    # the dispatcher verifies, registers and routes it
    page.set_viewport_size({"width": 1280, "height": 860})
    log_in(page, "dispatcher")
    open_from_queue(page, event.code)
    page.get_by_role("button", name="核实属实").click()
    expect(page.locator("#event-fields .status")).to_have_text("已核实")
    page.get_by_role("button", name="立案").click()
    expect(page.get_by_label("处置单位")).to_have_value(str(world.village_unit.pk))
    page.get_by_role("button", name="派遣").click()
    expect(page.locator("#event-fields .status")).to_have_text("已派遣")
    expect(page.locator("#event-fields .unit")).to_have_text(world.village_unit.name)
    log_out(page)

    # the village unit's handler accepts and resolves it
    log_in(page, "handler")
    open_from_queue(page, event.code)
    page.get_by_role("button", name="签收").click()
    page.get_by_label("办结反馈 理由").fill("已清理电动车和纸箱，通道畅通")
    page.get_by_role("button", name="办结反馈").click()
    expect(page.locator("#event-fields .status")).to_have_text("已处置待复核")
    log_out(page)

    # the reviewer closes it
    log_in(page, "reviewer")
    open_from_queue(page, event.code)
    page.get_by_role("button", name="复核通过，结案").click()
    expect(page.locator("#event-fields .status")).to_have_text("已结案待回访")
    shot("governance-event")
    log_out(page)

    # the citizen follows the code and rates the handling
    event = Event.objects.get()
    page.goto(f"/e/{event.code}/?t={event.token}")
    expect(page.locator(".public-status .status")).to_have_text("已办结")
    expect(page.locator(".public-status svg")).to_be_visible()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".public-status .satisfaction")).to_have_text("满意")
    assert Event.objects.get().satisfaction == "satisfied"

    # the dashboard counts it
    log_in(page, "dispatcher")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="治理看板").click()
    expect(page.locator("#headline .total")).to_have_text("1")
    expect(page.locator("#headline .on-time")).to_have_text("100%")
    expect(page.locator("#satisfaction")).to_contain_text("满意")
    expect(page.locator("#village-chart")).to_contain_text(world.village.name)
    shot("governance-dashboard")
