from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from fundapp.accounts.two_factor.urls import webauthn_patterns
from fundapp.core import views as core_views
# The URL root is the one module of fundapp/ that names the apps above (pyproject.toml,
# [tool.importlinter]): the home page and the dashboard are grants' views.
from grants.views import home as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("dashboard/", home_views.dashboard, name="dashboard"),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon">.
    path("favicon.ico", core_views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/two-factor/webauthn/", include(webauthn_patterns)),  # passkeys' JSON
    path("accounts/", include("fundapp.accounts.urls")),
    path("notifications/", include("fundapp.notifications.urls")),
    path("jobs/", include("fundapp.core.job_urls")),
    path("api/v1/", include("fundapp.api_urls")),
    path("admin/", admin.site.urls),
    path("", include("donors.urls")),
    path("", include("grants.urls")),
]


handler400 = "fundapp.core.error_views.bad_request"
handler404 = "fundapp.core.error_views.page_not_found"
handler500 = "fundapp.core.error_views.server_error"
