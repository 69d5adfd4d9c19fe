"""Signed-in sessions are recorded at sign-in and forgotten at sign-out (connected in
``AccountsConfig.ready``); the writes are in ``services``."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from fundapp.core.throttling import client_ip

from . import services


@receiver(user_logged_in, dispatch_uid="accounts.session_record")
def _record_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    services.session_record(user=user, session_key=session.session_key,
                            ip=client_ip(request) or None,
                            user_agent=request.META.get("HTTP_USER_AGENT", ""))
    session[services.SESSION_SEEN_KEY] = services.now_stamp()


@receiver(user_logged_out, dispatch_uid="accounts.session_forget")
def _forget_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    services.session_forget(session_key=getattr(session, "session_key", None))
