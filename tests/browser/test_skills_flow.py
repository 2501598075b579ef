"""Evaluation-organisation staff run a plan from applications to results in a real
Chromium, HR files it and certificates are issued, and a member of the public
verifies one by number + name and by its QR payload."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills.models import Certificate, EvaluationPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "skills-flow-pass"


@pytest.fixture
def setting(regions, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    cache.clear()
    builders.load_sample()
    evaluator = builders.social_evaluator()
    make_user(
        "assessor", Role.EVALUATION_STAFF, organization=evaluator.organization, password=PASSWORD
    )
    make_user("hr_city_officer", Role.HR_OFFICER, region="330500000000", password=PASSWORD)
    monkeypatch.setattr(
        "tongban.skills.models.certification.today", lambda: datetime.date(2026, 11, 30)
    )
    return evaluator


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_staff_run_a_plan_hr_files_it_and_the_public_verifies(page, setting, shot, monkeypatch):
    evaluator = setting
    li = builders.eligible_for_level4(evaluator, "李建国")
    qian = builders.eligible_for_level4(evaluator, "钱卫东")
    novice = builders.make_person("孙新手")
    builders.employ(novice, builders.make_org("新手单位"), datetime.date(2025, 1, 1))

    # the evaluation organisation opens a plan
    log_in(page, "assessor")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="评价计划").click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("职业代码").fill("6-18-01-01")
    page.get_by_label("技能等级").select_option(label="四级/中级工")
    page.get_by_label("考核站点代码").fill("330502")
    page.get_by_label("考核地点").fill("吴兴区实训基地")
    page.get_by_label("考核开始日期").fill("2026-12-01")
    page.get_by_label("考核结束日期").fill("2026-12-02")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("车工")

    # applications: two eligible, one refused with the reason
    for person in (li, qian, novice):
        page.get_by_label("申报人证件号码").fill(person.document_number)
        page.get_by_label("申报人姓名").fill(person.name)
        page.get_by_role("button", name="受理申报").click()
    expect(page.get_by_role("alert")).to_contain_text("不符合申报条件")
    expect(page.get_by_role("alert")).to_contain_text("从事本职业工作满6年（目前1年10个月）")
    applications = page.locator("#applications")
    expect(applications).to_contain_text("李建国")
    expect(applications).not_to_contain_text("孙新手")

    # scores: one out of range refused, then the results
    page.get_by_label("李建国 理论知识考试").fill("120")
    page.get_by_label("李建国 操作技能考核").fill("80")
    page.locator('tr[data-person="李建国"]').get_by_role("button", name="录入成绩").click()
    expect(page.get_by_role("alert")).to_contain_text("理论知识考试成绩应在0到100分之间")
    page.get_by_label("李建国 理论知识考试").fill("86")
    page.get_by_label("李建国 操作技能考核").fill("80")
    page.locator('tr[data-person="李建国"]').get_by_role("button", name="录入成绩").click()
    page.get_by_label("钱卫东 理论知识考试").fill("75")
    page.get_by_label("钱卫东 操作技能考核").fill("52")
    page.locator('tr[data-person="钱卫东"]').get_by_role("button", name="录入成绩").click()
    expect(page.locator('tr[data-person="李建国"]')).to_contain_text("考核合格")
    expect(page.locator('tr[data-person="钱卫东"]')).to_contain_text("考核不合格")
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator("dl.fields")).to_contain_text("公示中")
    shot("skills-plan")
    log_out(page)

    # after the publicity period, HR files the plan and certificates are issued
    plan = EvaluationPlan.objects.get()
    monkeypatch.setattr(
        "tongban.skills.models.certification.today",
        lambda: plan.publicity_ends_on + datetime.timedelta(days=1),
    )
    log_in(page, "hr_city_officer")
    page.goto(f"/skills/plans/{plan.pk}/")
    page.get_by_role("button", name="备案并发证").click()
    expect(page.locator("dl.fields")).to_contain_text("已备案发证")
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "李建国"
    page.get_by_role("link", name=certificate.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(certificate.number)
    log_out(page)

    # a member of the public verifies it by number + name, then by the QR payload
    page.goto("/verify/")
    form = page.locator("#verify-form")
    form.get_by_label("证书编号").fill(certificate.number)
    form.get_by_label("姓名").fill("李建国")
    form.get_by_role("button", name="查询").click()
    result = page.locator("#verify-result")
    expect(result).to_contain_text("四级/中级工")
    expect(result).to_contain_text("湖州市技能评价中心")
    expect(result).to_contain_text("有效")
    expect(result).not_to_contain_text(li.document_number)
    shot("skills-verify")
    form = page.locator("#verify-form")
    form.get_by_label("证书编号").fill(certificate.number)
    form.get_by_label("姓名").fill("李冒名")
    form.get_by_role("button", name="查询").click()
    expect(page.locator("#verify-result")).to_contain_text("未查询到与所填信息一致的证书")
    page.get_by_label("二维码内容").fill(certificate.payload)
    page.get_by_role("button", name="核验二维码").click()
    expect(page.locator("#scan-result")).to_contain_text("有效：签名正确")
    expect(page.locator("#scan-result")).to_contain_text("李建国")
