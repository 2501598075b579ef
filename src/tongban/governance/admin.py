"""Admin pages for the governance reference data an operator maintains: the category tree
with its working-day limits, routing rules, the jurisdiction, Open311 clients and the patrol
checklists."""

from __future__ import annotations

from django.contrib import admin

from tongban.governance.models import (
    Category,
    ChecklistItem,
    ChecklistTemplate,
    Jurisdiction,
    Open311Client,
    RoutingRule,
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
