from rest_framework.routers import SimpleRouter

from tongban.governance.api.views import CategoryViewSet, EventViewSet

router = SimpleRouter()
router.register("governance/events", EventViewSet, basename="governance-event")
router.register("governance/categories", CategoryViewSet, basename="governance-category")

urlpatterns = router.urls
