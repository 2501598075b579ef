from rest_framework.routers import DefaultRouter

from tongban.core.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("employments", views.EmploymentViewSet, basename="employment")

urlpatterns = router.urls
