"""The other certification routes, each with its own rules and who may act."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import make_person
from tests.skills import builders
from tongban.core import workflow
from tongban.core.models import TransitionLog
from tongban.skills import services
from tongban.skills.models import Appointment, Certificate, LimitBreakingRequest
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(catalogue):
    return builders.enterprise_evaluator(top="level2")


@pytest.fixture
def enterprise_hr(enterprise):
    return builders.staff_of(enterprise, "ent_hr")


def employee(enterprise, name="周师傅", since=datetime.date(2016, 1, 1), frontline=True):
    person = make_person(name)
    builders.employ(person, enterprise.organization, since, frontline=frontline)
    return person


# enterprise self-evaluation


def test_enterprise_self_evaluation_certificates_its_own_staff_within_scope(
    enterprise, enterprise_hr, on_day
):
    plan = builders.plan(enterprise, enterprise_hr, key="level4")
    application = services.apply(plan, employee(enterprise), user=enterprise_hr)
    assert application.status == "submitted"


def test_enterprise_self_evaluation_out_of_scope_is_refused(enterprise, enterprise_hr):
    with pytest.raises(ValidationError) as exc:
        builders.plan(enterprise, enterprise_hr, key="level1")
    assert exc.value.message_dict["level"] == ["该职业等级不在评价机构的备案范围内"]


def test_enterprise_self_evaluation_refuses_people_who_do_not_work_there(
    enterprise, enterprise_hr, on_day
):
    plan = builders.plan(enterprise, enterprise_hr, key="level4")
    stranger = builders.eligible_for_level4(enterprise, "外单位人员")
    with pytest.raises(ValidationError) as exc:
        services.apply(plan, stranger, user=enterprise_hr)
    assert "仅限本企业在职职工" in exc.value.message_dict["person"][0]


# direct certification


def test_direct_certification_of_new_staff_on_recorded_performance(
    enterprise, enterprise_hr, on_day
):
    person = employee(enterprise, since=datetime.date(2026, 6, 1))
    cert = services.direct_certification(
        person, builders.occupation(), level("level4"), user=enterprise_hr,
        performance="独立完成主轴加工，合格率99%", site_code="330502",
    )  # fmt: skip
    assert cert.route == "direct" and cert.number.startswith("Y2001")


def test_direct_certification_needs_recorded_performance(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError) as exc:
        services.direct_certification(
            employee(enterprise), builders.occupation(), level("level4"), user=enterprise_hr,
            performance=" ", site_code="330502",
        )  # fmt: skip
    assert exc.value.message_dict == {"performance": ["直接认定须记录日常表现和工作业绩"]}


def test_direct_certification_is_only_for_ungraded_staff(enterprise, enterprise_hr, on_day):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level5", datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.direct_certification(
            person, builders.occupation(), level("level4"), user=enterprise_hr,
            performance="业绩", site_code="330502",
        )  # fmt: skip


# breaking limits


def test_breaking_limits_certifies_frontline_workers_at_senior_level_with_hr_approval(
    enterprise, enterprise_hr, on_day
):
    person = employee(enterprise, since=datetime.date(2025, 1, 1))  # one year, no certificate
    request = services.request_breaking_limits(
        person, builders.occupation(), level("level3"), user=enterprise_hr,
        evidence="攻克曲轴磨削振纹难题", site_code="330502",
    )  # fmt: skip
    assert request.status == "submitted" and not Certificate.objects.exists()
    cert = services.approve_breaking_limits(request, user=builders.hr_officer("hr_a"))
    assert cert.route == "breaking_limits" and cert.level.key == "level3"
    assert LimitBreakingRequest.objects.get().certificate == cert
    assert TransitionLog.objects.get(name="approve").target == "approved"


def test_breaking_limits_below_senior_level_is_refused(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError) as exc:
        services.request_breaking_limits(
            employee(enterprise), builders.occupation(), level("level4"), user=enterprise_hr,
            evidence="业绩", site_code="330502",
        )  # fmt: skip
    assert exc.value.message_dict == {"level": ["打破限制直接认定的等级应为高级工及以上"]}


def test_breaking_limits_needs_evidence(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError) as exc:
        services.request_breaking_limits(
            employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
            evidence=" ", site_code="330502",
        )  # fmt: skip
    assert exc.value.message_dict == {"evidence": ["须提供业绩证明材料"]}


def test_breaking_limits_needs_hr_approval(enterprise, enterprise_hr, on_day):
    request = services.request_breaking_limits(
        employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
        evidence="业绩", site_code="330502",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.approve_breaking_limits(request, user=enterprise_hr)
    assert not Certificate.objects.exists()


def test_hr_may_refuse_breaking_limits_with_a_reason(enterprise, enterprise_hr, on_day):
    request = services.request_breaking_limits(
        employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
        evidence="业绩", site_code="330502",
    )  # fmt: skip
    hr = builders.hr_officer("hr_r")
    with pytest.raises(ValidationError):
        workflow.fire(request, "refuse", user=hr, reason="")
    refused = workflow.fire(request, "refuse", user=hr, reason="业绩材料不足")
    assert refused.status == "refused" and not Certificate.objects.exists()


def test_breaking_limits_is_for_frontline_workers(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError):
        services.request_breaking_limits(
            employee(enterprise, frontline=False), builders.occupation(), level("level3"),
            user=enterprise_hr, evidence="业绩", site_code="330502",
        )  # fmt: skip


def test_api_breaking_limits_request_and_hr_approval(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise)
    client.force_login(enterprise_hr)
    created = client.post(
        "/api/skills/limit-breaking-requests/",
        {
            "document_number": person.document_number,
            "name": person.name,
            "occupation": builders.TURNER,
            "level": "level3",
            "site_code": "330502",
            "evidence": "省级技能大师工作室领办人",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        client.post(f"/api/skills/limit-breaking-requests/{pk}/transitions/approve/").status_code
        == 400
    )
    client.force_login(builders.hr_officer("hr_api"))
    approved = client.post(f"/api/skills/limit-breaking-requests/{pk}/transitions/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Certificate.objects.get().route == "breaking_limits"


# 破格晋升


def test_exceptional_promotion_on_one_ground_waives_the_years(enterprise, enterprise_hr, on_day):
    person = employee(enterprise, since=datetime.date(2024, 1, 1))
    builders.give_certificate(person, enterprise, "level4", datetime.date(2025, 1, 1))
    cert = services.exceptional_promotion(
        person, builders.occupation(), level("level3"), user=enterprise_hr,
        grounds=["award"], evidence="省级技术能手", site_code="330502",
    )  # fmt: skip
    assert cert.route == "exceptional" and cert.evidence.startswith("获得省部级及以上表彰奖励")


@pytest.mark.parametrize("grounds", [[], ["award", "mentoring"], ["lottery"]])
def test_exceptional_promotion_needs_exactly_one_of_three_grounds(
    enterprise, enterprise_hr, on_day, grounds
):
    with pytest.raises(ValidationError) as exc:
        services.exceptional_promotion(
            employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
            grounds=grounds, evidence="材料", site_code="330502",
        )  # fmt: skip
    assert exc.value.message_dict == {"grounds": ["破格晋升须且只能依据三项情形之一"]}


def test_exceptional_promotion_needs_evidence(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError) as exc:
        services.exceptional_promotion(
            employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
            grounds=["mentoring"], evidence="", site_code="330502",
        )  # fmt: skip
    assert exc.value.message_dict == {"evidence": ["破格晋升须提供证明材料"]}


def test_exceptional_promotion_still_needs_the_lower_certificate(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError) as exc:
        services.exceptional_promotion(
            employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
            grounds=["technical_problem"], evidence="攻关报告", site_code="330502",
        )  # fmt: skip
    assert "取得本职业四级证书（未见有效证书）" in exc.value.message_dict["person"][0]


# competition results (entry point for the competitions module)


def test_competition_award_gives_technician_and_a_technician_becomes_senior(catalogue, on_day):
    evaluator = builders.social_evaluator()
    hr = builders.hr_officer("hr_comp")
    person = make_person("赛手")
    first = services.competition_result(
        person,
        builders.occupation(),
        evaluator=evaluator,
        award="excellence",
        site_code="330502",
        user=hr,
    )
    assert first.level.key == "level2" and first.route == "competition"
    second = services.competition_result(
        person,
        builders.occupation(),
        evaluator=evaluator,
        award="gold",
        site_code="330502",
        user=hr,
    )
    assert second.level.key == "level1"


def test_competition_award_must_be_known(catalogue):
    evaluator = builders.social_evaluator()
    with pytest.raises(ValidationError):
        services.competition_result(
            make_person(), builders.occupation(), evaluator=evaluator, award="参与奖",
            site_code="330502", user=builders.hr_officer("hr_c2"),
        )  # fmt: skip


# 特级技师 / 首席技师


def test_special_technician_is_appointed_from_senior_technicians_and_registered(
    enterprise, enterprise_hr, on_day
):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    hr = builders.hr_officer("hr_reg")
    special = services.appoint(
        person, builders.occupation(), level("special"),
        employer=enterprise.organization, user=enterprise_hr,
    )  # fmt: skip
    assert special.status == "appointed" and special.registered_on is None
    with pytest.raises(ValidationError):  # not before HR registered the 特级技师 post
        services.appoint(
            person, builders.occupation(), level("chief"),
            employer=enterprise.organization, user=enterprise_hr,
        )  # fmt: skip
    registered = services.register_appointment(special, user=hr)
    assert registered.status == "registered" and registered.registered_on is not None
    chief = services.appoint(
        person, builders.occupation(), level("chief"),
        employer=enterprise.organization, user=enterprise_hr,
    )  # fmt: skip
    assert chief.level.name == "首席技师" and Appointment.objects.count() == 2


def test_only_hr_registers_an_appointment(enterprise, enterprise_hr, on_day):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    special = services.appoint(
        person, builders.occupation(), level("special"),
        employer=enterprise.organization, user=enterprise_hr,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.register_appointment(special, user=enterprise_hr)


def test_appointment_needs_the_level_below(enterprise, enterprise_hr, on_day):
    with pytest.raises(ValidationError) as exc:
        services.appoint(
            employee(enterprise), builders.occupation(), level("chief"),
            employer=enterprise.organization, user=enterprise_hr,
        )  # fmt: skip
    assert exc.value.message_dict == {"person": ["须先取得下一层级（特级技师）"]}


def test_appointment_only_for_occupations_with_senior_technician(enterprise, enterprise_hr, on_day):
    builders.occupation().levels.remove(level("level1"))
    with pytest.raises(ValidationError) as exc:
        services.appoint(
            employee(enterprise), builders.occupation(), level("special"),
            employer=enterprise.organization, user=enterprise_hr,
        )  # fmt: skip
    assert "仅设有高级技师的职业" in exc.value.message_dict["occupation"][0]


def test_appointment_by_another_employer_is_refused(enterprise, on_day):
    other = builders.enterprise_evaluator("另一企业", code="2002")
    outsider = builders.staff_of(other, "other_hr")
    with pytest.raises(Http404):
        services.appoint(
            employee(enterprise), builders.occupation(), level("special"),
            employer=enterprise.organization, user=outsider,
        )  # fmt: skip
    assert not Appointment.objects.exists()


# API


def test_api_direct_certification_by_the_employer(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise, since=datetime.date(2026, 6, 1))
    client.force_login(enterprise_hr)
    response = client.post(
        "/api/skills/employer-certifications/",
        {
            "route": "direct",
            "document_number": person.document_number,
            "name": person.name,
            "occupation": builders.TURNER,
            "level": "level4",
            "site_code": "330502",
            "evidence": "独立完成主轴加工",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["route"] == "direct" and len(response.json()["number"]) == 22


def test_api_exceptional_promotion_refuses_two_grounds(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise)
    client.force_login(enterprise_hr)
    response = client.post(
        "/api/skills/employer-certifications/",
        {
            "route": "exceptional",
            "document_number": person.document_number,
            "name": person.name,
            "occupation": builders.TURNER,
            "level": "level3",
            "site_code": "330502",
            "evidence": "材料",
            "grounds": ["award", "mentoring"],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"grounds": ["破格晋升须且只能依据三项情形之一"]}


def test_api_hr_registers_an_appointment(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    special = services.appoint(
        person, builders.occupation(), level("special"),
        employer=enterprise.organization, user=enterprise_hr,
    )  # fmt: skip
    client.force_login(builders.hr_officer("hr_api_reg"))
    response = client.post(f"/api/skills/appointments/{special.pk}/transitions/register/")
    assert response.status_code == 200 and response.json()["status"] == "registered"
