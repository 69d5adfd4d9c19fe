"""Writes on personal data: a person closes their account, and the retention policy
anonymises the people of never-funded organisations.

Anonymising erases the person, not the fund's records: the account row stays (so
applications, reviews, votes, decisions, payments and the audit trail keep their links and
show "Former member"), but its names, e-mail, password, sessions, tokens, second factors,
preferences and received notifications go, and so do copies of their name and address in
the organisation's contact details, the organisation's history, invitations, sign-in logs,
audit rows and other people's notifications. The audit row of the anonymisation itself
holds counts only.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role
from fundapp.accounts.selectors import users_with_role
from fundapp.accounts.services import sessions_end, tokens_revoke
from fundapp.core.audit import audit_record
from fundapp.core.errors import StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import (
    DeliveryState,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from fundapp.notifications.rendering import build_email
from fundapp.notifications.services import notify
from grants.models import Invitation, Membership, Organisation, ReviewerProfile
from grants.selectors.privacy import (
    closure_blockers,
    retention_cutoff,
    retention_due,
    retention_years,
)

logger = logging.getLogger(__name__)

CLOSED_BY_PERSON = "closed_by_person"
RETENTION = "retention_never_funded"


@dataclass
class Identity:
    """What identified the person before anonymising: held in memory only, to find copies."""

    pk: int
    username: str
    first_name: str
    last_name: str
    emails: set[str] = field(default_factory=set)

    @property
    def names(self) -> set[str]:
        full = f"{self.first_name} {self.last_name}".strip()
        return {n for n in (self.first_name, self.last_name, full) if len(n) > 1}

    @property
    def new_username(self) -> str:
        return f"former-member-{self.pk}"

    def scrub(self, value):
        """``value`` with this person's addresses and names taken out (recursively)."""
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if not isinstance(value, str):
            return value
        if value == self.username:
            return self.new_username
        if value.strip() in self.names:
            return ""
        for email in self.emails:
            value = re.sub(re.escape(email), "", value, flags=re.IGNORECASE)
        return value

    def scrub_label(self, label: str) -> str:
        pattern = rf"(?<![\w.@+-]){re.escape(self.username)}(?![\w.@+-])"
        return re.sub(pattern, self.new_username, self.scrub(label))


def _identity(user: User) -> Identity:
    who = Identity(pk=user.pk, username=user.username, first_name=user.first_name.strip(),
                   last_name=user.last_name.strip())
    who.emails = {e.lower() for e in _known_addresses(user) if e}
    return who


def _known_addresses(user: User) -> set[str]:
    """The current address and any earlier one recorded when it changed."""
    addresses = {user.email}
    own = AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(User),
                                    target_id=str(user.pk))
    for before, after in own.values_list("before", "after"):
        for data in (before, after):
            addresses |= {v for k, v in (data or {}).items()
                          if "email" in k and isinstance(v, str) and "@" in v}
    return addresses


# --- the pieces of anonymising -------------------------------------------------------------


def _end_access(user: User) -> dict:
    counts = {"sessions": sessions_end(user), "tokens": tokens_revoke(user)}
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    counts["second_factors"] = len(devices)
    return counts


def _erase_account(user: User, who: Identity) -> None:
    user.username = who.new_username
    user.first_name = user.last_name = user.email = ""
    user.password = make_password(None)
    user.is_active = user.is_staff = user.is_superuser = user.email_verified = False
    user.language, user.timezone = "en", "UTC"
    user.anonymised_at = timezone.now()
    user.save()


def _scrub_notifications(user: User, who: Identity, keep: set[int]) -> dict:
    received = Notification.objects.filter(recipient=user).exclude(pk__in=keep).delete()[0]
    by_address = Q()
    for email in who.emails:
        by_address |= Q(recipient__isnull=True, email__iexact=email)
    addressed = Notification.objects.filter(by_address).delete()[0] if who.emails else 0
    NotificationPreference.objects.filter(user=user).delete()
    mentions = Q()
    for needle in who.emails | who.names | {who.username}:
        mentions |= Q(data__icontains=needle) | Q(last_error__icontains=needle)
    changed = []
    for n in Notification.objects.filter(mentions).exclude(pk__in=keep).iterator():
        data, error = who.scrub(n.data), who.scrub(n.last_error)
        if (data, error) != (n.data, n.last_error):
            n.data, n.last_error = data, error
            changed.append(n)
    Notification.objects.bulk_update(changed, ["data", "last_error"])
    return {"notifications_deleted": received + addressed, "notifications_scrubbed": len(changed)}


def _scrub_audit(who: Identity) -> int:
    mentions = Q(target_repr__icontains=who.username)
    for needle in who.emails | who.names:
        mentions |= (Q(before__icontains=needle) | Q(after__icontains=needle)
                     | Q(note__icontains=needle) | Q(target_repr__icontains=needle))
    changed = []
    for e in AuditEvent.objects.filter(mentions).iterator():
        new = (who.scrub(e.before), who.scrub(e.after), who.scrub(e.note),
               who.scrub_label(e.target_repr))
        if new != (e.before, e.after, e.note, e.target_repr):
            e.before, e.after, e.note, e.target_repr = new
            changed.append(e)
    AuditEvent.objects.bulk_update(changed, ["before", "after", "note", "target_repr"])
    return len(changed)


def _contact_is(who: Identity) -> Q:
    match = Q(pk__in=[])
    for email in who.emails:
        match |= Q(contact_email__iexact=email)
    full = f"{who.first_name} {who.last_name}".strip()
    if full:
        match |= Q(contact_name__iexact=full)
    return match


