from django.urls import path
from rest_framework.routers import SimpleRouter

from . import annual_report, reports, views

router = SimpleRouter()
router.register("donors", views.DonorViewSet, basename="donor")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("contributions", views.ContributionViewSet, basename="contribution")
router.register("exchange-rates", views.ExchangeRateViewSet, basename="exchange-rate")
router.register("annual-targets", views.AnnualTargetViewSet, basename="annual-target")

urlpatterns = [
    path("reports/fund-summary/", reports.FundSummaryView.as_view(), name="api-fund-summary"),
    path("reports/iati/", reports.IatiView.as_view(), name="api-iati"),
    path("reports/annual/<int:year>/", annual_report.AnnualReportView.as_view(),
         name="api-annual-report"),
    *router.urls,
]
