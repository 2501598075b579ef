"""The REST API: intake with masking, transitions through the shared mechanism, refusals."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.governance.conftest import new_event
from tongban.governance.models import Event

pytestmark = pytest.mark.django_db
URL = "/api/governance/events/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, **kw):
    data = {
        "channel": "hotline",
        "category": world.fire_exit.code,
        "region": world.village.code,
        "address": "幸福小区3幢",
        "description": "楼道堆放杂物",
        "reporter_name": "王小明",
        "reporter_phone": "13812345678",
    }
    data.update(kw)
    return data


def test_dispatcher_reports_through_the_api_and_reads_the_reporter_masked(world):
    response = api(world.dispatcher).post(URL, body(world), format="json")
    assert response.status_code == 201, response.content
    assert (response.data["reporter_name"], response.data["reporter_phone"]) == (
        "王**",
        "138****5678",
    )
    assert Event.objects.get().reporter_phone == "13812345678"


def test_unknown_category_through_the_api_is_400_naming_the_field(world):
    response = api(world.dispatcher).post(URL, body(world, category="99"), format="json")
    assert response.status_code == 400
    assert "未知的事件分类" in str(response.data["category"])
    assert not Event.objects.exists()


def test_location_outside_the_jurisdiction_through_the_api_is_400(world):
    response = api(world.dispatcher).post(URL, body(world, region="110101001001"), format="json")
    assert response.status_code == 400
    assert "region" in response.data
    assert not Event.objects.exists()


def test_transitions_through_the_api_follow_the_loop(world):
    event = new_event(world)
    client = api(world.dispatcher)
    names = [t["name"] for t in client.get(f"{URL}{event.pk}/transitions/").data]
    assert "verify" in names
    assert client.post(f"{URL}{event.pk}/transitions/verify/").data["status"] == "verified"
    client.post(f"{URL}{event.pk}/transitions/register/")
    dispatched = client.post(f"{URL}{event.pk}/transitions/dispatch/").data
    assert (dispatched["status"], dispatched["unit"]) == ("dispatched", world.village_unit.pk)
    refused = api(world.reviewer).post(f"{URL}{event.pk}/transitions/review_pass/")
    assert refused.status_code == 400
    timeline = client.get(f"{URL}{event.pk}/timeline/").data
    assert [e["name"] for e in timeline] == ["report", "verify", "register", "dispatch"]


def test_grid_worker_cannot_fire_a_dispatchers_transition_through_the_api(world):
    event = new_event(world)
    response = api(world.grid_worker).post(f"{URL}{event.pk}/transitions/verify/")
    assert response.status_code == 400
    assert Event.objects.get(pk=event.pk).status == "reported"


def test_events_out_of_scope_are_404(world):
    from tests.factories import NANXUN, make_user
    from tongban.core.permissions import Role

    event = new_event(world)
    stranger = make_user("nanxun_dispatcher", Role.GOVERNANCE_DISPATCHER, region=NANXUN)
    assert api(stranger).get(f"{URL}{event.pk}/").status_code == 404
