"""技工院校 records and apprenticeships are entered on pages and through the API by HR
(and the school or employer), scoped like people, and feed eligibility."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_org, make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills import eligibility
from tongban.skills.models import Apprenticeship, SchoolRecord
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 30)


@pytest.fixture
def hr(catalogue):
    return builders.hr_officer("hr_records")


@pytest.fixture
def school(catalogue):
    return make_org("湖州技师学院", kind="vocational_school")


def school_form(person, school, **kw):
    return {
        "document_number": person.document_number,
        "name": person.name,
        "school": school.pk,
        "school_class": "technical_school",
        "occupation": builders.TURNER,
        "graduated_on": "2020-07-01",
        **kw,
    }


def test_hr_adds_a_school_record_on_the_page_and_it_counts_for_eligibility(client, hr, school):
    person = make_person("王学员")
    assert not eligibility.check(person, builders.occupation(), level("level4"), on=ON).eligible
    client.force_login(hr)
    response = client.post("/skills/school-records/add/", school_form(person, school))
    record = SchoolRecord.objects.get()
    assert response["Location"] == f"/skills/school-records/{record.pk}/"
    assert record.person == person
    assert "王学员" in client.get("/skills/school-records/").content.decode()
    assert eligibility.check(person, builders.occupation(), level("level4"), on=ON).eligible


def test_a_school_record_for_someone_outside_the_users_scope_is_refused(client, school):
    person = make_person("王学员")  # lives in 吴兴
    client.force_login(make_user("hr_far", Role.HR_OFFICER, region="330503000000"))
    response = client.post("/skills/school-records/add/", school_form(person, school))
    assert response.status_code == 200
    assert "不在您的管辖范围内" in " ".join(response.context["form"].errors["document_number"])
    assert not SchoolRecord.objects.exists()


def test_a_school_record_needs_a_name_matching_the_document(client, hr, school):
    person = make_person("王学员")
    client.force_login(hr)
    response = client.post("/skills/school-records/add/", school_form(person, school, name="王某"))
    assert response.status_code == 200 and "document_number" in response.context["form"].errors
    assert not SchoolRecord.objects.exists()


def test_school_records_outside_the_users_scope_are_not_listed(client, hr, school):
    record = SchoolRecord.objects.create(
        person=make_person("王学员"), school=school, school_class="technical_school",
        graduated_on=datetime.date(2020, 7, 1),
    )  # fmt: skip
    client.force_login(make_user("hr_far", Role.HR_OFFICER, region="330503000000"))
    assert "王学员" not in client.get("/skills/school-records/").content.decode()
    assert client.get(f"/skills/school-records/{record.pk}/").status_code == 404


def apprenticeship_form(person, employer, **kw):
    return {
        "document_number": person.document_number,
        "name": person.name,
        "employer": employer.pk,
        "occupation": builders.TURNER,
        "started_on": "2024-01-01",
        "completed_on": "2025-12-31",
        **kw,
    }


def test_hr_adds_an_apprenticeship_on_the_page_and_it_counts_for_eligibility(client, hr):
    person = make_person("学徒小陈")
    employer = make_org("湖州精工机械制造有限公司")
    client.force_login(hr)
    response = client.post("/skills/apprenticeships/add/", apprenticeship_form(person, employer))
    record = Apprenticeship.objects.get()
    assert response["Location"] == f"/skills/apprenticeships/{record.pk}/"
    assert "学徒小陈" in client.get("/skills/apprenticeships/?completed=true").content.decode()
    assert eligibility.check(person, builders.occupation(), level("level5"), on=ON).eligible


def test_an_apprenticeship_ending_before_it_starts_is_refused(client, hr):
    person = make_person("学徒小陈")
    client.force_login(hr)
    response = client.post(
        "/skills/apprenticeships/add/",
        apprenticeship_form(person, make_org(), completed_on="2023-01-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"] == ["期满日期不能早于开始日期"]
    assert not Apprenticeship.objects.exists()


def test_the_enterprise_records_its_own_apprentices(client, catalogue):
    employer = make_org("湖州精工机械制造有限公司")
    person = make_person("学徒小陈")
    builders.employ(person, employer, datetime.date(2024, 1, 1))
    client.force_login(make_user("ent", Role.ENTERPRISE_HR, organization=employer))
    client.post("/skills/apprenticeships/add/", apprenticeship_form(person, employer))
    assert Apprenticeship.objects.get().employer == employer


def test_api_school_records_and_apprenticeships(client, hr, school):
    person = make_person("王学员")
    client.force_login(hr)
    created = client.post(
        "/api/skills/school-records/",
        {
            "person": person.pk,
            "school": school.pk,
            "school_class": "technician_college",
            "occupation": builders.TURNER,
            "graduated_on": "2021-07-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["person_name"] == "王学员"
    bad = client.post(
        "/api/skills/apprenticeships/",
        {
            "person": person.pk,
            "employer": make_org().pk,
            "occupation": builders.TURNER,
            "started_on": "2024-01-01",
            "completed_on": "2023-01-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "completed_on" in bad.json()
    assert [r["id"] for r in client.get("/api/skills/school-records/").json()["results"]] == [
        created.json()["id"]
    ]


def test_api_refuses_a_person_outside_the_users_scope(client, school):
    person = make_person("王学员")
    client.force_login(make_user("hr_far", Role.HR_OFFICER, region="330503000000"))
    response = client.post(
        "/api/skills/school-records/",
        {
            "person": person.pk,
            "school": school.pk,
            "school_class": "technical_school",
            "graduated_on": "2021-07-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "person" in response.json()
    assert not SchoolRecord.objects.exists()
