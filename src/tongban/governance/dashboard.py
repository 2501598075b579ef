"""The governance dashboard: counts by channel, category, region and state; on-time rate;
mean working days to close; satisfaction; the overdue list; events per village.

Whole months come from the pre-aggregated tally (``governance.tally``) for users who see
whole counties; partial months that other events share, and users scoped below a county
or to a unit, are counted live with grouped queries over the scoped events."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.models import Region
from tongban.core.permissions import assignments, grants, has_any, scope_filter
from tongban.governance import tally
from tongban.governance.models import Category, Channel, Dimension, Event, Satisfaction, Status
from tongban.governance.models.event import CLOCK_STATES
from tongban.governance.tally import Counts


@dataclass
class Dashboard:
    start: datetime.date
    end: datetime.date
    total: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_state: list[tuple[str, int]] = field(default_factory=list)
    by_village: list[tuple[str, int]] = field(default_factory=list)
    closed: int = 0
    on_time: int = 0
    mean_days_to_close: float | None = None
    satisfaction: list[tuple[str, int]] = field(default_factory=list)
    overdue: list[Event] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.closed if self.closed else None


def _period(start: datetime.date, end: datetime.date) -> Q:
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Q(created_at__gte=low, created_at__lt=high)


def live_counts(events: QuerySet[Event], start: datetime.date, end: datetime.date) -> Counts:
    """The figures counted from the events themselves (grouped queries over the period)."""
    qs = events.filter(_period(start, end)).order_by()
    counts = Counts()
    for channel, status, n in qs.values_list("channel", "status").annotate(n=Count("pk")):
        counts.add(Dimension.CHANNEL, channel, n)
        counts.add(Dimension.STATUS, status, n)
        counts.total += n
    for pk, n in qs.values_list("category_id").annotate(n=Count("pk")):
        counts.add(Dimension.CATEGORY, str(pk), n)
    for code, n in qs.values_list("region_id").annotate(n=Count("pk")):
        counts.add(Dimension.VILLAGE, code, n)
    closed = qs.filter(on_time__isnull=False).aggregate(
        closed=Count("pk"),
        on_time=Count("pk", filter=Q(on_time=True)),
        days_n=Count("working_days_to_close"),
        days_sum=Sum("working_days_to_close"),
    )
    counts.closed, counts.on_time = closed["closed"], closed["on_time"]
    counts.days_n, counts.days_sum = closed["days_n"], closed["days_sum"] or 0
    for value, n in qs.exclude(satisfaction="").values_list("satisfaction").annotate(n=Count("pk")):
        counts.add(Dimension.SATISFACTION, value, n)
    return counts


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def split_period(
    start: datetime.date, end: datetime.date
) -> tuple[list[datetime.date], list[tuple[datetime.date, datetime.date]]]:
    """(whole months the tally answers, sub-ranges to count live).

    A month the period covers only in part still comes from the tally when no event at
    all lies in the part of that month outside the period (e.g. the current month up to
    today); otherwise its part inside the period is counted live.
    """
    months: list[datetime.date] = []
    live: list[tuple[datetime.date, datetime.date]] = []
    month = start.replace(day=1)
    while month <= end:
        last = _month_end(month)
        low, high = max(month, start), min(last, end)
        outside = Q(pk__in=[])
        if low > month:
            outside |= _period(month, low - datetime.timedelta(days=1))
        if high < last:
            outside |= _period(high + datetime.timedelta(days=1), last)
        if (low == month and high == last) or not Event.objects.filter(outside).exists():
            months.append(month)
        else:
            live.append((low, high))
        month = last + datetime.timedelta(days=1)
    return months, live


def tally_prefixes(user: Any) -> list[str] | None:
    """Region prefixes (county or wider) whose tally rows are exactly what ``user`` may
    view, or None when the user's scope is narrower (a township, a village, a unit) and
    the figures must be counted live."""
    if scope_filter(user, Event, "view") is None:
        return [""]
    prefixes = []
    for a in assignments(user):
        if not grants(a.role, "governance.event", "view"):
            continue
        if a.organization_id:
            return None
        if a.region is None:
            continue
        if len(a.region.prefix) > 6:
            return None
        prefixes.append(a.region.prefix)
    return prefixes


def build(
    events: QuerySet[Event],
    start: datetime.date,
    end: datetime.date,
    prefixes: list[str] | None = None,
) -> Dashboard:
    """All figures for the events of ``events`` (already scoped) reported in [start, end].

    With ``prefixes`` (see ``tally_prefixes``: the same events as ``events``), whole
    months come from the pre-aggregated tally and only the rest is counted live.
    """
    if prefixes is None:
        counts = live_counts(events, start, end)
    else:
        months, live = split_period(start, end)
        counts = tally.read(months, prefixes)
        for low, high in live:
            counts.merge(live_counts(events, low, high))
    board = Dashboard(start=start, end=end)
    channels = dict(Channel.choices)
    states = dict(Status.choices)
    per_channel = {k: v for k, v in counts.by[Dimension.CHANNEL].items() if v}
    per_state = {k: v for k, v in counts.by[Dimension.STATUS].items() if v}
    board.total = counts.total
    board.by_channel = sorted(
        ((str(channels.get(k, k)), v) for k, v in per_channel.items()), key=lambda r: -r[1]
    )
    board.by_state = [(str(states[s]), per_state[s]) for s in states if s in per_state]
    names = {str(pk): name for pk, name in Category.objects.values_list("pk", "name")}
    board.by_category = sorted(
        ((names.get(pk, pk), n) for pk, n in sorted(counts.by[Dimension.CATEGORY].items()) if n),
        key=lambda r: -r[1],
    )
    villages = sorted(
        ((code, n) for code, n in counts.by[Dimension.VILLAGE].items() if n),
        key=lambda r: (-r[1], r[0]),
    )[:20]
    village_names = dict(
        Region.objects.filter(code__in=[v for v, _n in villages]).values_list("code", "name")
    )
    board.by_village = [(village_names.get(code, code), n) for code, n in villages]
    board.closed, board.on_time = counts.closed, counts.on_time
    board.mean_days_to_close = counts.days_sum / counts.days_n if counts.days_n else None
    ratings = counts.by[Dimension.SATISFACTION]
    board.satisfaction = [
        (str(label), ratings.get(value, 0)) for value, label in Satisfaction.choices
    ]
    today = timezone.localdate()
    board.overdue = list(
        events.filter(status__in=CLOCK_STATES, deadline__lt=today)
        .select_related("category", "region", "unit")
        .order_by("deadline", "pk")[:50]
    )
    return board


def bar_chart(rows: list[tuple[str, int]], width: int = 640, bar: int = 22) -> dict[str, Any]:
    """Geometry of a horizontal bar chart, drawn as SVG by the template."""
    top = max((n for _label, n in rows), default=0) or 1
    label_width = 180
    span = width - label_width - 70
    bars = [
        {
            "label": label,
            "value": n,
            "y": i * (bar + 6),
            "w": max(1, round(n / top * span)),
            "text_y": i * (bar + 6) + bar * 0.7,
        }
        for i, (label, n) in enumerate(rows)
    ]
    return {
        "width": width,
        "height": max(1, len(rows)) * (bar + 6),
        "bar": bar,
        "x": label_width,
        "bars": bars,
        "value_x_pad": 6,
    }


def _date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def as_csv(board: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("指标"), _("项目"), _("数量")])
    writer.writerow([_("期间"), f"{board.start:%Y-%m-%d}~{board.end:%Y-%m-%d}", board.total])
    for title, rows in (
        (_("来源渠道"), board.by_channel),
        (_("事件分类"), board.by_category),
        (_("状态"), board.by_state),
        (_("村（社区）"), board.by_village),
        (_("满意度"), board.satisfaction),
    ):
        for label, n in rows:
            writer.writerow([title, label, n])
    writer.writerow([_("按时办结"), _("已结案"), board.closed])
    writer.writerow([_("按时办结"), _("按时"), board.on_time])
    mean = "" if board.mean_days_to_close is None else f"{board.mean_days_to_close:.2f}"
    writer.writerow([_("平均办结用时（工作日）"), "", mean])
    return "\ufeff" + out.getvalue()


def mediation_csv(figures: Any, warning_levels: list[tuple[str, str, int]] | None) -> str:
    """The mediation and warning rows of the dashboard export (none without the right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    if figures is not None:
        for label, value in (
            (_("登记纠纷"), figures.registered),
            (_("调解成功"), figures.resolved),
            (_("其中已回访结案"), figures.closed_after_visit),
            (_("调解不成（已引导）"), figures.failed),
            (_("当事人不同意调解"), figures.refused),
            (_("超期未结"), figures.overdue_open),
            (_("回访逾期"), figures.return_visits_due),
        ):
            writer.writerow([_("矛盾纠纷调解"), label, value])
    for _value, label, n in warning_levels or []:
        writer.writerow([_("未关闭的风险预警"), label, n])
    return out.getvalue()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, "governance.event", "view"):
        raise Http404
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today.replace(month=1, day=1))
    end = _date(request.GET.get("end"), today)
    board = build(
        Event.objects.restrict(request.user, "view"), start, end, tally_prefixes(request.user)
    )
    from tongban.governance import mediation, risk_warnings
    from tongban.governance.models import MediationCase, RiskWarning

    figures = (
        mediation.figures(MediationCase.objects.restrict(request.user, "view"), start, end)
        if has_any(request.user, "governance.mediationcase", "view")
        else None
    )
    warning_levels = (
        risk_warnings.open_counts(RiskWarning.objects.restrict(request.user, "view"))
        if has_any(request.user, "governance.riskwarning", "view")
        else None
    )
    if request.GET.get("_export") == "csv":
        if not has_any(request.user, "governance.event", "export"):
            raise Http404
        text = as_csv(board) + mediation_csv(figures, warning_levels)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="governance-dashboard.csv"'
        return response
    return render(
        request,
        "governance/dashboard.html",
        {
            "mediation": figures,
            "warning_levels": warning_levels,
            "title": _("治理看板"),
            "board": board,
            "chart": bar_chart(board.by_village),
            "can_export": has_any(request.user, "governance.event", "export"),
        },
    )
