from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import WUXING, make_person, make_user
from tongban.core.permissions import Role

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_the_registry(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/people/",
        "/api/people/{id}/reveal/",
        "/api/organizations/",
        "/api/regions/",
    ):
        assert path in schema["paths"]


def test_swagger_ui_is_served_from_local_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_token_login_and_masked_people(regions):
    user = make_user("hr_a", Role.HR_OFFICER, region=WUXING, password="s3cret-pass")
    person = make_person(mobile="13812345678")
    token = (
        APIClient()
        .post("/api/auth/token/", {"username": "hr_a", "password": "s3cret-pass"})
        .json()["token"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    row = api.get(f"/api/people/{person.pk}/").json()
    assert row["mobile"] == "138****5678"
    assert (
        row["document_number"]
        == person.document_number[:6] + "********" + person.document_number[-4:]
    )
    assert user.is_authenticated


def test_filters_shared_with_pages(regions):
    user = make_user("hr_a", Role.HR_OFFICER, region=WUXING)
    make_person("孙悟空")
    make_person("猪八戒")
    api = APIClient()
    api.force_authenticate(user)
    names = [r["name"] for r in api.get("/api/people/", {"q": "孙"}).json()["results"]]
    assert names == ["孙悟空"]
    pinyin = [r["name"] for r in api.get("/api/people/", {"q": "zhuba"}).json()["results"]]
    assert pinyin == ["猪八戒"]


def test_region_subtree_filter_on_people_and_organizations(regions, client):
    from tests.factories import make_org

    user = make_user("hr_city", Role.HR_OFFICER, region="330500000000")
    make_person("吴兴甲", county6="330502")
    make_person("南浔乙", county6="330503")
    make_org("吴兴公司", region=WUXING)
    make_org("南浔公司", region="330503000000")
    api = APIClient()
    api.force_authenticate(user)
    people = api.get("/api/people/", {"region": "330502000000"}).json()["results"]
    assert [p["name"] for p in people] == ["吴兴甲"]
    orgs = api.get("/api/organizations/", {"region": "330503"}).json()["results"]
    assert [o["name"] for o in orgs] == ["南浔公司"]
    client.force_login(user)
    html = client.get("/people/", {"region": "330503000000"}).content.decode()
    assert "南浔乙" in html and "吴兴甲" not in html


def test_not_found_answer_is_the_same_for_missing_and_out_of_scope(regions):
    user = make_user("hr_a", Role.HR_OFFICER, region=WUXING)
    other = make_person("南浔丙", county6="330503")
    api = APIClient()
    api.force_authenticate(user)
    missing = api.get("/api/people/999999/")
    hidden = api.get(f"/api/people/{other.pk}/")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json() == {"detail": "记录不存在或不在您的管辖范围内"}


def test_schema_documents_the_error_answers(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["paths"]["/api/people/{id}/"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(detail)
    assert detail["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    create = schema["paths"]["/api/people/"]["post"]["responses"]
    assert create["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationError"
    }
    # the token exchange needs no credentials, so it has no 401
    assert "401" not in schema["paths"]["/api/auth/token/"]["post"]["responses"]


def test_odd_input_is_a_client_error(regions):
    api = APIClient()
    api.force_authenticate(make_user("admin_a", Role.PLATFORM_ADMIN))
    # an id filter that no key column can hold, or that is not a whole number
    for value in ("1e50", "0.5", str(2**70)):
        response = api.get("/api/employments/", {"person": value})
        assert response.status_code == 400 and "person" in response.json(), value
    # a JSON body that is not an object
    listed = api.post("/api/people/", "[1, 2]", content_type="application/json")
    assert listed.status_code == 400
    assert listed.json() == {"detail": "请求体应为 JSON 对象"}
    # a path that matches no route (the id is not a number): JSON, like every API answer
    missing = api.get("/api/governance/events/1/transitions/NOT_A_NAME/")
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到。"}


def test_region_prefix_filters_on_foreign_keys(regions):
    api = APIClient()
    api.force_authenticate(make_user("admin_b", Role.PLATFORM_ADMIN))
    for url in (
        "/api/skills/wage-reports/",
        "/api/skills/official-employment/",
        "/api/skills/wage-prices/",
        "/api/governance/events/",
    ):
        key = "within" if "events" in url else "region"
        response = api.get(url, {key: "330502"})
        assert response.status_code == 200, (url, response.content)
