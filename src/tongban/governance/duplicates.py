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
    from tongban.governance.models import Event
    from tongban.governance.models.event import OPEN_STATES

    now = now or timezone.now()
    qs = (
        Event.objects.restrict(user, "view")
        .filter(category_id=event.category_id, status__in=OPEN_STATES, created_at__gte=now - WINDOW)
        .exclude(pk=event.pk)
    )
    if event.latitude is None or event.longitude is None:
        return list(qs.filter(region_id=event.region_id).order_by("-created_at")[:20])
    lat, lng = float(event.latitude), float(event.longitude)
    dlat = RADIUS_METRES / 111_000 * 1.1
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    box = qs.filter(
        latitude__range=(Decimal(str(lat - dlat)), Decimal(str(lat + dlat))),
        longitude__range=(Decimal(str(lng - dlng)), Decimal(str(lng + dlng))),
    )
    return [
        e
        for e in box.order_by("-created_at")[:200]
        if distance_metres(lat, lng, float(e.latitude), float(e.longitude)) <= RADIUS_METRES
    ][:20]
