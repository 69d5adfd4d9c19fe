from django.db.models import Count, QuerySet
from django.http import Http404

from fundapp.accounts.roles import user_can
from grants.models import Membership, Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    qs = (Organisation.objects.annotate(member_count=Count("memberships", distinct=True))
          .order_by("name", "id"))
    if user_can(user, "organisation.view_all"):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(memberships__user=user)


def get_organisation_for(user, pk) -> Organisation:
    org = organisations_visible_to(user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def organisation_of(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    return membership.organisation if membership else None
