from django import forms

from .errors import FundError


def apply_errors(form: forms.Form, exc: FundError, *, prefix_map: dict | None = None,
                 field_prefix: str = "") -> None:
    """Show a domain error on the form: field errors next to their fields, others on top."""
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
        return
    prefix_map = prefix_map or {}
    for field, messages in exc.field_errors.items():
        name = prefix_map.get(field, f"{field_prefix}{field}")
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))
