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


@register.simple_tag(takes_context=True)
def language_next(context) -> str:
    """Where the language menu returns: this page, or for a page shown in answer to a POST
    the page before it when it is on this site (never another site's address), else home."""
    from django.utils.http import url_has_allowed_host_and_scheme

    request = context.get("request")
    if request is None:
        return "/"
    if request.method == "GET":
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer
    return "/"
