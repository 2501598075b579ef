from django.urls import path
from rest_framework.routers import SimpleRouter

from tongban.skills import views as pages
from tongban.skills.api import statistics, views

router = SimpleRouter()
router.register("skills/occupations", views.OccupationViewSet, basename="skills-occupation")
router.register("skills/plans", views.EvaluationPlanViewSet, basename="skills-plan")
router.register(
    "skills/applications", views.CertificationApplicationViewSet, basename="skills-application"
)
router.register("skills/objections", views.ObjectionViewSet, basename="skills-objection")
router.register("skills/school-records", views.SchoolRecordViewSet, basename="skills-school-record")
router.register(
    "skills/apprenticeships", views.ApprenticeshipViewSet, basename="skills-apprenticeship"
)
router.register("skills/certificates", views.CertificateViewSet, basename="skills-certificate")
router.register("skills/appointments", views.AppointmentViewSet, basename="skills-appointment")
router.register(
    "skills/limit-breaking-requests",
    views.LimitBreakingRequestViewSet,
    basename="skills-limit-breaking-request",
)
router.register("skills/wage-reports", statistics.WageReportViewSet, basename="skills-wage-report")
router.register(
    "skills/official-employment",
    statistics.OfficialEmploymentViewSet,
    basename="skills-official-employment",
)

urlpatterns = [
    # the public verification endpoint: a plain Django view (no DRF) for speed
    path("public/certificates/verify/", pages.verify_api, name="public-certificate-verify"),
    path("skills/eligibility/", views.EligibilityView.as_view(), name="skills-eligibility"),
    path(
        "skills/employer-certifications/", views.EmployerRoutesView.as_view(), name="skills-routes"
    ),
    path(
        "skills/competition-results/",
        views.CompetitionResultView.as_view(),
        name="skills-competition-results",
    ),
    path("skills/statistics/", statistics.StatisticsView.as_view(), name="skills-statistics"),
    path("skills/wage-prices/", statistics.WagePricesView.as_view(), name="skills-wage-prices"),
    *router.urls,
]
