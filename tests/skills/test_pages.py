"""Pages of the skills app: certificate page with revocation, plan page, who sees what."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(catalogue):
    evaluator = builders.social_evaluator()
    return builders.give_certificate(
        make_person("林工匠"), evaluator, "level3", datetime.date(2026, 11, 30)
    )


def test_hr_revokes_on_the_certificate_page_with_a_reason(client, certificate):
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    page = client.get(f"/skills/certificates/{certificate.pk}/").content.decode()
    assert "撤销证书" in page and certificate.payload in page
    refused = client.post(
        f"/skills/certificates/{certificate.pk}/transitions/revoke/", {"reason": ""}
    )
    assert "error=" in refused["Location"]
    client.post(
        f"/skills/certificates/{certificate.pk}/transitions/revoke/", {"reason": "冒名顶替"}
    )
    page = client.get(f"/skills/certificates/{certificate.pk}/").content.decode()
    assert "已撤销" in page and "冒名顶替" in page
    assert Certificate.objects.get().status == "revoked"


def test_evaluation_staff_see_no_revoke_button(client, certificate):
    client.force_login(builders.staff_of(certificate.issuer))
    page = client.get(f"/skills/certificates/{certificate.pk}/").content.decode()
    assert "撤销证书" not in page


def test_certificates_outside_the_users_scope_are_not_found(client, certificate):
    client.force_login(make_user("hr_other", Role.HR_OFFICER, region="330503000000"))
    assert client.get(f"/skills/certificates/{certificate.pk}/").status_code == 404
    listing = client.get("/skills/certificates/").content.decode()
    assert certificate.number not in listing


def test_a_worker_sees_own_certificates(client, certificate):
    from tongban.core.services import link_person_account

    admin = make_user("admin", Role.PLATFORM_ADMIN)
    worker = make_user("worker", Role.WORKER)
    link_person_account(certificate.person, worker, user=admin)
    client.force_login(worker)
    assert certificate.number in client.get("/skills/certificates/").content.decode()


def test_plan_page_offers_applications_only_to_staff_of_the_evaluator(client, catalogue, on_day):
    evaluator = builders.social_evaluator()
    staff = builders.staff_of(evaluator)
    plan = builders.plan(evaluator, staff)
    client.force_login(staff)
    assert "受理申报" in client.get(f"/skills/plans/{plan.pk}/").content.decode()
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    page = client.get(f"/skills/plans/{plan.pk}/").content.decode()
    assert "受理申报" not in page and "车工" in page


def test_hr_suspends_an_organisation_on_its_page_with_a_reason(client, catalogue):
    evaluator = builders.social_evaluator()
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    page = client.get(f"/skills/evaluators/{evaluator.pk}/").content.decode()
    assert "暂停评价（质量监管）" in page and "车工" in page
    client.post(f"/skills/evaluators/{evaluator.pk}/transitions/suspend/", {"reason": "考务违规"})
    page = client.get(f"/skills/evaluators/{evaluator.pk}/").content.decode()
    assert "暂停评价" in page and "考务违规" in page and "恢复评价" in page
    client.force_login(builders.staff_of(evaluator))
    page = client.get(f"/skills/evaluators/{evaluator.pk}/").content.decode()
    assert "恢复评价" not in page
