"""Requests for information (secretariat): the form that asks an organisation for more on
its application. The answer is the application's own edit page and submit button; the
request and the difference it made are shown on the application page
(``templates/grants/information/partials/panel.html``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fundapp.core.decorators import capability_required
from fundapp.core.forms import form_status, form_submit
from grants.forms.information import InformationRequestForm
from grants.selectors.applications import get_application_for
from grants.selectors.information import may_request_information
from grants.services.information import information_request


@capability_required("application.screen")
@require_http_methods(["GET", "POST"])
def information_request_view(request, pk: int):
    app = get_application_for(request.user, pk)
    if request.method == "GET" and not may_request_information(request.user, app):
        messages.info(request, _("Information cannot be requested on this application now."))
        return redirect("grants:application-detail", pk=app.pk)
    form = InformationRequestForm(request.POST or None)
    if form_submit(request, form, lambda data: information_request(
            actor=request.user, application=app, **data)):
        messages.success(request, _("The request is sent to %(org)s.")
                         % {"org": app.organisation.name})
        return redirect("grants:application-detail", pk=app.pk)
    return render(request, "grants/information/request.html", {"app": app, "form": form},
                  status=form_status(form))
