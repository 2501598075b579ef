"""The scoping matrix: a county officer reaches people of the county, and nothing else
(404 for everything outside, through the API and the pages alike)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import NANXUN, WUXING, make_org, make_person, make_user
from tongban.core.models import Person
from tongban.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions):
    officer = make_user("hr_a", Role.HR_OFFICER, region=WUXING)
    mine = make_person("吴兴人", county6="330502", mobile="13812345678")
    theirs = make_person("南浔人", county6="330503", mobile="13912345678")
    return officer, mine, theirs


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_restrict_selects_only_the_officers_county(world):
    officer, mine, theirs = world
    visible = set(Person.objects.restrict(officer, "view").values_list("pk", flat=True))
    assert mine.pk in visible
    assert theirs.pk not in visible


def test_county_officer_api_list_read_edit_reveal(world):
    officer, mine, theirs = world
    api = api_for(officer)
    listed = {row["id"] for row in api.get("/api/people/").json()["results"]}
    assert mine.pk in listed and theirs.pk not in listed

    assert api.get(f"/api/people/{mine.pk}/").status_code == 200
    assert api.get(f"/api/people/{theirs.pk}/").status_code == 404

    assert api.patch(f"/api/people/{mine.pk}/", {"education": "bachelor"}).status_code == 200
    response = api.patch(f"/api/people/{theirs.pk}/", {"education": "bachelor"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.education == ""

    assert api.post(f"/api/people/{mine.pk}/reveal/").json()["mobile"] == "13812345678"
    assert api.post(f"/api/people/{theirs.pk}/reveal/").status_code == 404


def test_county_officer_pages_list_read_edit_export_reveal(world, client):
    officer, mine, theirs = world
    client.force_login(officer)
    listing = client.get("/people/").content.decode()
    assert "吴兴人" in listing and "南浔人" not in listing

    assert client.get(f"/people/{mine.pk}/").status_code == 200
    assert client.get(f"/people/{theirs.pk}/").status_code == 404
    assert client.get(f"/people/{mine.pk}/edit/").status_code == 200
    assert client.get(f"/people/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/people/{theirs.pk}/edit/", {"name": "改名"}).status_code == 404

    export = b"".join(client.get("/people/", {"_export": "csv"}).streaming_content).decode()
    assert "吴兴人" in export and "南浔人" not in export
    assert "13812345678" not in export and "138****5678" in export

    assert client.post(f"/people/{mine.pk}/reveal/").status_code == 200
    assert client.post(f"/people/{theirs.pk}/reveal/").status_code == 404


def test_city_officer_sees_both_counties(world):
    _officer, mine, theirs = world
    city = make_user("hr_city", Role.HR_OFFICER, region="330500000000")
    visible = set(Person.objects.restrict(city).values_list("pk", flat=True))
    assert {mine.pk, theirs.pk} <= visible


def test_officer_cannot_move_a_person_out_of_the_county(world):
    officer, mine, _theirs = world
    from tests.factories import village_of

    outside = village_of(NANXUN).code
    response = api_for(officer).patch(f"/api/people/{mine.pk}/", {"residence_region": outside})
    assert response.status_code == 400
    assert "管辖范围" in response.json()["residence_region"][0]
    mine.refresh_from_db()
    assert mine.residence_region_id.startswith("330502")


def test_enterprise_hr_sees_its_employees_only(world):
    _officer, mine, theirs = world
    from tongban.core.models import Employment

    company = make_org("吴兴精密有限公司")
    Employment.objects.create(person=mine, organization=company, start_date="2020-01-01")
    hr = make_user("ent", Role.ENTERPRISE_HR, organization=company)
    visible = set(Person.objects.restrict(hr).values_list("pk", flat=True))
    assert visible == {mine.pk}
    assert api_for(hr).get(f"/api/people/{theirs.pk}/").status_code == 404


def test_enterprise_hr_registers_a_person_it_can_then_see(world):
    company = make_org("吴兴精密有限公司")
    hr = make_user("ent", Role.ENTERPRISE_HR, organization=company)
    from tests.factories import resident_id, village_of

    response = api_for(hr).post(
        "/api/people/",
        {
            "name": "新员工",
            "document_type": "resident_id",
            "document_number": resident_id("330503"),
            "residence_region": village_of(NANXUN).code,
        },
    )
    assert response.status_code == 201, response.json()
    assert Person.objects.restrict(hr).filter(name="新员工").exists()


def test_worker_sees_only_own_record(world):
    _officer, mine, theirs = world
    me = make_user("me", Role.WORKER)
    mine.user = me
    mine.save()
    api = api_for(me)
    assert [r["id"] for r in api.get("/api/people/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/people/{theirs.pk}/").status_code == 404


def test_anonymous_gets_nothing(world, client):
    assert APIClient().get("/api/people/").status_code in (401, 403)
    response = client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_role_without_add_cannot_create(world):
    grid = make_user("grid", Role.GRID_WORKER, region=WUXING)
    response = api_for(grid).post("/api/people/", {"name": "x"})
    assert response.status_code == 403
