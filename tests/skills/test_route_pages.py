"""Pages of the certification routes besides social evaluation: each posts through the
page (the same services as the API) and shows one refusal with its field."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills import services
from tongban.skills.models import (
    Appointment,
    Certificate,
    CertificationApplication,
    EvaluationPlan,
    LimitBreakingRequest,
)
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


def named(person):
    return {"document_number": person.document_number, "name": person.name}


def route_fields(person, **kw):
    return {**named(person), "occupation": builders.TURNER, "site_code": "330502", **kw}


def field_error(response, field):
    """The message shown under ``field`` on a re-rendered form."""
    form = response.context["form"]
    return " ".join(str(e) for e in form.errors.get(field, []))


# enterprise self-evaluation: the plan pages, for an enterprise filed for self-evaluation


def test_enterprise_self_evaluation_through_the_plan_pages(
    client, enterprise, enterprise_hr, on_day
):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/plans/add/",
        {
            "evaluator": enterprise.pk,
            "occupation": builders.TURNER,
            "level": level("level4").pk,
            "site_code": "330502",
            "site_name": "精工实训车间",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "publicity_days": 5,
        },
    )
    plan = EvaluationPlan.objects.get()
    assert response["Location"] == f"/skills/plans/{plan.pk}/"
    listing = client.get("/skills/plans/?evaluator_kind=enterprise").content.decode()
    assert "精工实训车间" in listing
    client.post(f"/skills/plans/{plan.pk}/apply/", named(employee(enterprise)))
    assert CertificationApplication.objects.filter(plan=plan).count() == 1
    page = client.get(f"/skills/plans/{plan.pk}/").content.decode()
    assert "周师傅" in page and "取消计划" in page


def test_enterprise_self_evaluation_page_refuses_someone_not_employed_there(
    client, enterprise, enterprise_hr, on_day
):
    plan = builders.plan(enterprise, enterprise_hr, key="level4")
    stranger = builders.eligible_for_level4(enterprise, "外单位人员")
    client.force_login(enterprise_hr)
    response = client.post(f"/skills/plans/{plan.pk}/apply/", named(stranger))
    assert "error=" in response["Location"]
    assert "仅限本企业在职职工" in client.get(response["Location"]).content.decode()
    assert not CertificationApplication.objects.exists()


def test_enterprise_self_evaluation_page_refuses_a_level_outside_the_filed_scope(
    client, enterprise, enterprise_hr
):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/plans/add/",
        {
            "evaluator": enterprise.pk,
            "occupation": builders.TURNER,
            "level": level("level1").pk,
            "site_code": "330502",
            "site_name": "精工实训车间",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "publicity_days": 5,
        },
    )
    assert response.status_code == 200
    assert "不在评价机构的备案范围内" in field_error(response, "level")
    assert not EvaluationPlan.objects.exists()


# direct certification


def test_direct_certification_page_issues_a_certificate(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise, since=datetime.date(2026, 6, 1))
    client.force_login(enterprise_hr)
    assert "直接认定" in client.get("/").content.decode()
    response = client.post(
        "/skills/direct-certifications/add/",
        route_fields(person, level=level("level4").pk, performance="独立完成主轴加工"),
    )
    certificate = Certificate.objects.get()
    assert response["Location"] == f"/skills/certificates/{certificate.pk}/"
    assert certificate.route == "direct"
    listing = client.get("/skills/certificates/?route=direct").content.decode()
    assert certificate.number in listing


def test_direct_certification_page_refuses_without_performance(
    client, enterprise, enterprise_hr, on_day
):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/direct-certifications/add/",
        route_fields(employee(enterprise), level=level("level4").pk, performance=" "),
    )
    assert response.status_code == 200
    assert field_error(response, "performance")
    assert not Certificate.objects.exists()


def test_direct_certification_page_is_not_for_hr_officers(client, enterprise):
    client.force_login(builders.hr_officer("hr_page"))
    assert client.get("/skills/direct-certifications/add/").status_code == 404


# 破格晋升


def test_exceptional_promotion_page_issues_a_certificate(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise, since=datetime.date(2024, 1, 1))
    builders.give_certificate(person, enterprise, "level4", datetime.date(2025, 1, 1))
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/exceptional-promotions/add/",
        route_fields(person, level=level("level3").pk, grounds="award", evidence="省级技术能手"),
    )
    certificate = Certificate.objects.get(route="exceptional")
    assert response["Location"] == f"/skills/certificates/{certificate.pk}/"


def test_exceptional_promotion_page_refuses_without_the_lower_certificate(
    client, enterprise, enterprise_hr, on_day
):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/exceptional-promotions/add/",
        route_fields(
            employee(enterprise), level=level("level3").pk, grounds="award", evidence="材料"
        ),
    )
    assert response.status_code == 200
    assert "未见有效证书" in response.content.decode()
    assert not Certificate.objects.exists()


# breaking limits


def test_breaking_limits_pages_request_then_hr_approves(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise, since=datetime.date(2025, 1, 1))
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/limit-breaking-requests/add/",
        route_fields(person, level=level("level3").pk, evidence="攻克曲轴磨削振纹难题"),
    )
    request = LimitBreakingRequest.objects.get()
    assert response["Location"] == f"/skills/limit-breaking-requests/{request.pk}/"
    assert "周师傅" in client.get("/skills/limit-breaking-requests/").content.decode()
    assert "批准并发证" not in client.get(response["Location"]).content.decode()
    client.force_login(builders.hr_officer("hr_approve"))
    page = client.get(f"/skills/limit-breaking-requests/{request.pk}/").content.decode()
    assert "批准并发证" in page and "不予批准" in page
    client.post(f"/skills/limit-breaking-requests/{request.pk}/transitions/approve/")
    request = LimitBreakingRequest.objects.get()
    assert request.status == "approved" and request.certificate is not None
    page = client.get(f"/skills/limit-breaking-requests/{request.pk}/").content.decode()
    assert request.certificate.number in page


def test_breaking_limits_page_refuses_below_senior_level(client, enterprise, enterprise_hr, on_day):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/limit-breaking-requests/add/",
        route_fields(employee(enterprise), level=level("level4").pk, evidence="业绩"),
    )
    assert response.status_code == 200
    assert "高级工及以上" in field_error(response, "level")
    assert not LimitBreakingRequest.objects.exists()


def test_refusing_a_breaking_limits_request_on_its_page_needs_a_reason(
    client, enterprise, enterprise_hr, on_day
):
    request = services.request_breaking_limits(
        employee(enterprise), builders.occupation(), level("level3"), user=enterprise_hr,
        evidence="业绩", site_code="330502",
    )  # fmt: skip
    client.force_login(builders.hr_officer("hr_refuse"))
    url = f"/skills/limit-breaking-requests/{request.pk}/transitions/refuse/"
    assert "error=" in client.post(url, {"reason": ""})["Location"]
    client.post(url, {"reason": "业绩材料不足"})
    assert LimitBreakingRequest.objects.get().status == "refused"


# 特级技师 / 首席技师


def test_appointment_pages_employer_appoints_and_hr_registers(
    client, enterprise, enterprise_hr, on_day
):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/appointments/add/",
        {
            **named(person),
            "employer": enterprise.organization.pk,
            "occupation": builders.TURNER,
            "level": level("special").pk,
        },
    )
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/skills/appointments/{appointment.pk}/"
    assert "周师傅" in client.get("/skills/appointments/").content.decode()
    client.force_login(builders.hr_officer("hr_register"))
    assert "登记" in client.get(response["Location"]).content.decode()
    client.post(f"/skills/appointments/{appointment.pk}/transitions/register/")
    assert Appointment.objects.get().status == "registered"


def test_appointment_page_refuses_without_the_level_below(
    client, enterprise, enterprise_hr, on_day
):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/appointments/add/",
        {
            **named(employee(enterprise)),
            "employer": enterprise.organization.pk,
            "occupation": builders.TURNER,
            "level": level("special").pk,
        },
    )
    assert response.status_code == 200
    assert "须先取得下一层级" in field_error(response, "person") + response.content.decode()
    assert not Appointment.objects.exists()


def test_employer_cannot_register_its_own_appointment_on_the_page(
    client, enterprise, enterprise_hr, on_day
):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    appointment = services.appoint(
        person, builders.occupation(), level("special"),
        employer=enterprise.organization, user=enterprise_hr,
    )  # fmt: skip
    client.force_login(enterprise_hr)
    response = client.post(f"/skills/appointments/{appointment.pk}/transitions/register/")
    assert "error=" in response["Location"]
    assert Appointment.objects.get().status == "appointed"


# API: appointment creation and the competition-result entry point


def test_api_employer_creates_an_appointment(client, enterprise, enterprise_hr, on_day):
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    client.force_login(enterprise_hr)
    body = {
        **named(person),
        "employer": enterprise.organization.pk,
        "occupation": builders.TURNER,
        "level": "special",
    }
    response = client.post("/api/skills/appointments/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "appointed" and response.json()["level"] == "special"
    again = client.post(
        "/api/skills/appointments/", {**body, "level": "chief"}, content_type="application/json"
    )
    assert again.status_code == 400 and "person" in again.json()


def test_api_appointment_for_another_employer_is_not_found(client, enterprise, on_day):
    other = builders.enterprise_evaluator("另一家企业", code="2002")
    person = employee(enterprise)
    builders.give_certificate(person, enterprise, "level1", datetime.date(2020, 1, 1))
    client.force_login(builders.staff_of(other, "other_hr"))
    response = client.post(
        "/api/skills/appointments/",
        {
            **named(person),
            "employer": enterprise.organization.pk,
            "occupation": builders.TURNER,
            "level": "special",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_api_competition_result_gives_technician(client, catalogue, on_day):
    evaluator = builders.social_evaluator()
    person = make_person("赛手")
    client.force_login(builders.hr_officer("hr_comp_api"))
    body = {
        **named(person),
        "occupation": builders.TURNER,
        "evaluator": evaluator.pk,
        "award": "excellence",
        "site_code": "330502",
    }
    response = client.post(
        "/api/skills/competition-results/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "level2" and response.json()["route"] == "competition"


def test_api_competition_result_refuses_an_unknown_award(client, catalogue, on_day):
    evaluator = builders.social_evaluator()
    person = make_person("赛手")
    client.force_login(builders.hr_officer("hr_comp_api"))
    response = client.post(
        "/api/skills/competition-results/",
        {
            **named(person),
            "occupation": builders.TURNER,
            "evaluator": evaluator.pk,
            "award": "participation",
            "site_code": "330502",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "award" in response.json()
    assert not Certificate.objects.exists()


def test_api_competition_result_is_for_hr_only(client, catalogue, on_day):
    evaluator = builders.social_evaluator()
    client.force_login(builders.staff_of(evaluator))
    response = client.post(
        "/api/skills/competition-results/",
        {
            **named(make_person("赛手")),
            "occupation": builders.TURNER,
            "evaluator": evaluator.pk,
            "award": "gold",
            "site_code": "330502",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_route_pages_for_other_users(client, enterprise):
    client.force_login(make_user("worker_x", Role.WORKER))
    assert client.get("/skills/limit-breaking-requests/add/").status_code == 404
    assert client.get("/skills/appointments/add/").status_code == 404
