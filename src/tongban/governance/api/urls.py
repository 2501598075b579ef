from rest_framework.routers import SimpleRouter

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

urlpatterns = router.urls
