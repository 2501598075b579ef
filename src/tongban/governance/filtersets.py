"""Event filters, declared once for the API and the list pages."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.core.filtersets import IntegerFilter
from tongban.governance.models import (
    CaseStatus,
    Category,
    CentreLevel,
    Channel,
    DemandStatus,
    DisputeKind,
    Event,
    Grid,
    Level,
    MediationCase,
    MediationCentre,
    PairingStatus,
    PatrolStatus,
    PatrolTask,
    PracticeActivity,
    PracticeSite,
    RiskWarning,
    ScreeningCampaign,
    ScreeningTarget,
    ServiceSession,
    Status,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
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
    grid = IntegerFilter(label=_("网格（ID）"), field_name="grid")

    class Meta:
        model = Event
        fields = ["code", "status", "channel", "category", "within", "overdue", "grid"]

    def in_category(self, queryset: QuerySet, name: str, value: Category) -> QuerySet:
        return queryset.filter(category__code__startswith=value.code)

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().rstrip("0") or value.strip()
        return queryset.filter(region__code__startswith=code)

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


# --- grids, patrols, screening, volunteers, practice ------------------------------------------


class WithinFilterSet(filters.FilterSet):
    """A region subtree filter on the model's ``region_path``. Links to other records are
    filtered by id (no choice list, so nothing out of scope is named)."""

    region_path = "region"
    within = filters.CharFilter(label=_("所属区划代码（含下级）"), method="filter_within")

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().rstrip("0") or value.strip()
        return queryset.filter(**{f"{self.region_path}__code__startswith": code})


class GridFilterSet(WithinFilterSet):
    name = filters.CharFilter(label=_("网格名称"), lookup_expr="contains")

    class Meta:
        model = Grid
        fields = ["name", "within", "active"]


class PatrolTaskFilterSet(WithinFilterSet):
    region_path = "grid__region"
    status = filters.ChoiceFilter(label=_("状态"), choices=PatrolStatus.choices)

    grid = IntegerFilter(label=_("网格（ID）"), field_name="grid")

    class Meta:
        model = PatrolTask
        fields = ["status", "grid", "within"]


class ScreeningCampaignFilterSet(WithinFilterSet):
    class Meta:
        model = ScreeningCampaign
        fields = ["kind", "within"]


class ScreeningTargetFilterSet(WithinFilterSet):
    visited = filters.BooleanFilter(
        label=_("已走访"), field_name="visited_on", lookup_expr="isnull", exclude=True
    )

    campaign = IntegerFilter(label=_("排查行动（ID）"), field_name="campaign")

    class Meta:
        model = ScreeningTarget
        fields = ["campaign", "kind", "visited", "within"]


class VolunteerTeamFilterSet(WithinFilterSet):
    class Meta:
        model = VolunteerTeam
        fields = ["service_type", "active", "within"]


class VolunteerFilterSet(WithinFilterSet):
    team = IntegerFilter(label=_("所属队伍（ID）"), field_name="team")

    class Meta:
        model = Volunteer
        fields = ["team", "active", "within"]


class VolunteerResourceFilterSet(WithinFilterSet):
    class Meta:
        model = VolunteerResource
        fields = ["service_type", "active", "within"]


class VolunteerDemandFilterSet(WithinFilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=DemandStatus.choices)

    class Meta:
        model = VolunteerDemand
        fields = ["status", "service_type", "within"]


class VolunteerPairingFilterSet(WithinFilterSet):
    region_path = "demand__region"
    status = filters.ChoiceFilter(label=_("状态"), choices=PairingStatus.choices)

    team = IntegerFilter(label=_("服务队伍（ID）"), field_name="team")

    class Meta:
        model = VolunteerPairing
        fields = ["status", "team", "within"]


class ServiceSessionFilterSet(WithinFilterSet):
    region_path = "pairing__demand__region"

    pairing = IntegerFilter(label=_("派单（ID）"), field_name="pairing")

    class Meta:
        model = ServiceSession
        fields = ["pairing", "within"]


class PracticeSiteFilterSet(WithinFilterSet):
    class Meta:
        model = PracticeSite
        fields = ["level", "active", "within"]


class PracticeActivityFilterSet(WithinFilterSet):
    region_path = "site__region"

    site = IntegerFilter(label=_("阵地（ID）"), field_name="site")

    class Meta:
        model = PracticeActivity
        fields = ["site", "within"]
