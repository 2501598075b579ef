"""Employee education fund rules （十八） and the 产教融合型企业 credit （五）.

* A report is flagged when less than ``FundPolicy.frontline_min_share`` (60 %) of the
  fund used went to frontline workers; flagged reports are listed per region.
* A 产教融合型企业 offsets ``credit_rate`` (30 %) of its qualifying investment against
  the year's education surcharges, never more than is due; what is left is carried to
  later years for at most ``carry_forward_years`` years (empty: without limit; 0: not
  at all), oldest credit used first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from tongban.core.models import Region
from tongban.skills.models import EducationFundReport, FundPolicy

CENT = Decimal("0.01")


def is_flagged(report: EducationFundReport, policy: FundPolicy | None = None) -> bool:
    """Under the frontline share (a report that used nothing is not judged)."""
    policy = policy or FundPolicy.current()
    share = report.frontline_share
    return share is not None and share < policy.frontline_min_share


@dataclass
class RegionFlags:
    region: Region
    reports: list[EducationFundReport] = field(default_factory=list)
    total: int = 0


def flagged_by_region(
    reports: QuerySet[EducationFundReport], year: int | None = None
) -> list[RegionFlags]:
    """Flagged reports grouped by the county (区县) of the enterprise, with how many
    reports each county has in all."""
    policy = FundPolicy.current()
    if year is not None:
        reports = reports.filter(year=year)
    groups: dict[str, RegionFlags] = {}
    counties: dict[str, Region] = {}
    for report in reports.select_related("enterprise__region"):
        code = report.enterprise.region_id[:6] + "000000"
        if code not in counties:
            counties[code] = Region.objects.filter(code=code).first() or report.enterprise.region
        group = groups.setdefault(code, RegionFlags(counties[code]))
        group.total += 1
        if is_flagged(report, policy):
            group.reports.append(report)
    return [groups[k] for k in sorted(groups) if groups[k].reports]


@dataclass(frozen=True)
class CreditYear:
    year: int
    earned: Decimal
    carried_in: Decimal
    due: Decimal
    offset: Decimal
    expired: Decimal
    carried_forward: Decimal


def credit_ledger(enterprise: Any, policy: FundPolicy | None = None) -> list[CreditYear]:
    """Year by year: credit earned (rate × qualifying investment), carried in, offset
    (never more than due), expired under the carry-forward rule, and carried forward."""
    policy = policy or FundPolicy.current()
    reports = EducationFundReport.objects.filter(enterprise=enterprise).order_by("year")
    pools: dict[int, Decimal] = defaultdict(Decimal)  # year earned -> credit left
    ledger: list[CreditYear] = []
    for report in reports:
        expired = Decimal("0")
        limit = policy.carry_forward_years
        for origin in sorted(pools):
            if limit is not None and report.year - origin > limit:
                expired += pools.pop(origin)
        carried_in = sum(pools.values(), Decimal("0"))
        earned = Decimal("0")
        if report.integration_enterprise:
            earned = (report.qualifying_investment * policy.credit_rate).quantize(CENT)
            pools[report.year] += earned
        due = report.surcharge_due
        offset = min(due, carried_in + earned)
        remaining = offset
        for origin in sorted(pools):
            used = min(pools[origin], remaining)
            pools[origin] -= used
            remaining -= used
            if pools[origin] == 0:
                del pools[origin]
        if limit == 0:
            expired += pools.pop(report.year, Decimal("0"))
        ledger.append(
            CreditYear(
                year=report.year,
                earned=earned,
                carried_in=carried_in,
                due=due,
                offset=offset,
                expired=expired,
                carried_forward=sum(pools.values(), Decimal("0")),
            )
        )
    return ledger
