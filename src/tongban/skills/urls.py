from django.urls import path

from tongban.skills import (
    competition_pages,
    incentive_pages,
    record_pages,
    route_pages,
    talent_pages,
    views,
)

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
    path("skills/objections/<int:pk>/contact/", views.objection_reveal, name="objection_reveal"),
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
    # competitions and awards
    path(
        "skills/competitions/", competition_pages.CompetitionList.as_view(), name="competition_list"
    ),
    path(
        "skills/competitions/add/",
        competition_pages.CompetitionEdit.as_view(),
        name="competition_add",
    ),
    path(
        "skills/competitions/<int:pk>/",
        competition_pages.CompetitionDetail.as_view(),
        name="competition_detail",
    ),
    path(
        "skills/competitions/<int:pk>/edit/",
        competition_pages.CompetitionEdit.as_view(),
        name="competition_edit",
    ),
    path(
        "skills/competitions/<int:pk>/entries/",
        competition_pages.competition_enter,
        name="competition_enter",
    ),
    path(
        "skills/competitions/<int:pk>/results/",
        competition_pages.competition_result,
        name="competition_result",
    ),
    path(
        "skills/competitions/<int:pk>/transitions/<str:name>/",
        competition_pages.competition_transition,
        name="competition_transition",
    ),
    path(
        "skills/awards/", competition_pages.AwardConferralList.as_view(), name="awardconferral_list"
    ),
    path(
        "skills/awards/add/",
        competition_pages.AwardConferralCreate.as_view(),
        name="awardconferral_add",
    ),
    path(
        "skills/awards/<int:pk>/",
        competition_pages.AwardConferralDetail.as_view(),
        name="awardconferral_detail",
    ),
    # incentives
    path(
        "skills/mentorships/",
        incentive_pages.MentorshipPairList.as_view(),
        name="mentorshippair_list",
    ),
    path(
        "skills/mentorships/add/",
        incentive_pages.MentorshipPairEdit.as_view(),
        name="mentorshippair_add",
    ),
    path(
        "skills/mentorships/<int:pk>/",
        incentive_pages.MentorshipPairDetail.as_view(),
        name="mentorshippair_detail",
    ),
    path(
        "skills/mentorships/<int:pk>/edit/",
        incentive_pages.MentorshipPairEdit.as_view(),
        name="mentorshippair_edit",
    ),
    path(
        "skills/allowances/",
        incentive_pages.AllowanceSchemeList.as_view(),
        name="allowancescheme_list",
    ),
    path(
        "skills/allowances/add/",
        incentive_pages.allowance_scheme_edit,
        name="allowancescheme_add",
    ),
    path(
        "skills/allowances/<int:pk>/",
        incentive_pages.AllowanceSchemeDetail.as_view(),
        name="allowancescheme_detail",
    ),
    path(
        "skills/allowances/<int:pk>/edit/",
        incentive_pages.allowance_scheme_edit,
        name="allowancescheme_edit",
    ),
    # talent pool and shortage-occupation lists
    path("skills/talent-pool/", talent_pages.TalentPool.as_view(), name="talent_pool"),
    path("skills/talent-pool/searches/", talent_pages.save_search, name="talent_search_save"),
    path(
        "skills/talent-pool/searches/<int:pk>/delete/",
        talent_pages.delete_search,
        name="talent_search_delete",
    ),
    path(
        "skills/shortage-lists/",
        talent_pages.ShortageListList.as_view(),
        name="shortagelist_list",
    ),
    path(
        "skills/shortage-lists/add/",
        talent_pages.ShortageListCreate.as_view(),
        name="shortagelist_add",
    ),
    path(
        "skills/shortage-lists/<int:pk>/",
        talent_pages.ShortageListDetail.as_view(),
        name="shortagelist_detail",
    ),
    path("certificates/keys.json", views.public_keys, name="public_keys"),
    path("verify/", views.verify_page, name="verify"),
]
