from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .two_factor import urls as two_factor_urls

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("preferences/", views.preferences, name="preferences"),
    path("two-factor/", include(two_factor_urls.urlpatterns)),
]
