"""Forms meet services: a valid form's data goes to one service call, its errors come back.

::

    form = DonorForm(request.POST or None)
    if done := form_submit(request, form, lambda data: donor_create(
            actor=request.user, values=data)):
        messages.success(request, _("Donor added."))
        return redirect("donors:donor-detail", pk=done.result.pk)
    return render(request, "donors/manage/donor_form.html", {"form": form},
                  status=form_status(form))

and, for a button that posts no form (publish, close, cancel…)::

    run_action(request, lambda: call_publish(actor=request.user, call=call),
               success=_("The call is published."))
    return redirect("grants:call-manage-list")
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages

from .errors import FundError


def apply_errors(form: forms.Form, exc: FundError, *, prefix_map: dict | None = None,
                 field_prefix: str = "") -> None:
    """Show a domain error on the form: field errors next to their fields, others on top."""
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
        return
    prefix_map = prefix_map or {}
    for field, messages_ in exc.field_errors.items():
        name = prefix_map.get(field, f"{field_prefix}{field}")
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, str(message))


@dataclass(frozen=True)
class Done:
    """The service ran: ``result`` is what it returned (truthy even when that is None)."""

    result: Any = None


def form_submit(request, form: forms.Form, action: Callable[[dict], Any], *,
                prefix_map: dict | None = None, field_prefix: str = "") -> Done | None:
    """On a POST whose form is valid, ``action(form.cleaned_data)``.

    ``Done(result)`` when the service succeeded; ``None`` on a GET, an invalid form, or a
    ``FundError`` (whose messages are then on the form, see ``apply_errors``).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return Done(action(form.cleaned_data))
    except FundError as exc:
        apply_errors(form, exc, prefix_map=prefix_map, field_prefix=field_prefix)
        return None


def form_status(form: forms.Form) -> int:
    """400 for a posted form with errors (so tests and tools see the refusal), else 200."""
    return 400 if form.is_bound and form.errors else 200


def run_action(request, action: Callable[[], Any], *,
               success: str | Callable[[Any], str] | None = None) -> Done | None:
    """Run a service for a posted button; its ``FundError`` becomes an error message.

    ``success`` (a text, or a function of the service's result) is shown when it worked.
    """
    try:
        result = action()
    except FundError as exc:
        messages.error(request, str(exc.message))
        return None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return Done(result)
