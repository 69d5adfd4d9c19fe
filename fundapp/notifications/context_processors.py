from .selectors import unread_count


def unread_notifications(request) -> dict:
    """The navigation badge: one indexed COUNT for signed-in users, nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
