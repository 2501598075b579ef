"""Admin pages for the governance reference data an operator maintains: the category tree
with its working-day limits, routing rules, the jurisdiction and Open311 clients."""

from __future__ import annotations

from django.contrib import admin

from tongban.governance.models import Category, Jurisdiction, Open311Client, RoutingRule


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
