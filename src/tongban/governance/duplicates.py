"""Duplicate suggestions: open events of the same category reported in the last 7 days
within 250 m, or in the same village when the new event has no coordinates."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.utils import timezone

RADIUS_METRES = 250
WINDOW = datetime.timedelta(days=7)
EARTH_RADIUS_METRES = 6_371_000


def distance_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(a))


def suggest_duplicates(event: Any, *, user: Any, now: datetime.datetime | None = None) -> list[Any]:
    """Open events ``user`` may view, of the event's category, reported in the last 7 days
    within 250 m of it (without coordinates: in its village); the newest first, at most 20."""
    from tongban.governance.models import Event
    from tongban.governance.models.event import OPEN_STATES

    if not event.category_id or not event.region_id:
        return []
    now = now or timezone.now()
    qs = (
        Event.objects.restrict(user, "view")
        .filter(category_id=event.category_id, status__in=OPEN_STATES, created_at__gte=now - WINDOW)
        .exclude(pk=event.pk)
        .select_related("region")
        .order_by("-created_at", "-pk")
    )
    if event.latitude is None or event.longitude is None:
        return list(qs.filter(region_id=event.region_id)[:20])
    lat, lng = float(event.latitude), float(event.longitude)
    dlat = RADIUS_METRES / 111_000 * 1.1
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    box = qs.filter(
        latitude__range=(Decimal(str(lat - dlat)), Decimal(str(lat + dlat))),
        longitude__range=(Decimal(str(lng - dlng)), Decimal(str(lng + dlng))),
    )
    return [
        e
        for e in box[:200]
        if distance_metres(lat, lng, float(e.latitude), float(e.longitude)) <= RADIUS_METRES
    ][:20]


def suggest_for_input(data: Any, *, user: Any) -> list[Any] | None:
    """Suggestions for an intake form being filled in: ``data`` holds the form's category,
    region, latitude and longitude (malformed coordinates are left out). None until the
    category and the village are entered."""
    from tongban.governance.models import Category, Event

    category = Category.objects.filter(pk=_number(data.get("category"), int)).first()
    region = str(data.get("region") or "").strip()
    if category is None or not region:
        return None
    lat = _number(data.get("latitude"), Decimal)
    lng = _number(data.get("longitude"), Decimal)
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        lat = lng = None
    probe = Event(category=category, region_id=region, latitude=lat, longitude=lng)
    return suggest_duplicates(probe, user=user)


def _number(value: Any, kind: Any) -> Any:
    try:
        return kind(str(value).strip()) if value not in (None, "") else None
    except (ArithmeticError, ValueError):
        return None
