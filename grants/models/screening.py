"""Screening: the automatic checks on a submitted application, the sanctions list it is
matched against, possible matches and the secretariat's eligibility decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application


class CheckCode(models.TextChoices):
    AMOUNT = "amount", _("Amount within the call's limits")
    DURATION = "duration", _("Duration within the call's limit")
    DOCUMENTS = "documents", _("Required documents present")
    ORGANISATION_VERIFIED = "organisation_verified", _("Organisation verified")
    COUNTRIES = "countries", _("Countries of implementation eligible")
    BUDGET_LINES = "budget_lines", _("Budget lines add up to the request")
    ANNUAL_BUDGET = "annual_budget", _("Request at most 3 × the organisation's annual budget")
    SANCTIONS = "sanctions", _("No possible match on the UN Security Council sanctions list")


class CheckState(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    NOT_RUN = "not_run", _("not run")


def check_state(check: dict) -> str:
    """Passed, failed, or not run (rows stored before ``not_run`` existed say ``no_list``)."""
    if check.get("ok"):
        return CheckState.PASSED
    if check.get("not_run") or (check.get("params") or {}).get("no_list"):
        return CheckState.NOT_RUN
    return CheckState.FAILED


class ScreeningDecision(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")


class Screening(models.Model):
    """One per application: the latest automatic checks and the secretariat's decision.

    ``checks`` is a list of ``{"code": CheckCode, "ok": bool, "params": {...}}``; the words
    are rendered in the reader's language by ``grants.services.screening.check_message``.
    A check that could not run (the sanctions check while no list is loaded) is not passed
    and not failed either: it carries ``"not_run": True``.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE,
                                       related_name="screening")
    checks = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    sanctions_list = models.ForeignKey("grants.SanctionsList", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(_("decision"), max_length=16, blank=True,
                                choices=ScreeningDecision.choices)
    reasons = models.TextField(_("reasons"), blank=True, max_length=5000)
    overridden = models.JSONField(default=list, blank=True,
                                  help_text=_("Codes of failed checks the decision overrode."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return str(self.application)

    @property
    def failed_codes(self) -> list[str]:
        return [c["code"] for c in self.checks if check_state(c) == CheckState.FAILED]

    @property
    def not_run_codes(self) -> list[str]:
        return [c["code"] for c in self.checks if check_state(c) == CheckState.NOT_RUN]

    @property
    def passed_count(self) -> int:
        return sum(1 for c in self.checks if c.get("ok"))


class SanctionsList(models.Model):
    """One import of the UN Security Council Consolidated List; the latest is in force."""

    source_name = models.CharField(_("file"), max_length=255)
    generated_on = models.DateTimeField(_("generated on"), null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    individuals = models.PositiveIntegerField(_("individuals"), default=0)
    entities = models.PositiveIntegerField(_("entities"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("sanctions list")
        verbose_name_plural = _("sanctions lists")

    def __str__(self) -> str:
        return f"{self.source_name} ({self.imported_at:%Y-%m-%d})"


class SanctionsEntryKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ENTITY = "entity", _("Entity")


class SanctionsEntry(models.Model):
    """A listed individual or entity, with every name it is known by."""

    sanctions_list = models.ForeignKey(SanctionsList, on_delete=models.CASCADE,
                                       related_name="entries")
    kind = models.CharField(max_length=16, choices=SanctionsEntryKind.choices)
    reference_number = models.CharField(_("reference"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=400)
    aliases = models.JSONField(default=list, blank=True)
    un_list_type = models.CharField(_("list"), max_length=100, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "reference_number", "id"]
        verbose_name = _("sanctions list entry")
        verbose_name_plural = _("sanctions list entries")
        indexes = [models.Index(fields=["sanctions_list", "kind"])]

    def __str__(self) -> str:
        return f"{self.reference_number} {self.name}"


class MatchSubject(models.TextChoices):
    NAME = "name", _("Organisation name")
    FORMER_NAME = "former_name", _("Former name")
    PERSON = "person", _("Key person")


class SanctionsMatch(models.Model):
    """A possible match: blocks eligibility until the secretariat clears it with a reason.

    The listed entry is copied, so the match still reads the same after a newer list.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="sanctions_matches")
    subject = models.CharField(_("what matched"), max_length=16, choices=MatchSubject.choices)
    subject_value = models.CharField(_("our record"), max_length=400)
    entry_kind = models.CharField(max_length=16, choices=SanctionsEntryKind.choices)
    entry_reference = models.CharField(_("list reference"), max_length=40, blank=True)
    entry_name = models.CharField(_("listed name"), max_length=400)
    matched_name = models.CharField(_("matched name or alias"), max_length=400)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    found_at = models.DateTimeField(auto_now_add=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    clearance_reason = models.TextField(_("reason for clearing"), blank=True, max_length=5000)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible sanctions match")
        verbose_name_plural = _("possible sanctions matches")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "subject", "subject_value", "entry_reference",
                        "matched_name"], name="sanctions_match_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100),
                                   name="sanctions_match_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_value} ~ {self.entry_name} ({self.score})"

    @property
    def is_cleared(self) -> bool:
        return self.cleared_at is not None
