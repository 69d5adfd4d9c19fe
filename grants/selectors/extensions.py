"""Reads on deadline extensions: the one submission deadline of an application, and the
secretariat's list of a call's extensions.

An application is covered by its own active extension and by its organisation's active
extension on the same call; it may be submitted until the later of their ``until`` (or the
call's ``closes_at`` when that is later still). Every place that refuses after the deadline
asks ``submission_open`` (or ``submission_deadline``), never ``call.closes_at`` directly.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fundapp.accounts.roles import user_can
from grants.models import Application, Call, CallStatus, DeadlineExtension

# An extension is honoured only while the call is open or closed (not yet decided).
EXTENDABLE_CALL_STATUSES = (CallStatus.PUBLISHED, CallStatus.CLOSED)


def _active() -> QuerySet[DeadlineExtension]:
    return DeadlineExtension.objects.filter(revoked_at__isnull=True)


def _covering(call_id: int, organisation_id: int, application_id: int | None) -> Q:
    mine = Q(organisation_id=organisation_id)
    if application_id is not None:
        mine |= Q(application_id=application_id)
    return Q(call_id=call_id) & mine


def active_extension(application: Application) -> DeadlineExtension | None:
    """The active extension that gives ``application`` the most time, if any."""
    return (_active().filter(_covering(application.call_id, application.organisation_id,
                                       application.pk))
            .order_by("-until", "-id").first())


def organisation_extension(call: Call, organisation) -> DeadlineExtension | None:
    """The active extension of ``organisation`` as a whole on ``call`` (lets it start one)."""
    if organisation is None:
        return None
    return (_active().filter(call=call, organisation=organisation)
            .order_by("-until", "-id").first())


def _later(closes_at: datetime, extension: DeadlineExtension | None) -> datetime:
    if extension is None or extension.until <= closes_at:
        return closes_at
    return extension.until


def submission_deadline(application: Application) -> datetime:
    """The moment after which ``application`` can no longer be submitted."""
    return _later(application.call.closes_at, active_extension(application))


def _open_until(call: Call, deadline: datetime, now: datetime) -> bool:
    if call.is_accepting_submissions(now):
        return True
    return (call.status in EXTENDABLE_CALL_STATUSES and deadline > call.closes_at
            and call.opens_at <= now < deadline)


def submission_open(application: Application, *, call: Call | None = None,
                    now: datetime | None = None) -> bool:
    """May ``application`` be submitted now: its call is open, or an extension runs."""
    call = call or application.call
    now = now or timezone.now()
    if call.is_accepting_submissions(now):
        return True
    return _open_until(call, _later(call.closes_at, active_extension(application)), now)


def organisation_may_start(call: Call, organisation, *, now: datetime | None = None) -> bool:
    """May ``organisation`` start an application on ``call`` now (open, or extended for it)."""
    now = now or timezone.now()
    if call.is_accepting_submissions(now):
        return True
    return _open_until(call, _later(call.closes_at, organisation_extension(call, organisation)),
                       now)


def with_deadlines(applications) -> list[Application]:
    """Set ``deadline`` (and ``extended``) on each application, in one query for them all."""
    applications = list(applications)
    if not applications:
        return applications
    covering = Q()
    for app in applications:
        covering |= _covering(app.call_id, app.organisation_id, app.pk)
    extensions = list(_active().filter(covering).values(
        "call_id", "organisation_id", "application_id", "until"))
    for app in applications:
        untils = [ext["until"] for ext in extensions if ext["call_id"] == app.call_id and (
            ext["application_id"] == app.pk or ext["organisation_id"] == app.organisation_id)]
        app.deadline = max([app.call.closes_at, *untils])
        app.extended = app.deadline != app.call.closes_at
    return applications


def call_extensions(call: Call, *, include_revoked: bool = False
                    ) -> QuerySet[DeadlineExtension]:
    """A call's extensions, newest first, with what the secretariat's list shows."""
    qs = DeadlineExtension.objects.filter(call=call).select_related(
        "application", "application__organisation", "organisation", "granted_by")
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    return qs.order_by("-granted_at", "-id")


def extensions_visible_to(user) -> QuerySet[DeadlineExtension]:
    """Extensions are the secretariat's: nobody else lists them."""
    if not user_can(user, "call.manage"):
        return DeadlineExtension.objects.none()
    return DeadlineExtension.objects.select_related("call", "application", "organisation")


def get_extension_for(user, pk) -> DeadlineExtension:
    extension = extensions_visible_to(user).filter(pk=pk).first()
    if extension is None:
        raise Http404
    return extension
