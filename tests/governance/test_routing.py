"""Routing by region + category, the jurisdiction, and duplicate suggestions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import NANXUN, WUXING, village_of
from tests.governance.conftest import make_category, new_event
from tongban.governance.duplicates import distance_metres, suggest_duplicates
from tongban.governance.models import Event
from tongban.governance.routing import route_event

pytestmark = pytest.mark.django_db


def test_the_most_specific_rule_routes_the_event(world):
    assert route_event(new_event(world)) == world.village_unit
    other = make_category("06.01", "社保咨询", "consultation", world.consultation)
    assert (
        route_event(new_event(world, category=other, reporter_name="王五", channel="hotline"))
        == world.county_unit
    )


def test_escalation_routes_one_level_up_then_to_the_parent(world):
    event = new_event(world)
    assert route_event(event, above=world.village_unit) == world.township_unit
    assert route_event(event, above=world.township_unit) == world.county_unit
    assert route_event(event, above=world.county_unit) is None


def test_unknown_category_is_refused(world):
    with pytest.raises(ValidationError) as err:
        new_event(world, category_id=999_999)
    assert "category" in err.value.error_dict
    assert not Event.objects.exists()


def test_location_outside_the_jurisdiction_is_refused(world, settings):
    from tongban.governance.models import Jurisdiction

    Jurisdiction.objects.all().delete()
    Jurisdiction.objects.create(jurisdiction_id="wuxing", region_id=WUXING)
    admin_user = world.dispatcher
    admin_user.is_superuser = True
    admin_user.save()
    with pytest.raises(ValidationError) as err:
        new_event(world, region=village_of(NANXUN), user=admin_user)
    assert "不在本平台管辖范围" in str(err.value.error_dict["region"])
    assert not Event.objects.exists()


def test_a_grid_worker_cannot_report_outside_their_grid(world):
    with pytest.raises(ValidationError) as err:
        new_event(world, region=village_of(NANXUN))
    assert "管辖范围" in str(err.value)
    assert not Event.objects.exists()


def test_distance_is_great_circle():
    assert 240 < distance_metres(30.87, 120.10, 30.87225, 120.10) < 260


def test_duplicates_within_250_m_in_7_days_are_suggested(world):
    near = new_event(world, latitude="30.870000", longitude="120.100000")
    far = new_event(world, latitude="30.880000", longitude="120.100000")  # ~1.1 km
    old = new_event(world, latitude="30.870100", longitude="120.100000")
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    other_kind = new_event(
        world, latitude="30.870000", longitude="120.100000", category=world.hazards
    )
    fresh = new_event(world, latitude="30.871000", longitude="120.100500")
    found = suggest_duplicates(fresh, user=world.dispatcher)
    assert found == [near]
    assert far not in found and other_kind not in found


def test_without_coordinates_the_same_village_is_suggested(world):
    same = new_event(world)
    fresh = new_event(world)
    assert suggest_duplicates(fresh, user=world.dispatcher) == [same]
