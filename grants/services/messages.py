"""Writes on message threads: posting a message (with attachments) and moving a reader's
unread marker.

Rules:
- A thread belongs to one application (open once it is submitted: a draft has none) or one
  grant (always open).
- The secretariat writes on any thread; an organisation's admins and editors on their own
  organisation's (``ORG_CAPABILITIES["message.write"]``); viewers only read. Nobody else
  writes (reviewers, Board members, donor staff and other organisations do not even read).
- Attachments follow the rules of an application's attachments (size, type judged by
  content, sound archives: ``grants.services.applications``), at most
  ``MAX_FILES_PER_MESSAGE`` a message.
- The other side is notified (``message_posted``): the secretariat's message goes to the
  organisation's active members, the organisation's to the secretariat. The author's own
  marker moves to their message.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fundapp.accounts.display import person_name
from fundapp.accounts.roles import Role, roles_of
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import Application, Grant, Membership, Message, MessageAttachment, ThreadRead
from grants.selectors.messages import thread_is_open
from grants.selectors.organisations import ORG_CAPABILITIES
from grants.services.applications import check_upload_size, inspect_upload
from grants.services.members import require_org_role

MAX_FILES_PER_MESSAGE = 5
MAX_BODY = 20000


def message_upload_bytes() -> int:
    """What one message's request may carry (``upload_limit``): its files together; each is
    then checked alone against ``MAX_UPLOAD_BYTES``."""
    return settings.MAX_UPLOAD_BYTES * MAX_FILES_PER_MESSAGE


def _locked_thread(application, grant) -> tuple[Application | None, Grant | None]:
    if (application is None) == (grant is None):
        raise ValueError("A message goes on one application's or one grant's thread.")
    if application is not None:
        return lock(Application, application.pk), None
    return None, lock(Grant, grant.pk)


def _organisation_id(application, grant) -> int:
    return application.organisation_id if application else grant.application.organisation_id


def _writes_for_secretariat(actor, organisation_id: int) -> bool:
    """True for the secretariat, False for an organisation's writer; NotAllowed otherwise."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise NotAllowed()
    if Role.SECRETARIAT in roles_of(actor):
        return True
    require_org_role(actor, organisation_id, *ORG_CAPABILITIES["message.write"])
    return False


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed.on("body", _("Write your message."))
    if len(body) > MAX_BODY:
        raise ValidationFailed.on("body", _("A message holds at most %(n)s characters.")
                                  % {"n": MAX_BODY})
    return body


def _checked_files(files) -> list[tuple[object, str, str]]:
    """Each upload with its content type and SHA-256; the first refused file names itself."""
    files = list(files or ())
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationFailed.on("files", ngettext(
            "Attach at most %(n)s file to a message.",
            "Attach at most %(n)s files to a message.", MAX_FILES_PER_MESSAGE)
            % {"n": MAX_FILES_PER_MESSAGE})
    checked = []
    for uploaded in files:
        try:
            check_upload_size(uploaded)
            checked.append((uploaded, *inspect_upload(uploaded)))
        except ValidationFailed as exc:
            reasons = exc.field_errors.get("file") or [str(exc.message)]
            raise ValidationFailed.on("files", *[
                _("“%(name)s”: %(reason)s") % {"name": str(uploaded.name)[-120:], "reason": r}
                for r in reasons]) from None
    return checked


@transaction.atomic
def message_post(*, actor, application: Application | None = None, grant: Grant | None = None,
                 body: str, files=()) -> Message:
    """Post ``body`` (and ``files``) on the application's or the grant's thread."""
    application, grant = _locked_thread(application, grant)
    if grant is not None:
        grant = Grant.objects.select_related("application__organisation").get(pk=grant.pk)
    org_id = _organisation_id(application, grant)
    from_secretariat = _writes_for_secretariat(actor, org_id)
    if not thread_is_open(application=application, grant=grant):
        raise StateConflict(_("The conversation with the secretariat opens once the "
                              "application is submitted."))
    body = _clean_body(body)
    checked = _checked_files(files)
    message = Message.objects.create(application=application, grant=grant, author=actor,
                                     from_secretariat=from_secretariat, body=body)
    for uploaded, content_type, sha256 in checked:
        attachment = MessageAttachment(
            message=message, original_name=str(uploaded.name)[-255:],
            content_type=content_type, size=uploaded.size, sha256=sha256)
        attachment.file.save("upload", uploaded, save=False)
        attachment.save()
    audit_record(actor=actor, verb="message.post", target=application or grant,
                 after={"message": message.pk, "from_secretariat": from_secretariat,
                        "attachments": [a.sha256 for a in message.attachments.all()]})
    _move_marker(actor, application, grant, message.created_at)
    _notify_other_side(message, application, grant, org_id)
    return message


def _notify_other_side(message: Message, application, grant, org_id: int) -> None:
    if message.from_secretariat:
        recipients = [m.user for m in Membership.objects.filter(organisation_id=org_id)
                      .select_related("user") if m.user.is_active]
    else:
        recipients = list(users_with_role(Role.SECRETARIAT))
    recipients = [u for u in recipients if u.pk != message.author_id]
    if application is not None:
        data = {"thread": "application", "reference": application.reference,
                "title": application.title, "url": f"/applications/{application.pk}/messages/"}
    else:
        data = {"thread": "grant", "reference": grant.agreement_number,
                "title": grant.application.title, "url": f"/grants/{grant.pk}/messages/"}
    data |= {"organisation": (application or grant.application).organisation.name,
             "author": person_name(message.author), "from_secretariat": message.from_secretariat,
             "attachments": message.attachments.count()}
    notify(recipients=recipients, kind="message_posted", target=application or grant,
           data=data, dedupe_key=f"message:{message.pk}")


def _move_marker(user, application, grant, up_to) -> None:
    """``user``'s marker on the thread moves forward to ``up_to`` (never back)."""
    thread = {"application": application} if application is not None else {"grant": grant}
    updated = (ThreadRead.objects.filter(user=user, **thread, read_at__lt=up_to)
               .update(read_at=up_to))
    if updated or ThreadRead.objects.filter(user=user, **thread).exists():
        return
    try:
        with transaction.atomic():
            ThreadRead.objects.create(user=user, read_at=up_to, **thread)
    except IntegrityError:  # another request of the same reader created it first
        ThreadRead.objects.filter(user=user, **thread, read_at__lt=up_to).update(read_at=up_to)


@transaction.atomic
def thread_mark_read(*, user, application: Application | None = None,
                     grant: Grant | None = None) -> None:
    """Everything on the thread so far is read by ``user`` (called when it is shown)."""
    if (application is None) == (grant is None):
        raise ValueError("A thread is one application's or one grant's.")
    thread = {"application": application} if application is not None else {"grant": grant}
    latest = Message.objects.filter(**thread).aggregate(at=Max("created_at"))["at"]
    if latest is not None:
        _move_marker(user, application, grant, latest)

