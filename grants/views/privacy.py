"""Pages of personal data: a person's own data (download, close the account) and the
secretariat's view of the retention policy (what is due, run now)."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from fundapp.core.confirm import confirmation_required, is_confirmed
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.pagination import paginate
from grants.forms.privacy import AccountCloseForm
from grants.selectors.privacy import (
    closure_blockers,
    personal_data_of,
    retention_cutoff,
    retention_due,
    retention_years,
)
from grants.services.privacy import account_close, retention_run

CLOSE_WHAT = gettext_lazy(
    "Closing your account erases your name, e-mail address and password and signs you out "
    "everywhere: you can no longer sign in. The fund's records of what you did stay and "
    "show “Former member”.")
CLOSE_ACTION = gettext_lazy("Close my account")
RETENTION_WHAT = gettext_lazy(
    "Running the retention policy now anonymises every person listed: their names, e-mail "
    "addresses and sign-in are erased for good; the fund's records stay.")
RETENTION_ACTION = gettext_lazy("Anonymise them now")


def personal_data_response(user) -> HttpResponse:
    """The person's data as a JSON file to save (the page's button and the API)."""
    body = json.dumps(personal_data_of(user), cls=DjangoJSONEncoder, ensure_ascii=False,
                      indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="fundapp-my-data-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _my_data_page(request, form=None, status=200, error=None):
    return render(request, "grants/privacy/my_data.html", {
        "form": form or AccountCloseForm(), "blockers": closure_blockers(request.user),
        "close_what": CLOSE_WHAT, "close_action": CLOSE_ACTION, "error": error,
    }, status=status)


@login_required
@require_GET
def my_data(request):
    return _my_data_page(request)


@login_required
@require_GET
def my_data_download(request):
    return personal_data_response(request.user)


@login_required
@require_POST
def account_close_view(request):
    # Not the generic confirmation page: it would copy the password into the page.
    form = AccountCloseForm(request.POST)
    if not is_confirmed(request):
        return _my_data_page(request, form, 400, _(
            "Nothing has been done yet: tick “I understand what will happen” to close "
            "your account."))
    if not form.is_valid():
        return _my_data_page(request, form, 400)
    try:
        account_close(actor=request.user, password=form.cleaned_data["password"])
    except FundError as exc:
        for name, errors in exc.field_errors.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return _my_data_page(request, form, exc.status_code,
                             None if exc.field_errors else exc.message)
    logout(request)
    messages.success(request, _("Your account is closed. A last e-mail confirms it."))
    return redirect("home")


@capability_required("privacy.retention")
@require_GET
def retention(request):
    today = timezone.localdate()
    return render(request, "grants/privacy/retention.html", {
        "page": paginate(request, retention_due(today)), "years": retention_years(),
        "cutoff": retention_cutoff(today), "run_what": RETENTION_WHAT,
        "run_action": RETENTION_ACTION,
    })


@capability_required("privacy.retention")
@require_POST
@confirmation_required(RETENTION_WHAT, RETENTION_ACTION)
def retention_run_view(request):
    count = retention_run(actor=request.user, today=timezone.localdate())
    if count:
        messages.success(request, ngettext("%(n)s person anonymised.",
                                           "%(n)s people anonymised.", count) % {"n": count})
    else:
        messages.info(request, _("Nobody was due: nothing has changed."))
    return redirect("grants:retention")
