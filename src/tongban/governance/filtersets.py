"""Event filters, declared once for the API and the list pages."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongban.governance.models import Category, Channel, Event, Status


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
