"""The one family of domain errors raised by services.

The DRF exception handler turns them into 400/403/404/409 JSON; web views turn
them into form errors or messages.
"""

from django.utils.translation import gettext_lazy as _


class FundError(Exception):
    status_code = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, field_errors: dict | None = None):
        self.message = message or self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))

    @classmethod
    def on(cls, field: str, *messages, message=None) -> "FundError":
        """The error for one field: ``raise ValidationFailed.on("reason", _("Say why."))``."""
        return cls(message, field_errors={field: [str(m) for m in messages]})

    def as_data(self) -> dict:
        if self.field_errors:
            return {k: [str(m) for m in v] for k, v in self.field_errors.items()}
        return {"detail": str(self.message)}

    def summary(self) -> str:
        """One line for a page's message: the field errors in a run-on list, or the
        message when there are none."""
        from fundapp.core.formatting import run_on

        return run_on(m for ms in self.field_errors.values() for m in ms) or str(self.message)


class ValidationFailed(FundError):
    status_code = 400
    default_message = _("Some of the data is not valid.")


class StateConflict(FundError):
    status_code = 409
    default_message = _("This action is not allowed in the object's current state.")


class NotAllowed(FundError):
    status_code = 403
    default_message = _("You are not allowed to do this.")


class NotFound(FundError):
    status_code = 404
    default_message = _("Not found.")


class Errors(dict):
    """Field → messages, filled with ``add``, raised at once with ``raise_if_any``.

    ::

        errors = Errors()
        if not name:
            errors.add("name", _("Enter the name."))
        errors.raise_if_any()          # ValidationFailed(field_errors=errors) if any
    """

    def add(self, field: str, message) -> None:
        self.setdefault(field, []).append(str(message))

    def raise_if_any(self, error: type[FundError] = ValidationFailed, message=None) -> None:
        if self:
            raise error(message, field_errors=self)
