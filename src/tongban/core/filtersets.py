"""Filters declared once, used by the API and the list pages."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tongban.core.forms import LookupInput
from tongban.core.models import (
    DocumentType,
    Education,
    Employment,
    Gender,
    Organization,
    OrganizationKind,
    Person,
    Region,
    RegionLevel,
)
from tongban.core.validators import normalize_document_number

DATE = forms.DateInput(attrs={"type": "date"})
# the largest key a 64-bit integer column holds (SQLite, PostgreSQL bigint)
ID_MAX = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number within bounds, a record id by default. Anything else (``0.5``,
    ``1e50``, a number no column can hold) is a 400 naming the parameter, never a
    database error."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, min_value: int = 1, max_value: int = ID_MAX, **kwargs: Any):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


def region_lookup() -> LookupInput:
    return LookupInput("core:region_options", str(_("地区名称或代码")))


def organization_lookup() -> LookupInput:
    return LookupInput("core:organization_options", str(_("单位名称或信用代码")))


def _region_prefix(code: str) -> str:
    """``330502000000`` → ``330502``: the prefix shared by the region's subtree."""
    code = (code or "").strip()
    if len(code) == 12 and code.isdigit():
        for n in (2, 4, 6, 9):
            if code[n:] == "0" * (12 - n):
                return code[:n]
    return code


class RegionFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("名称或代码"), method="search")
    level = filters.ChoiceFilter(label=_("级别"), choices=RegionLevel.choices)
    parent = filters.CharFilter(label=_("上级区划代码"), field_name="parent_id")
    within = filters.CharFilter(label=_("所属区划（含下级）"), method="filter_within")

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "within"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(name__contains=value)

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(code__startswith=_region_prefix(value))


class OrganizationFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("名称或信用代码"), method="search")
    kind = filters.ChoiceFilter(label=_("单位类型"), choices=OrganizationKind.choices)
    region = filters.CharFilter(
        label=_("所在地区（含下级）"), method="filter_region", widget=region_lookup()
    )
    credit_code = filters.CharFilter(label=_("统一社会信用代码"), lookup_expr="iexact")
    parent = IntegerFilter(label=_("上级单位"), field_name="parent_id")

    class Meta:
        model = Organization
        fields = ["q", "kind", "region", "credit_code", "parent"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(credit_code=value.upper()))

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(region__code__startswith=_region_prefix(value))


class PersonFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("姓名、拼音或完整证件号码"), method="search")
    document_type = filters.ChoiceFilter(label=_("证件类型"), choices=DocumentType.choices)
    gender = filters.ChoiceFilter(label=_("性别"), choices=Gender.choices)
    education = filters.ChoiceFilter(label=_("最高学历"), choices=Education.choices)
    region = filters.CharFilter(label=_("常住地区（含下级）"), method="filter_region")
    born_after = filters.DateFilter(
        label=_("出生日期起"), field_name="birth_date", lookup_expr="gte"
    )
    born_before = filters.DateFilter(
        label=_("出生日期止"), field_name="birth_date", lookup_expr="lte"
    )
    employer = IntegerFilter(label=_("用人单位"), method="filter_employer")

    class Meta:
        model = Person
        fields = [
            "q",
            "document_type",
            "gender",
            "education",
            "region",
            "born_after",
            "born_before",
            "employer",
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        number = normalize_document_number(value)
        if len(number) >= 8 and any(c.isdigit() for c in number):
            # whole numbers only: a partial number must not work as a guessing oracle
            return queryset.filter(
                Q(document_number=number) | Q(social_security_card_number=number)
            )
        if value.isascii():
            return queryset.filter(name_pinyin__startswith=value.lower().replace(" ", ""))
        return queryset.filter(name__contains=value)

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(residence_region__code__startswith=_region_prefix(value))

    def filter_employer(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            pk__in=Employment.objects.filter(organization_id=value).values("person_id")
        )


class EmploymentFilterSet(filters.FilterSet):
    person = IntegerFilter(label=_("人员"), field_name="person_id")
    organization = IntegerFilter(
        label=_("用人单位"), field_name="organization_id", widget=organization_lookup()
    )
    occupation_code = filters.CharFilter(
        label=_("职业代码（前缀）"), field_name="occupation_code", lookup_expr="startswith"
    )
    frontline = filters.BooleanFilter(label=_("一线岗位"))
    current = filters.BooleanFilter(label=_("在职"), method="filter_current")
    started_after = filters.DateFilter(
        label=_("入职日期起"), field_name="start_date", lookup_expr="gte", widget=DATE
    )

    class Meta:
        model = Employment
        fields = [
            "person",
            "organization",
            "occupation_code",
            "frontline",
            "current",
            "started_after",
        ]

    def filter_current(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(end_date__isnull=value)
