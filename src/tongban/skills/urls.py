from django.urls import path

from tongban.skills import (
    archive_pages,
    competition_pages,
    fund_pages,
    incentive_pages,
    onex_pages,
    record_pages,
    route_pages,
    statistics_pages,
    talent_pages,
    training_pages,
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
    path(
        "skills/training-programmes/",
        training_pages.TrainingProgrammeList.as_view(),
        name="trainingprogramme_list",
    ),
    path(
        "skills/training-programmes/add/",
        training_pages.TrainingProgrammeEdit.as_view(),
        name="trainingprogramme_add",
    ),
    path(
        "skills/training-programmes/<int:pk>/",
        training_pages.TrainingProgrammeDetail.as_view(),
        name="trainingprogramme_detail",
    ),
    path(
        "skills/training-programmes/<int:pk>/edit/",
        training_pages.TrainingProgrammeEdit.as_view(),
        name="trainingprogramme_edit",
    ),
    path(
        "skills/training-classes/",
        training_pages.TrainingClassList.as_view(),
        name="trainingclass_list",
    ),
    path(
        "skills/training-classes/add/",
        training_pages.TrainingClassEdit.as_view(),
        name="trainingclass_add",
    ),
    path(
        "skills/training-classes/<int:pk>/",
        training_pages.TrainingClassDetail.as_view(),
        name="trainingclass_detail",
    ),
    path(
        "skills/training-classes/<int:pk>/edit/",
        training_pages.TrainingClassEdit.as_view(),
        name="trainingclass_edit",
    ),
    path(
        "skills/training-classes/<int:pk>/enrol/",
        training_pages.class_enrol,
        name="trainingclass_enrol",
    ),
    path(
        "skills/training-classes/<int:pk>/sessions/",
        training_pages.class_session,
        name="trainingclass_session",
    ),
    path(
        "skills/training-classes/<int:pk>/attendance/",
        training_pages.class_attendance,
        name="trainingclass_attendance",
    ),
    path(
        "skills/training-classes/<int:pk>/transitions/<str:name>/",
        training_pages.class_transition,
        name="trainingclass_transition",
    ),
    path("skills/x-certificates/", onex_pages.XCertificateList.as_view(), name="xcertificate_list"),
    path(
        "skills/x-certificates/add/", onex_pages.XCertificateEdit.as_view(), name="xcertificate_add"
    ),
    path(
        "skills/x-certificates/<int:pk>/",
        onex_pages.XCertificateDetail.as_view(),
        name="xcertificate_detail",
    ),
    path(
        "skills/x-certificates/<int:pk>/edit/",
        onex_pages.XCertificateEdit.as_view(),
        name="xcertificate_edit",
    ),
    path(
        "skills/education-records/",
        onex_pages.EducationRecordList.as_view(),
        name="educationrecord_list",
    ),
    path(
        "skills/education-records/add/",
        onex_pages.EducationRecordEdit.as_view(),
        name="educationrecord_add",
    ),
    path(
        "skills/education-records/<int:pk>/",
        onex_pages.EducationRecordDetail.as_view(),
        name="educationrecord_detail",
    ),
    path(
        "skills/education-records/<int:pk>/edit/",
        onex_pages.EducationRecordEdit.as_view(),
        name="educationrecord_edit",
    ),
    path("skills/credits/", onex_pages.CreditEntryList.as_view(), name="creditentry_list"),
    path(
        "skills/credits/<int:pk>/",
        onex_pages.CreditEntryDetail.as_view(),
        name="creditentry_detail",
    ),
    path(
        "skills/education-fund/",
        fund_pages.EducationFundReportList.as_view(),
        name="educationfundreport_list",
    ),
    path(
        "skills/education-fund/add/",
        fund_pages.EducationFundReportEdit.as_view(),
        name="educationfundreport_add",
    ),
    path(
        "skills/education-fund/<int:pk>/",
        fund_pages.EducationFundReportDetail.as_view(),
        name="educationfundreport_detail",
    ),
    path(
        "skills/education-fund/<int:pk>/edit/",
        fund_pages.EducationFundReportEdit.as_view(),
        name="educationfundreport_edit",
    ),
    path("skills/credit-rules/", onex_pages.credit_rules, name="credit_rules"),
    path("skills/education-fund/flags/", fund_pages.fund_flags, name="fund_flags"),
    path("skills/archive/", archive_pages.archive_search, name="archive_search"),
    path("skills/archive/mine/", archive_pages.my_archive, name="my_archive"),
    path("skills/archive/mine/pdf/", archive_pages.my_archive_pdf, name="my_archive_pdf"),
    path("skills/archive/mine/json/", archive_pages.my_archive_json, name="my_archive_json"),
    path("skills/archive/<int:pk>/", archive_pages.person_archive, name="person_archive"),
    path(
        "skills/archive/<int:pk>/pdf/", archive_pages.person_archive_pdf, name="person_archive_pdf"
    ),
    path(
        "skills/archive/<int:pk>/json/",
        archive_pages.person_archive_json,
        name="person_archive_json",
    ),
    path("skills/archive/<int:pk>/credits/", archive_pages.archive_accrue, name="archive_accrue"),
    path(
        "skills/archive/<int:pk>/recognise/",
        archive_pages.archive_recognise,
        name="archive_recognise",
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
