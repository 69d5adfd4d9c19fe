from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("calls", views.CallViewSet, basename="call")
router.register(r"calls/(?P<call_pk>\d+)/questions", views.CallQuestionViewSet,
                basename="call-question")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register(r"applications/(?P<application_pk>\d+)/attachments", views.AttachmentViewSet,
                basename="application-attachment")

urlpatterns = router.urls
