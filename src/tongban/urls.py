from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from tongban.core.api.urls import urlpatterns as core_api
from tongban.core.lockout import LoginForm
from tongban.core.views import PasswordChange, healthz, home

handler404 = "tongban.core.api.errors.not_found"

admin.site.site_header = "通办 · 系统管理"
admin.site.site_title = "通办"

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="web/login.html", form_class=LoginForm),
        name="login",
    ),
    path("accounts/password/", PasswordChange.as_view(), name="password_change"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(core_api)),
    path("api/", include("tongban.skills.api.urls")),
    path("api/", include("tongban.governance.api.urls")),
    # open to everyone, as DRF's own view is; said so for the schema (no credentials needed)
    path(
        "api/auth/token/",
        ObtainAuthToken.as_view(permission_classes=[AllowAny]),
        name="api-token",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="web/swagger_ui.html"),
        name="swagger-ui",
    ),
    path("", include("tongban.core.urls")),
    path("", include("tongban.skills.urls")),
    path("", include("tongban.governance.urls")),
]
