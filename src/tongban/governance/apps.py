"""Grassroots-governance system: the event loop, routing, deadlines, Open311."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

READ = frozenset({"view"})


class GovernanceConfig(AppConfig):
    name = "tongban.governance"
    label = "governance"
    verbose_name = _("基层治理")
    default_auto_field = "django.db.models.BigAutoField"
    # (url name, label, model label): shown to users who may view some object of the model
    menu: list[tuple[str, Any, str]] = [
        ("governance:event_list", _("治理事件"), "governance.event"),
        ("governance:dashboard", _("治理看板"), "governance.event"),
    ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tongban.core import audit_chain
        from tongban.core.calendar import schedule_changed
        from tongban.core.permissions import Role, register_grants, register_public_reference
        from tongban.governance.deadlines import recompute_provisional
        from tongban.governance.models import (
            Category,
            Event,
            EventPhoto,
            Jurisdiction,
            Open311Client,
            ReporterContactAccess,
            RoutingRule,
        )

        staff = {
            "governance.event": frozenset({"view", "export"}),
            "governance.eventphoto": READ,
            "governance.routingrule": READ,
        }
        register_grants(
            {
                Role.GOVERNANCE_DISPATCHER: {
                    **staff,
                    "governance.event": frozenset({"view", "add", "change", "export", "reveal"}),
                    "governance.eventphoto": frozenset({"view", "add"}),
                },
                Role.GOVERNANCE_HANDLER: {
                    **staff,
                    "governance.event": frozenset({"view", "change"}),
                    "governance.eventphoto": frozenset({"view", "add"}),
                },
                Role.GOVERNANCE_REVIEWER: staff,
                Role.GRID_WORKER: {
                    "governance.event": frozenset({"view", "add"}),
                    "governance.eventphoto": frozenset({"view", "add"}),
                },
            }
        )
        register_public_reference("governance.category", "governance.jurisdiction")
        auditlog.register(Event, mask_fields=["reporter_name", "reporter_phone"])
        auditlog.register(EventPhoto)
        auditlog.register(Category)
        auditlog.register(RoutingRule)
        auditlog.register(Jurisdiction)
        auditlog.register(Open311Client, mask_fields=["api_key"])
        audit_chain.chain(ReporterContactAccess)
        schedule_changed.connect(recompute_provisional, dispatch_uid="governance-deadlines")

    def home_actions(self, user: Any) -> list[tuple[str, Any]]:
        """(url name, label) buttons on the home page for ``user``."""
        from tongban.core.permissions import Role, assignments, has_any, is_platform_admin

        actions: list[tuple[str, Any]] = []
        roles = {a.role for a in assignments(user)}
        if has_any(user, "governance.event", "add"):
            actions.append(("governance:event_report", _("上报事件")))
            if Role.GOVERNANCE_DISPATCHER in roles or is_platform_admin(user):
                actions.append(("governance:event_hotline", _("热线受理")))
        if has_any(user, "governance.event", "view"):
            actions.append(("governance:event_queue", _("我的待办")))
        return actions

    def load_demo(self) -> list[str]:
        """Demo data for ``tongban demo``; returns lines to print."""
        from tongban.governance.demo import load_demo

        return load_demo()

    def person_sections(self, request: Any, person: Any) -> list[tuple[str, Any]]:
        """(template name, context object) sections added to a person's page."""
        return []
