"""Published wage prices （九）: percentiles of the reported annual pay per occupation ×
level × region × year, with cells of fewer than ``TONGBAN_WAGE_MIN_REPORTS`` reports
suppressed so that no one's pay can be read off."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tongban.core.models import Region
from tongban.skills.models import WageReport

PERCENTILES = (10, 25, 50, 75, 90)
REGION_DEPTHS = {"province": 2, "city": 4, "county": 6}


def min_reports() -> int:
    return max(1, int(getattr(settings, "TONGBAN_WAGE_MIN_REPORTS", 5)))


def percentile(ordered: Sequence[Decimal], p: float) -> Decimal:
    """Linear interpolation between closest ranks (the usual ``inclusive`` definition)."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * p / 100
    low, high = math.floor(position), math.ceil(position)
    fraction = Decimal(str(position - low))
    value = ordered[low] + (ordered[high] - ordered[low]) * fraction
    return value.quantize(Decimal("1"))


@dataclass
class Cell:
    year: int
    region: str
    region_name: str
    occupation_code: str
    occupation_name: str
    level: str
    level_rank: int
    reports: int
    values: dict[int, Decimal] | None  # None: suppressed

    @property
    def suppressed(self) -> bool:
        return self.values is None

    def p(self, n: int) -> Decimal | None:
        return None if self.values is None else self.values[n]


def publish(reports: QuerySet[WageReport], *, depth: int = 6) -> list[Cell]:
    """The published cells of ``reports`` grouped by year, region (code prefix of
    ``depth`` digits), occupation and level."""
    threshold = min_reports()
    groups: dict[tuple[int, str, int, int], list[Decimal]] = defaultdict(list)
    for year, region, occupation, level, pay in reports.order_by().values_list(
        "year", "region_id", "occupation_id", "level_id", "annual_pay"
    ):
        groups[(year, region[:depth], occupation, level)].append(pay)
    from tongban.skills.models import Occupation, SkillLevel

    occupations = {
        pk: (code, name)
        for pk, code, name in Occupation.objects.filter(pk__in={k[2] for k in groups}).values_list(
            "pk", "code", "name"
        )
    }
    levels = {lv.pk: lv for lv in SkillLevel.objects.all()}
    names = dict(
        Region.objects.filter(code__in={k[1].ljust(12, "0") for k in groups}).values_list(
            "code", "name"
        )
    )
    cells = []
    for (year, region, occupation, level), pays in groups.items():
        pays.sort()
        values = {p: percentile(pays, p) for p in PERCENTILES} if len(pays) >= threshold else None
        code, name = occupations[occupation]
        cells.append(
            Cell(
                year=year,
                region=region,
                region_name=str(names.get(region.ljust(12, "0"), region)),
                occupation_code=code,
                occupation_name=name,
                level=str(levels[level]),
                level_rank=levels[level].rank,
                reports=len(pays),
                values=values,
            )
        )
    cells.sort(key=lambda c: (-c.year, c.region, c.occupation_code, c.level_rank))
    return cells


def published_reports(filters: dict[str, Any]) -> QuerySet[WageReport]:
    """All reports (publication is aggregated: it is not scoped to the viewer) matching
    the query's year, region prefix and occupation code."""
    qs = WageReport.objects.all()
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("region"):
        qs = qs.filter(region__code__startswith=filters["region"])
    if filters.get("occupation"):
        qs = qs.filter(occupation__code__startswith=filters["occupation"])
    return qs


def as_csv(cells: list[Cell]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("年度"), _("地区"), _("职业代码"), _("职业"), _("技能等级"), _("填报数")]
        + [f"P{p}" for p in PERCENTILES]
    )
    for c in cells:
        writer.writerow(
            [c.year, c.region_name, c.occupation_code, c.occupation_name, c.level, c.reports]
            + [_("样本不足，不予公布") if c.suppressed else c.p(p) for p in PERCENTILES]
        )
    return "\ufeff" + out.getvalue()
