"""Admin pages for the governance reference data an operator maintains: the category tree
with its working-day limits, routing rules, the jurisdiction, Open311 clients, mediation
centres with their stationed members, mediation time limits, warning rules and the patrol
checklists."""

from __future__ import annotations

from django.contrib import admin

from tongban.governance.models import (
    Category,
    ChecklistItem,
    ChecklistTemplate,
    Jurisdiction,
    MediationCentre,
    MediationPolicy,
    Open311Client,
    RoutingRule,
    StationedMember,
    WarningRule,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "limit_normal", "limit_urgent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["region", "category", "unit"]
    autocomplete_fields = ["category"]
    raw_id_fields = ["region", "unit"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction_id", "region"]
    raw_id_fields = ["region"]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    exclude = ["created_by"]


class StationedMemberInline(admin.TabularInline):
    model = StationedMember
    extra = 1
    raw_id_fields = ["organization", "user"]


@admin.register(MediationCentre)
class MediationCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name"]
    raw_id_fields = ["region", "parent", "organization"]
    inlines = [StationedMemberInline]


@admin.register(MediationPolicy)
class MediationPolicyAdmin(admin.ModelAdmin):
    list_display = ["region", "time_limit_days", "confirmation_days", "return_visit_working_days"]
    raw_id_fields = ["region"]


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "window_days", "threshold", "level", "active"]
    list_filter = ["kind", "level", "active"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ["position", "question", "options", "passing", "hazard_category"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """Patrol checklists are data: each item's options and passing answers (JSON lists)."""

    list_display = ["code", "name", "hazard_category", "active"]
    list_filter = ["active"]
    inlines = [ChecklistItemInline]
