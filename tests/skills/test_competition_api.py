"""The competition, award and talent-pool API: same services, same refusals, in the schema."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import HUZHOU, make_org, make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills.models import AwardConferral, Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(catalogue):
    return builders.hr_officer("hr_api")


@pytest.fixture
def contest(client, hr):
    client.force_login(hr)
    issuer = builders.social_evaluator()
    organiser = make_org("湖州市人力资源和社会保障局", kind="hr_department", region=HUZHOU)
    response = client.post(
        "/api/skills/competitions/",
        {
            "name": "全国车工大赛",
            "level": "national",
            "occupation": builders.TURNER,
            "organiser": organiser.pk,
            "region": HUZHOU,
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-12",
            "team_size": 1,
            "issuer": issuer.pk,
            "site_code": "330502",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def named(person):
    return {"document_number": person.document_number, "name": person.name}


def test_enter_rank_and_publish_through_the_api(client, contest, on_day):
    winner, runner = make_person("甲"), make_person("乙")
    for person in (winner, runner):
        response = client.post(
            f"/api/skills/competitions/{contest}/entries/",
            {"people": [named(person)]},
            content_type="application/json",
        )
        assert response.status_code == 201
    refused = client.post(
        f"/api/skills/competitions/{contest}/results/",
        {**named(make_person("丙")), "rank": 1},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["person"] == ["丙未报名参加本竞赛，不能录入成绩"]
    beyond = client.post(
        f"/api/skills/competitions/{contest}/results/",
        {**named(winner), "rank": 3},
        content_type="application/json",
    )
    assert beyond.status_code == 400 and "超出参赛数" in beyond.json()["rank"][0]
    for rank, person in ((1, winner), (2, runner)):
        client.post(
            f"/api/skills/competitions/{contest}/results/",
            {**named(person), "rank": rank},
            content_type="application/json",
        )
    published = client.post(f"/api/skills/competitions/{contest}/transitions/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert [e["medal"] for e in published.json()["entries"]] == ["gold", "silver"]
    assert Certificate.objects.filter(route="competition").count() == 2
    assert AwardConferral.objects.count() == 2
    again = client.post(f"/api/skills/competitions/{contest}/transitions/publish/")
    assert again.status_code == 200  # idempotent: nothing more created
    assert Certificate.objects.filter(route="competition").count() == 2


def test_talent_pool_api_masks_and_scopes(client, hr):
    evaluator = builders.social_evaluator()
    person = make_person("高师傅")
    builders.give_certificate(person, evaluator, "level3", datetime.date(2020, 1, 1))
    client.force_login(hr)
    rows = client.get("/api/skills/talent-pool/?q=gaoshifu").json()["results"]
    assert [r["name"] for r in rows] == ["高师傅"]
    assert rows[0]["document_number"] != person.document_number
    assert rows[0]["top_level"] == "高级工"
    client.force_login(make_user("grid", Role.GRID_WORKER, region=HUZHOU))
    assert client.get("/api/skills/talent-pool/").status_code == 404


def test_the_new_endpoints_are_in_the_schema(client, hr):
    client.force_login(hr)
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/skills/competitions/",
        "/api/skills/competitions/{id}/entries/",
        "/api/skills/awards/",
        "/api/skills/mentorships/",
        "/api/skills/allowances/",
        "/api/skills/shortage-lists/",
        "/api/skills/talent-pool/",
    ):
        assert path in schema["paths"], path
