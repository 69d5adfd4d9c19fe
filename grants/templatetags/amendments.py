"""A grant's amendments on its page: ``{% load amendments %}{% grant_amendments grant %}``
shows the latest changes (kind, who requested and decided, the difference) and the stored
versions of the agreement, for the grantee's members and the secretariat only (nothing for
the others). A fixed number of queries."""

from django import template

from grants.selectors.amendments import (
    agreement_versions,
    amendment_differences,
    grant_amendments,
    sees_amendments,
)
from grants.services.amendments import AMENDABLE

register = template.Library()
SHOWN = 5


@register.inclusion_tag("grants/amendments/partials/section.html", takes_context=True)
def grant_amendments_section(context, grant) -> dict:
    user = context["request"].user
    if not sees_amendments(user, grant):
        return {"visible": False}
    amendments = list(grant_amendments(grant)[:SHOWN + 1])
    return {"visible": True, "grant": grant, "more": len(amendments) > SHOWN,
            "rows": [{"amendment": a, "differences": amendment_differences(a)}
                     for a in amendments[:SHOWN]],
            "versions": agreement_versions(grant), "amendable": grant.status in AMENDABLE}
