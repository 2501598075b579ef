"""Routing: region + category → handling unit, by the ``RoutingRule`` table.

The most specific rule wins (deepest region, then deepest category). Escalation
looks for a rule whose unit sits at a higher level than the current unit, and
falls back to the current unit's parent organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tongban.core.models import Organization
from tongban.core.models.region import PREFIX_LENGTH, RegionLevel
from tongban.core.refcache import reference

if TYPE_CHECKING:
    from tongban.governance.models import Event

LEVELS = (2, 4, 6, 9, 12)


def region_chain(code: str) -> list[str]:
    """The code and the codes of every enclosing region, e.g. village → … → province."""
    return [code[:n].ljust(12, "0") for n in LEVELS]


@reference(watch=("governance.Jurisdiction",))
def jurisdiction_codes() -> frozenset[str]:
    """The region codes the platform's jurisdictions cover (reference data, kept briefly)."""
    from tongban.governance.models import Jurisdiction

    return frozenset(Jurisdiction.objects.values_list("region_id", flat=True))


def in_jurisdiction(region_code: str) -> bool:
    covered = jurisdiction_codes()
    return any(code in covered for code in region_chain(region_code))


def level_of(unit: Organization) -> int:
    """How deep the unit sits: 12 village, 9 township, 6 county, 4 city, 2 province."""
    return PREFIX_LENGTH[RegionLevel(unit.region.level)]


def route_event(event: Event, *, above: Organization | None = None) -> Organization | None:
    """The unit to handle ``event``; with ``above``, the unit one level above it."""
    from tongban.governance.models import RoutingRule

    category_ids = []
    node: Any = event.category
    while node is not None:
        category_ids.append(node.pk)
        node = node.parent
    depth = {pk: len(category_ids) - i for i, pk in enumerate(category_ids)}
    rules = list(
        RoutingRule.objects.filter(region_id__in=region_chain(event.region_id)).select_related(
            "region", "unit__region"
        )
    )
    candidates = [r for r in rules if r.category_id is None or r.category_id in depth]
    if above is not None:
        ceiling = level_of(above)
        candidates = [r for r in candidates if level_of(r.unit) < ceiling]
    candidates.sort(
        key=lambda r: (
            -(level_of(r.unit)) if above is not None else 0,
            -len(r.region.prefix),
            -depth.get(r.category_id or 0, 0),
        )
    )
    if candidates:
        return candidates[0].unit
    if above is not None and above.parent_id:
        return above.parent
    return None
