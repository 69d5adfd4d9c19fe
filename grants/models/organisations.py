from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


VERIFICATION_CHECKS = {
    "registration_certificate": _("Registration certificate checked"),
    "safeguarding_policy": _("Safeguarding / PSEA policy checked"),
    "track_record": _("Track record checked"),
}


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    former_names = models.TextField(
        _("former names"), blank=True, max_length=2000,
        help_text=_("One per line; screened against the sanctions list with the current name."),
    )
    country = CountryField(_("country"))
    registration_number = models.CharField(_("registration number"), max_length=100)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True, max_length=1000)
    annual_budget_usd = models.DecimalField(
        _("annual budget (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    un_partner_portal_id = models.CharField(_("UN Partner Portal ID"), max_length=50, blank=True)
    psea_declaration = models.BooleanField(
        _("safeguarding / PSEA declaration"), default=False,
        help_text=_(
            "The organisation has a policy on protection from sexual exploitation and abuse "
            "and applies it to staff and partners."
        ),
    )
    track_record = models.TextField(_("track record"), blank=True, max_length=5000)
    status = FSMField(
        _("status"), max_length=16, choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING, db_index=True,
    )
    verification_checklist = models.JSONField(default=dict, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"], name="org_registration_unique"
            ),
            models.CheckConstraint(
                condition=Q(annual_budget_usd__isnull=True) | Q(annual_budget_usd__gte=0),
                name="org_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def verified(self) -> bool:
        return self.status == OrganisationStatus.VERIFIED

    # --- transitions (run by grants/services/organisations.py) ---

    @transition(field=status, source=[OrganisationStatus.PENDING, OrganisationStatus.REJECTED],
                target=OrganisationStatus.VERIFIED)
    def verify(self, *, by, checklist: dict, reason: str = "") -> None:
        self._decided(by, checklist, reason)

    @transition(field=status, source=[OrganisationStatus.PENDING, OrganisationStatus.VERIFIED],
                target=OrganisationStatus.REJECTED)
    def reject(self, *, by, checklist: dict, reason: str) -> None:
        self._decided(by, checklist, reason)

    @transition(field=status, source=OrganisationStatus.VERIFIED,
                target=OrganisationStatus.PENDING)
    def ask_verification_again(self) -> None:
        """A member changed the organisation's identity: it must be verified again."""

    def _decided(self, by, checklist: dict, reason: str) -> None:
        self.status_reason, self.verification_checklist = reason, checklist
        self.verified_by, self.verified_at = by, timezone.now()


class OrgRole(models.TextChoices):
    """A member's role in their organisation (the table of what each may do is
    ``grants.selectors.organisations.ORG_CAPABILITIES``)."""

    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's organisation: a user belongs to at most one, an organisation has many."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=OrgRole.choices,
                            default=OrgRole.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["admin", "editor", "viewer"]),
                                   name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def joined_at(self):
        return self.created_at

    @property
    def is_admin(self) -> bool:
        return self.role == OrgRole.ADMIN
