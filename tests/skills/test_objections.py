"""Objections during 公示 are records: registered inside the 公示 window, decided with a
reason by the evaluating organisation or HR; an upheld one stops that result, a pending
one holds up filing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import make_user
from tests.skills import builders
from tongban.core.models import PersonalDataAccess, TransitionLog
from tongban.core.permissions import Role
from tongban.skills import services
from tongban.skills.models import (
    ApplicationStatus,
    CertificationApplication,
    Objection,
    ObjectionStatus,
)

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


def _scored(plan, evaluator, staff, name):
    application = services.apply(plan, builders.eligible_for_level4(evaluator, name), user=staff)
    return services.record_scores(application, {"theory": 80, "practical": 75}, user=staff)


@pytest.fixture
def in_publicity(evaluator, staff, on_day):
    """A plan in 公示 with two passed applications (李师傅, 钱师傅)."""
    plan = builders.plan(evaluator, staff)
    first = _scored(plan, evaluator, staff, "李师傅")
    second = _scored(plan, evaluator, staff, "钱师傅")
    plan = services.start_publicity(plan, user=staff)
    return plan, first, second


def _object(application, user, **kw):
    values = {
        "raised_by_name": "赵举报",
        "raised_by_contact": "13812345678",
        "grounds": "替考",
    }
    values.update(kw)
    return services.file_objection(application, user=user, **values)


def test_an_upheld_objection_stops_that_result_and_both_are_recorded(in_publicity, hr, on_day):
    plan, first, second = in_publicity
    objection = _object(first, hr)
    decided = services.decide_objection(objection, "uphold", user=hr, reason="查实替考")
    assert decided.status == ObjectionStatus.UPHELD and decided.decision_reason == "查实替考"
    assert CertificationApplication.objects.get(pk=first.pk).status == ApplicationStatus.STOPPED
    logs = dict(TransitionLog.objects.values_list("name", "reason"))
    assert logs["uphold"] == "查实替考" and logs["uphold_objection"] == "查实替考"
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    assert [c.holder_name for c in services.file_plan(plan, user=hr)] == ["钱师傅"]


def test_a_rejected_objection_keeps_the_result(in_publicity, staff, hr, on_day):
    plan, first, _second = in_publicity
    objection = _object(first, staff)
    decided = services.decide_objection(objection, "reject", user=staff, reason="经核查不属实")
    assert decided.status == ObjectionStatus.REJECTED
    assert decided.decision_reason == "经核查不属实"
    assert CertificationApplication.objects.get(pk=first.pk).status == ApplicationStatus.PASSED
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    assert len(services.file_plan(plan, user=hr)) == 2


@pytest.mark.parametrize("decision", ["uphold", "reject"])
def test_a_decision_needs_a_reason(in_publicity, hr, decision):
    _plan, first, _second = in_publicity
    objection = _object(first, hr)
    with pytest.raises(ValidationError) as exc:
        services.decide_objection(objection, decision, user=hr, reason="  ")
    assert "reason" in exc.value.message_dict
    assert Objection.objects.get().status == ObjectionStatus.FILED
    assert CertificationApplication.objects.get(pk=first.pk).status == ApplicationStatus.PASSED


def test_an_objection_before_publicity_is_refused(evaluator, staff, hr, on_day):
    plan = builders.plan(evaluator, staff)
    application = _scored(plan, evaluator, staff, "李师傅")
    with pytest.raises(ValidationError) as exc:
        _object(application, hr)
    assert "公示期" in exc.value.message_dict["application"][0]
    assert not Objection.objects.exists()


def test_an_objection_after_the_publicity_window_is_refused(in_publicity, hr, on_day):
    plan, first, _second = in_publicity
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        _object(first, hr)
    assert "公示期" in exc.value.message_dict["application"][0]
    on_day(plan.publicity_ends_on)
    assert _object(first, hr).status == ObjectionStatus.FILED


def test_an_objection_to_a_failed_result_is_refused(evaluator, staff, hr, on_day):
    plan = builders.plan(evaluator, staff)
    application = services.apply(plan, builders.eligible_for_level4(evaluator), user=staff)
    services.record_scores(application, {"theory": 80, "practical": 10}, user=staff)
    services.start_publicity(plan, user=staff)
    with pytest.raises(ValidationError) as exc:
        _object(CertificationApplication.objects.get(pk=application.pk), hr)
    assert "application" in exc.value.message_dict


def test_an_objection_needs_grounds_and_who_raised_it(in_publicity, hr):
    _plan, first, _second = in_publicity
    with pytest.raises(ValidationError) as exc:
        _object(first, hr, grounds="", raised_by_contact="")
    assert {"grounds", "raised_by_contact"} <= set(exc.value.message_dict)
    assert not Objection.objects.exists()


def test_a_pending_objection_holds_up_filing(in_publicity, hr, on_day):
    plan, first, _second = in_publicity
    objection = _object(first, hr)
    on_day(plan.publicity_ends_on + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.file_plan(plan, user=hr)
    assert "objection" in exc.value.message_dict
    services.decide_objection(objection, "reject", user=hr, reason="不属实")
    assert len(services.file_plan(plan, user=hr)) == 2


def test_a_decided_objection_cannot_be_decided_again(in_publicity, hr):
    _plan, first, _second = in_publicity
    objection = services.decide_objection(_object(first, hr), "reject", user=hr, reason="不属实")
    with pytest.raises(ValidationError):
        services.decide_objection(objection, "uphold", user=hr, reason="再议")
    assert CertificationApplication.objects.get(pk=first.pk).status == ApplicationStatus.PASSED


def test_only_the_organisation_or_hr_over_it_handles_objections(in_publicity, hr):
    _plan, first, _second = in_publicity
    other_county = make_user("hr_nanxun", Role.HR_OFFICER, region="330503000000")
    with pytest.raises(Http404):
        _object(first, other_county)
    objection = _object(first, hr)
    with pytest.raises(ValidationError):
        services.decide_objection(objection, "uphold", user=other_county, reason="x")
    assert Objection.objects.get().status == ObjectionStatus.FILED


def test_the_application_cannot_be_stopped_without_an_upheld_objection(in_publicity, hr):
    from tongban.core import workflow

    _plan, first, _second = in_publicity
    with pytest.raises(ValidationError):
        workflow.fire(first, "uphold_objection", user=hr, reason="直接终止")
    assert CertificationApplication.objects.get(pk=first.pk).status == ApplicationStatus.PASSED


# --- page and API ----------------------------------------------------------------------------


def test_hr_registers_and_upholds_an_objection_on_the_plan_page(client, in_publicity, hr):
    plan, first, _second = in_publicity
    client.force_login(hr)
    page = client.get(f"/skills/plans/{plan.pk}/").content.decode()
    assert "登记异议" in page
    client.post(
        f"/skills/plans/{plan.pk}/objections/",
        {
            "application": first.pk,
            "raised_by_name": "赵举报",
            "raised_by_contact": "13812345678",
            "grounds": "替考",
        },
    )
    objection = Objection.objects.get()
    page = client.get(f"/skills/plans/{plan.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "异议成立，终止该结果" in page and "异议不成立" in page
    refused = client.post(f"/skills/objections/{objection.pk}/transitions/uphold/", {"reason": ""})
    assert "error=" in refused["Location"]
    client.post(f"/skills/objections/{objection.pk}/transitions/uphold/", {"reason": "查实"})
    assert Objection.objects.get().status == ObjectionStatus.UPHELD
    assert CertificationApplication.objects.get(pk=first.pk).status == ApplicationStatus.STOPPED


def test_the_page_refuses_an_objection_outside_publicity(client, evaluator, staff, on_day):
    plan = builders.plan(evaluator, staff)
    application = _scored(plan, evaluator, staff, "李师傅")
    client.force_login(staff)
    assert "登记异议" not in client.get(f"/skills/plans/{plan.pk}/").content.decode()
    response = client.post(
        f"/skills/plans/{plan.pk}/objections/",
        {
            "application": application.pk,
            "raised_by_name": "赵举报",
            "raised_by_contact": "13812345678",
            "grounds": "替考",
        },
    )
    assert "error=" in response["Location"] and not Objection.objects.exists()


def test_objections_through_the_api(client, in_publicity, staff):
    _plan, first, _second = in_publicity
    client.force_login(staff)
    created = client.post(
        "/api/skills/objections/",
        {
            "application": first.pk,
            "raised_by_name": "赵举报",
            "raised_by_contact": "13812345678",
            "grounds": "替考",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["contact"] == "138****5678" and "raised_by_contact" not in body
    url = f"/api/skills/objections/{body['id']}/transitions/"
    names = {t["name"] for t in client.get(url).json()}
    assert names == {"uphold", "reject"}
    refused = client.post(url + "reject/", {"reason": ""}, content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = client.post(url + "reject/", {"reason": "不属实"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "rejected"


def test_the_api_hides_applications_outside_the_users_scope(client, in_publicity):
    _plan, first, _second = in_publicity
    client.force_login(make_user("hr_nanxun", Role.HR_OFFICER, region="330503000000"))
    response = client.post(
        "/api/skills/objections/",
        {"application": first.pk, "raised_by_name": "赵", "raised_by_contact": "1", "grounds": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_the_objectors_contact_is_masked_on_the_plan_page_and_revealed_with_a_logged_read(
    client, in_publicity, hr
):
    plan, first, _ = in_publicity
    objection = _object(first, hr)
    client.force_login(hr)
    page = client.get(f"/skills/plans/{plan.pk}/").content.decode()
    assert "13812345678" not in page and "138****5678" in page
    assert f'data-reveal-objector="{objection.pk}"' in page
    shown = client.post(f"/skills/objections/{objection.pk}/contact/", {"purpose": "核实异议"})
    assert "13812345678" in shown.content.decode()
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.object_id, read.fields, read.purpose, read.person) == (
        hr,
        str(objection.pk),
        "raised_by_contact",
        "核实异议",
        None,
    )
    assert read.content_type.model == "objection"


def test_the_objectors_contact_cannot_be_revealed_outside_the_users_scope(client, in_publicity, hr):
    _, first, _ = in_publicity
    objection = _object(first, hr)
    elsewhere = make_user("hr_elsewhere", Role.HR_OFFICER, region="110000000000")
    client.force_login(elsewhere)
    assert client.post(f"/skills/objections/{objection.pk}/contact/").status_code == 404
    api = client.post(f"/api/skills/objections/{objection.pk}/reveal/", {}, "application/json")
    assert api.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_api_reveals_the_objectors_contact_and_logs_the_read(client, in_publicity, staff):
    _, first, _ = in_publicity
    objection = _object(first, staff)
    client.force_login(staff)
    listed = client.get(f"/api/skills/objections/{objection.pk}/").json()
    assert listed["contact"] == "138****5678" and "raised_by_contact" not in listed
    shown = client.post(
        f"/api/skills/objections/{objection.pk}/reveal/", {"purpose": "回访"}, "application/json"
    )
    assert shown.json() == {"raised_by_contact": "13812345678"}
    assert PersonalDataAccess.objects.get().channel == PersonalDataAccess.Channel.API
