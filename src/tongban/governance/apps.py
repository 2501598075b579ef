"""Grassroots-governance system: the event loop, routing, deadlines, Open311."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

READ = frozenset({"view"})


def mediation_grants() -> dict[str, dict[str, frozenset[str]]]:
    """Who does what with centres, mediation cases and warnings (scoped by region, and by
    the centre's unit for staff whose role names one)."""
    from tongban.core.permissions import Role

    case_parts = {
        "governance.mediationparty": READ,
        "governance.mediationsession": READ,
        "governance.mediationagreement": READ,
        "governance.returnvisit": READ,
        "governance.stationedmember": READ,
        "governance.mediationcentre": READ,
    }
    work = frozenset({"view", "add", "change", "export", "reveal"})
    return {
        Role.GOVERNANCE_DISPATCHER: {
            **case_parts,
            "governance.mediationcase": work,
            "governance.riskwarning": frozenset({"view", "change", "export"}),
        },
        Role.GOVERNANCE_HANDLER: {
            **case_parts,
            "governance.mediationcase": frozenset({"view", "add", "change", "reveal"}),
            "governance.riskwarning": READ,
        },
        Role.GOVERNANCE_REVIEWER: {
            **case_parts,
            "governance.mediationcase": frozenset({"view", "export"}),
            "governance.riskwarning": READ,
        },
    }


ALL = frozenset({"view", "add", "change", "export"})
COMMUNITY_MODELS = (
    "grid",
    "patroltask",
    "patrolanswer",
    "screeningcampaign",
    "screeningtarget",
    "volunteerteam",
    "volunteer",
    "volunteerresource",
    "volunteerdemand",
    "volunteerpairing",
    "servicesession",
    "practicesite",
    "practiceactivity",
)


def community_grants() -> dict[str, dict[str, frozenset[str]]]:
    """Grids, patrols, screening, volunteers and the practice network: dispatchers run them
    over their region; grid workers patrol, visit, take demands and record services; handlers
    and reviewers read."""
    from tongban.core.permissions import Role

    every = {f"governance.{name}": ALL for name in COMMUNITY_MODELS}
    read = {f"governance.{name}": READ for name in COMMUNITY_MODELS}
    grid_worker = {
        **read,
        "governance.patroltask": frozenset({"view", "add", "change"}),
        "governance.patrolanswer": frozenset({"view", "add"}),
        "governance.screeningtarget": frozenset({"view", "change"}),
        "governance.volunteerdemand": frozenset({"view", "add", "change"}),
        "governance.volunteerpairing": frozenset({"view", "change"}),
        "governance.servicesession": frozenset({"view", "add"}),
        "governance.practiceactivity": frozenset({"view", "add"}),
    }
    return {
        Role.GOVERNANCE_DISPATCHER: every,
        Role.GOVERNANCE_HANDLER: read,
        Role.GOVERNANCE_REVIEWER: read,
        Role.GRID_WORKER: grid_worker,
    }


class GovernanceConfig(AppConfig):
    name = "tongban.governance"
    label = "governance"
    verbose_name = _("基层治理")
    default_auto_field = "django.db.models.BigAutoField"
    # (url name, label, model label): shown to users who may view some object of the model
    menu: list[tuple[str, Any, str]] = [
        ("governance:event_list", _("治理事件"), "governance.event"),
        ("governance:dashboard", _("治理看板"), "governance.event"),
        ("governance:mediationcase_list", _("矛盾调解"), "governance.mediationcase"),
        ("governance:mediationcentre_list", _("矛调中心"), "governance.mediationcentre"),
        ("governance:warning_board", _("风险预警"), "governance.riskwarning"),
        ("governance:grid_list", _("网格"), "governance.grid"),
        ("governance:patroltask_list", _("网格巡查"), "governance.patroltask"),
        ("governance:screeningcampaign_list", _("两个排查"), "governance.screeningcampaign"),
        ("governance:volunteerdemand_list", _("志愿服务"), "governance.volunteerdemand"),
        ("governance:practicesite_list", _("文明实践"), "governance.practicesite"),
        ("governance:community_dashboard", _("网格与志愿看板"), "governance.grid"),
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
            MediationAgreement,
            MediationCase,
            MediationCentre,
            MediationParty,
            MediationPolicy,
            MediationSession,
            Open311Client,
            ReporterContactAccess,
            ReturnVisit,
            RiskWarning,
            RoutingRule,
            StationedMember,
            WarningRule,
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
        register_grants(mediation_grants())
        register_grants(community_grants())
        register_public_reference(
            "governance.category",
            "governance.jurisdiction",
            "governance.warningrule",
            "governance.checklisttemplate",
            "governance.checklistitem",
        )
        auditlog.register(Event, mask_fields=["reporter_name", "reporter_phone"])
        auditlog.register(EventPhoto)
        auditlog.register(Category)
        auditlog.register(RoutingRule)
        auditlog.register(Jurisdiction)
        auditlog.register(Open311Client, mask_fields=["api_key"])
        auditlog.register(MediationCentre)
        auditlog.register(StationedMember, mask_fields=["phone"])
        auditlog.register(MediationCase)
        auditlog.register(MediationParty, mask_fields=["id_number", "phone", "address"])
        auditlog.register(MediationSession)
        auditlog.register(MediationAgreement)
        auditlog.register(ReturnVisit)
        auditlog.register(MediationPolicy)
        auditlog.register(WarningRule)
        auditlog.register(RiskWarning)
        from tongban.governance import models as m

        for model in (
            m.Grid,
            m.ChecklistTemplate,
            m.ChecklistItem,
            m.PatrolTask,
            m.ScreeningCampaign,
            m.VolunteerResource,
            m.PracticeSite,
            m.PracticeActivity,
            m.ServiceSession,
            m.VolunteerPairing,
        ):
            auditlog.register(model)
        auditlog.register(m.ScreeningTarget, mask_fields=["contact_phone"])
        auditlog.register(m.VolunteerTeam, mask_fields=["leader_phone"])
        auditlog.register(m.Volunteer, mask_fields=["phone"])
        auditlog.register(m.VolunteerDemand, mask_fields=["requester_phone"])
        audit_chain.chain(ReporterContactAccess)
        audit_chain.chain(m.PartyContactAccess)
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
        if has_any(user, "governance.mediationcase", "add"):
            actions.append(("governance:mediationcase_add", _("登记矛盾纠纷")))
        if has_any(user, "governance.patroltask", "change"):
            actions.append(("governance:patroltask_list", _("巡查任务")))
        if has_any(user, "governance.volunteerdemand", "add"):
            actions.append(("governance:volunteerdemand_add", _("志愿服务点单")))
        return actions

    def load_demo(self) -> list[str]:
        """Demo data for ``tongban demo``; returns lines to print."""
        from tongban.governance.demo import load_demo

        return load_demo()

    def person_sections(self, request: Any, person: Any) -> list[tuple[str, Any]]:
        """(template name, context object) sections added to a person's page."""
        return []
