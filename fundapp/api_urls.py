from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fundapp.accounts import api as accounts_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", accounts_api.ObtainTokenView.as_view(), name="api-token"),
    path("users/", accounts_api.UserListView.as_view(), name="api-users"),
    path("", include("fundapp.notifications.api_urls")),
    path("", include("donors.api.urls")),
    path("", include("grants.api.urls")),
]
