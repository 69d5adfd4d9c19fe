from fundapp.core.throttling import client_ip

from . import services


class SessionActivityMiddleware:
    """Note when a signed-in session was last seen, at most every few minutes.

    The time of the last note is kept in the session itself, so most requests cost no
    query. A session signed in before sessions were recorded is recorded on its next visit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (user is not None and user.is_authenticated and session is not None
                and session.session_key and services.session_due(session)):
            services.session_record(user=user, session_key=session.session_key,
                                    ip=client_ip(request) or None,
                                    user_agent=request.META.get("HTTP_USER_AGENT", ""))
            session[services.SESSION_SEEN_KEY] = services.now_stamp()
        return self.get_response(request)
