"""``{% load navigation %}``: ``{% main_nav %}`` renders the main navigation of
``fundapp.core.navigation`` (``templates/partials/mainnav.html``)."""

from django import template

from fundapp.core.navigation import main_nav as build_main_nav

register = template.Library()


@register.inclusion_tag("partials/mainnav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    return {"entries": build_main_nav(request) if request is not None else [],
            "request": request, "user": context.get("user"),
            "unread_notifications": context.get("unread_notifications")}
