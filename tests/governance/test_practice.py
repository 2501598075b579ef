"""The civilisation-practice network: five levels on their region levels, counts per level."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import HUZHOU, WUXING
from tongban.core import services as core_services
from tongban.governance.models import PracticeActivity, PracticeSite
from tongban.governance.practice import counts_per_level

pytestmark = pytest.mark.django_db


def site(world, name, level, region, parent=None) -> PracticeSite:
    return core_services.save_record(
        PracticeSite(name=name, level=level, region_id=region, parent=parent), user=world.dispatcher
    )


def network(world):
    city = PracticeSite(name="湖州市新时代文明实践中心", level="city", region_id=HUZHOU)
    city.full_clean()
    city.save()
    county = site(world, "吴兴区新时代文明实践中心", "county", WUXING, city)
    town = site(world, f"{world.township.name}文明实践所", "township", world.township.code, county)
    village = site(world, f"{world.village.name}文明实践站", "village", world.village.code, town)
    base = site(world, "红色教育基地", "base", world.village.code, village)
    return city, county, town, village, base


def test_counts_per_level(world):
    _city, _county, town, village, base = network(world)
    today = timezone.localdate()
    for s, people in ((village, 40), (village, 25), (base, 60), (town, 100)):
        core_services.save_record(
            PracticeActivity(
                site=s, title="理论宣讲", held_on=today, participants=people, volunteers=5
            ),
            user=world.dispatcher,
        )
    rows = {r.level: r for r in counts_per_level(world.dispatcher, today, today)}
    assert [rows[k].sites for k in ("city", "county", "township", "village", "base")] == [
        0,
        1,
        1,
        1,
        1,
    ]
    assert (rows["village"].activities, rows["village"].participants) == (2, 65)
    assert (rows["base"].activities, rows["township"].participants) == (1, 100)
    admin_rows = counts_per_level(_superuser(), today, today)
    assert admin_rows[0].sites == 1  # the city centre, seen by a platform administrator


def _superuser():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", password="x")


def test_station_level_must_match_its_region(world):
    with pytest.raises(ValidationError) as err:
        site(world, "错误的站", "village", world.township.code)
    assert err.value.message_dict["region"] == ["村（社区）文明实践站应设在村级区划"]


def test_parent_must_be_the_level_above(world):
    _city, county, _town, _village, _base = network(world)
    with pytest.raises(ValidationError) as err:
        site(world, "越级的站", "village", world.village.code, county)
    assert err.value.message_dict["parent"] == ["上级阵地应为乡镇（街道）文明实践所"]


def test_activity_at_a_closed_site_is_refused(world):
    *_rest, base = network(world)
    base.active = False
    base.save()
    with pytest.raises(ValidationError) as err:
        core_services.save_record(
            PracticeActivity(site=base, title="x", held_on=timezone.localdate()),
            user=world.dispatcher,
        )
    assert err.value.message_dict["site"] == ["该阵地已停止运行"]
