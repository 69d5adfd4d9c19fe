from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read-all/", api.NotificationReadAllView.as_view(),
         name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(),
         name="api-notification-read"),
]
