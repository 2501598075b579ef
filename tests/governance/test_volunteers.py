"""Volunteers: 点单 → 派单 → 接单 → 服务 → 评单, the demand following its pairing, refusals,
and the counts per region and period."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongban.core import services as core_services
from tongban.governance import volunteers
from tongban.governance.models import (
    ServiceSession,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world) -> VolunteerTeam:
    return core_services.save_record(
        VolunteerTeam(name="湖小青助老服务队", region=world.township, leader_name="王队长"),
        user=world.dispatcher,
    )


def new_demand(world, title: str = "独居老人代购药品") -> VolunteerDemand:
    return volunteers.register_demand(
        VolunteerDemand(
            title=title, service_type="elderly", region=world.village, requester_name="李阿姨"
        ),
        user=world.grid_worker,
    )


def dispatch(world, demand, team) -> VolunteerPairing:
    return volunteers.pair_demand(VolunteerPairing(demand=demand, team=team), user=world.dispatcher)


def state(model, pk) -> str:
    return model.objects.get(pk=pk).status


def session(world, pairing, people: int = 1, hours: str = "2") -> ServiceSession:
    return volunteers.record_session(
        ServiceSession(
            pairing=pairing,
            served_on=timezone.localdate(),
            hours=Decimal(hours),
            people_served=people,
        ),
        user=world.grid_worker,
    )


def test_pairing_runs_dispatch_accept_serve_rate_and_closes_the_demand(world, team):
    demand = new_demand(world)
    assert demand.status == "open"
    pairing = dispatch(world, demand, team)
    assert pairing.status == "dispatched" and state(VolunteerDemand, demand.pk) == "paired"
    pairing = volunteers.fire_pairing_transition(pairing, "accept", user=world.grid_worker)
    assert pairing.status == "accepted"
    session(world, pairing, people=1)
    pairing = volunteers.fire_pairing_transition(pairing, "complete", user=world.grid_worker)
    assert pairing.status == "served" and state(VolunteerDemand, demand.pk) == "served"
    pairing = volunteers.fire_pairing_transition(
        pairing, "rate", user=world.grid_worker, score=5, comment="很及时"
    )
    assert pairing.status == "rated" and pairing.rating == 5
    assert state(VolunteerDemand, demand.pk) == "closed"


def test_declined_pairing_reopens_the_demand_for_another_team(world, team):
    demand = new_demand(world)
    pairing = dispatch(world, demand, team)
    with pytest.raises(ValidationError) as err:
        volunteers.fire_pairing_transition(pairing, "decline", user=world.grid_worker)
    assert "reason" in err.value.message_dict
    volunteers.fire_pairing_transition(
        pairing, "decline", user=world.grid_worker, reason="本周队员外出"
    )
    assert state(VolunteerPairing, pairing.pk) == "declined"
    assert state(VolunteerDemand, demand.pk) == "open"
    other = core_services.save_record(
        VolunteerTeam(name="湖小青应急服务队", region=world.township), user=world.dispatcher
    )
    assert dispatch(world, demand, other).status == "dispatched"


def test_pairing_for_a_closed_demand_is_refused_with_the_reason(world, team):
    demand = new_demand(world)
    pairing = dispatch(world, demand, team)
    volunteers.fire_pairing_transition(pairing, "accept", user=world.grid_worker)
    session(world, pairing)
    volunteers.fire_pairing_transition(pairing, "complete", user=world.grid_worker)
    volunteers.fire_pairing_transition(pairing, "rate", user=world.grid_worker, score=4)
    with pytest.raises(ValidationError) as err:
        dispatch(world, VolunteerDemand.objects.get(pk=demand.pk), team)
    assert err.value.message_dict["demand"] == [
        "需求“独居老人代购药品”已关闭（已评价关闭），不能派单"
    ]
    assert VolunteerPairing.objects.count() == 1


def test_pairing_for_an_already_paired_demand_is_refused(world, team):
    demand = new_demand(world)
    dispatch(world, demand, team)
    with pytest.raises(ValidationError) as err:
        dispatch(world, VolunteerDemand.objects.get(pk=demand.pk), team)
    assert "只有待派单的需求可以派单" in err.value.message_dict["demand"][0]


def test_pairing_for_a_cancelled_demand_is_refused(world, team):
    from tongban.core import workflow

    demand = new_demand(world)
    workflow.fire(demand, "cancel", user=world.grid_worker, reason="老人已由家属照顾")
    with pytest.raises(ValidationError) as err:
        dispatch(world, VolunteerDemand.objects.get(pk=demand.pk), team)
    assert "已关闭（已撤销）" in err.value.message_dict["demand"][0]


def test_pairing_without_team_or_volunteer_is_refused_and_demand_stays_open(world):
    demand = new_demand(world)
    with pytest.raises(ValidationError) as err:
        volunteers.pair_demand(VolunteerPairing(demand=demand), user=world.dispatcher)
    assert "team" in err.value.message_dict
    assert state(VolunteerDemand, demand.pk) == "open"


def test_session_before_acceptance_is_refused(world, team):
    pairing = dispatch(world, new_demand(world), team)
    with pytest.raises(ValidationError) as err:
        session(world, pairing)
    assert "只有已接单的派单可以登记服务记录" in err.value.message_dict["pairing"][0]


def test_completing_without_a_session_is_not_offered(world, team):
    pairing = dispatch(world, new_demand(world), team)
    pairing = volunteers.fire_pairing_transition(pairing, "accept", user=world.grid_worker)
    with pytest.raises(ValidationError):
        volunteers.fire_pairing_transition(pairing, "complete", user=world.grid_worker)


def test_rating_outside_one_to_five_is_refused(world, team):
    pairing = dispatch(world, new_demand(world), team)
    pairing = volunteers.fire_pairing_transition(pairing, "accept", user=world.grid_worker)
    session(world, pairing)
    pairing = volunteers.fire_pairing_transition(pairing, "complete", user=world.grid_worker)
    with pytest.raises(ValidationError) as err:
        volunteers.fire_pairing_transition(pairing, "rate", user=world.grid_worker, score=9)
    assert err.value.message_dict["rating"] == ["评分应为1至5分"]
    assert state(VolunteerPairing, pairing.pk) == "served"


def test_session_hours_must_be_reasonable(world, team):
    pairing = dispatch(world, new_demand(world), team)
    volunteers.fire_pairing_transition(pairing, "accept", user=world.grid_worker)
    with pytest.raises(ValidationError) as err:
        session(world, pairing, hours="30")
    assert "hours" in err.value.message_dict


def test_only_a_dispatcher_pairs(world, team):
    demand = new_demand(world)
    with pytest.raises(ValidationError):
        volunteers.pair_demand(VolunteerPairing(demand=demand, team=team), user=world.grid_worker)
    assert state(VolunteerDemand, demand.pk) == "open"


def test_counts_per_region_and_period(world, team):
    today = timezone.localdate()
    core_services.save_record(
        VolunteerResource(
            title="代购配送", service_type="elderly", team=team, region=world.township
        ),
        user=world.dispatcher,
    )
    core_services.save_record(
        Volunteer(name="赵小青", region=world.village, team=team), user=world.dispatcher
    )
    first = dispatch(world, new_demand(world), team)
    volunteers.fire_pairing_transition(first, "accept", user=world.grid_worker)
    session(world, first, people=3, hours="2")
    session(world, first, people=2, hours="1.5")
    declined = dispatch(world, new_demand(world, "陪同就医"), team)
    volunteers.fire_pairing_transition(declined, "decline", user=world.grid_worker, reason="无车")
    new_demand(world, "家电维修")

    c = volunteers.counts(world.dispatcher, today, today)
    assert (c.demands, c.resources, c.pairings, c.sessions, c.people_served) == (3, 1, 1, 2, 5)
    assert c.hours == Decimal("3.5")
    assert (
        volunteers.counts(world.dispatcher, today, today, within=world.village.code).resources == 0
    )
    assert volunteers.counts(world.dispatcher, today, today, within="330503").demands == 0
    last_year = today - datetime.timedelta(days=400)
    assert volunteers.counts(world.dispatcher, last_year, last_year).demands == 0


def test_a_demand_lies_in_a_village(world):
    with pytest.raises(ValidationError) as err:
        volunteers.register_demand(
            VolunteerDemand(
                title="x", service_type="other", region=world.township, requester_name="李"
            ),
            user=world.dispatcher,
        )
    assert err.value.message_dict["region"] == ["请选择村（社区）级区划"]


def test_a_resource_names_who_offers_it(world):
    with pytest.raises(ValidationError) as err:
        core_services.save_record(
            VolunteerResource(title="理发", service_type="elderly", region=world.township),
            user=world.dispatcher,
        )
    assert err.value.message_dict["team"] == ["请填写提供资源的队伍或志愿者"]


def test_a_pairing_to_a_team_no_longer_registered_is_refused(world, team):
    team.active = False
    team.save()
    demand = new_demand(world)
    with pytest.raises(ValidationError) as err:
        dispatch(world, demand, team)
    assert err.value.message_dict["team"] == ["该队伍已不在册"]
    assert state(VolunteerDemand, demand.pk) == "open"
