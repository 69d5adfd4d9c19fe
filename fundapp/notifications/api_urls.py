from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read-all/", api.NotificationReadAllView.as_view(),
         name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(),
         name="api-notification-read"),
    path("notifications/deliveries/", api.DeliveryListView.as_view(),
         name="api-notification-deliveries"),
    path("notifications/deliveries/<int:pk>/resend/", api.DeliveryResendView.as_view(),
         name="api-notification-delivery-resend"),
    path("me/notification-preferences/", api.NotificationPreferencesView.as_view(),
         name="api-me-notification-preferences"),
]
