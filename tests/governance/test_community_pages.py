"""Pages and API of grids, patrols, screening, volunteers and the practice network."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import make_user
from tests.governance.community import make_fire_checklist, make_grid
from tongban.core.permissions import Role
from tongban.governance import patrols, volunteers
from tongban.governance.models import Event, PatrolTask, VolunteerDemand, VolunteerTeam

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def task_for(world) -> PatrolTask:
    grid = make_grid(world)
    template = make_fire_checklist(world)
    return patrols.assign_patrol(
        PatrolTask(grid=grid, template=template, place="幸福小区3幢"), user=world.dispatcher
    )


def test_patrol_page_refuses_an_answer_outside_the_options(world):
    task = task_for(world)
    items = list(task.template.items.order_by("position"))
    response = client_for(world.grid_worker).post(
        f"/patrols/{task.pk}/", {f"item-{items[0].pk}": "是", f"item-{items[1].pk}": "半开"}
    )
    assert response.status_code == 200
    assert (
        "“安全出口和疏散通道畅通”的回答“半开”不在可选答案中（畅通、堵塞）"
        in response.content.decode()
    )
    assert not Event.objects.exists()


def test_api_submits_a_patrol_and_reports_the_hazard_event(world):
    task = task_for(world)
    items = list(task.template.items.order_by("position"))
    response = api_for(world.grid_worker).post(
        f"/api/governance/patrols/{task.pk}/submit/",
        {
            "answers": [
                {"item": items[0].pk, "answer": "是"},
                {"item": items[1].pk, "answer": "堵塞"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["failed_checks"] == 1
    assert response.json()["answers"][1]["event"] == Event.objects.get().code


def test_api_refuses_a_pairing_for_a_closed_demand(world):
    team = VolunteerTeam.objects.create(name="湖小青服务队", region=world.township)
    demand = volunteers.register_demand(
        VolunteerDemand(
            title="代购", service_type="elderly", region=world.village, requester_name="李"
        ),
        user=world.grid_worker,
    )
    from tongban.core import workflow

    workflow.fire(demand, "cancel", user=world.dispatcher, reason="不再需要")
    response = api_for(world.dispatcher).post(
        "/api/governance/volunteer-pairings/", {"demand": demand.pk, "team": team.pk}, format="json"
    )
    assert response.status_code == 400
    assert "已关闭（已撤销），不能派单" in response.json()["demand"][0]


def test_pages_render_for_each_role(world):
    make_grid(world)
    for user in (world.dispatcher, world.grid_worker, world.handler):
        client = client_for(user)
        for url in (
            "/grids/",
            "/patrols/",
            "/screening/",
            "/volunteers/demands/",
            "/volunteers/pairings/",
            "/volunteers/teams/",
            "/volunteers/people/",
            "/volunteers/resources/",
            "/practice/sites/",
            "/practice/activities/",
            "/governance/community/",
        ):
            assert client.get(url).status_code == 200, (user, url)


def test_out_of_scope_grid_is_404(world):
    grid = make_grid(world)
    outsider = make_user("d_nanxun", Role.GOVERNANCE_DISPATCHER, region="330503000000")
    assert client_for(outsider).get(f"/grids/{grid.pk}/").status_code == 404
    assert api_for(outsider).get(f"/api/governance/grids/{grid.pk}/").status_code == 404


def test_figures_api_counts_patrols_and_volunteers(world):
    task = task_for(world)
    items = list(task.template.items.order_by("position"))
    patrols.submit_patrol(
        task,
        {items[0].pk: patrols.Answer("否"), items[1].pk: patrols.Answer("堵塞")},
        user=world.grid_worker,
    )
    today = timezone.localdate().isoformat()
    data = (
        api_for(world.dispatcher)
        .get(f"/api/governance/community-figures/?start={today}&end={today}")
        .json()
    )
    assert data["patrols"]["done"] == 1
    assert data["patrols"]["hazard_events"] == 2
    assert [r["level"] for r in data["practice_levels"]] == [
        "city",
        "county",
        "township",
        "village",
        "base",
    ]


def test_openapi_schema_lists_the_new_endpoints(world):
    response = api_for(world.dispatcher).get("/api/schema/?format=json")
    paths = response.json()["paths"]
    for path in (
        "/api/governance/patrols/{id}/submit/",
        "/api/governance/volunteer-pairings/{id}/transitions/{transition}/",
        "/api/governance/screening-targets/{id}/visit/",
        "/api/governance/community-figures/",
    ):
        assert path in paths


def test_events_filter_by_grid(world):
    from tests.governance.conftest import new_event

    grid = make_grid(world)
    event = new_event(world)
    response = api_for(world.dispatcher).get(f"/api/governance/events/?grid={grid.pk}")
    assert [e["code"] for e in response.json()["results"]] == [event.code]
    assert response.json()["results"][0]["grid"] == grid.code
    assert api_for(world.dispatcher).get("/api/governance/events/?grid=999").json()["count"] == 0


def test_report_form_offers_the_workers_grids_and_refuses_another_villages(world):
    from tongban.governance.models import Grid

    grid = make_grid(world)
    other_village = world.township.children.exclude(code=world.village.code).first()
    elsewhere = Grid.objects.create(region=other_village, code="G-X", name="别村网格")
    client = client_for(world.grid_worker)
    form = {
        "category": world.fire_exit.pk,
        "urgency": "normal",
        "region": world.village.code,
        "address": "幸福小区3幢",
        "description": "消防通道堵塞",
    }
    page = client.get("/events/report/").content.decode()
    assert grid.name in page
    response = client.post("/events/report/", {**form, "grid": elsewhere.pk})
    assert f"未知的网格或不在您的管辖范围内：{elsewhere.pk}" in response.content.decode()
    hotline = {**form, "channel": "hotline", "reporter_name": "王先生", "grid": elsewhere.pk}
    response = client_for(world.dispatcher).post("/events/hotline/", hotline)
    assert "该网格不在事件所在村（社区）" in response.content.decode()
    assert not Event.objects.exists()
    client.post("/events/report/", {**form, "grid": grid.pk})
    assert Event.objects.get().grid == grid


def test_dispatcher_assigns_a_patrol_on_the_page(world):
    grid = make_grid(world)
    template = make_fire_checklist(world)
    response = client_for(world.dispatcher).post(
        "/patrols/new/",
        {
            "grid": grid.pk,
            "template": template.pk,
            "place": "老街12号",
            "assignee": world.grid_worker.pk,
        },
    )
    assert response.status_code == 302
    task = PatrolTask.objects.get()
    assert task.created_by == world.dispatcher and task.assignee == world.grid_worker
    page = client_for(world.grid_worker).get(f"/patrols/{task.pk}/").content.decode()
    assert "提交巡查结果" in page and "派发巡查任务" in page
