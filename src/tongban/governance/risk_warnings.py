"""Risk early warning: each rule kind is a function that finds its subjects; ``evaluate``
runs the active rules and keeps one open warning per rule and subject (idempotent: run it
as often as you like, e.g. ``tongban evaluate_warnings`` every hour).

A warning closed by its owner is raised again for the same subject only on new evidence
(an event or case newer than the newest one the closed warning was based on)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.masking import mask_name, mask_phone
from tongban.core.models import Organization, Region, RoleAssignment, TransitionLog
from tongban.core.permissions import Role
from tongban.governance.models import (
    Category,
    Event,
    Level,
    MediationCase,
    RiskWarning,
    RuleKind,
    Status,
    WarningRule,
    WarningStatus,
)
from tongban.governance.models.event import CLOCK_STATES
from tongban.governance.models.mediation import OPEN_CASE_STATES
from tongban.governance.models.warning import OPEN_WARNING_STATES

NOT_COUNTED = (Status.CANCELLED, Status.MERGED)
EVIDENCE_LIMIT = 20


@dataclass
class Finding:
    subject_key: str
    subject_label: str
    region_id: str
    count: int
    evidence: list[str]
    evidence_until: datetime.datetime | None


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _window(rule: WarningRule, today: datetime.date) -> datetime.datetime:
    """The first moment counted: ``window_days`` days up to and including today."""
    return _start_of(today - datetime.timedelta(days=rule.window_days - 1))


def _counted_events(rule: WarningRule, today: datetime.date) -> QuerySet[Event]:
    return Event.objects.filter(
        created_at__gte=_window(rule, today),
        created_at__lt=_start_of(today) + datetime.timedelta(days=1),
    ).exclude(status__in=NOT_COUNTED)


def _codes(qs: QuerySet[Any]) -> list[str]:
    return list(qs.order_by("-created_at").values_list("code", flat=True)[:EVIDENCE_LIMIT])


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def repeat_address(rule: WarningRule, today: datetime.date) -> list[Finding]:
    """Events at the same address of the same village within the window."""
    events = _counted_events(rule, today).exclude(address="")
    groups = (
        events.order_by()
        .values_list("region_id", "address")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .filter(n__gte=rule.threshold)
    )
    return [
        Finding(
            subject_key=f"address:{region}:{_digest(address.strip())}",
            subject_label=address.strip()[:200],
            region_id=region,
            count=n,
            evidence=_codes(events.filter(region_id=region, address=address)),
            evidence_until=last,
        )
        for region, address, n, last in groups
    ]


def repeat_reporter(rule: WarningRule, today: datetime.date) -> list[Finding]:
    """Events reported by the same person (the same phone) within the window."""
    events = _counted_events(rule, today).exclude(reporter_phone="").filter(anonymous=False)
    groups = (
        events.order_by()
        .values_list("reporter_phone")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .filter(n__gte=rule.threshold)
    )
    findings = []
    for phone, n, last in groups:
        mine = events.filter(reporter_phone=phone)
        latest = mine.order_by("-created_at").values_list("region_id", "reporter_name").first()
        region, name = latest if latest else ("", "")
        findings.append(
            Finding(
                subject_key=f"reporter:{_digest(phone)}",
                subject_label=f"{mask_name(name)} {mask_phone(phone)}".strip(),
                region_id=region,
                count=n,
                evidence=_codes(mine),
                evidence_until=last,
            )
        )
    return findings


def category_spike(rule: WarningRule, today: datetime.date) -> list[Finding]:
    """A category in a township in the window against the township's own average for a
    window of the same length over the ``baseline_days`` before it."""
    since = _window(rule, today)
    base_start = since - datetime.timedelta(days=rule.baseline_days)
    current = (
        _counted_events(rule, today)
        .order_by()
        .annotate(township=Substr("region_id", 1, 9))
        .values_list("township", "category_id")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .filter(n__gte=rule.threshold)
    )
    findings = []
    for township, category_id, n, last in current:
        before = (
            Event.objects.filter(
                region__code__startswith=township,
                category_id=category_id,
                created_at__gte=base_start,
                created_at__lt=since,
            )
            .exclude(status__in=NOT_COUNTED)
            .count()
        )
        mean = Decimal(before) * rule.window_days / rule.baseline_days
        if Decimal(n) < rule.factor * mean:
            continue
        category = Category.objects.filter(pk=category_id).first()
        region = Region.objects.filter(code=township + "000").first()
        findings.append(
            Finding(
                subject_key=f"spike:{township}:{category_id}",
                subject_label=_("%(place)s · %(category)s：%(n)s 件（基线 %(mean)s 件）")
                % {
                    "place": region.name if region else township,
                    "category": category.name if category else category_id,
                    "n": n,
                    "mean": f"{mean:.1f}",
                },
                region_id=township + "000",
                count=n,
                evidence=_codes(
                    _counted_events(rule, today).filter(
                        region__code__startswith=township, category_id=category_id
                    )
                ),
                evidence_until=last,
            )
        )
    return findings


def many_party(rule: WarningRule, today: datetime.date) -> list[Finding]:
    """Open mediation cases with at least ``threshold`` parties."""
    cases = (
        MediationCase.objects.filter(status__in=OPEN_CASE_STATES)
        .annotate(n=Count("parties"))
        .filter(n__gte=rule.threshold)
    )
    return [
        Finding(
            subject_key=f"case:{case.pk}",
            subject_label=_("%(code)s %(title)s（%(n)s 方当事人）")
            % {"code": case.code, "title": case.title, "n": case.n},
            region_id=case.region_id,
            count=case.n,
            evidence=[case.code],
            evidence_until=case.created_at,
        )
        for case in cases
    ]


def repeated_dissatisfaction(rule: WarningRule, today: datetime.date) -> list[Finding]:
    """Events rated 不满意 ``threshold`` times or more, the latest within the window."""
    events = Event.objects.filter(
        reopened_count__gte=rule.threshold, updated_at__gte=_window(rule, today)
    )
    return [
        Finding(
            subject_key=f"event:{event.pk}",
            subject_label=_("%(code)s 已 %(n)s 次不满意") % {"code": event.code, "n": n},
            region_id=event.region_id,
            count=n,
            evidence=[event.code],
            evidence_until=event.updated_at,
        )
        for event in events
        for n in [event.reopened_count]
    ]


def unit_overdue(rule: WarningRule, today: datetime.date) -> list[Finding]:
    """Units holding ``threshold`` or more events past their deadline now."""
    overdue = Event.objects.filter(status__in=CLOCK_STATES, deadline__lt=today).exclude(unit=None)
    groups = (
        overdue.order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"), last=Max("dispatched_at"))
        .filter(n__gte=rule.threshold)
    )
    findings = []
    for unit_id, n, last in groups:
        unit = Organization.objects.get(pk=unit_id)
        findings.append(
            Finding(
                subject_key=f"unit:{unit_id}",
                subject_label=_("%(unit)s：超期事件 %(n)s 件") % {"unit": unit.name, "n": n},
                region_id=unit.region_id,
                count=n,
                evidence=_codes(overdue.filter(unit_id=unit_id)),
                evidence_until=last,
            )
        )
    return findings


FINDERS: dict[str, Callable[[WarningRule, datetime.date], list[Finding]]] = {
    RuleKind.REPEAT_ADDRESS: repeat_address,
    RuleKind.REPEAT_REPORTER: repeat_reporter,
    RuleKind.CATEGORY_SPIKE: category_spike,
    RuleKind.MANY_PARTY: many_party,
    RuleKind.REPEATED_DISSATISFACTION: repeated_dissatisfaction,
    RuleKind.UNIT_OVERDUE: unit_overdue,
}


def owner_for(region_id: str) -> Any:
    """The dispatcher closest to the region (the longest covering scope), or None."""
    best = None
    for a in RoleAssignment.objects.filter(role=Role.GOVERNANCE_DISPATCHER).select_related(
        "region", "user"
    ):
        if a.region is None or not region_id.startswith(a.region.prefix):
            continue
        if best is None or len(a.region.prefix) > len(best.region.prefix):
            best = a
    return best.user if best is not None else None


@dataclass
class EvaluationResult:
    raised: int = 0
    updated: int = 0
    kept_closed: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)


def _log_raised(warning: RiskWarning) -> None:
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(RiskWarning),
        object_id=str(warning.pk),
        name="raise",
        label=_("生成预警"),
        source="",
        target=warning.status,
        by=None,
        data={"count": warning.count},
    )


def evaluate(today: datetime.date | None = None, *, dry_run: bool = False) -> EvaluationResult:
    """Run every active rule once; with ``dry_run`` nothing is written."""
    today = today or timezone.localdate()
    result = EvaluationResult()
    now = timezone.now()
    for rule in WarningRule.objects.filter(active=True).order_by("code"):
        findings = FINDERS[rule.kind](rule, today)
        result.by_rule[rule.code] = len(findings)
        with transaction.atomic():
            for f in findings:
                if not f.region_id:
                    continue
                current = (
                    RiskWarning.objects.select_for_update()
                    .filter(rule=rule, subject_key=f.subject_key, status__in=OPEN_WARNING_STATES)
                    .first()
                )
                if current is not None:
                    result.updated += 1
                    if not dry_run:
                        RiskWarning.objects.filter(pk=current.pk).update(
                            count=f.count,
                            evidence=f.evidence,
                            evidence_until=f.evidence_until,
                            subject_label=f.subject_label[:200],
                            last_evaluated_at=now,
                        )
                    continue
                closed = (
                    RiskWarning.objects.filter(
                        rule=rule, subject_key=f.subject_key, status=WarningStatus.CLOSED
                    )
                    .order_by("-closed_at")
                    .first()
                )
                if (
                    closed is not None
                    and closed.evidence_until is not None
                    and f.evidence_until is not None
                    and f.evidence_until <= closed.evidence_until
                ):
                    result.kept_closed += 1
                    continue
                result.raised += 1
                if dry_run:
                    continue
                warning = RiskWarning.objects.create(
                    rule=rule,
                    subject_key=f.subject_key,
                    subject_label=f.subject_label[:200],
                    region_id=f.region_id,
                    level=rule.level,
                    count=f.count,
                    evidence=f.evidence,
                    evidence_until=f.evidence_until,
                    owner=owner_for(f.region_id),
                    raised_at=now,
                    last_evaluated_at=now,
                )
                _log_raised(warning)
    return result


# --- the page of open warnings by region -------------------------------------------------------


@dataclass
class RegionRow:
    code: str
    name: str
    counts: dict[str, int]
    total: int


def open_by_region(warnings: QuerySet[RiskWarning], depth: int = 9) -> list[RegionRow]:
    """Open warnings (already scoped) per region at ``depth`` digits (9 = township) and level."""
    rows: dict[str, dict[str, int]] = {}
    for region_id, level, n in (
        warnings.filter(status__in=OPEN_WARNING_STATES)
        .order_by()
        .annotate(area=Substr("region_id", 1, depth))
        .values_list("area", "level")
        .annotate(n=Count("pk"))
    ):
        rows.setdefault(region_id, {})[level] = rows.setdefault(region_id, {}).get(level, 0) + n
    codes = [code.ljust(12, "0") for code in rows]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    result = [
        RegionRow(
            code=code.ljust(12, "0"),
            name=names.get(code.ljust(12, "0"), code),
            counts={level: counts.get(level, 0) for level in Level.values},
            total=sum(counts.values()),
        )
        for code, counts in rows.items()
    ]
    return sorted(result, key=lambda r: (-r.counts[Level.RED], -r.total, r.code))


def open_counts(warnings: QuerySet[RiskWarning]) -> list[tuple[str, str, int]]:
    """(level, label, open warnings) for the dashboard, red first."""
    per = dict(
        warnings.filter(status__in=OPEN_WARNING_STATES)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    return [(value, str(label), per.get(value, 0)) for value, label in reversed(Level.choices)]


# --- default rules (data: operators edit them in 系统管理) -----------------------------------

DEFAULT_RULES = [
    ("repeat-address", "同一地址30日内3次以上事件", RuleKind.REPEAT_ADDRESS, 30, 3, Level.YELLOW),
    ("repeat-reporter", "同一人7日内3次以上反映", RuleKind.REPEAT_REPORTER, 7, 3, Level.BLUE),
    ("category-spike", "乡镇某类事件7日内较基线翻倍", RuleKind.CATEGORY_SPIKE, 7, 5, Level.ORANGE),
    ("many-party", "5方以上当事人纠纷", RuleKind.MANY_PARTY, 30, 5, Level.ORANGE),
    (
        "dissatisfied-twice",
        "事件两次不满意",
        RuleKind.REPEATED_DISSATISFACTION,
        30,
        2,
        Level.ORANGE,
    ),
    ("unit-overdue", "单位超期事件5件以上", RuleKind.UNIT_OVERDUE, 30, 5, Level.RED),
]


def install_default_rules() -> int:
    """Create the default rules that are missing (by code); edited rules are left alone."""
    created = 0
    for code, name, kind, window, threshold, level in DEFAULT_RULES:
        _rule, made = WarningRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "window_days": window,
                "threshold": threshold,
                "level": level,
            },
        )
        created += int(made)
    return created
