"""``{% application_status app as st %}``: the status the signed-in reader may see.

Applicants see every stage between submission and the Board's decision as "Under review";
see ``grants.selectors.applications.status_seen_by``.
"""

from dataclasses import dataclass

from django import template

from grants.selectors.applications import status_label, status_seen_by

register = template.Library()


@dataclass(frozen=True)
class SeenStatus:
    value: str
    label: str

    def __str__(self) -> str:
        return self.label


@register.simple_tag(takes_context=True)
def application_status(context, app) -> SeenStatus:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    value = status_seen_by(user, app) if user is not None else app.status
    return SeenStatus(value=value, label=status_label(value))
