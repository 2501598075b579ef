"""In a real Chromium: the hotline form suggests a possible duplicate once the category and
the village are entered, and the dispatcher reveals the reporter's phone on the event page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_governance_flow import log_in
from tests.governance.conftest import new_event, world  # noqa: F401 (fixture)
from tongban.governance.models import ReporterContactAccess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hotline_form_suggests_duplicates_and_the_phone_is_revealed_on_request(
    page,
    world,  # noqa: F811
    shot,
):
    earlier = new_event(
        world,
        channel="hotline",
        reporter_name="李四",
        reporter_phone="13812345678",
        user=world.dispatcher,
    )
    log_in(page, "dispatcher")
    page.goto("/events/hotline/")
    page.get_by_label("事件分类").select_option(label="04.01 消防通道堵塞")
    page.get_by_label("所在村（社区）").fill(world.village.code)
    page.get_by_label("详细地址").focus()
    suggestions = page.locator("#duplicates")
    expect(suggestions).to_contain_text("可能重复的事件")
    expect(suggestions.get_by_role("link", name=earlier.code)).to_be_visible()
    shot("governance-intake-duplicates")

    page.goto(f"/events/{earlier.pk}/")
    expect(page.locator("#reporter-phone")).to_have_text("138****5678")
    page.get_by_role("button", name="查看完整电话").click()
    expect(page.locator("#reporter-phone")).to_contain_text("13812345678")
    assert ReporterContactAccess.objects.filter(event=earlier).count() == 1
