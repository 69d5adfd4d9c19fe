"""Message threads on other pages: the "Messages" link with its unread badge (application and
grant pages) and unread counts for a page of a list (one query for the whole page).

``{% load threads %}``, then ``{% thread_link application=app %}`` or
``{% thread_link grant=grant %}`` (nothing for those who may not read the thread), and
``{% unread_counts page.object_list as unread %}`` … ``{% unread_badge unread app.pk %}``
(``grants=`` for a list of grants).
"""

from django import template
from django.urls import reverse

from grants.selectors.messages import may_read_thread, thread_is_open, unread_counts_for

register = template.Library()


@register.inclusion_tag("grants/messages/partials/link.html", takes_context=True)
def thread_link(context, application=None, grant=None) -> dict:
    user = context["request"].user
    thread = {"application": application} if application is not None else {"grant": grant}
    if not may_read_thread(user, **thread) or not thread_is_open(**thread):
        return {"href": None}
    if application is not None:
        href = reverse("grants:application-messages", args=[application.pk])
        unread = unread_counts_for(user, applications=[application]).get(application.pk, 0)
    else:
        href = reverse("grants:grant-messages", args=[grant.pk])
        unread = unread_counts_for(user, grants=[grant]).get(grant.pk, 0)
    return {"href": href, "unread": unread}


@register.simple_tag(takes_context=True)
def unread_counts(context, objects, kind: str = "applications") -> dict[int, int]:
    """Unread messages per row of ``objects`` (applications, or grants with
    ``kind="grants"``) for the signed-in user."""
    user = context["request"].user
    return unread_counts_for(user, **{kind: list(objects)})


@register.inclusion_tag("grants/messages/partials/badge.html")
def unread_badge(counts: dict, pk) -> dict:
    return {"unread": (counts or {}).get(pk, 0)}
