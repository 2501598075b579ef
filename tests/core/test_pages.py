"""Every registry page renders for every role that reaches it (no template errors),
and the menu shows exactly what the role may view."""

from __future__ import annotations

import pytest

from tests.factories import WUXING, make_org, make_person, make_user
from tongban.core.models import Employment
from tongban.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(regions):
    org = make_org("吴兴测试机械有限公司")
    person = make_person("周八", mobile="13812345678")
    job = Employment.objects.create(
        person=person, organization=org, post="钳工", start_date="2019-01-01", frontline=True
    )
    return org, person, job


ROLES = [
    (Role.HR_OFFICER, {"region": WUXING}),
    (Role.GOVERNANCE_DISPATCHER, {"region": WUXING}),
    (Role.GRID_WORKER, {"region": WUXING}),
]


@pytest.mark.parametrize("role, scope", ROLES)
def test_region_scoped_roles_render_every_page_they_reach(records, client, role, scope):
    org, person, job = records
    client.force_login(make_user("u", role, **scope))
    home = client.get("/")
    assert home.status_code == 200
    for url in ["/people/", f"/people/{person.pk}/", "/organizations/",
                f"/organizations/{org.pk}/", "/regions/", "/regions/330502000000/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    menu = home.content.decode()
    assert ('href="/employment/"' in menu) == (role == Role.HR_OFFICER)


def test_hr_officer_forms_and_employment_pages(records, client):
    org, person, job = records
    client.force_login(make_user("hr", Role.HR_OFFICER, region=WUXING))
    for url in ["/people/add/", f"/people/{person.pk}/edit/", "/organizations/add/",
                f"/organizations/{org.pk}/edit/", "/employment/", f"/employment/{job.pk}/",
                f"/employment/add/?person={person.pk}", f"/employment/{job.pk}/edit/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    html = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert "13812345678" not in html  # the edit form never shows personal data in full


def test_hr_officer_adds_employment_through_the_page(records, client):
    org, person, _job = records
    client.force_login(make_user("hr", Role.HR_OFFICER, region=WUXING))
    response = client.post(
        "/employment/add/",
        {
            "person": person.pk,
            "organization": org.pk,
            "post": "电工",
            "occupation_code": "6-31-01-03",
            "start_date": "2021-06-01",
            "frontline": "on",
        },
    )
    assert response.status_code == 302
    assert Employment.objects.filter(person=person, post="电工", frontline=True).exists()


def test_lookup_endpoints_suggest_regions_and_scoped_organizations(records, client):
    org, _person, _job = records
    other = make_org("南浔外地有限公司", region="330503000000")
    client.force_login(make_user("hr", Role.HR_OFFICER, region=WUXING))
    regions = client.get("/regions/options/", {"residence_region": "吴兴区"}).content.decode()
    assert 'value="330502000000"' in regions
    orgs = client.get("/organizations/options/", {"q": "有限公司"}).content.decode()
    assert f'value="{org.pk}"' in orgs and f'value="{other.pk}"' not in orgs


def test_worker_home_links_to_own_record(records, client):
    _org, person, _job = records
    worker = make_user("w", Role.WORKER)
    person.user = worker
    person.save()
    client.force_login(worker)
    assert f"/people/{person.pk}/" in client.get("/").content.decode()
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get("/organizations/").status_code == 404


def test_sorting_and_paging_people(records, client):
    client.force_login(make_user("hr", Role.HR_OFFICER, region=WUXING))
    for i in range(30):
        make_person(f"测试{i:02d}")
    first = client.get("/people/", {"sort": "-birth_date"})
    assert first.status_code == 200
    page2 = client.get("/people/", {"page": 2}).content.decode()
    assert "第 2 / 2 页" in page2
    assert client.get("/people/", {"sort": "not_a_field"}).status_code == 200
