"""Pages for the employee education fund: enterprises' yearly reports, the 60 % frontline
flag listed per region, and the 产教融合型企业 credit ledger."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core.permissions import has_any
from tongban.skills import fund
from tongban.skills.filtersets import EducationFundReportFilterSet
from tongban.skills.models import EducationFundReport, FundPolicy
from tongban.skills.training_forms import EducationFundReportForm
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


def _share(report: EducationFundReport) -> str:
    share = report.frontline_share
    return "—" if share is None else f"{share * 100:.1f}%"


def _flag(report: EducationFundReport) -> str:
    return _("低于下限") if fund.is_flagged(report) else ""


class EducationFundReportList(ObjectListView):
    url_namespace = "skills"
    model = EducationFundReport
    filterset_class = EducationFundReportFilterSet
    default_sort = "-year"
    columns = [
        Column("enterprise.name", gettext_lazy("企业"), link=True),
        Column("year", gettext_lazy("年度"), sort="year"),
        Column("payroll", gettext_lazy("工资总额（元）")),
        Column("extracted", gettext_lazy("提取职工教育经费（元）")),
        Column("used", gettext_lazy("使用职工教育经费（元）")),
        Column("used_frontline", gettext_lazy("其中用于一线职工（元）")),
        Column("frontline_share", gettext_lazy("一线职工比例"), render=_share),
        Column("flag", gettext_lazy("提示"), render=_flag),
    ]
    select_related = ("enterprise",)


class EducationFundReportDetail(ObjectDetailView):
    url_namespace = "skills"
    model = EducationFundReport
    template_name = "skills/educationfundreport_detail.html"
    fields = [
        Column("enterprise", gettext_lazy("企业")),
        Column("year", gettext_lazy("年度")),
        Column("payroll", gettext_lazy("工资总额（元）")),
        Column("extracted", gettext_lazy("提取职工教育经费（元）")),
        Column("used", gettext_lazy("使用职工教育经费（元）")),
        Column("used_frontline", gettext_lazy("其中用于一线职工（元）")),
        Column("frontline_share", gettext_lazy("一线职工比例"), render=_share),
        Column("flag", gettext_lazy("提示"), render=_flag),
        Column("integration_enterprise", gettext_lazy("产教融合型企业")),
        Column("qualifying_investment", gettext_lazy("当年符合条件的产教融合投资额（元）")),
        Column("surcharge_due", gettext_lazy("当年应缴教育费附加和地方教育附加（元）")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"ledger": fund.credit_ledger(obj.enterprise), "policy": FundPolicy.current()}


class EducationFundReportEdit(ObjectEditView):
    url_namespace = "skills"
    model = EducationFundReport
    form_class = EducationFundReportForm


@login_required
def fund_flags(request: HttpRequest) -> HttpResponse:
    """Reports under the frontline share, per county, in the user's scope."""
    if not has_any(request.user, "skills.educationfundreport", "view"):
        raise Http404
    year = request.GET.get("year", "")
    reports = EducationFundReport.objects.restrict(request.user, "view")
    groups = fund.flagged_by_region(reports, int(year) if year.isdigit() else None)
    return render(
        request,
        "skills/fund_flags.html",
        {
            "title": _("一线职工教育经费使用不足60%的企业（按地区）"),
            "groups": groups,
            "year": year,
            "policy": FundPolicy.current(),
        },
    )
