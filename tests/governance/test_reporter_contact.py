"""The reporter's phone is masked everywhere; a dispatcher may reveal it, and every reveal
writes a ReporterContactAccess record. Roles without the right get 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tests.factories import make_user
from tests.governance.conftest import new_event
from tongban.core.permissions import Role
from tongban.core.services import OutOfScope
from tongban.governance import services
from tongban.governance.models import ReporterContactAccess

PHONE = "13812345678"


def hotline_event(world, **kw):
    fields = {
        "channel": "hotline",
        "reporter_name": "李四",
        "reporter_phone": PHONE,
        "user": world.dispatcher,
    }
    fields.update(kw)
    return new_event(world, **fields)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_reveal_by_the_dispatcher_returns_the_phone_and_writes_a_record(world):
    event = hotline_event(world)
    phone = services.reveal_reporter_phone(
        event, user=world.dispatcher, channel="web", purpose="回访核实"
    )
    assert phone == PHONE
    record = ReporterContactAccess.objects.get()
    assert (record.user, record.event, record.fields, record.purpose, record.channel) == (
        world.dispatcher,
        event,
        "reporter_phone",
        "回访核实",
        "web",
    )


@pytest.mark.parametrize("who", ["handler", "reviewer", "grid_worker"])
def test_roles_without_the_right_are_refused_and_nothing_is_recorded(world, who):
    event = hotline_event(world)
    with pytest.raises(OutOfScope):
        services.reveal_reporter_phone(event, user=getattr(world, who), channel="web")
    assert not ReporterContactAccess.objects.exists()


def test_a_dispatcher_of_another_county_is_refused(world):
    event = hotline_event(world)
    elsewhere = make_user("dispatcher_dq", Role.GOVERNANCE_DISPATCHER, region="330521000000")
    with pytest.raises(OutOfScope):
        services.reveal_reporter_phone(event, user=elsewhere, channel="web")


def test_an_anonymous_report_has_no_phone_to_reveal(world):
    event = hotline_event(world, anonymous=True, reporter_name="", reporter_phone="")
    with pytest.raises(ValidationError) as err:
        services.reveal_reporter_phone(event, user=world.dispatcher, channel="web")
    assert "反映人电话" in str(err.value)
    assert not ReporterContactAccess.objects.exists()


def test_the_detail_page_masks_the_phone_and_offers_the_reveal_to_the_dispatcher(client, world):
    event = hotline_event(world)
    client.force_login(world.dispatcher)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert PHONE not in page and "138****5678" in page
    assert 'id="reveal-phone"' in page
    client.force_login(world.reviewer)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert PHONE not in page and 'id="reveal-phone"' not in page


def test_the_page_button_reveals_and_records(client, world):
    event = hotline_event(world)
    client.force_login(world.dispatcher)
    response = client.post(f"/events/{event.pk}/reveal-phone/", {"purpose": "联系补充材料"})
    assert response.status_code == 200 and PHONE in response.content.decode()
    record = ReporterContactAccess.objects.get()
    assert (record.channel, record.purpose, record.user) == (
        "web",
        "联系补充材料",
        world.dispatcher,
    )


@pytest.mark.parametrize("who", ["handler", "reviewer", "grid_worker"])
def test_the_page_reveal_is_404_for_roles_without_the_right(client, world, who):
    event = hotline_event(world)
    client.force_login(getattr(world, who))
    response = client.post(f"/events/{event.pk}/reveal-phone/")
    assert response.status_code == 404
    assert not ReporterContactAccess.objects.exists()


def test_the_api_action_reveals_and_records(world):
    event = hotline_event(world)
    listed = api(world.dispatcher).get(f"/api/governance/events/{event.pk}/").data
    assert listed["reporter_phone"] == "138****5678"
    response = api(world.dispatcher).post(f"/api/governance/events/{event.pk}/reveal-phone/")
    assert response.status_code == 200 and response.data == {"reporter_phone": PHONE}
    assert ReporterContactAccess.objects.get().channel == "api"


@pytest.mark.parametrize("who", ["handler", "reviewer", "grid_worker"])
def test_the_api_action_is_404_for_roles_without_the_right(world, who):
    event = hotline_event(world)
    response = api(getattr(world, who)).post(f"/api/governance/events/{event.pk}/reveal-phone/")
    assert response.status_code == 404
    assert not ReporterContactAccess.objects.exists()
