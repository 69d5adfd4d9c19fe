from django.urls import path

from grants.views import applications, calls, organisations

app_name = "grants"
urlpatterns = [
    # Public calls and questions
    path("calls/", calls.call_list, name="call-list"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/questions/", calls.call_ask, name="call-ask"),
    path("calls/<int:pk>/apply/", applications.call_apply, name="call-apply"),
    # Secretariat: calls
    path("manage/calls/", calls.call_manage_list, name="call-manage-list"),
    path("manage/calls/new/", calls.call_create_view, name="call-create"),
    path("manage/calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("manage/calls/<int:pk>/publish/", calls.call_publish_view, name="call-publish"),
    path("manage/calls/<int:pk>/close/", calls.call_close_view, name="call-close"),
    path("manage/calls/<int:pk>/questions/", calls.call_questions, name="call-questions"),
    path("manage/questions/<int:pk>/answer/", calls.question_answer, name="question-answer"),
    # Organisations
    path("organisation/", organisations.my_organisation, name="my-organisation"),
    path("organisation/edit/", organisations.my_organisation_edit,
         name="my-organisation-edit"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/verify/", organisations.organisation_verify_view,
         name="organisation-verify"),
    # Applications
    path("my/applications/", applications.my_applications, name="my-applications"),
    path("applications/", applications.application_list_view, name="application-list"),
    path("applications/<int:pk>/", applications.application_detail,
         name="application-detail"),
    path("applications/<int:pk>/edit/", applications.application_edit,
         name="application-edit"),
    path("applications/<int:pk>/autosave/", applications.application_autosave,
         name="application-autosave"),
    path("applications/<int:pk>/budget-line/", applications.application_budget_row,
         name="application-budget-line"),
    path("applications/<int:pk>/submit/", applications.application_submit_view,
         name="application-submit"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw_view,
         name="application-withdraw"),
    path("applications/<int:pk>/attachments/", applications.attachment_upload,
         name="attachment-upload"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
         applications.attachment_delete, name="attachment-delete"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/download/",
         applications.attachment_download, name="attachment-download"),
]