def _scrub_organisation(user: User, who: Identity) -> int:
    """The organisation's contact person, when that was this person (name or address):
    its name, e-mail and phone, now and in the organisation's history."""
    org_ids = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    if not org_ids:
        return 0
    blank = {"contact_name": "", "contact_email": "", "contact_phone": ""}
    current = Organisation.objects.filter(pk__in=org_ids).filter(_contact_is(who)).update(**blank)
    Organisation.history.filter(id__in=org_ids).filter(_contact_is(who)).update(**blank)
    return current


def _scrub_invitations(user: User, who: Identity) -> int:
    addressed = Q(accepted_by=user)
    for email in who.emails:
        addressed |= Q(email__iexact=email)
    Invitation.objects.pending().filter(addressed).update(revoked_at=timezone.now())
    count = Invitation.objects.filter(addressed).update(email="")
    history = Q(pk__in=[])
    for email in who.emails:
        history |= Q(email__iexact=email)
    Invitation.history.filter(history).update(email="")
    return count


def _scrub_sign_in_logs(who: Identity) -> int:
    return sum(model.objects.filter(username=who.username).delete()[0]
               for model in (AccessAttempt, AccessFailureLog, AccessLog))


def _anonymise(user: User, *, keep_notifications: set[int] = frozenset()) -> dict:
    """Erase ``user`` as a person (call inside a transaction, the user's row locked)."""
    who = _identity(user)
    counts = _end_access(user)
    counts.update(_scrub_notifications(user, who, set(keep_notifications)))
    counts["organisation_contacts"] = _scrub_organisation(user, who)
    counts["memberships"] = Membership.objects.filter(user=user).delete()[0]
    counts["invitations"] = _scrub_invitations(user, who)
    counts["reviewer_profile"] = ReviewerProfile.objects.filter(user=user).update(expertise="")
    counts["sign_in_logs"] = _scrub_sign_in_logs(who)
    counts["audit_rows"] = _scrub_audit(who)
    _erase_account(user, who)
    return counts


# --- closing one's own account -------------------------------------------------------------


def _farewell(user: User) -> Notification:
    """The last e-mail, "your account was closed", rendered while the address is still
    there and sent once the closure is committed (the address lives on in memory only)."""
    row = notify(recipients=[user], kind="account_closed", target=None,
                 data={"closed_on": timezone.localdate().isoformat(),
                       "url": reverse("home")})[0]
    message = build_email(row) if user.email else None
    row.state, row.sent_at, row.next_attempt_at = DeliveryState.SENT, timezone.now(), None
    row.email_status = EmailStatus.SENT if message else EmailStatus.SKIPPED
    row.save(update_fields=["state", "sent_at", "next_attempt_at", "email_status"])
    if message is not None:
        transaction.on_commit(lambda: _send_farewell(message, row.pk))
    return row


def _send_farewell(message, notification_id: int) -> None:
    try:
        message.send()
    except Exception as exc:  # the closure stands; the row says the e-mail did not go
        logger.warning("The account-closed e-mail %s failed: %s", notification_id,
                       type(exc).__name__)
        Notification.objects.filter(pk=notification_id).update(
            state=DeliveryState.FAILED, email_status=EmailStatus.WAITING,
            last_error=type(exc).__name__)


@transaction.atomic
def account_close(*, actor: User, password: str) -> User:
    """``actor`` closes their own account: refused where it would break the fund's work
    (last admin of an organisation with other members, last secretariat user, a Board
    member in an open session); otherwise they are told by e-mail and anonymised."""
    user = lock(User, actor.pk)
    if user.anonymised_at is not None or not user.is_active:
        raise StateConflict(_("This account is already closed."))
    if not user.check_password(password or ""):
        raise ValidationFailed.on("password", _("This is not your current password."))
    blockers = closure_blockers(user)
    if blockers:
        raise StateConflict(" ".join(blockers))
    farewell = _farewell(user)
    counts = _anonymise(user, keep_notifications={farewell.pk})
    audit_record(actor=user, verb="account.close", target=user,
                 after={"reason": CLOSED_BY_PERSON, **counts})
    return user


# --- the retention policy ------------------------------------------------------------------


def person_anonymise(*, actor, user: User, reason: str) -> dict:
    """Anonymise ``user`` for ``reason`` (no e-mail: they are no longer here to read it)."""
    with transaction.atomic():
        user = lock(User, user.pk)
        if user.anonymised_at is not None:
            return {}
        counts = _anonymise(user)
        audit_record(actor=actor, verb="person.anonymise", target=user,
                     after={"reason": reason, **counts})
    return counts


def retention_run(*, actor=None, today: date | None = None) -> int:
    """Anonymise everyone ``retention_due`` names; the secretariat gets a summary (counts
    only). Running it again anonymises nobody twice. Returns how many were anonymised."""
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    done = 0
    for case in retention_due(today):
        with transaction.atomic():
            user = lock(User, case.user.pk)
            if user.anonymised_at is not None or (user.last_login and user.last_login >= cutoff):
                continue  # anonymised or back since the list was read
            person_anonymise(actor=actor, user=user, reason=RETENTION)
            done += 1
    if done:
        _notify_retention(done, today)
    return done


@transaction.atomic
def _notify_retention(count: int, today: date) -> None:
    notify(recipients=list(users_with_role(Role.SECRETARIAT)), kind="retention_anonymised",
           data={"count": count, "years": retention_years(), "run_on": today.isoformat(),
                 "url": reverse("grants:retention")},
           dedupe_key=f"retention:{today.isoformat()}:{count}")
