"""Evaluation plan → applications → scores → result → 公示 with objections → HR filing →
certificate; revocation; and each refusal of bad input, with its reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import make_org, make_person, make_user
from tests.skills import builders
from tongban.core import workflow
from tongban.core.calendar import add_working_days
from tongban.core.permissions import Role
from tongban.skills import services
from tongban.skills.models import (
    ApplicationStatus,
    Certificate,
    CertificationApplication,
    EvaluationPlan,
    PlanStatus,
)
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluator(catalogue):
    return builders.social_evaluator()


@pytest.fixture
def staff(evaluator):
    return builders.staff_of(evaluator)


@pytest.fixture
def hr(evaluator):
    return builders.hr_officer("hr_city")


@pytest.fixture
def open_plan(evaluator, staff, on_day):
    return builders.plan(evaluator, staff)


def scored(application, user, theory=80, practical=75):
    return services.record_scores(
        application, {"theory": theory, "practical": practical}, user=user
    )


def test_the_whole_route_from_plan_to_certificate(evaluator, staff, hr, open_plan, on_day):
    passed = services.apply(
        open_plan, builders.eligible_for_level4(evaluator, "李师傅"), user=staff
    )
    failed = services.apply(
        open_plan, builders.eligible_for_level4(evaluator, "钱师傅"), user=staff
    )
    assert scored(passed, staff).status == ApplicationStatus.PASSED
    assert scored(failed, staff, practical=59).status == ApplicationStatus.FAILED
    plan = services.start_publicity(open_plan, user=staff)
    assert plan.status == PlanStatus.PUBLICITY
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    issued = services.file_plan(plan, user=hr)
    assert [c.holder_name for c in issued] == ["李师傅"]
    certificate = issued[0]
    assert certificate.application.status == ApplicationStatus.CERTIFIED
    assert certificate.level.key == "level4" and certificate.route == "social_evaluation"
    assert EvaluationPlan.objects.get(pk=plan.pk).status == PlanStatus.FILED
    assert CertificationApplication.objects.get(pk=failed.pk).status == ApplicationStatus.FAILED


def test_publicity_lasts_the_configured_number_of_working_days(evaluator, staff, on_day):
    plan = builders.plan(evaluator, staff, publicity_days=7)
    application = services.apply(plan, builders.eligible_for_level4(evaluator), user=staff)
    scored(application, staff)
    plan = services.start_publicity(plan, user=staff)
    assert plan.publicity_starts_on == datetime.date(2026, 11, 30)
    assert plan.publicity_ends_on == add_working_days(datetime.date(2026, 11, 30), 7).date


def test_publicity_waits_until_every_application_has_a_result(evaluator, staff, open_plan):
    services.apply(open_plan, builders.eligible_for_level4(evaluator), user=staff)
    with pytest.raises(ValidationError) as exc:
        services.start_publicity(open_plan, user=staff)
    assert exc.value.code == "not_allowed"


def test_filing_before_publicity_ends_is_refused(evaluator, staff, hr, open_plan, on_day):
    scored(services.apply(open_plan, builders.eligible_for_level4(evaluator), user=staff), staff)
    plan = services.start_publicity(open_plan, user=staff)
    on_day(plan.publicity_ends_on)
    with pytest.raises(ValidationError):
        services.file_plan(plan, user=hr)
    assert not Certificate.objects.exists()


def test_only_hr_files_a_plan(evaluator, staff, open_plan, on_day):
    scored(services.apply(open_plan, builders.eligible_for_level4(evaluator), user=staff), staff)
    plan = services.start_publicity(open_plan, user=staff)
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.file_plan(plan, user=staff)
    other_county = make_user("hr_nanxun", Role.HR_OFFICER, region="330503000000")
    with pytest.raises(ValidationError):
        services.file_plan(plan, user=other_county)
    assert not Certificate.objects.exists()


def test_revocation_needs_a_reason_and_the_certificate_stays_visible_as_revoked(
    evaluator, staff, hr
):
    person = builders.eligible_for_level4(evaluator)
    cert = builders.give_certificate(person, evaluator, "level4", datetime.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        services.revoke_certificate(cert, user=hr, reason="")
    revoked = services.revoke_certificate(cert, user=hr, reason="以欺骗手段取得")
    again = Certificate.objects.get(pk=cert.pk)
    assert again.status == "revoked" and again.revoked_reason == "以欺骗手段取得"
    assert revoked.number == cert.number


def test_evaluation_staff_cannot_revoke(evaluator, staff):
    cert = builders.give_certificate(
        builders.eligible_for_level4(evaluator), evaluator, "level4", datetime.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError):
        services.revoke_certificate(cert, user=staff, reason="x")


# --- bad input -------------------------------------------------------------------------------


def test_scores_out_of_range_are_refused_with_the_part(evaluator, staff, open_plan):
    application = services.apply(open_plan, builders.eligible_for_level4(evaluator), user=staff)
    with pytest.raises(ValidationError) as exc:
        services.record_scores(application, {"theory": 101, "practical": -1}, user=staff)
    assert exc.value.message_dict == {
        "theory": ["理论知识考试成绩应在0到100分之间"],
        "practical": ["操作技能考核成绩应在0到100分之间"],
    }
    assert not application.scores.exists()


def test_non_numeric_score_is_refused(evaluator, staff, open_plan):
    application = services.apply(open_plan, builders.eligible_for_level4(evaluator), user=staff)
    with pytest.raises(ValidationError) as exc:
        services.record_scores(application, {"theory": "八十"}, user=staff)
    assert exc.value.message_dict == {"theory": ["理论知识考试成绩应为数字"]}


def test_a_plan_for_a_level_the_occupation_lacks_is_refused(evaluator, staff):
    builders.occupation().levels.remove(level("level1"))
    with pytest.raises(ValidationError) as exc:
        builders.plan(evaluator, staff, key="level1")
    assert exc.value.message_dict["level"] == ["职业“车工”未设置一级/高级技师"]
    assert not EvaluationPlan.objects.exists()


def test_a_plan_outside_the_filed_scope_is_refused(catalogue):
    evaluator = builders.social_evaluator(top="level3")
    staff = builders.staff_of(evaluator)
    with pytest.raises(ValidationError) as exc:
        builders.plan(evaluator, staff, key="level2")
    assert exc.value.message_dict["level"] == ["该职业等级不在评价机构的备案范围内"]
    with pytest.raises(ValidationError):
        builders.plan(evaluator, staff, code=builders.MILLER)


def test_a_suspended_organisation_cannot_open_plans(evaluator, staff, hr):
    evaluator = workflow.fire(evaluator, "suspend", user=hr, reason="质量督导发现考务违规")
    with pytest.raises(ValidationError) as exc:
        builders.plan(evaluator, staff)
    assert exc.value.message_dict["evaluator"] == ["该评价机构已被暂停评价"]


def test_only_hr_suspends_an_organisation(evaluator, staff):
    with pytest.raises(ValidationError):
        workflow.fire(evaluator, "suspend", user=staff, reason="x")


def test_an_application_for_someone_outside_the_organisations_scope_is_refused(
    evaluator, staff, open_plan
):
    outsider = make_person("外省人", region="110101000000")  # 北京市东城区
    with pytest.raises(ValidationError) as exc:
        services.apply(open_plan, outsider, user=staff)
    assert exc.value.message_dict == {"person": ["申报人不在该评价机构备案的省份内居住或就业"]}


def test_a_second_active_application_for_the_same_level_is_refused(evaluator, staff, open_plan):
    person = builders.eligible_for_level4(evaluator)
    services.apply(open_plan, person, user=staff)
    other = builders.plan(evaluator, staff, site_name="南浔考点")
    with pytest.raises(ValidationError) as exc:
        services.apply(other, person, user=staff)
    assert exc.value.message_dict == {"person": ["申报人已有同一职业同一等级的在办申报"]}
    assert CertificationApplication.objects.count() == 1


def test_an_ineligible_applicant_is_refused_with_the_reasons(evaluator, staff, open_plan):
    person = make_person("新手")
    builders.employ(person, make_org("甲厂"), datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.apply(open_plan, person, user=staff)
    message = exc.value.message_dict["person"][0]
    assert message.startswith("不符合申报条件：")
    assert "从事本职业工作满6年（目前1年10个月）" in message
    assert not CertificationApplication.objects.exists()


def test_staff_of_another_organisation_cannot_take_applications(evaluator, open_plan):
    other = builders.social_evaluator("另一评价组织", code="1002")
    outsider = builders.staff_of(other, "other_staff")
    with pytest.raises(Http404):
        services.apply(open_plan, builders.eligible_for_level4(evaluator), user=outsider)


def test_scores_cannot_change_after_the_result(evaluator, staff, open_plan):
    application = scored(
        services.apply(open_plan, builders.eligible_for_level4(evaluator), user=staff), staff
    )
    with pytest.raises(ValidationError) as exc:
        services.record_scores(application, {"theory": 90}, user=staff)
    assert exc.value.message_dict == {"score": ["该申报已评定结果，成绩不能再修改"]}


# --- API -------------------------------------------------------------------------------------


def test_api_runs_the_plan_through_its_transitions(client, evaluator, staff, hr, open_plan, on_day):
    person = builders.eligible_for_level4(evaluator)
    client.force_login(staff)
    created = client.post(
        "/api/skills/applications/",
        {"plan": open_plan.pk, "document_number": person.document_number, "name": person.name},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    bad = client.post(
        f"/api/skills/applications/{app_id}/scores/",
        {"theory": 150},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json() == {"theory": ["理论知识考试成绩应在0到100分之间"]}
    ok = client.post(
        f"/api/skills/applications/{app_id}/scores/",
        {"theory": 70, "practical": 70},
        content_type="application/json",
    )
    assert ok.json()["status"] == "passed"
    names = [t["name"] for t in client.get(f"/api/skills/plans/{open_plan.pk}/transitions/").json()]
    assert "start_publicity" in names
    client.post(
        f"/api/skills/plans/{open_plan.pk}/transitions/start_publicity/",
        {},
        content_type="application/json",
    )
    plan = EvaluationPlan.objects.get(pk=open_plan.pk)
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    client.force_login(hr)
    filed = client.post(
        f"/api/skills/plans/{plan.pk}/transitions/file/", {}, content_type="application/json"
    )
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    certs = client.get("/api/skills/certificates/").json()["results"]
    assert len(certs) == 1 and len(certs[0]["number"]) == 22
    revoked = client.post(
        f"/api/skills/certificates/{certs[0]['id']}/transitions/revoke/",
        {"reason": "材料造假"},
        content_type="application/json",
    )
    assert revoked.json()["status"] == "revoked" and revoked.json()["revoked_reason"] == "材料造假"


def test_api_refuses_an_ineligible_application_with_reasons(client, evaluator, staff, open_plan):
    client.force_login(staff)
    person = make_person("新手")
    response = client.post(
        "/api/skills/applications/",
        {"plan": open_plan.pk, "document_number": person.document_number, "name": person.name},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["person"][0].startswith("不符合申报条件")


def test_api_application_names_the_applicant_by_document_number_and_name(
    client, evaluator, staff, open_plan
):
    person = builders.eligible_for_level4(evaluator)
    client.force_login(staff)
    response = client.post(
        "/api/skills/applications/",
        {"plan": open_plan.pk, "document_number": person.document_number, "name": "别人"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"document_number": ["证件号码与姓名不符或该人员尚未登记"]}
    assert not CertificationApplication.objects.exists()
