"""Mediation in a real Chromium: a village station registers a neighbours' dispute, both
parties consent, the mediator records the agreement and prints it (the PDF downloads), the
return visit is logged, and the township dashboard shows the dispute resolved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.governance.conftest import world  # noqa: F401 (fixture)
from tests.governance.mediation_world import centres  # noqa: F401 (fixture)
from tongban.governance.models import MediationCase

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


def test_a_village_station_mediates_a_neighbours_dispute_to_the_end(page, centres, shot):  # noqa: F811
    # the village station registers the dispute
    log_in(page, "station")
    page.get_by_role("link", name="登记矛盾纠纷").click()
    expect(page.get_by_label("受理中心")).to_have_value(str(centres.station.pk))
    page.get_by_label("纠纷发生地（村、社区）").fill(centres.village.code)
    page.get_by_label("来源渠道").select_option(label="中心窗口")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷简述").fill("楼上漏水邻里纠纷")
    page.get_by_label("纠纷情况").fill("楼上卫生间漏水致楼下天花板受损，双方对维修费用有争议")
    page.get_by_label("陈调解（人民调解员）").check()
    page.get_by_label("申请人姓名或名称*", exact=True).fill("李小红")
    page.get_by_label("被申请人姓名或名称").fill("王大明")
    page.get_by_label("被申请人联系电话").fill("13912345678")
    shot("mediation-register")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#case-fields .status")).to_have_text("已登记（征询调解意愿）")
    expect(page.locator("#parties")).to_contain_text("139****5678")

    # both parties consent, and mediation starts
    page.get_by_role("button", name="李小红 同意调解").click()
    page.get_by_role("button", name="王大明 同意调解").click()
    expect(page.locator("#parties")).not_to_contain_text("待征询")
    page.get_by_role("button", name="开始调解").click()
    expect(page.locator("#case-fields .status")).to_have_text("调解中")

    # the mediator records the written agreement with both signatures
    page.get_by_label("协议内容").fill(
        "一、王大明于十日内修复卫生间防水；\n二、楼下天花板修复费用800元由王大明承担。"
    )
    page.get_by_label("调解员签名").fill("陈调解")
    page.get_by_label("申请人 李小红").check()
    page.get_by_label("被申请人 王大明").check()
    page.get_by_role("button", name="登记调解协议").click()
    expect(page.locator("#case-fields .status")).to_have_text("已达成协议（待回访）")
    expect(page.locator("#agreement .confirmation-due")).not_to_be_empty()
    shot("mediation-agreement")

    # and prints it
    with page.expect_download() as download_info:
        page.get_by_role("link", name="打印调解协议书（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # the return visit is logged and closes the case
    page.get_by_label("履行情况").select_option(label="已履行")
    page.get_by_label("回访记录").fill("防水已修复，费用已付清")
    page.get_by_role("button", name="登记回访").click()
    expect(page.locator("#case-fields .status")).to_have_text("已回访结案")
    expect(page.locator("#visits")).to_contain_text("已履行")
    assert MediationCase.objects.get().status == "closed"
    log_out(page)

    # the township dashboard shows it resolved
    log_in(page, "town_dispatcher")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="治理看板").click()
    expect(page.locator("#mediation .registered")).to_have_text("1")
    expect(page.locator("#mediation .resolved")).to_have_text("1")
    expect(page.locator("#mediation .closed")).to_have_text("1")
    expect(page.locator("#mediation .success-rate")).to_have_text("100%")
    shot("mediation-dashboard")
