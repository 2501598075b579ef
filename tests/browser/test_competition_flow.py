"""HR records a contest's ranks, publishes the results in a real Chromium, and the winner's
person page shows the competition promotion (a certificate) and the honour."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import HUZHOU, make_org, make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills import competitions
from tongban.skills.models import Competition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "contest-flow-pass"


@pytest.fixture
def contest(regions, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    cache.clear()
    builders.load_sample()
    from tongban.skills.apps import _reference_data

    _reference_data(sender=None)  # award types and rule tables (flushed by transactional tests)
    monkeypatch.setattr(
        "tongban.skills.models.certification.today", lambda: datetime.date(2026, 11, 30)
    )
    hr = make_user("hr_contest", Role.HR_OFFICER, region=HUZHOU, password=PASSWORD)
    competition = competitions.create_competition(
        Competition(
            name="2026年全国车工职业技能竞赛",
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
    people = [make_person(name) for name in ("王金牌", "赵银牌", "孙第三", "周第四")]
    for person in people:
        competitions.enter(competition, [person], user=hr)
    return competition, people


def test_hr_publishes_results_and_the_winner_page_shows_promotion_and_award(page, contest, shot):
    competition, people = contest
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hr_contest")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="职业技能竞赛").click()
    page.get_by_role("link", name=competition.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(competition.name)

    results = page.locator("#result")
    # a rank beyond the number of entrants is refused with the reason
    results.get_by_label("选手证件号码").fill(people[0].document_number)
    results.get_by_label("选手姓名").fill(people[0].name)
    results.get_by_label("名次").fill("9")
    results.get_by_role("button", name="录入名次").click()
    expect(page.get_by_role("alert")).to_contain_text("名次9超出参赛数（共4个参赛队（选手））")

    for rank, person in enumerate(people, start=1):
        results = page.locator("#result")
        results.get_by_label("选手证件号码").fill(person.document_number)
        results.get_by_label("选手姓名").fill(person.name)
        results.get_by_label("名次").fill(str(rank))
        results.get_by_role("button", name="录入名次").click()
        expect(page.locator(f'tr[data-person="{person.name}"]')).to_contain_text(str(rank))

    page.get_by_role("button", name="公布成绩并晋升表彰").click()
    expect(page.locator(".fields")).to_contain_text("成绩已公布")
    winner_row = page.locator(f'tr[data-person="{people[0].name}"]')
    expect(winner_row).to_contain_text("金牌")
    expect(winner_row).to_contain_text("二级/技师")
    expect(winner_row).to_contain_text("全国技术能手")
    expect(page.get_by_role("button", name="公布成绩并晋升表彰")).to_have_count(0)
    shot("competition-published")

    page.goto(f"/people/{people[0].pk}/")
    honours = page.locator("#honours")
    expect(honours.locator('tr[data-kind="competition"]')).to_contain_text("第1名 金牌")
    expect(honours.locator('tr[data-kind="promotion"]')).to_contain_text("竞赛晋升二级/技师")
    expect(honours.locator('tr[data-kind="award"]')).to_contain_text("全国技术能手")
    expect(page.locator("#skills")).to_contain_text("技师")
    honours.get_by_role("link", name=re.compile("竞赛晋升")).click()
    expect(page.locator(".fields")).to_contain_text("职业技能竞赛成绩")
    shot("competition-winner")
