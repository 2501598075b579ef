"""Eligibility: every condition met or missed, in plain Chinese, from the person's records."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_org, make_person, make_user
from tests.skills import builders
from tongban.core.models import Education
from tongban.core.permissions import Role
from tongban.skills.eligibility import check, duration
from tongban.skills.models import Apprenticeship, SchoolRecord
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 11, 30)


@pytest.fixture
def evaluator(catalogue):
    return builders.social_evaluator()


def test_years_since_a_certificate_are_counted_and_reported_as_years_and_months(evaluator):
    person = make_person("王强")
    employer = make_org("湖州机床厂")
    builders.employ(person, employer, datetime.date(2015, 1, 1))
    builders.give_certificate(person, evaluator, "level4", builders.years_ago(ON, 3, 2))
    decision = check(person, builders.occupation(), level("level3"), on=ON)
    assert not decision.eligible
    texts = [r.text for r in decision.alternatives[0].reasons]
    assert texts[1] == "取得四级证书后从事本职业工作满5年（目前3年2个月）"
    assert decision.alternatives[0].reasons[0].met
    assert not decision.alternatives[0].reasons[1].met


def test_certificate_plus_enough_years_makes_one_eligible(evaluator):
    person = make_person("王强")
    builders.employ(person, make_org("湖州机床厂"), datetime.date(2012, 1, 1))
    builders.give_certificate(person, evaluator, "level4", datetime.date(2020, 6, 1))
    decision = check(person, builders.occupation(), level("level3"), on=ON)
    assert decision.eligible
    assert decision.alternatives[0].met


def test_years_count_only_employment_in_the_occupation(evaluator):
    person = make_person("赵敏")
    builders.employ(person, make_org("甲厂"), datetime.date(2010, 1, 1), code=builders.MILLER)
    decision = check(person, builders.occupation(), level("level4"), on=ON)
    assert not decision.eligible
    assert decision.alternatives[1].reasons[0].text == "从事本职业工作满6年（目前0个月）"


def test_overlapping_employments_count_once(evaluator):
    person = make_person("孙立")
    builders.employ(
        person, make_org("甲厂"), datetime.date(2020, 1, 1), until=datetime.date(2023, 1, 1)
    )
    builders.employ(
        person, make_org("乙厂"), datetime.date(2022, 1, 1), until=datetime.date(2024, 1, 1)
    )
    decision = check(person, builders.occupation(), level("level4"), on=ON)
    assert decision.alternatives[1].reasons[0].text == "从事本职业工作满6年（目前4年）"


def test_a_technical_school_graduate_may_apply_for_level_four(evaluator):
    person = make_person("周洁")
    SchoolRecord.objects.create(
        person=person,
        school=make_org("湖州技师学院", kind="vocational_school"),
        school_class="technical_school",
        graduated_on=datetime.date(2024, 7, 1),
    )
    assert check(person, builders.occupation(), level("level4"), on=ON).eligible


def test_a_completed_apprenticeship_qualifies_for_level_five(evaluator):
    person = make_person("吴涛")
    Apprenticeship.objects.create(
        person=person,
        employer=make_org("甲厂"),
        occupation=builders.occupation(),
        started_on=datetime.date(2025, 1, 1),
        completed_on=datetime.date(2025, 12, 31),
    )
    decision = check(person, builders.occupation(), level("level5"), on=ON)
    assert decision.eligible
    assert decision.alternatives[1].reasons[0].text == "本职业学徒期满"


def test_college_education_shortens_the_road_to_level_three(evaluator):
    person = make_person("郑凯", education=Education.JUNIOR_COLLEGE)
    builders.employ(person, make_org("甲厂"), datetime.date(2022, 1, 1))
    builders.give_certificate(person, evaluator, "level4", datetime.date(2023, 6, 1))
    decision = check(person, builders.occupation(), level("level3"), on=ON)
    assert decision.eligible and decision.alternatives[2].met
    assert (
        decision.alternatives[2].reasons[0].text == "大专（高职）及以上学历（目前：大专（高职））"
    )


def test_a_revoked_certificate_does_not_count(evaluator, django_user_model):
    from tongban.skills import services

    person = make_person("冯刚")
    builders.employ(person, make_org("甲厂"), datetime.date(2010, 1, 1))
    cert = builders.give_certificate(person, evaluator, "level2", datetime.date(2018, 1, 1))
    assert check(person, builders.occupation(), level("level1"), on=ON).eligible
    services.revoke_certificate(cert, user=builders.hr_officer(), reason="考试舞弊")
    decision = check(person, builders.occupation(), level("level1"), on=ON)
    assert not decision.eligible
    assert decision.alternatives[0].reasons[0].text == "取得本职业二级证书（未见有效证书）"


def test_a_level_the_occupation_lacks_is_not_eligible(evaluator):
    person = make_person("陈晨")
    builders.occupation().levels.remove(level("level1"))
    decision = check(person, builders.occupation(), level("level1"), on=ON)
    assert not decision.eligible
    assert decision.alternatives[0].reasons[0].text == "职业“车工”未设置一级/高级技师"


def test_duration_reads_as_years_and_months():
    assert duration(365 * 3 + 62) == "3年2个月"
    assert duration(40) == "1个月"


def test_eligibility_page_shows_the_decision_before_anyone_applies(client, evaluator):
    person = builders.eligible_for_level4(evaluator)
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    page = client.get(
        "/skills/eligibility/",
        {
            "document_number": person.document_number,
            "occupation": "6-18-01-01",
            "level": level("level4").pk,
        },
    )
    text = page.content.decode()
    assert "符合申报条件" in text and "从事本职业工作满6年（目前8年" in text


def test_eligibility_api_returns_each_condition(client, evaluator):
    person = builders.eligible_for_level4(evaluator)
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    data = client.get(
        "/api/skills/eligibility/",
        {"person": person.pk, "occupation": "6-18-01-01", "level": "level3", "on": "2026-11-30"},
    ).json()
    assert data["eligible"] is False
    assert data["alternatives"][0]["reasons"][0] == {
        "met": False,
        "text": "取得本职业四级证书（未见有效证书）",
    }


def test_eligibility_api_refuses_unknown_level_with_the_field(client, evaluator):
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    response = client.get(
        "/api/skills/eligibility/", {"person": 1, "occupation": "6-18-01-01", "level": "x"}
    )
    assert response.status_code == 400
    assert response.json() == {"level": ["未知的技能等级"]}
