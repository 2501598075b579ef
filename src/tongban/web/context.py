"""Navigation by role: a menu entry shows when the user may view some object of its model."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongban.core.permissions import has_any, is_platform_admin

MENU = [
    ("core:person_list", _("人员"), "core.person"),
    ("core:organization_list", _("单位"), "core.organization"),
    ("core:employment_list", _("从业经历"), "core.employment"),
    ("core:region_list", _("行政区划"), "core.region"),
]


def menu_entries() -> list[tuple[str, Any, str]]:
    """The core menu, then each app's ``menu`` (url name, label, model label) in app order."""
    entries = list(MENU)
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "menu", []))
    return entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"url": reverse(name), "label": label, "active": request.path.startswith(reverse(name))}
        for name, label, model in menu_entries()
        if has_any(user, model, "view")
    ]
    if is_platform_admin(user):
        items.append({"url": reverse("admin:index"), "label": _("系统管理"), "active": False})
    items.append({"url": reverse("swagger-ui"), "label": _("接口文档"), "active": False})
    return {"nav_items": items}
