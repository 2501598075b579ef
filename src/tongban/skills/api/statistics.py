"""API of the statistics against the targets and of wage prices: the figures of a region
(scoped to the user's region subtree), the published wage prices, and the registers of
wage reports and official employment counts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongban.core.api.serializers import RegionCodeField, ServiceSavedSerializer
from tongban.core.api.views import ScopedViewSet
from tongban.core.models import Organization, Region
from tongban.skills import statistics, wages
from tongban.skills.filtersets import OfficialEmploymentFilterSet, WageReportFilterSet
from tongban.skills.models import Occupation, OfficialEmployment, SkillLevel, WageReport
from tongban.skills.statistics_pages import board_for


class WageReportSerializer(ServiceSavedSerializer):
    occupation: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.all(), label=_("职业代码")
    )
    level: Any = serializers.SlugRelatedField(
        slug_field="key", queryset=SkillLevel.objects.all(), label=_("技能等级")
    )
    region = RegionCodeField(queryset=Region.objects.all(), label=_("工作地区"))

    class Meta:
        model = WageReport
        fields = ["id", "employer", "occupation", "level", "region", "year", "annual_pay"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            employer = fields["employer"]
            assert isinstance(employer, serializers.PrimaryKeyRelatedField)  # noqa: S101
            employer.queryset = Organization.objects.restrict(request.user, "view")
            employer.error_messages["does_not_exist"] = _("记录不存在或不在您的管辖范围内")
        return fields


class WageReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """工资填报：企业按职业、技能等级、地区、年度填报职工年工资收入（不含姓名）。"""

    model = WageReport
    serializer_class = WageReportSerializer
    filterset_class = WageReportFilterSet
    ordering = ["-year", "pk"]


class OfficialEmploymentSerializer(ServiceSavedSerializer):
    region = RegionCodeField(queryset=Region.objects.all(), label=_("行政区划"))

    class Meta:
        model = OfficialEmployment
        fields = ["id", "region", "year", "employed", "source"]


class OfficialEmploymentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """统计部门公布的就业人员数（按地区、年份导入），可替代登记数据作为比例的分母。"""

    model = OfficialEmployment
    serializer_class = OfficialEmploymentSerializer
    filterset_class = OfficialEmploymentFilterSet
    ordering = ["region", "-year"]


def _figures(f: statistics.YearFigures) -> dict[str, Any]:
    return {
        "year": f.year,
        "employed": f.employed,
        "skilled": f.skilled,
        "high_skilled": f.high_skilled,
        "skilled_share": f.skilled_share,
        "high_skilled_share": f.high_skilled_share,
    }


class StatisticsView(APIView):
    """技能人才统计：某地区（及下级地区）历年年末的就业人员、技能人才、高技能人才和两个比例，
    以及适用的目标。?region=12位区划代码&year=年份&category=职业大类&source=registry|official"""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, required=False),
            OpenApiParameter("year", int, required=False),
            OpenApiParameter("category", str, required=False, description="大类 1…8"),
            OpenApiParameter("source", str, required=False, enum=["registry", "official"]),
        ],
        responses={
            200: dict,
            404: OpenApiResponse(description="地区不存在或不在您的管辖范围内"),
        },
    )
    def get(self, request: Request) -> Response:
        django_request: HttpRequest = request._request
        board = board_for(django_request)
        return Response(
            {
                "region": board.code,
                "name": board.name,
                "category": board.category,
                "source": board.source,
                "year": board.year,
                "target": {
                    "name": board.target.name,
                    "skilled_share": float(board.target.skilled_share),
                    "high_skilled_share": float(board.target.high_skilled_share),
                },
                "skilled_met": board.skilled_met,
                "high_skilled_met": board.high_skilled_met,
                "current": _figures(board.current),
                "years": [_figures(f) for f in board.years],
                "children": [
                    {"region": c.code, "name": c.name, **_figures(c.figures)}
                    for c in board.children
                ],
            }
        )


class WagePricesView(APIView):
    """工资价位：按职业、技能等级、地区、年度公布的年工资收入分位值（P10/P25/P50/P75/P90）；
    填报数不足的组只给出填报数，分位值为空。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, required=False),
            OpenApiParameter("region", str, required=False, description="区划代码前缀"),
            OpenApiParameter("occupation", str, required=False, description="职业代码前缀"),
            OpenApiParameter("level", str, required=False, enum=["province", "city", "county"]),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        if not request.user.is_authenticated:
            raise Http404
        try:
            year = int(params.get("year") or timezone.localdate().year - 1)
        except ValueError as exc:
            raise serializers.ValidationError({"year": [_("年度应为数字")]}) from exc
        filters = {
            "year": year,
            "region": "".join(ch for ch in params.get("region", "") if ch.isdigit())[:12],
            "occupation": (params.get("occupation") or "").strip()[:12],
        }
        depth = wages.REGION_DEPTHS.get(params.get("level") or "county", 6)
        cells = wages.publish(wages.published_reports(filters), depth=depth)
        return Response(
            {
                "min_reports": wages.min_reports(),
                "results": [
                    {
                        "year": c.year,
                        "region": c.region,
                        "region_name": c.region_name,
                        "occupation": c.occupation_code,
                        "occupation_name": c.occupation_name,
                        "level": c.level,
                        "reports": c.reports,
                        "suppressed": c.suppressed,
                        **{f"p{p}": None if c.suppressed else c.p(p) for p in wages.PERCENTILES},
                    }
                    for c in cells
                ],
            }
        )
