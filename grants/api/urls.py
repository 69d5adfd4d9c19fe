from django.urls import path
from rest_framework.routers import SimpleRouter

from . import impact, letters, registration  # issue 14: the API covers the rest of the pages

from . import (
    amendments,
    applications,
    awards,
    board,
    calls,
    extensions,
    implementation,
    information,
    messages,
    organisations,
    people,
    privacy,
    ranking,
    refunds,
    reviews,
    screening,
    suspensions,
)

router = SimpleRouter()
router.register("calls", calls.CallViewSet, basename="call")
router.register(r"calls/(?P<call_pk>\d+)/questions", calls.CallQuestionViewSet,
                basename="call-question")
router.register("organisations", organisations.OrganisationViewSet, basename="organisation")
router.register(r"organisations/(?P<organisation_pk>\d+)/members",
                organisations.MemberViewSet, basename="organisation-member")
router.register(r"organisations/(?P<organisation_pk>\d+)/invitations",
                organisations.OrganisationInvitationViewSet,
                basename="organisation-invitation")
router.register("invitations", organisations.InvitationAcceptViewSet, basename="invitation")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register(r"applications/(?P<application_pk>\d+)/attachments", applications.AttachmentViewSet,
                basename="application-attachment")
router.register(r"applications/(?P<application_pk>\d+)/messages",
                messages.ApplicationMessageViewSet, basename="application-message")
router.register(r"grants/(?P<grant_pk>\d+)/messages", messages.GrantMessageViewSet,
                basename="grant-message")
router.register(r"grants/(?P<grant_pk>\d+)/amendments", amendments.AmendmentViewSet,
                basename="grant-amendment")
router.register(r"grants/(?P<grant_pk>\d+)/agreement-versions",
                amendments.AgreementVersionViewSet, basename="grant-agreement-version")
# Screening and review: actions under the same prefixes, their own view sets.
router.register("applications", screening.ApplicationScreeningViewSet,
                basename="application-screening")
router.register("applications", reviews.ApplicationReviewViewSet, basename="application-review")
router.register("applications", information.ApplicationInformationViewSet,
                basename="application-information")
router.register("calls", reviews.CallReviewViewSet, basename="call-review")
router.register("calls", ranking.CallRankingViewSet, basename="call-ranking")
router.register(r"calls/(?P<call_pk>\d+)/extensions", extensions.CallExtensionViewSet,
                basename="call-extension")
router.register("applications", extensions.ApplicationExtensionViewSet,
                basename="application-extension")
router.register("sanctions-lists", screening.SanctionsListViewSet, basename="sanctions-list")
router.register("reviews", reviews.ReviewViewSet, basename="review")
router.register("reviewers", reviews.ReviewerViewSet, basename="reviewer")
router.register("board/sessions", board.BoardSessionViewSet, basename="board-session")
router.register("board/members", board.BoardMembershipViewSet, basename="board-member")
router.register("grants", awards.GrantViewSet, basename="grant")
router.register("grants", implementation.GrantImplementationViewSet,
                basename="grant-implementation")
router.register("grants", suspensions.GrantSuspensionViewSet, basename="grant-suspension")
router.register("grants", refunds.GrantRefundViewSet, basename="grant-refund")
# People (secretariat): "users/" itself is fundapp.accounts' list; these sit below it.
router.register("users/invitations", people.StaffInvitationViewSet, basename="staff-invitation")
router.register("users", people.UserAccessViewSet, basename="user-access")

urlpatterns = [
    path("me/data/", privacy.MyDataView.as_view(), name="me-data"),
    path("auth/register/", registration.RegistrationView.as_view(), name="api-register"),
    path("reports/impact/", impact.ImpactView.as_view(), name="api-impact"),
    path("applications/<int:pk>/decision-letter/", letters.DecisionLetterView.as_view(),
         name="api-decision-letter"),
    path("grants/<int:pk>/agreement/", letters.AgreementView.as_view(), name="api-agreement"),
    path("me/close/", privacy.AccountCloseView.as_view(), name="me-close"),
    *router.urls,
]
