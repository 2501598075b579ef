"""Event filters, declared once for the API and the list pages."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.governance.models import (
    CaseStatus,
    Category,
    CentreLevel,
    Channel,
    DisputeKind,
    Event,
    Level,
    MediationCase,
    MediationCentre,
    RiskWarning,
    Status,
    WarningRule,
    WarningStatus,
)
from tongban.governance.models.mediation import OPEN_CASE_STATES


class EventFilterSet(filters.FilterSet):
    code = filters.CharFilter(label=_("事件编码"), field_name="code", lookup_expr="startswith")
    status = filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    channel = filters.ChoiceFilter(label=_("来源渠道"), choices=Channel.choices)
    category = filters.ModelChoiceFilter(
        label=_("事件分类"), queryset=Category.objects.filter(active=True), method="in_category"
    )
    within = filters.CharFilter(label=_("所属区划代码（含下级）"), method="filter_within")
    overdue = filters.BooleanFilter(label=_("已催办"), method="filter_overdue")

    class Meta:
        model = Event
        fields = ["code", "status", "channel", "category", "within", "overdue"]

    def in_category(self, queryset: QuerySet, name: str, value: Category) -> QuerySet:
        return queryset.filter(category__code__startswith=value.code)

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().rstrip("0") or value.strip()
        return queryset.filter(region_id__startswith=code)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(urged_on__isnull=not value)


class MediationCentreFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("中心名称"), lookup_expr="contains")
    level = filters.ChoiceFilter(label=_("层级"), choices=CentreLevel.choices)
    within = filters.CharFilter(label=_("所属区划代码（含下级）"), method="filter_within")

    class Meta:
        model = MediationCentre
        fields = ["name", "level", "within"]

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().rstrip("0") or value.strip()
        return queryset.filter(region__code__startswith=code)


class MediationCaseFilterSet(filters.FilterSet):
    code = filters.CharFilter(label=_("案件编码"), field_name="code", lookup_expr="startswith")
    status = filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices)
    kind = filters.ChoiceFilter(label=_("纠纷类型"), choices=DisputeKind.choices)
    channel = filters.ChoiceFilter(label=_("来源渠道"), choices=Channel.choices)
    centre = filters.ModelChoiceFilter(
        label=_("受理中心"), queryset=MediationCentre.objects.filter(active=True)
    )
    within = filters.CharFilter(label=_("所属区划代码（含下级）"), method="filter_within")
    overdue = filters.BooleanFilter(label=_("已超调解期限"), method="filter_overdue")

    class Meta:
        model = MediationCase
        fields = ["code", "status", "kind", "channel", "centre", "within", "overdue"]

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().rstrip("0") or value.strip()
        return queryset.filter(region__code__startswith=code)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = Q(status__in=OPEN_CASE_STATES, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class RiskWarningFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=WarningStatus.choices)
    level = filters.ChoiceFilter(label=_("预警等级"), choices=Level.choices)
    rule = filters.ModelChoiceFilter(label=_("预警规则"), queryset=WarningRule.objects.all())
    within = filters.CharFilter(label=_("所属区划代码（含下级）"), method="filter_within")

    class Meta:
        model = RiskWarning
        fields = ["status", "level", "rule", "within"]

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().rstrip("0") or value.strip()
        return queryset.filter(region__code__startswith=code)
