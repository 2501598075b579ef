"""The statistics dashboard and its API: drill-down scoped to the user's region subtree,
official counts, CSV export; the page reads the tally only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import HUZHOU, NANXUN, WUXING, make_org, make_person, make_user
from tests.skills import builders
from tongban.core.models import Region
from tongban.core.permissions import Role
from tongban.skills.models import OfficialEmployment

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(catalogue, on_day):
    on_day(D(2026, 11, 30))
    evaluator = builders.social_evaluator()
    employer = make_org("看板测试厂")
    towns = list(Region.objects.filter(parent_id=WUXING).order_by("code"))
    for i in range(4):
        person = make_person(f"看板{i}", region=towns[i % 2].code)
        builders.employ(person, employer, D(2020, 1, 1))
        if i < 2:
            builders.give_certificate(person, evaluator, "level3" if i else "level5", D(2024, 5, 1))
    far = make_person("南浔人", county6="330503")
    builders.employ(far, employer, D(2020, 1, 1))
    return towns


def test_county_hr_sees_the_county_and_drills_down_to_townships(client, figures):
    client.force_login(make_user("hr_wuxing", Role.HR_OFFICER, region=WUXING))
    page = client.get("/skills/statistics/?year=2026").content.decode()
    assert "吴兴区" in page and "50.0%" in page  # 2 skilled of 4 employed
    assert figures[0].name in page and "已达标" in page
    town = client.get(f"/skills/statistics/?region={figures[0].code}&year=2026")
    assert town.status_code == 200 and figures[0].name in town.content.decode()
    # outside the county, and the city above it: not found
    assert client.get(f"/skills/statistics/?region={NANXUN}").status_code == 404
    assert client.get(f"/skills/statistics/?region={HUZHOU}").status_code == 404


def test_city_hr_sees_both_counties_and_exports_csv(client, figures):
    client.force_login(make_user("hr_city", Role.HR_OFFICER, region=HUZHOU))
    page = client.get("/skills/statistics/?year=2026").content.decode()
    assert "吴兴区" in page and "南浔区" in page and "<svg" in page
    export = client.get("/skills/statistics/?year=2026&_export=csv")
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "湖州市,2026,5,2,1,40.0%,50.0%" in text


def test_users_without_a_statistics_grant_get_not_found(client, figures):
    client.force_login(make_user("worker", Role.WORKER))
    assert client.get("/skills/statistics/").status_code == 404
    assert client.get("/api/skills/statistics/").status_code == 404


def test_the_dashboard_reads_the_tally_not_the_records(client, figures):
    client.force_login(make_user("hr_city2", Role.HR_OFFICER, region=HUZHOU))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/skills/statistics/?year=2026").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "skills_skilltally" in sql
    assert "skills_certificate" not in sql and "core_employment" not in sql


def test_api_gives_figures_targets_and_children(client, figures):
    client.force_login(make_user("hr_api", Role.HR_OFFICER, region=WUXING))
    OfficialEmployment.objects.create(region_id=WUXING, year=2026, employed=10)
    data = client.get("/api/skills/statistics/?year=2026").json()
    assert data["current"]["employed"] == 4 and data["current"]["skilled_share"] == 0.5
    assert data["target"]["high_skilled_share"] == 0.35 and data["high_skilled_met"] is True
    assert {c["region"] for c in data["children"]} == {figures[0].code, figures[1].code}
    official = client.get("/api/skills/statistics/?year=2026&source=official").json()
    assert official["current"]["employed"] == 10 and official["current"]["skilled_share"] == 0.2
