"""Shared governance fixtures: a jurisdiction, a category tree, routing rules over three
levels of units in 吴兴区, and one user per role, all built through the real models."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import WUXING, make_org, make_user, township_of, village_of
from tongban.core.permissions import Role
from tongban.governance import services
from tongban.governance.models import Category, Event, Jurisdiction, RoutingRule


@dataclass
class World:
    village: Any
    township: Any
    hazards: Category
    fire_exit: Category
    consultation: Category
    village_unit: Any
    township_unit: Any
    county_unit: Any
    dispatcher: Any
    handler: Any
    township_handler: Any
    county_handler: Any
    reviewer: Any
    grid_worker: Any


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded photos go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def png_upload(name: str = "photo.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_category(
    code: str, name: str, kind: str, parent: Category | None = None, **kw: Any
) -> Category:
    category = Category(code=code, name=name, kind=kind, parent=parent, **kw)
    category.full_clean()
    category.save()
    return category


@pytest.fixture
def world(regions) -> World:
    Jurisdiction.objects.create(jurisdiction_id="huzhou.gov.cn", region_id="330500000000")
    village = village_of(WUXING)
    township = township_of(WUXING)
    hazards = make_category("04", "安全隐患", "hazard", limit_normal=5, limit_urgent=1)
    fire_exit = make_category(
        "04.01", "消防通道堵塞", "hazard", hazards, limit_normal=3, limit_urgent=1
    )
    consultation = make_category("06", "政策咨询", "consultation", limit_normal=3)
    county_unit = make_org("吴兴区应急管理局", "governance_department", WUXING)
    township_unit = make_org(
        f"{township.name}平安办", "governance_department", township.code, parent=county_unit
    )
    village_unit = make_org(
        f"{village.name}村务站", "governance_department", village.code, parent=township_unit
    )
    for region, category, unit in (
        (village.code, hazards, village_unit),
        (township.code, hazards, township_unit),
        (WUXING, None, county_unit),
    ):
        rule = RoutingRule(region_id=region, category=category, unit=unit)
        rule.full_clean()
        rule.save()
    return World(
        village=village,
        township=township,
        hazards=hazards,
        fire_exit=fire_exit,
        consultation=consultation,
        village_unit=village_unit,
        township_unit=township_unit,
        county_unit=county_unit,
        dispatcher=make_user("dispatcher", Role.GOVERNANCE_DISPATCHER, region=WUXING),
        handler=make_user(
            "handler", Role.GOVERNANCE_HANDLER, region=WUXING, organization=village_unit
        ),
        township_handler=make_user(
            "handler_town", Role.GOVERNANCE_HANDLER, region=WUXING, organization=township_unit
        ),
        county_handler=make_user(
            "handler_county", Role.GOVERNANCE_HANDLER, region=WUXING, organization=county_unit
        ),
        reviewer=make_user("reviewer", Role.GOVERNANCE_REVIEWER, region=WUXING),
        grid_worker=make_user("grid", Role.GRID_WORKER, region=village.code),
    )


def new_event(world: World, **kw: Any) -> Event:
    fields: dict[str, Any] = {
        "channel": "grid",
        "category": world.fire_exit,
        "region": world.village,
        "address": "幸福小区3幢楼道",
        "description": "消防通道被杂物堵塞",
    }
    fields.update(kw)
    photos = fields.pop("photos", ())
    user = fields.pop("user", world.grid_worker)
    return services.report_event(Event(**fields), user=user, photos=photos)


def fire(world: World, event: Event, name: str, who: str, reason: str = "", **extra: Any) -> Event:
    return services.fire_event_transition(
        event,
        name,
        user=getattr(world, who),
        reason=reason,
        extra=services.TransitionInput(**extra),
    )


def to_state(world: World, event: Event, target: str) -> Event:
    """Drive ``event`` through the loop up to ``target``."""
    steps = [
        ("verified", "verify", "dispatcher", ""),
        ("registered", "register", "dispatcher", ""),
        ("dispatched", "dispatch", "dispatcher", ""),
        ("accepted", "accept", "handler", ""),
        ("handled", "handle", "handler", "已清理杂物，通道畅通"),
        ("closed", "review_pass", "reviewer", ""),
    ]
    for state, name, who, reason in steps:
        event = fire(world, event, name, who, reason)
        if state == target:
            return event
    raise AssertionError(target)
