from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from fundapp.accounts import api as accounts_api
from fundapp.accounts.two_factor import api as two_factor_api
from fundapp.core import job_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script from the same URL (no inline script: the CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html"), name="api-docs"),
    path("auth/token/", accounts_api.ObtainTokenView.as_view(), name="api-token"),
    path("users/", accounts_api.UserListView.as_view(), name="api-users"),
    path("auth/password-reset/", accounts_api.PasswordResetView.as_view(),
         name="api-password-reset"),
    path("auth/password-reset/confirm/", accounts_api.PasswordResetConfirmView.as_view(),
         name="api-password-reset-confirm"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("me/work-queue/", accounts_api.WorkQueueView.as_view(), name="api-me-work-queue"),
    path("me/password/", accounts_api.PasswordChangeView.as_view(), name="api-me-password"),
    path("me/tokens/", accounts_api.MyTokensView.as_view(), name="api-me-tokens"),
    path("me/tokens/<int:pk>/", accounts_api.MyTokenView.as_view(), name="api-me-token"),
    path("me/totp/", two_factor_api.TotpView.as_view(), name="api-me-totp"),
    path("me/totp/confirm/", two_factor_api.TotpConfirmView.as_view(),
         name="api-me-totp-confirm"),
    path("jobs/", job_api.JobListView.as_view(), name="api-jobs"),
    path("jobs/<int:pk>/", job_api.JobDetailView.as_view(), name="api-job"),
    path("jobs/<int:pk>/download/", job_api.JobDownloadView.as_view(), name="api-job-download"),
    path("", include("fundapp.notifications.api_urls")),
    path("", include("donors.api.urls")),
    path("", include("grants.api.urls")),
]
