"""A county HR officer opens the statistics dashboard, sees the county's ratios against
the targets, drills down to a township; a certificate is issued and, on reload, the ratio
has changed (the tally moved with the certificate)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import WUXING, make_org, make_person, make_user
from tests.skills import builders
from tongban.core.models import Region
from tongban.core.permissions import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "statistics-flow-pass"


@pytest.fixture
def county(regions, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    cache.clear()
    builders.load_sample()
    monkeypatch.setattr(
        "tongban.skills.models.certification.today", lambda: datetime.date(2026, 11, 30)
    )
    evaluator = builders.social_evaluator()
    employer = make_org("吴兴统计示范厂")
    town = Region.objects.filter(parent_id=WUXING).order_by("code").first()
    people = []
    for i in range(4):
        person = make_person(f"吴兴职工{i}", region=town.code)
        builders.employ(person, employer, datetime.date(2020, 1, 1))
        people.append(person)
    builders.give_certificate(people[0], evaluator, "level4", datetime.date(2024, 5, 1))
    make_user("hr_wuxing_stats", Role.HR_OFFICER, region=WUXING, password=PASSWORD)
    return evaluator, people, town


def test_hr_sees_the_county_ratio_change_after_a_certificate_is_issued(page, county, shot):
    evaluator, people, town = county
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hr_wuxing_stats")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")

    page.get_by_role("link", name="技能人才统计").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("吴兴区")
    headline = page.locator("#headline")
    expect(headline.locator(".employed")).to_have_text("4")
    expect(headline.locator(".skilled-share")).to_have_text("25.0%")  # 1 of 4, target 30 %
    expect(headline).to_contain_text("未达标")
    expect(page.locator("#trend-chart")).to_be_visible()
    shot("statistics-county")

    # drill down to the township and back up
    page.locator("#children").get_by_role("link", name=town.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(town.name)
    page.locator("#drill-path").get_by_role("link", name="吴兴区").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("吴兴区")

    # a 高级工 certificate is issued to another worker through the certification services
    builders.give_certificate(people[1], evaluator, "level3", datetime.date(2026, 11, 30))

    page.reload()
    expect(headline.locator(".skilled-share")).to_have_text("50.0%")
    expect(headline.locator(".high-share")).to_have_text("50.0%")
    expect(headline).to_contain_text("已达标")
