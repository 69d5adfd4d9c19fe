"""How a person is named on pages, in exports and in e-mails.

A closed or anonymised account keeps its row (so applications, reviews, votes, payments and
the audit trail keep their links) but no name: it is shown as "Former member".
"""

from django.utils.translation import gettext_lazy as _

FORMER_MEMBER = _("Former member")


def is_anonymised(user) -> bool:
    return getattr(user, "anonymised_at", None) is not None


def person_name(user) -> str:
    """The name to print for ``user``; "Former member" once anonymised, "" for None."""
    if user is None:
        return ""
    if is_anonymised(user):
        return str(FORMER_MEMBER)
    return user.get_full_name() or user.username
