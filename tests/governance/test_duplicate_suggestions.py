"""Duplicate suggestions on the intake forms: once the category and location are entered,
open events of the same category reported in the last 7 days within 250 m (without
coordinates: in the same village) are listed with links (an htmx fragment)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.factories import WUXING
from tests.governance.conftest import fire, new_event
from tongban.core.models import Region
from tongban.governance.duplicates import suggest_duplicates
from tongban.governance.models import Event

URL = "/events/duplicates/"


def ask(client, world, **params):
    query = {"category": world.fire_exit.pk, "region": world.village.code, **params}
    return client.get(URL, query)


def other_village(world):
    return (
        Region.objects.filter(code__startswith=WUXING[:6], level="village")
        .exclude(code=world.village.code)
        .order_by("code")
        .first()
    )


def test_within_250_m_counts_across_a_village_boundary(world):
    near = new_event(
        world,
        region=other_village(world),
        latitude="30.870000",
        longitude="120.100000",
        user=world.dispatcher,
        channel="hotline",
        reporter_name="王五",
    )
    far = new_event(
        world,
        region=other_village(world),
        latitude="30.880000",
        longitude="120.100000",
        user=world.dispatcher,
        channel="hotline",
        reporter_name="王五",
    )
    fresh = new_event(world, latitude="30.871000", longitude="120.100500")
    found = suggest_duplicates(fresh, user=world.dispatcher)
    assert near in found and far not in found


def test_the_fragment_lists_open_events_of_the_category_with_links(client, world):
    open_one = new_event(world)
    cancelled = fire(world, new_event(world), "cancel", "dispatcher", "无效")
    other_kind = new_event(world, category=world.consultation)
    old = new_event(world)
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    client.force_login(world.dispatcher)
    page = ask(client, world).content.decode()
    assert "可能重复的事件" in page
    assert f'href="/events/{open_one.pk}/"' in page and open_one.code in page
    for absent in (cancelled, other_kind, old):
        assert absent.code not in page


def test_nothing_similar_says_so_and_missing_input_shows_nothing(client, world):
    client.force_login(world.dispatcher)
    assert "未发现可能重复的事件" in ask(client, world).content.decode()
    new_event(world)
    assert "未发现" not in ask(client, world).content.decode()
    assert not client.get(URL, {"region": world.village.code}).content.decode().strip()
    assert not client.get(URL, {"category": "x", "region": world.village.code}).content.strip()


def test_suggestions_stay_within_what_the_user_may_view(client, world):
    mine = new_event(world, latitude="30.870000", longitude="120.100000")
    elsewhere = new_event(
        world,
        region=other_village(world),
        latitude="30.870000",
        longitude="120.100000",
        user=world.dispatcher,
        channel="hotline",
        reporter_name="王五",
    )
    near = {"latitude": "30.870500", "longitude": "120.100000"}
    client.force_login(world.grid_worker)
    page = ask(client, world, **near).content.decode()
    assert mine.code in page and elsewhere.code not in page
    client.force_login(world.dispatcher)
    assert elsewhere.code in ask(client, world, **near).content.decode()


def test_users_who_may_not_report_get_404(client, world):
    new_event(world)
    client.force_login(world.reviewer)
    assert ask(client, world).status_code == 404
    client.logout()
    assert ask(client, world).status_code == 302


def test_both_intake_forms_load_the_suggestions_with_htmx(client, world):
    client.force_login(world.dispatcher)
    hotline = client.get("/events/hotline/").content.decode()
    assert f'hx-get="{URL}"' in hotline and "change from:#id_category" in hotline
    client.force_login(world.grid_worker)
    report = client.get("/events/report/").content.decode()
    assert f'hx-get="{URL}"' in report and "#id_latitude" in report


def test_a_refused_report_shows_the_suggestions_again(client, world):
    existing = new_event(world)
    client.force_login(world.dispatcher)
    page = client.post(
        "/events/hotline/",
        {
            "channel": "hotline",
            "category": world.fire_exit.pk,
            "urgency": "normal",
            "region": world.village.code,
            "address": "幸福小区",
            "description": "",
        },
    ).content.decode()
    assert existing.code in page
