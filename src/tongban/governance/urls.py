from django.urls import path

from tongban.governance import dashboard, mediation_views, open311, views

app_name = "governance"


urlpatterns = [
    path("events/", views.EventList.as_view(), name="event_list"),
    path("events/queue/", views.event_queue, name="event_queue"),
    path("events/report/", views.event_report, name="event_report"),
    path("events/hotline/", views.event_hotline, name="event_hotline"),
    path("events/new/", views.event_hotline, name="event_add"),
    path("events/duplicates/", views.event_duplicates, name="event_duplicates"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path(
        "events/<int:pk>/transitions/<slug:name>/",
        views.event_transition,
        name="event_transition",
    ),
    path("events/<int:pk>/reveal-phone/", views.event_reveal_phone, name="event_reveal_phone"),
    path("events/photos/<int:pk>/", views.event_photo, name="event_photo"),
    path("events/<int:pk>/photos/", views.event_add_photos, name="event_add_photos"),
    path("governance/dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "mediation/centres/",
        mediation_views.MediationCentreList.as_view(),
        name="mediationcentre_list",
    ),
    path(
        "mediation/centres/<int:pk>/",
        mediation_views.MediationCentreDetail.as_view(),
        name="mediationcentre_detail",
    ),
    path(
        "mediation/cases/", mediation_views.MediationCaseList.as_view(), name="mediationcase_list"
    ),
    path("mediation/cases/new/", mediation_views.case_add, name="mediationcase_add"),
    path("mediation/cases/<int:pk>/", mediation_views.case_detail, name="mediationcase_detail"),
    path(
        "mediation/cases/<int:pk>/transitions/<slug:name>/",
        mediation_views.case_transition,
        name="mediationcase_transition",
    ),
    path(
        "mediation/cases/<int:pk>/do/<slug:action>/",
        mediation_views.case_action,
        name="mediationcase_action",
    ),
    path(
        "mediation/cases/<int:pk>/parties/<int:party_pk>/reveal/",
        mediation_views.reveal_party,
        name="mediationcase_reveal_party",
    ),
    path(
        "mediation/cases/<int:pk>/agreement.pdf",
        mediation_views.agreement_pdf,
        name="mediationcase_agreement_pdf",
    ),
    path("warnings/", mediation_views.warning_board, name="warning_board"),
    path("warnings/all/", mediation_views.RiskWarningList.as_view(), name="riskwarning_list"),
    path("warnings/<int:pk>/", mediation_views.warning_detail, name="riskwarning_detail"),
    path(
        "warnings/<int:pk>/transitions/<slug:name>/",
        mediation_views.warning_transition,
        name="riskwarning_transition",
    ),
    path("e/", views.public_lookup, name="public_lookup"),
    path("e/<str:code>/", views.public_status, name="public_status"),
    path("open311/v2/", open311.root, name="open311_root"),
    path("open311/v2/discovery.<str:fmt>", open311.discovery, name="open311_discovery"),
    path("open311/v2/services.<str:fmt>", open311.service_list, name="open311_services"),
    path(
        "open311/v2/services/<str:code>.<str:fmt>",
        open311.service_definition,
        name="open311_service",
    ),
    path("open311/v2/requests.<str:fmt>", open311.requests_endpoint, name="open311_requests"),
    path(
        "open311/v2/requests/<str:code>.<str:fmt>",
        open311.request_detail,
        name="open311_request",
    ),
    path("open311/v2/tokens/<str:token>.<str:fmt>", open311.token_detail, name="open311_token"),
]
