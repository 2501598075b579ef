from django.urls import path
from rest_framework.routers import SimpleRouter

from tongban.skills import views as pages
from tongban.skills.api import competitions, statistics, training, views

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
router.register(
    "skills/competitions", competitions.CompetitionViewSet, basename="skills-competition"
)
router.register("skills/awards", competitions.AwardConferralViewSet, basename="skills-award")
router.register(
    "skills/mentorships", competitions.MentorshipPairViewSet, basename="skills-mentorship"
)
router.register(
    "skills/allowances", competitions.AllowanceSchemeViewSet, basename="skills-allowance"
)
router.register(
    "skills/shortage-lists", competitions.ShortageListViewSet, basename="skills-shortage-list"
)
router.register("skills/talent-pool", competitions.TalentPoolViewSet, basename="skills-talent")
router.register(
    "skills/training-programmes", training.TrainingProgrammeViewSet, basename="skills-programme"
)
router.register("skills/training-classes", training.TrainingClassViewSet, basename="skills-class")
router.register("skills/enrolments", training.EnrolmentViewSet, basename="skills-enrolment")
router.register("skills/attendance", training.AttendanceViewSet, basename="skills-attendance")
router.register("skills/credit-rules", training.CreditRuleViewSet, basename="skills-credit-rule")
router.register(
    "skills/qualification-levels",
    training.QualificationLevelViewSet,
    basename="skills-qualification-level",
)
router.register("skills/credits", training.CreditEntryViewSet, basename="skills-credit")
router.register(
    "skills/x-certificates", training.XCertificateViewSet, basename="skills-x-certificate"
)
router.register(
    "skills/education-records", training.EducationRecordViewSet, basename="skills-education-record"
)
router.register(
    "skills/education-fund-reports",
    training.EducationFundReportViewSet,
    basename="skills-education-fund-report",
)
router.register("skills/wage-reports", statistics.WageReportViewSet, basename="skills-wage-report")
router.register(
    "skills/official-employment",
    statistics.OfficialEmploymentViewSet,
    basename="skills-official-employment",
)

urlpatterns = [
    path("skills/archive/<str:person>/", training.ArchiveView.as_view(), name="skills-archive"),
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
