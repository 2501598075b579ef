from django.urls import path

from tongban.core import import_pages, views

app_name = "core"

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region_list"),
    path("regions/options/", views.region_options, name="region_options"),
    path("regions/<str:pk>/", views.RegionDetail.as_view(), name="region_detail"),
    path("organizations/", views.OrganizationList.as_view(), name="organization_list"),
    path("organizations/options/", views.organization_options, name="organization_options"),
    path("organizations/add/", views.OrganizationEdit.as_view(), name="organization_add"),
    path("organizations/<int:pk>/", views.OrganizationDetail.as_view(), name="organization_detail"),
    path(
        "organizations/<int:pk>/edit/", views.OrganizationEdit.as_view(), name="organization_edit"
    ),
    path("people/", views.PersonList.as_view(), name="person_list"),
    path("people/add/", views.PersonEdit.as_view(), name="person_add"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("employment/", views.EmploymentList.as_view(), name="employment_list"),
    path("employment/add/", views.EmploymentEdit.as_view(), name="employment_add"),
    path("employment/<int:pk>/", views.EmploymentDetail.as_view(), name="employment_detail"),
    path("employment/<int:pk>/edit/", views.EmploymentEdit.as_view(), name="employment_edit"),
    path("imports/", import_pages.import_index, name="import_index"),
    path("imports/jobs/<int:pk>/", import_pages.import_job, name="import_job"),
    path(
        "imports/jobs/<int:pk>/errors.<str:fmt>",
        import_pages.import_errors,
        name="import_errors",
    ),
    path("imports/<str:kind>/", import_pages.import_upload, name="import_upload"),
    path(
        "imports/<str:kind>/template.xlsx",
        import_pages.import_template,
        name="import_template",
    ),
]
