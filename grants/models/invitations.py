"""Invitations by e-mail: to join an organisation (with an organisation role) or the fund's
staff (with roles; ``organisation`` empty). Only a SHA-256 hash of the token is stored: the
raw token exists in the e-mailed link alone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisations import Organisation, OrgRole


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE,
        related_name="invitations", verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=OrgRole.choices, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("revoked by"),
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # An organisation invitation names an organisation role; a staff one does not.
            models.CheckConstraint(
                condition=(Q(organisation__isnull=True, role="")
                           | Q(organisation__isnull=False, role__in=["admin", "editor",
                                                                     "viewer"])),
                name="invitation_role_matches_kind"),
            models.CheckConstraint(
                condition=~Q(accepted_at__isnull=False, revoked_at__isnull=False),
                name="invitation_not_accepted_and_revoked"),
        ]
        indexes = [models.Index(fields=["organisation", "accepted_at", "revoked_at"],
                                name="invitation_org_pending")]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation or _('staff')}"

    @property
    def is_pending(self) -> bool:
        return (self.accepted_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())
