"""Screening campaigns (两个排查见底): the list of households and enterprises, the visits and
what they found, and the coverage (visited / listed) of a campaign as the user sees it."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tongban.core import services as core_services
from tongban.governance.models import ScreeningCampaign, ScreeningTarget, TargetKind


@dataclass(frozen=True)
class Coverage:
    listed: int
    visited: int
    disputes: int
    hazards: int

    @property
    def percent(self) -> float | None:
        """Visited share of the list, 0–100, one decimal; None for an empty list."""
        return round(100 * self.visited / self.listed, 1) if self.listed else None


def coverage(targets: QuerySet[ScreeningTarget]) -> Coverage:
    """Coverage of a set of targets (one campaign, one village, one user's scope)."""
    row = targets.order_by().aggregate(
        listed=Count("pk"),
        visited=Count("pk", filter=Q(visited_on__isnull=False)),
        disputes=Sum("disputes_found"),
        hazards=Sum("hazards_found"),
    )
    return Coverage(
        listed=row["listed"],
        visited=row["visited"],
        disputes=row["disputes"] or 0,
        hazards=row["hazards"] or 0,
    )


def campaign_coverage(campaign: ScreeningCampaign, user: Any) -> Coverage:
    return coverage(ScreeningTarget.objects.restrict(user, "view").filter(campaign=campaign))


def coverage_by_village(campaign: ScreeningCampaign, user: Any) -> list[tuple[str, Coverage]]:
    rows = (
        ScreeningTarget.objects.restrict(user, "view")
        .filter(campaign=campaign)
        .order_by()
        .values("region_id", "region__name")
        .annotate(
            listed=Count("pk"),
            visited=Count("pk", filter=Q(visited_on__isnull=False)),
            disputes=Sum("disputes_found"),
            hazards=Sum("hazards_found"),
        )
        .order_by("region_id")
    )
    return [
        (
            r["region__name"],
            Coverage(r["listed"], r["visited"], r["disputes"] or 0, r["hazards"] or 0),
        )
        for r in rows
    ]


def create_campaign(campaign: ScreeningCampaign, *, user: Any) -> ScreeningCampaign:
    if getattr(user, "is_authenticated", False):
        campaign.created_by = user
    return core_services.save_record(campaign, user=user, action="add")


KIND_WORDS = {
    "住户": TargetKind.HOUSEHOLD,
    "企业": TargetKind.ENTERPRISE,
    **dict.fromkeys(TargetKind.values),
}


def field_label(field: str) -> str:
    if field == "__all__":
        return ""
    return str(getattr(ScreeningTarget._meta.get_field(field), "verbose_name", field))


def add_targets(campaign: ScreeningCampaign, text: str, *, user: Any) -> int:
    """Add the list from CSV lines ``类型,户主或企业名称,地址,村（社区）代码[,联系电话]``
    (类型: 住户 or 企业). All or nothing: any bad line refuses the whole list, naming it."""
    campaign = core_services.get_scoped(
        ScreeningCampaign.objects.select_related("region"), user, "change", pk=campaign.pk
    )
    rows = [r for r in csv.reader(io.StringIO(text.strip())) if any(c.strip() for c in r)]
    if not rows:
        raise ValidationError({"targets": _("请填写排查对象名单")})
    errors: list[str] = []
    targets: list[ScreeningTarget] = []
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row] + [""] * 5
        kind = KIND_WORDS.get(cells[0])
        if kind is None:
            errors.append(
                _("第%(n)s行：对象类型“%(v)s”应为“住户”或“企业”") % {"n": number, "v": cells[0]}
            )
            continue
        target = ScreeningTarget(
            campaign=campaign,
            kind=kind,
            name=cells[1],
            address=cells[2],
            region_id=cells[3],
            contact_phone=cells[4],
        )
        try:
            target.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = field_label(field)
                for message in messages:
                    errors.append(
                        _("第%(n)s行：%(f)s%(m)s")
                        % {"n": number, "f": f"{label}：" if label else "", "m": message}
                    )
            continue
        targets.append(target)
    if errors:
        raise ValidationError({"targets": errors})
    with transaction.atomic():
        for target in targets:
            core_services.save_record(target, user=user, action="add")
    return len(targets)


def record_visit(
    target: ScreeningTarget,
    *,
    user: Any,
    visited_on: datetime.date | None,
    disputes: int = 0,
    hazards: int = 0,
    findings: str = "",
    report_category: Any = None,
) -> ScreeningTarget:
    """Record the visit of one household or enterprise and what it found; with
    ``report_category`` (a dispute or hazard category), what was found also enters the event
    loop as one event of that category, linked to the household."""
    from tongban.governance import services
    from tongban.governance.models import Channel, Event

    target = core_services.get_scoped(
        ScreeningTarget.objects.select_related("campaign__region", "region", "grid"),
        user,
        "change",
        pk=target.pk,
    )
    if visited_on is None:
        raise ValidationError({"visited_on": _("请填写走访日期")})
    if disputes < 0 or hazards < 0:
        raise ValidationError({"disputes_found": _("发现数不能为负数")})
    if report_category is not None:
        if report_category.kind not in ("dispute", "hazard"):
            raise ValidationError(
                {"report_category": _("排查发现只能上报为矛盾纠纷或安全隐患类事件")}
            )
        if not (disputes or hazards):
            raise ValidationError(
                {"report_category": _("没有发现矛盾纠纷或安全隐患，无需上报事件")}
            )
    target.visited_on = visited_on
    target.visited_by = user if getattr(user, "is_authenticated", False) else None
    target.disputes_found = disputes
    target.hazards_found = hazards
    target.findings = findings.strip()
    with transaction.atomic():
        core_services.save_record(target, user=user, action="change")
        if report_category is not None:
            event = Event(
                channel=Channel.GRID,
                category=report_category,
                region=target.region,
                grid=target.grid,
                address=target.address,
                description=_("两个排查（%(c)s）走访发现：%(f)s")
                % {"c": target.campaign.name, "f": target.findings},
                anonymous=True,
            )
            target.events.add(services.report_event(event, user=user))
    return target


def campaigns_in_period(
    user: Any, start: datetime.date, end: datetime.date, within: str = ""
) -> list[tuple[ScreeningCampaign, Coverage]]:
    """Campaigns overlapping the period that ``user`` sees, each with its coverage."""
    prefix = within.strip().rstrip("0")
    found = ScreeningCampaign.objects.restrict(user, "view").filter(start__lte=end, end__gte=start)
    result = []
    for campaign in found.select_related("region")[:50]:
        targets = ScreeningTarget.objects.restrict(user, "view").filter(campaign=campaign)
        if prefix:
            targets = targets.filter(region__code__startswith=prefix)
        result.append((campaign, coverage(targets)))
    return result
