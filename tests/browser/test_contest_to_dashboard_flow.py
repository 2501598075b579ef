"""Issue 6's whole flow in a real Chromium: HR publishes a contest's results, the winner's
lifelong archive shows the competition promotion and the honour, and the county's
statistics dashboard counts the newly certified workers."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import HUZHOU, WUXING, make_org, make_person, make_user
from tests.skills import builders
from tongban.core.models import Region
from tongban.core.permissions import Role
from tongban.skills import competitions
from tongban.skills.models import Competition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "contest-dashboard-pass"


@pytest.fixture
def contest(regions, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    cache.clear()
    builders.load_sample()
    from tongban.skills.apps import _reference_data

    _reference_data(sender=None)  # award types, rule tables, targets (flushed by the flow)
    monkeypatch.setattr(
        "tongban.skills.models.certification.today", lambda: datetime.date(2026, 11, 30)
    )
    hr = make_user("hr_contest_board", Role.HR_OFFICER, region=HUZHOU, password=PASSWORD)
    town = Region.objects.filter(parent_id=WUXING).order_by("code").first()
    employer = make_org("吴兴竞赛示范厂", region=WUXING)
    competition = competitions.create_competition(
        Competition(
            name="2026年全国车工职业技能竞赛（吴兴）",
            level="national",
            occupation=builders.occupation(),
            organiser=make_org("湖州市人力资源和社会保障局", kind="hr_department", region=HUZHOU),
            region_id=HUZHOU,
            starts_on=datetime.date(2026, 10, 10),
            ends_on=datetime.date(2026, 10, 12),
            issuer=builders.social_evaluator(),
            site_code="330502",
        ),
        user=hr,
    )
    people = []
    for name in ("吴金牌", "吴银牌", "吴铜牌", "吴第四"):
        person = make_person(name, region=town.code)
        builders.employ(person, employer, datetime.date(2020, 1, 1))
        competitions.enter(competition, [person], user=hr)
        people.append(person)
    for rank, person in enumerate(people, start=1):
        competitions.record_result(competition, person, rank, user=hr)
    return competition, people


def test_published_results_reach_the_winners_archive_and_the_county_dashboard(page, contest, shot):
    competition, people = contest
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hr_contest_board")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")

    year = 2026  # the year the results are published (the certificates are dated in it)
    page.goto(f"/skills/statistics/?region={WUXING}&year={year}")
    headline = page.locator("#headline")
    expect(headline.locator(".employed")).to_have_text("4")
    expect(headline.locator(".skilled-share")).to_have_text("0.0%")

    page.goto(f"/skills/competitions/{competition.pk}/")
    page.get_by_role("button", name="公布成绩并晋升表彰").click()
    expect(page.locator(".fields")).to_contain_text("成绩已公布")

    page.goto(f"/skills/archive/{people[0].pk}/")
    expect(page.locator('tr[data-kind="competition"]')).to_contain_text("金牌")
    expect(page.locator('tr[data-kind="award"]')).to_contain_text("全国技术能手")
    expect(page.locator('tr[data-kind="certificate"]').first).to_contain_text("技师")
    shot("contest-archive")

    page.goto(f"/skills/statistics/?region={WUXING}&year={year}")
    # gold, silver and bronze are promoted to 技师: 3 of the 4 workers now hold a certificate
    expect(headline.locator(".skilled-share")).to_have_text("75.0%")
    expect(headline).to_contain_text("已达标")
