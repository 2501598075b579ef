"""Filters declared once, used by the API and the list pages."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tongban.skills.models import (
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    Apprenticeship,
    Certificate,
    CertificateStatus,
    CertificationApplication,
    EvaluationPlan,
    Evaluator,
    EvaluatorKind,
    EvaluatorStatus,
    LimitBreakingRequest,
    Occupation,
    OccupationKind,
    OfficialEmployment,
    PlanStatus,
    RequestStatus,
    Route,
    SchoolClass,
    SchoolRecord,
    WageReport,
)


class OccupationFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("职业名称或代码"), method="search")
    kind = filters.ChoiceFilter(label=_("层级"), choices=OccupationKind.choices)
    digital = filters.BooleanFilter(label=_("数字职业（S）"))
    green = filters.BooleanFilter(label=_("绿色职业（L）"))
    is_occupation = filters.BooleanFilter(label=_("可评价的职业"))
    parent = filters.CharFilter(label=_("上级代码"), field_name="parent__code")

    class Meta:
        model = Occupation
        fields = ["q", "kind", "digital", "green", "is_occupation", "parent"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value[:1].isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(name__contains=value) | Q(definition__contains=value))


class EvaluatorFilterSet(filters.FilterSet):
    name = filters.CharFilter(
        label=_("机构名称"), field_name="organization__name", lookup_expr="contains"
    )
    kind = filters.ChoiceFilter(label=_("评价方式"), choices=EvaluatorKind.choices)
    status = filters.ChoiceFilter(label=_("状态"), choices=EvaluatorStatus.choices)

    class Meta:
        model = Evaluator
        fields = ["name", "kind", "status"]


class EvaluationPlanFilterSet(filters.FilterSet):
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    level = filters.CharFilter(label=_("技能等级"), field_name="level__key")
    status = filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    evaluator_kind = filters.ChoiceFilter(
        label=_("评价方式"), field_name="evaluator__kind", choices=EvaluatorKind.choices
    )

    class Meta:
        model = EvaluationPlan
        fields = ["occupation", "level", "status", "evaluator_kind"]


class CertificationApplicationFilterSet(filters.FilterSet):
    plan = filters.NumberFilter(label=_("评价计划"), field_name="plan_id")
    status = filters.ChoiceFilter(label=_("状态"), choices=ApplicationStatus.choices)

    class Meta:
        model = CertificationApplication
        fields = ["plan", "status"]


class CertificateFilterSet(filters.FilterSet):
    number = filters.CharFilter(label=_("证书编号"), lookup_expr="startswith")
    holder_name = filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    status = filters.ChoiceFilter(label=_("状态"), choices=CertificateStatus.choices)
    route = filters.ChoiceFilter(label=_("取得途径"), choices=Route.choices)

    class Meta:
        model = Certificate
        fields = ["number", "holder_name", "occupation", "status", "route"]


class LimitBreakingRequestFilterSet(filters.FilterSet):
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    status = filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices)

    class Meta:
        model = LimitBreakingRequest
        fields = ["occupation", "status"]


class AppointmentFilterSet(filters.FilterSet):
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    level = filters.CharFilter(label=_("岗位等级"), field_name="level__key")
    status = filters.ChoiceFilter(label=_("状态"), choices=AppointmentStatus.choices)

    class Meta:
        model = Appointment
        fields = ["occupation", "level", "status"]


class SchoolRecordFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    school_class = filters.ChoiceFilter(label=_("班级类别"), choices=SchoolClass.choices)

    class Meta:
        model = SchoolRecord
        fields = ["name", "school_class"]


class ApprenticeshipFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    completed = filters.BooleanFilter(
        label=_("已期满"), field_name="completed_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Apprenticeship
        fields = ["name", "occupation", "completed"]


class WageReportFilterSet(filters.FilterSet):
    year = filters.NumberFilter(label=_("年度"))
    occupation = filters.CharFilter(
        label=_("职业代码"), field_name="occupation__code", lookup_expr="startswith"
    )
    level = filters.CharFilter(label=_("技能等级"), field_name="level__key")
    region = filters.CharFilter(
        label=_("地区代码前缀"), field_name="region_id", lookup_expr="startswith"
    )

    class Meta:
        model = WageReport
        fields = ["year", "occupation", "level", "region"]


class OfficialEmploymentFilterSet(filters.FilterSet):
    year = filters.NumberFilter(label=_("年份"))
    region = filters.CharFilter(
        label=_("地区代码前缀"), field_name="region_id", lookup_expr="startswith"
    )

    class Meta:
        model = OfficialEmployment
        fields = ["year", "region"]
