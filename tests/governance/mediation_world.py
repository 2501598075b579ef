"""Fixtures for mediation: a county centre, a township centre and a village station in
吴兴区 with their units, stationed people and departments, and their staff accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import WUXING, make_org, make_user
from tongban.core.permissions import Role
from tongban.governance import mediation
from tongban.governance.models import (
    MediationCase,
    MediationCentre,
    MediationParty,
    StationedMember,
)


@dataclass
class Centres:
    county: MediationCentre
    township: MediationCentre
    station: MediationCentre
    mediator: StationedMember
    police: StationedMember
    station_user: Any
    township_dispatcher: Any
    other_station_user: Any
    village: Any
    township_region: Any


def make_centre(name: str, level: str, region: Any, parent: Any = None) -> MediationCentre:
    org = make_org(name, "mediation_centre", region.code)
    centre = MediationCentre(name=name, level=level, region=region, parent=parent, organization=org)
    centre.full_clean()
    centre.save()
    return centre


@pytest.fixture
def centres(world) -> Centres:
    from tongban.core.models import Region

    county_region = Region.objects.get(code=WUXING)
    county = make_centre("吴兴区社会矛盾纠纷调处化解中心", "county", county_region)
    township = make_centre(f"{world.township.name}矛调中心", "township", world.township, county)
    station = make_centre(f"{world.village.name}调解站", "village", world.village, township)
    station_user = make_user(
        "station",
        Role.GOVERNANCE_HANDLER,
        region=world.village.code,
        organization=station.organization,
    )
    mediator = StationedMember.objects.create(
        centre=station, kind="mediator", name="陈调解", user=station_user, phone="13900001111"
    )
    police = StationedMember.objects.create(
        centre=township,
        kind="public_security",
        name=f"{world.township.name}派出所",
        organization=make_org("派出所", "governance_department", world.township.code),
    )
    other_village = (
        Region.objects.filter(level="village", code__startswith="330502")
        .exclude(code__startswith=world.township.prefix)
        .order_by("code")
        .first()
    )
    other_township = Region.objects.get(code=other_village.code[:9] + "000")
    other_station = make_centre(f"{other_village.name}调解站", "village", other_village)
    other_station.parent = make_centre(
        f"{other_township.name}矛调中心", "township", other_township, county
    )
    other_station.save()
    return Centres(
        county=county,
        township=township,
        station=station,
        mediator=mediator,
        police=police,
        station_user=station_user,
        township_dispatcher=make_user(
            "town_dispatcher", Role.GOVERNANCE_DISPATCHER, region=world.township.code
        ),
        other_station_user=make_user(
            "other_station",
            Role.GOVERNANCE_HANDLER,
            region=other_village.code,
            organization=other_station.organization,
        ),
        village=world.village,
        township_region=world.township,
    )


def parties(*names: str) -> list[MediationParty]:
    roles = ["applicant", "respondent"] + ["third"] * len(names)
    return [MediationParty(role=role, name=name) for role, name in zip(roles, names, strict=False)]


def new_case(c: Centres, *names: str, user: Any = None, **kw: Any) -> MediationCase:
    fields: dict[str, Any] = {
        "centre": c.station,
        "region": c.village,
        "channel": "walk_in",
        "kind": "neighbour",
        "title": "楼上漏水邻里纠纷",
        "description": "楼上卫生间漏水，双方对维修费用有争议",
    }
    fields.update(kw)
    return mediation.register_case(
        MediationCase(**fields),
        parties(*(names or ("王大明", "李小红"))),
        user=user or c.station_user,
        mediators=[c.mediator],
    )


def consent_all(c: Centres, case: MediationCase, user: Any = None) -> None:
    for party in case.parties.all():
        mediation.record_consent(party, consented=True, user=user or c.station_user)
