"""The civilisation-practice network's figures: sites, activities, participants and
volunteers per level, for what a user sees, within a region and a period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum

from tongban.governance.models import PracticeActivity, PracticeLevel, PracticeSite


@dataclass
class LevelCounts:
    level: str
    label: str
    sites: int = 0
    activities: int = 0
    participants: int = 0
    volunteers: int = 0


def counts_per_level(
    user: Any, start: datetime.date, end: datetime.date, within: str = ""
) -> list[LevelCounts]:
    """One row per level, city centre first; sites are those running now, activities those
    held in the period."""
    prefix = within.strip().rstrip("0")
    sites = PracticeSite.objects.restrict(user, "view").filter(active=True)
    activities = PracticeActivity.objects.restrict(user, "view").filter(
        held_on__gte=start, held_on__lte=end
    )
    if prefix:
        sites = sites.filter(region__code__startswith=prefix)
        activities = activities.filter(site__region__code__startswith=prefix)
    rows = {level: LevelCounts(level, str(label)) for level, label in PracticeLevel.choices}
    for level, n in sites.order_by().values_list("level").annotate(n=Count("pk")):
        rows[level].sites = n
    for level, n, people, volunteers in (
        activities.order_by()
        .values_list("site__level")
        .annotate(n=Count("pk"), people=Sum("participants"), volunteers=Sum("volunteers"))
    ):
        rows[level].activities = n
        rows[level].participants = people or 0
        rows[level].volunteers = volunteers or 0
    return list(rows.values())
