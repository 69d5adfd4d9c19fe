"""Reads on message threads: who may read a thread, its messages with the reader's unread
markers, unread counts for lists, and the threads awaiting an answer.

A thread is an application's (once submitted) or a grant's. Only the secretariat and the
members of the organisation it belongs to see it: reviewers, Board members, donor staff and
other organisations get a 404, as for anything they may not see. A message is unread for a
reader when someone else wrote it after the reader's ``ThreadRead.read_at`` (own messages are
always read).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from fundapp.accounts.roles import Role, roles_of
from grants.models import (
    Application,
    ApplicationStatus,
    Grant,
    Membership,
    Message,
    MessageAttachment,
    ThreadRead,
)

# --- who may read ------------------------------------------------------------------------


def _is_secretariat(user) -> bool:
    return Role.SECRETARIAT in roles_of(user)


def _member_organisation_id(user) -> int | None:
    """The organisation of an NGO user (cached on the user), None for anyone else."""
    if Role.NGO not in roles_of(user):
        return None
    cached = getattr(user, "_thread_org_id", False)
    if cached is False:
        cached = (Membership.objects.filter(user=user)
                  .values_list("organisation_id", flat=True).first())
        user._thread_org_id = cached
    return cached


def reads_threads(user) -> bool:
    """Whether ``user`` may read some thread at all (the secretariat and NGO members)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return _is_secretariat(user) or _member_organisation_id(user) is not None


def _organisation_of_thread(*, application=None, grant=None) -> int:
    if application is not None:
        return application.organisation_id
    return grant.application.organisation_id


def may_read_thread(user, *, application=None, grant=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_secretariat(user):
        return True
    org_id = _member_organisation_id(user)
    return org_id is not None and org_id == _organisation_of_thread(
        application=application, grant=grant)


def thread_is_open(*, application=None, grant=None) -> bool:
    """An application's thread opens once it is submitted; a grant's is always open."""
    return application is None or application.status != ApplicationStatus.DRAFT


def get_thread_application_for(user, pk) -> Application:
    """The application whose thread ``user`` may read (404 otherwise)."""
    app = Application.objects.select_related("call", "organisation").filter(pk=pk).first()
    if app is None or not may_read_thread(user, application=app):
        raise Http404
    return app


def get_thread_grant_for(user, pk) -> Grant:
    """The grant whose thread ``user`` may read (404 otherwise)."""
    grant = (Grant.objects.select_related("application__organisation", "call")
             .filter(pk=pk).first())
    if grant is None or not may_read_thread(user, grant=grant):
        raise Http404
    return grant


def _thread_filter(*, application=None, grant=None) -> Q:
    if (application is None) == (grant is None):
        raise ValueError("A thread is one application's or one grant's.")
    return Q(application=application) if application is not None else Q(grant=grant)


# --- one thread --------------------------------------------------------------------------


def read_marker(user, *, application=None, grant=None) -> datetime | None:
    marker = ThreadRead.objects.filter(_thread_filter(application=application, grant=grant),
                                       user=user).values_list("read_at", flat=True).first()
    return marker


def _marker_subquery(user, thread_field: str):
    return Subquery(ThreadRead.objects.filter(user=user, **{thread_field: OuterRef(thread_field)})
                    .values("read_at")[:1])


def thread_messages(user, *, application=None, grant=None) -> QuerySet[Message]:
    """The thread's messages, oldest first, with ``read`` for ``user`` and their author and
    attachments loaded (three queries whatever the number of messages)."""
    field = "application" if application is not None else "grant"
    read = Case(
        When(author=user, then=Value(True)),
        When(created_at__lte=_marker_subquery(user, field), then=Value(True)),
        default=Value(False), output_field=BooleanField())
    return (Message.objects.filter(_thread_filter(application=application, grant=grant))
            .select_related("author")
            .prefetch_related("attachments")
            .annotate(read=read)
            .order_by("created_at", "id"))


def get_message_attachment_for(user, *, application=None, grant=None, pk) -> MessageAttachment:
    """An attachment of a message in a thread ``user`` may read (the caller fetched the
    thread through its getter); 404 for any other."""
    attachment = (MessageAttachment.objects
                  .filter(pk=pk, message__in=Message.objects.filter(
                      _thread_filter(application=application, grant=grant)))
                  .first())
    if attachment is None:
        raise Http404
    return attachment


# --- lists: unread counts ----------------------------------------------------------------


def _ids(objects) -> list[int]:
    return [getattr(o, "pk", o) for o in objects]


def unread_counts_for(user, *, applications=(), grants=()) -> dict[int, int]:
    """Unread messages per application (or per grant) id among ``applications`` (or
    ``grants``): objects or ids. One query for the lot; none for a user who reads no thread.
    Ids without unread messages are absent (use ``.get(pk, 0)``)."""
    field = "application" if applications else "grant"
    ids = _ids(applications or grants)
    if not ids or not reads_threads(user):
        return {}
    marker = _marker_subquery(user, field)
    rows = (Message.objects.filter(**{f"{field}_id__in": ids})
            .exclude(author=user)
            .filter(~Exists(ThreadRead.objects.filter(user=user, **{field: OuterRef(field)}))
                    | Q(created_at__gt=marker))
            .order_by().values(f"{field}_id").annotate(n=Count("id")))
    if not _is_secretariat(user):
        org_id = _member_organisation_id(user)
        org_path = ("application__organisation_id" if field == "application"
                    else "grant__application__organisation_id")
        rows = rows.filter(**{org_path: org_id})
    return {row[f"{field}_id"]: row["n"] for row in rows}


# --- awaiting an answer ------------------------------------------------------------------


@dataclass
class AwaitingThreads:
    """Threads whose last message came from the other side: ``applications`` and ``grants``
    querysets, each row annotated with ``last_message_at``."""

    applications: QuerySet[Application]
    grants: QuerySet[Grant]

    @property
    def count(self) -> int:
        return self.applications.count() + self.grants.count()


def _last(field: str, value: str):
    return Subquery(Message.objects.filter(**{field: OuterRef("pk")})
                    .order_by("-created_at", "-id").values(value)[:1])


def _awaiting(qs: QuerySet, field: str, *, from_secretariat: bool) -> QuerySet:
    return (qs.annotate(last_from_secretariat=_last(field, "from_secretariat"),
                        last_message_at=_last(field, "created_at"))
            .filter(last_from_secretariat=from_secretariat)
            .order_by("last_message_at", "pk"))


def threads_awaiting_answer(user) -> AwaitingThreads:
    """The threads ``user``'s side has still to answer, oldest question first.

    For the secretariat: every thread whose last message is an organisation's. For an NGO
    member: their organisation's threads whose last message is the secretariat's. Nobody
    else reads threads, so for them both querysets are empty. Issue 15's work queues count
    these (``.count``) and list them.
    """
    apps = Application.objects.select_related("call", "organisation")
    grants = Grant.objects.select_related("application__organisation", "call")
    if not reads_threads(user):
        return AwaitingThreads(apps.none(), grants.none())
    secretariat = _is_secretariat(user)
    if not secretariat:
        org_id = _member_organisation_id(user)
        apps = apps.filter(organisation_id=org_id)
        grants = grants.filter(application__organisation_id=org_id)
    return AwaitingThreads(
        _awaiting(apps, "application", from_secretariat=not secretariat),
        _awaiting(grants, "grant", from_secretariat=not secretariat))
