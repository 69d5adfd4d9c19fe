from django.urls import path

from donors.views import manage, portal, public, reports

app_name = "donors"
urlpatterns = [
    # Everyone
    path("transparency/", public.transparency, name="transparency"),
    path("funding/", public.home, name="home"),
    # Donors, the secretariat and the Board
    path("funding/reports/", reports.reports_page, name="reports"),
    path("funding/reports/<int:year>.pdf", reports.annual_report, name="annual-report"),
    # Donor portal
    path("donor/", portal.portal, name="portal"),
    path("donor/contributions/", portal.portal_contributions, name="portal-contributions"),
    path("donor/pledges/", portal.portal_pledges, name="portal-pledges"),
    path("funding/contributions/<int:pk>/receipt.pdf", portal.receipt, name="receipt"),
    # Secretariat
    path("funding/donors/", manage.donor_list_view, name="donor-list"),
    path("funding/donors/new/", manage.donor_create_view, name="donor-create"),
    path("funding/donors/<int:pk>/", manage.donor_detail, name="donor-detail"),
    path("funding/donors/<int:pk>/edit/", manage.donor_edit_view, name="donor-edit"),
    path("funding/donors/<int:pk>/users/", manage.donor_link, name="donor-link"),
    path("funding/donors/<int:pk>/users/<int:user_pk>/remove/", manage.donor_unlink,
         name="donor-unlink"),
    path("funding/pledges/", manage.pledge_list_view, name="pledge-list"),
    path("funding/pledges/new/", manage.pledge_create_view, name="pledge-create"),
    path("funding/pledges/<int:pk>/cancel/", manage.pledge_cancel_view, name="pledge-cancel"),
    path("funding/contributions/", manage.contribution_list_view, name="contribution-list"),
    path("funding/contributions/new/", manage.contribution_create_view,
         name="contribution-create"),
    path("funding/contributions/<int:pk>/", manage.contribution_detail,
         name="contribution-detail"),
    path("funding/contributions/export.csv", manage.contribution_export_csv,
         name="contribution-export-csv"),
    path("funding/contributions/export.xlsx", manage.contribution_export_xlsx,
         name="contribution-export-xlsx"),
    path("funding/contributions/import/", manage.import_upload, name="import-upload"),
    path("funding/contributions/import/<int:pk>/", manage.import_preview,
         name="import-preview"),
    path("funding/rates/", manage.rates_view, name="rates"),
    path("funding/targets/", manage.targets_view, name="targets"),
    path("funding/targets/<int:year>/", manage.target_edit, name="target-edit"),
]
