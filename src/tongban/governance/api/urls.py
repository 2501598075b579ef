from django.urls import path
from rest_framework.routers import SimpleRouter

from tongban.governance.api import community
from tongban.governance.api.mediation_views import (
    MediationCaseViewSet,
    MediationCentreViewSet,
    RiskWarningViewSet,
    WarningRuleViewSet,
)
from tongban.governance.api.views import CategoryViewSet, EventViewSet

router = SimpleRouter()
router.register("governance/events", EventViewSet, basename="governance-event")
router.register("governance/categories", CategoryViewSet, basename="governance-category")

router.register(
    "governance/mediation-centres", MediationCentreViewSet, basename="governance-mediation-centre"
)
router.register(
    "governance/mediation-cases", MediationCaseViewSet, basename="governance-mediation-case"
)
router.register("governance/warning-rules", WarningRuleViewSet, basename="governance-warning-rule")
router.register("governance/warnings", RiskWarningViewSet, basename="governance-warning")

for prefix, viewset, basename in (
    ("governance/grids", community.GridViewSet, "governance-grid"),
    ("governance/checklists", community.ChecklistTemplateViewSet, "governance-checklist"),
    ("governance/patrols", community.PatrolTaskViewSet, "governance-patrol"),
    ("governance/screening-campaigns", community.CampaignViewSet, "governance-campaign"),
    ("governance/screening-targets", community.TargetViewSet, "governance-target"),
    ("governance/volunteer-teams", community.TeamViewSet, "governance-team"),
    ("governance/volunteers", community.VolunteerViewSet, "governance-volunteer"),
    ("governance/volunteer-resources", community.ResourceViewSet, "governance-resource"),
    ("governance/volunteer-demands", community.DemandViewSet, "governance-demand"),
    ("governance/volunteer-pairings", community.PairingViewSet, "governance-pairing"),
    ("governance/service-sessions", community.SessionViewSet, "governance-session"),
    ("governance/practice-sites", community.PracticeSiteViewSet, "governance-practice-site"),
    (
        "governance/practice-activities",
        community.PracticeActivityViewSet,
        "governance-practice-activity",
    ),
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path(
        "governance/community-figures/",
        community.CommunityFiguresView.as_view(),
        name="governance-community-figures",
    ),
    *router.urls,
]
