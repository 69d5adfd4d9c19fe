"""Reads on grants: who sees which grant, and how much of it.

The secretariat and the board see every grant; an NGO user its organisation's; a donor
every grant but only its public fields (``sees_grant_details``); nobody else any.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from fundapp.accounts.roles import Role, roles_of, user_can
from grants.models import Grant, ReportDue, Tranche


def _organisation_id(user) -> int | None:
    membership = getattr(user, "membership", None) if Role.NGO in roles_of(user) else None
    return membership.organisation_id if membership is not None else None


def grants_visible_to(user) -> QuerySet[Grant]:
    qs = Grant.objects.select_related("application__organisation", "call").prefetch_related(
        Prefetch("tranches", queryset=Tranche.objects.order_by("position")),
        Prefetch("reports_due", queryset=ReportDue.objects.order_by("due_date", "id")))
    roles = roles_of(user)
    if user_can(user, "grant.view_all") or Role.DONOR in roles:
        return qs
    rule = Q(pk__in=[])
    if Role.NGO in roles:
        rule |= Q(application__organisation__memberships__user=user)
    return qs.filter(rule)


def sees_grant_details(user, grant: Grant) -> bool:
    """Tranches, reports and conditions: the secretariat, the board and the grantee."""
    if user_can(user, "grant.view_all"):
        return True
    org = getattr(user, "_fund_org", None)
    if org is None:
        org = user._fund_org = _organisation_id(user) or 0
    return bool(org) and grant.application.organisation_id == org


def can_list_grants(user) -> bool:
    roles = roles_of(user)
    return user_can(user, "grant.view_all") or Role.NGO in roles or Role.DONOR in roles


def filter_grants(qs: QuerySet[Grant], *, call=None, call_number=None, status=None,
                  organisation=None, country=None, search=None) -> QuerySet[Grant]:
    """The grant filter of every list (the API's and the portfolio page), from cleaned values.

    ``call`` is a call's id, ``call_number`` its number; ``country`` an ISO alpha-2 code of a
    country of implementation, in any case; ``search`` an agreement number, application
    reference or words of the title or organisation (``grants.selectors.search``). Empty
    values filter nothing.
    """
    if call:
        qs = qs.filter(call_id=call)
    if call_number:
        qs = qs.filter(call__number=call_number)
    if status:
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(application__organisation_id=organisation)
    if country:
        qs = qs.filter(application__countries__contains=country.upper())
    if search and search.strip():
        from grants.selectors.search import grants_matching

        qs = grants_matching(qs, search)
    return qs


def grant_list(user, **filters) -> QuerySet[Grant]:
    """Grants ``user`` may see, filtered as ``filter_grants`` says."""
    return filter_grants(grants_visible_to(user), **filters).order_by("-call__number", "sequence")


def get_grant_for(user, pk) -> Grant:
    grant = grants_visible_to(user).filter(pk=pk).first()
    if grant is None:
        raise Http404
    return grant


def get_grant_details_for(user, pk) -> Grant:
    """A grant whose details the user may see (404 for the others, donors included)."""
    grant = get_grant_for(user, pk)
    if not sees_grant_details(user, grant):
        raise Http404
    return grant
