from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/read/", views.mark_read, name="mark-read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("preferences/", views.preferences, name="preferences"),
    path("delivery/", views.monitor, name="monitor"),
    path("delivery/<int:pk>/resend/", views.resend, name="resend"),
]
