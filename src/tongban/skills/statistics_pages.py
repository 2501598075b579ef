"""Pages of the statistics against the targets （二） and of wage prices （九）: the
dashboard with drill-down (scoped to the user's region subtree), the published wage
prices, and the registers behind them (wage reports, official employment counts)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core.permissions import has_any
from tongban.skills import statistics, wages
from tongban.skills.filtersets import OfficialEmploymentFilterSet, WageReportFilterSet
from tongban.skills.forms import OfficialEmploymentForm, WageReportForm
from tongban.skills.models import OfficialEmployment, WageReport
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


def _year(value: str | None, default: int) -> int:
    try:
        year = int(value) if value else default
    except ValueError:
        return default
    return year if 1949 <= year <= 2100 else default


def board_for(request: HttpRequest) -> statistics.Board:
    """The figures the query asks for, if the user may see that region (else 404)."""
    allowed = statistics.viewable_prefixes(request.user)
    if not allowed:
        raise Http404
    code = (request.GET.get("region") or "").strip()
    try:
        prefix = statistics.prefix_of(code) if code else allowed[0]
    except LookupError as exc:
        raise Http404 from exc
    if not statistics.may_view(request.user, prefix):
        raise Http404
    category = (request.GET.get("category") or "").strip()
    if category and not (len(category) == 1 and category.isdigit()):
        category = ""
    source = request.GET.get("source")
    if source != statistics.Source.OFFICIAL:
        source = statistics.Source.REGISTRY
    return statistics.build(
        prefix,
        year=_year(request.GET.get("year"), timezone.localdate().year),
        category=category or None,
        source=source,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = board_for(request)
    can_export = has_any(request.user, "skills.skilltally", "export")
    if request.GET.get("_export") == "csv":
        if not can_export:
            raise Http404
        response = HttpResponse(statistics.as_csv(board), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="skill-statistics.csv"'
        return response
    query = request.GET.copy()
    query.pop("region", None)
    query.pop("_export", None)
    return render(
        request,
        "skills/statistics.html",
        {
            "title": _("技能人才统计"),
            "board": board,
            "current": board.current,
            "trend": statistics.trend_chart(board),
            "bars": statistics.children_chart(board),
            "crumbs": statistics.breadcrumbs(board.prefix, request.user),
            "categories": statistics.categories(),
            "keep": query.urlencode(),
            "can_drill": statistics.child_depth(board.prefix) is not None,
            "can_export": can_export,
            "official": board.source == statistics.Source.OFFICIAL,
        },
    )


@login_required
def wage_prices(request: HttpRequest) -> HttpResponse:
    """The published percentiles (aggregated over every report, open to signed-in users)."""
    today = timezone.localdate()
    depth_key = request.GET.get("level") or "county"
    depth = wages.REGION_DEPTHS.get(depth_key, 6)
    filters: dict[str, Any] = {
        "year": _year(request.GET.get("year"), today.year - 1),
        "region": "".join(ch for ch in request.GET.get("region", "") if ch.isdigit())[:12],
        "occupation": (request.GET.get("occupation") or "").strip()[:12],
    }
    cells = wages.publish(wages.published_reports(filters), depth=depth)
    if request.GET.get("_export") == "csv":
        response = HttpResponse(wages.as_csv(cells), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="wage-prices.csv"'
        return response
    return render(
        request,
        "skills/wage_prices.html",
        {
            "title": _("工资价位"),
            "cells": cells,
            "filters": filters,
            "depth_key": depth_key,
            "percentiles": wages.PERCENTILES,
            "min_reports": wages.min_reports(),
            "can_report": has_any(request.user, "skills.wagereport", "add"),
        },
    )


class WageReportList(ObjectListView):
    url_namespace = "skills"
    model = WageReport
    filterset_class = WageReportFilterSet
    default_sort = "-year"
    columns = [
        Column("year", gettext_lazy("年度"), link=True, sort="year"),
        Column("employer", gettext_lazy("填报单位")),
        Column("occupation", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("region", gettext_lazy("工作地区")),
        Column("annual_pay", gettext_lazy("年工资收入（元）"), sort="annual_pay"),
    ]
    select_related = ("employer", "occupation", "level", "region")


class WageReportDetail(ObjectDetailView):
    url_namespace = "skills"
    model = WageReport
    fields = [
        Column("year", gettext_lazy("年度")),
        Column("employer", gettext_lazy("填报单位")),
        Column("occupation", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("region", gettext_lazy("工作地区")),
        Column("annual_pay", gettext_lazy("年工资收入（元）")),
        Column("created_at", gettext_lazy("填报时间")),
    ]


class WageReportEdit(ObjectEditView):
    url_namespace = "skills"
    model = WageReport
    form_class = WageReportForm

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"year": timezone.localdate().year - 1}


class OfficialEmploymentList(ObjectListView):
    url_namespace = "skills"
    model = OfficialEmployment
    filterset_class = OfficialEmploymentFilterSet
    default_sort = "-year"
    columns = [
        Column("region", gettext_lazy("行政区划"), link=True),
        Column("year", gettext_lazy("年份"), sort="year"),
        Column("employed", gettext_lazy("就业人员数"), sort="employed"),
        Column("source", gettext_lazy("数据来源")),
    ]
    select_related = ("region",)


class OfficialEmploymentDetail(ObjectDetailView):
    url_namespace = "skills"
    model = OfficialEmployment
    fields = [
        Column("region", gettext_lazy("行政区划")),
        Column("year", gettext_lazy("年份")),
        Column("employed", gettext_lazy("就业人员数")),
        Column("source", gettext_lazy("数据来源")),
    ]


class OfficialEmploymentEdit(ObjectEditView):
    url_namespace = "skills"
    model = OfficialEmployment
    form_class = OfficialEmploymentForm
