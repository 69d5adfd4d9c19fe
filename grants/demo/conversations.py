"""Demo: two message threads (issue 14). On ngo1's submitted application to the open call 8,
ngo1 sent a partner's letter of support and the secretariat answered (its last message is
still unread for ngo1); on ngo1's active grant (any active grant if ngo1 has none yet), the
secretariat announced the first tranche and ngo1 confirmed receipt with its bank's advice
(unread by the secretariat, awaiting its answer). Through the real service; the messages'
times are then set over the past days. Idempotent: a thread that has messages is left alone.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.core.models import AuditEvent
from grants.demo.applications import OPEN_APPLICATIONS, demo_pdf
from grants.models import Application, ApplicationStatus, Grant, GrantStatus, Message, ThreadRead
from grants.services.messages import message_post

APPLICATION_THREAD = [
    # (who, hours ago, body, attached files: (name, lines of the PDF))
    ("ngo1", 70, "Good morning. Since we submitted, our partner in Benin City (Idia Renaissance) "
     "has agreed to take up to 12 more women and girls in its shelter from March, at no cost "
     "to the project. Their letter is attached. Should we also mention this in the narrative, "
     "or is the letter enough?",
     [("letter-of-support-idia-renaissance.pdf",
       ["Idia Renaissance - Benin City", "Letter of support",
        "We will receive up to 12 women and girls referred by NGO One from March,",
        "in our shelter on Sapele Road, at no cost to the project."])]),
    ("secretariat", 46, "Thank you, the letter is now on file with your application. There is "
     "no need to change the narrative for it. Please look at the separate request for "
     "information about the shelter rent line: the letter may help you explain it.", []),
    ("secretariat", 5, "One more point: when you answer, please say how many of the 12 places "
     "would be for girls under 18, since the partner's licence covers adults only.", []),
]

GRANT_THREAD = [
    ("secretariat", 30, "The first tranche of this grant has been paid to your account. Please "
     "confirm when the funds arrive, and keep the bank's advice with the project's accounts: "
     "the interim financial report will ask for it.", []),
    ("ngo1", 3, "Received in full this morning, thank you. The bank's credit advice is attached. "
     "The bank deducted a transfer fee of USD 35: may we charge it to the administration "
     "line?",
     [("credit-advice-first-bank.pdf",
       ["First Bank of Nigeria - Credit advice", "Beneficiary: NGO One",
        "Incoming transfer from the Trust Fund, reference of the first tranche",
        "Charges deducted: USD 35.00"])]),
]


def _files(specs) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, demo_pdf(lines), content_type="application/pdf")
            for name, lines in specs]


def _post_thread(people: dict[str, User], script, **thread) -> int:
    now = timezone.now()
    for who, hours_ago, body, files in script:
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        message = message_post(actor=people[who], **thread, body=body, files=_files(files))
        at = now - timedelta(hours=hours_ago)
        Message.objects.filter(pk=message.pk).update(created_at=at)
        # the History lists the message at the message's own time
        AuditEvent.objects.filter(pk__gt=last_event or 0, verb="message.post").update(
            created_at=at)
    # each author has read the thread up to their own last message, not beyond
    for user in people.values():
        last = (Message.objects.filter(author=user, **thread)
                .aggregate(at=Max("created_at"))["at"])
        if last is not None:
            ThreadRead.objects.filter(user=user, **thread).update(read_at=last)
    return len(script)


def _ngo1_application(ngo1: User) -> Application | None:
    spec = next(s for s in OPEN_APPLICATIONS if s.ngo == "ngo1" and s.submit)
    app = Application.objects.filter(call__number=8, title=spec.title,
                                     organisation=ngo1.membership.organisation).first()
    if app is None or app.status == ApplicationStatus.DRAFT:
        return None
    return app


def _active_grant(ngo1: User) -> Grant | None:
    active = Grant.objects.filter(status=GrantStatus.ACTIVE).order_by("-call__number", "sequence")
    return (active.filter(application__organisation=ngo1.membership.organisation).first()
            or active.first())


@transaction.atomic
def conversations_stage() -> list[str]:
    ngo1 = User.objects.filter(username="ngo1").select_related("membership").first()
    secretariat = User.objects.filter(username="secretariat").first()
    if ngo1 is None or secretariat is None:
        return []
    people = {"ngo1": ngo1, "secretariat": secretariat}
    created = []
    app = _ngo1_application(ngo1)
    if app is not None and not Message.objects.filter(application=app).exists():
        n = _post_thread(people, APPLICATION_THREAD, application=app)
        created.append(f"message thread on {app.reference} ({n} messages)")
    grant = _active_grant(ngo1)
    if grant is not None and grant.application.organisation_id != ngo1.membership.organisation_id:
        writer = _grantee_writer(grant)
        people = {"ngo1": writer, "secretariat": secretariat} if writer else {}
    if grant is not None and people and not Message.objects.filter(grant=grant).exists():
        n = _post_thread(people, GRANT_THREAD, grant=grant)
        created.append(f"message thread on grant {grant.agreement_number} ({n} messages)")
    return created


def _grantee_writer(grant: Grant) -> User | None:
    """An admin or editor of the grantee, for a grant that is not ngo1's."""
    membership = (grant.application.organisation.memberships.select_related("user")
                  .filter(role__in=("admin", "editor"), user__is_active=True).first())
    return membership.user if membership else None
