from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from fundapp.accounts.roles import user_can


def capability_required(*capabilities: str) -> Callable:
    """Let in signed-in users holding any of ``capabilities``.

    Anonymous visitors are sent to the login page; signed-in users without the
    capability get 403 (role pages). Objects they may not see are 404 via the getters.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(user_can(request.user, c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
