"""State changes through django-fsm transitions, refused the same way everywhere.

Every status of FundApp (applications, calls, reviews, grants, progress reports, Board
sessions, organisations, pledges) is an ``FSMField`` whose changes are ``@transition``
methods on the model: the source states, the target and the ``conditions=`` that are facts
of the row itself. A service never assigns ``status``; it runs the transition::

    require_transition(call.publish, _("Only a draft call can be published."))  # check early
    ...
    run_transition(grant.cancel, _("This grant can no longer be cancelled."), reason=reason)

Both raise ``StateConflict`` (409 in the API) with the service's message when the current
state (or a condition) does not allow the transition; ``error`` may also be a
``StateConflict`` instance or subclass, for services with their own (e.g. ``SessionClosed``).
Permissions stay in the services (``user_can``), checked before the state.
"""

from django_fsm import TransitionNotAllowed, can_proceed

from .errors import StateConflict


def _conflict(error) -> StateConflict:
    if isinstance(error, StateConflict):
        return error
    if isinstance(error, type) and issubclass(error, StateConflict):
        return error()
    return StateConflict(error)


def require_transition(transition, error=None) -> None:
    """``StateConflict(error)`` unless the bound ``transition`` may run now (state and
    conditions)."""
    if not can_proceed(transition):
        raise _conflict(error)


def run_transition(transition, error=None, *args, **kwargs):
    """Run the bound ``transition`` (its arguments after ``error``) and return its result;
    ``StateConflict(error)`` when the state or a condition does not allow it. The caller
    saves the row."""
    require_transition(transition, error)
    try:
        return transition(*args, **kwargs)
    except TransitionNotAllowed as exc:
        raise _conflict(error) from exc
