"""During 公示, HR registers an objection on the plan's page in a real Chromium (the
objector's contact shown masked) and upholds it with a reason: that result stops."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills import services
from tongban.skills.models import ApplicationStatus, CertificationApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "skills-objection-pass"


@pytest.fixture
def plan_in_publicity(regions, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    cache.clear()
    monkeypatch.setattr(
        "tongban.skills.models.certification.today", lambda: datetime.date(2026, 11, 30)
    )
    builders.load_sample()
    evaluator = builders.social_evaluator()
    staff = builders.staff_of(evaluator)
    make_user("hr_city_officer", Role.HR_OFFICER, region="330500000000", password=PASSWORD)
    plan = builders.plan(evaluator, staff)
    for name in ("李建国", "钱卫东"):
        application = services.apply(
            plan, builders.eligible_for_level4(evaluator, name), user=staff
        )
        services.record_scores(application, {"theory": 86, "practical": 80}, user=staff)
    return services.start_publicity(plan, user=staff)


def test_hr_registers_and_upholds_an_objection_on_the_plan_page(page, plan_in_publicity, shot):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hr_city_officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
    page.goto(f"/skills/plans/{plan_in_publicity.pk}/")

    form = page.locator("#objection-form")
    form.get_by_label("异议对象").select_option(label="李建国")
    form.get_by_label("异议人姓名").fill("赵举报")
    form.get_by_label("异议人联系方式").fill("13812345678")
    form.get_by_label("异议事实与理由").fill("考核时由他人代考")
    form.get_by_role("button", name="登记异议").click()
    objections = page.locator("#objections")
    expect(objections).to_contain_text("138****5678")
    expect(objections).not_to_contain_text("13812345678")
    expect(objections).to_contain_text("已登记，待处理")

    page.get_by_label("赵举报 异议成立，终止该结果 理由").fill("经调查属实")
    objections.get_by_role("button", name="异议成立，终止该结果").click()
    expect(objections).to_contain_text("经调查属实")
    expect(page.locator('tr[data-person="李建国"]')).to_contain_text("异议成立，终止")
    expect(page.locator('tr[data-person="钱卫东"]')).to_contain_text("考核合格")
    expect(page).to_have_url(re.compile(r"/skills/plans/\d+/$"))
    shot("skills-objection")
    statuses = dict(CertificationApplication.objects.values_list("person__name", "status"))
    assert statuses == {"李建国": ApplicationStatus.STOPPED, "钱卫东": ApplicationStatus.PASSED}
