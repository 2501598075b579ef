from django.urls import path

from tongban.skills import views

app_name = "skills"

urlpatterns = [
    path("skills/occupations/", views.OccupationList.as_view(), name="occupation_list"),
    path(
        "skills/occupations/<int:pk>/", views.OccupationDetail.as_view(), name="occupation_detail"
    ),
    path("skills/eligibility/", views.eligibility_page, name="eligibility"),
    path("skills/evaluators/", views.EvaluatorList.as_view(), name="evaluator_list"),
    path("skills/evaluators/<int:pk>/", views.EvaluatorDetail.as_view(), name="evaluator_detail"),
    path(
        "skills/evaluators/<int:pk>/transitions/<str:name>/",
        views.evaluator_transition,
        name="evaluator_transition",
    ),
    path("skills/plans/", views.EvaluationPlanList.as_view(), name="evaluationplan_list"),
    path("skills/plans/add/", views.EvaluationPlanEdit.as_view(), name="evaluationplan_add"),
    path(
        "skills/plans/<int:pk>/", views.EvaluationPlanDetail.as_view(), name="evaluationplan_detail"
    ),
    path(
        "skills/plans/<int:pk>/edit/",
        views.EvaluationPlanEdit.as_view(),
        name="evaluationplan_edit",
    ),
    path("skills/plans/<int:pk>/apply/", views.plan_apply, name="plan_apply"),
    path(
        "skills/plans/<int:pk>/transitions/<str:name>/",
        views.plan_transition,
        name="plan_transition",
    ),
    path(
        "skills/applications/<int:pk>/scores/", views.application_scores, name="application_scores"
    ),
    path(
        "skills/applications/<int:pk>/transitions/<str:name>/",
        views.application_transition,
        name="application_transition",
    ),
    path("skills/certificates/", views.CertificateList.as_view(), name="certificate_list"),
    path(
        "skills/certificates/<int:pk>/",
        views.CertificateDetail.as_view(),
        name="certificate_detail",
    ),
    path("skills/certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path(
        "skills/certificates/<int:pk>/transitions/<str:name>/",
        views.certificate_transition,
        name="certificate_transition",
    ),
    path("certificates/keys.json", views.public_keys, name="public_keys"),
    path("verify/", views.verify_page, name="verify"),
]
