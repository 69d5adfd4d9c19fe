"""Builders for the personal-data tests."""

from fundapp.accounts.models import User
from grants.models import OrgRole
from tests.factories import ngo_user


def admin_of(organisation, **kwargs) -> User:
    return ngo_user(organisation, org_role=OrgRole.ADMIN, **kwargs)


def editor_of(organisation, **kwargs) -> User:
    return ngo_user(organisation, org_role=OrgRole.EDITOR, **kwargs)


def reread(user: User) -> User:
    return User.objects.get(pk=user.pk)
