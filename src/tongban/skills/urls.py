from django.urls import path

from tongban.skills import record_pages, route_pages, statistics_pages, views

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
    path("skills/plans/<int:pk>/objections/", views.plan_objection, name="plan_objection"),
    path(
        "skills/objections/<int:pk>/transitions/<str:name>/",
        views.objection_transition,
        name="objection_transition",
    ),
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
    path(
        "skills/direct-certifications/add/",
        route_pages.DirectCertificationCreate.as_view(),
        name="direct_certification",
    ),
    path(
        "skills/exceptional-promotions/add/",
        route_pages.ExceptionalPromotionCreate.as_view(),
        name="exceptional_promotion",
    ),
    path(
        "skills/limit-breaking-requests/",
        route_pages.LimitBreakingRequestList.as_view(),
        name="limitbreakingrequest_list",
    ),
    path(
        "skills/limit-breaking-requests/add/",
        route_pages.LimitBreakingRequestCreate.as_view(),
        name="limitbreakingrequest_add",
    ),
    path(
        "skills/limit-breaking-requests/<int:pk>/",
        route_pages.LimitBreakingRequestDetail.as_view(),
        name="limitbreakingrequest_detail",
    ),
    path(
        "skills/limit-breaking-requests/<int:pk>/transitions/<str:name>/",
        route_pages.limitbreakingrequest_transition,
        name="limitbreakingrequest_transition",
    ),
    path("skills/appointments/", route_pages.AppointmentList.as_view(), name="appointment_list"),
    path(
        "skills/appointments/add/",
        route_pages.AppointmentCreate.as_view(),
        name="appointment_add",
    ),
    path(
        "skills/appointments/<int:pk>/",
        route_pages.AppointmentDetail.as_view(),
        name="appointment_detail",
    ),
    path(
        "skills/appointments/<int:pk>/transitions/<str:name>/",
        route_pages.appointment_transition,
        name="appointment_transition",
    ),
    path(
        "skills/school-records/", record_pages.SchoolRecordList.as_view(), name="schoolrecord_list"
    ),
    path(
        "skills/school-records/add/",
        record_pages.SchoolRecordEdit.as_view(),
        name="schoolrecord_add",
    ),
    path(
        "skills/school-records/<int:pk>/",
        record_pages.SchoolRecordDetail.as_view(),
        name="schoolrecord_detail",
    ),
    path(
        "skills/school-records/<int:pk>/edit/",
        record_pages.SchoolRecordEdit.as_view(),
        name="schoolrecord_edit",
    ),
    path(
        "skills/apprenticeships/",
        record_pages.ApprenticeshipList.as_view(),
        name="apprenticeship_list",
    ),
    path(
        "skills/apprenticeships/add/",
        record_pages.ApprenticeshipEdit.as_view(),
        name="apprenticeship_add",
    ),
    path(
        "skills/apprenticeships/<int:pk>/",
        record_pages.ApprenticeshipDetail.as_view(),
        name="apprenticeship_detail",
    ),
    path(
        "skills/apprenticeships/<int:pk>/edit/",
        record_pages.ApprenticeshipEdit.as_view(),
        name="apprenticeship_edit",
    ),
    path("skills/statistics/", statistics_pages.dashboard, name="statistics"),
    path("skills/wage-prices/", statistics_pages.wage_prices, name="wage_prices"),
    path("skills/wage-reports/", statistics_pages.WageReportList.as_view(), name="wagereport_list"),
    path(
        "skills/wage-reports/add/", statistics_pages.WageReportEdit.as_view(), name="wagereport_add"
    ),
    path(
        "skills/wage-reports/<int:pk>/",
        statistics_pages.WageReportDetail.as_view(),
        name="wagereport_detail",
    ),
    path(
        "skills/wage-reports/<int:pk>/edit/",
        statistics_pages.WageReportEdit.as_view(),
        name="wagereport_edit",
    ),
    path(
        "skills/official-employment/",
        statistics_pages.OfficialEmploymentList.as_view(),
        name="officialemployment_list",
    ),
    path(
        "skills/official-employment/add/",
        statistics_pages.OfficialEmploymentEdit.as_view(),
        name="officialemployment_add",
    ),
    path(
        "skills/official-employment/<int:pk>/",
        statistics_pages.OfficialEmploymentDetail.as_view(),
        name="officialemployment_detail",
    ),
    path(
        "skills/official-employment/<int:pk>/edit/",
        statistics_pages.OfficialEmploymentEdit.as_view(),
        name="officialemployment_edit",
    ),
    path("certificates/keys.json", views.public_keys, name="public_keys"),
    path("verify/", views.verify_page, name="verify"),
]
