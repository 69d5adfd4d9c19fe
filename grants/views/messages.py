"""Message threads: an application's (once submitted) and a grant's, between the secretariat
and the organisation's members. Showing a thread marks it read for the reader; the form
posts a message with its files. Everyone else gets a 404 (``get_thread_*_for``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fundapp.accounts.roles import Role, roles_of
from fundapp.core.decorators import capability_required
from fundapp.core.forms import form_status, form_submit
from fundapp.core.listing import Filter, Sort, listing
from fundapp.core.upload_limits import upload_limit
from grants.forms.messages import MessageForm
from grants.models import Message
from grants.selectors.messages import (
    get_message_attachment_for,
    get_thread_application_for,
    get_thread_grant_for,
    thread_is_open,
    thread_messages,
    threads_awaiting_answer,
)
from grants.selectors.organisations import org_can
from grants.services.messages import message_post, message_upload_bytes, thread_mark_read


def _may_write(user, org_id: int) -> bool:
    return Role.SECRETARIAT in roles_of(user) or org_can(user, org_id, "message.write")


def _thread_page(request, *, application=None, grant=None, url: str):
    thread = {"application": application} if application is not None else {"grant": grant}
    org = (application or grant.application).organisation
    form = MessageForm(request.POST or None, request.FILES or None)
    if done := form_submit(request, form, lambda data: message_post(
            actor=request.user, **thread, body=data["body"], files=data["files"])):
        messages.success(request, _("Your message is sent."))
        return redirect(f"{url}#message-{done.result.pk}")
    rows = list(thread_messages(request.user, **thread))
    if request.method == "GET":
        thread_mark_read(user=request.user, **thread)
    return render(request, "grants/messages/thread.html", {
        **thread, "organisation": org, "rows": rows, "form": form, "url": url,
        "unread": sum(1 for m in rows if not m.read),
        "open": thread_is_open(**thread), "can_write": _may_write(request.user, org.pk),
    }, status=form_status(form))


@upload_limit(message_upload_bytes)
@login_required
@require_http_methods(["GET", "POST"])
def application_thread(request, pk: int):
    app = get_thread_application_for(request.user, pk)
    return _thread_page(request, application=app,
                        url=reverse("grants:application-messages", args=[app.pk]))


@upload_limit(message_upload_bytes)
@login_required
@require_http_methods(["GET", "POST"])
def grant_thread(request, pk: int):
    grant = get_thread_grant_for(request.user, pk)
    return _thread_page(request, grant=grant,
                        url=reverse("grants:grant-messages", args=[grant.pk]))


def _download(attachment):
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def application_message_file(request, pk: int, file_pk: int):
    app = get_thread_application_for(request.user, pk)
    return _download(get_message_attachment_for(request.user, application=app, pk=file_pk))


@login_required
@require_GET
def grant_message_file(request, pk: int, file_pk: int):
    grant = get_thread_grant_for(request.user, pk)
    return _download(get_message_attachment_for(request.user, grant=grant, pk=file_pk))


# ---------------------------------------------------------------- secretariat: awaiting


def _last_body(field: str):
    return Subquery(Message.objects.filter(**{field: OuterRef("pk")})
                    .order_by("-created_at", "-id").values("body")[:1])


AWAITING_FILTERS = [
    Filter("kind", gettext_lazy("Thread"), choices=[
        ("application", gettext_lazy("Applications")), ("grant", gettext_lazy("Grants"))],
        apply=lambda qs, value: qs),  # picks which of the two lists is shown (below)
]
AWAITING_SORTS = [
    Sort("oldest", gettext_lazy("Waiting longest first"), "last_message_at"),
    Sort("newest", gettext_lazy("Most recent first"), "-last_message_at"),
]


@capability_required("application.screen")
def awaiting_answer_view(request):
    """The threads whose last message is an organisation's: what the secretariat still has
    to answer (``threads_awaiting_answer``, the work queue's count), oldest question first."""
    awaiting = threads_awaiting_answer(request.user)
    kind = request.GET.get("kind")
    found = listing(request, awaiting.applications, filters=AWAITING_FILTERS,
                    sorts=AWAITING_SORTS)
    rows = []
    if kind != "grant":
        for app in found.queryset.annotate(last_body=_last_body("application")):
            rows.append({"kind": "application", "at": app.last_message_at,
                         "body": app.last_body, "organisation": app.organisation,
                         "title": app.title, "reference": app.reference,
                         "url": reverse("grants:application-messages", args=[app.pk])})
    if kind != "application":
        grants = awaiting.grants.annotate(last_body=_last_body("grant"))
        for grant in grants:
            rows.append({"kind": "grant", "at": grant.last_message_at, "body": grant.last_body,
                         "organisation": grant.application.organisation,
                         "title": grant.application.title,
                         "reference": grant.agreement_number,
                         "url": reverse("grants:grant-messages", args=[grant.pk])})
    rows.sort(key=lambda r: r["at"], reverse=found.sort == "newest")
    found.page = Paginator(rows, found.size).get_page(request.GET.get("page"))
    return render(request, "grants/messages/awaiting.html", {
        "listing": found, "page": found.page})
