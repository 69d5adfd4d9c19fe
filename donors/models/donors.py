from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

ANONYMOUS_NAME = _("Anonymous donor")


class DonorType(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member State")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    FOUNDATION = "foundation", _("Foundation")
    INDIVIDUAL = "individual", _("Individual")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    OTHER = "other", _("Other")


class Donor(models.Model):
    """Who gives. ``anonymous`` donors are shown as "Anonymous donor" on every public
    page, report and export (``public_name``); only the secretariat and the donor's own
    portal users see ``name``."""

    name = models.CharField(_("name"), max_length=200)
    donor_type = models.CharField(_("type"), max_length=24, choices=DonorType.choices,
                                  db_index=True)
    country = CountryField(_("country"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    address = models.TextField(_("postal address"), max_length=1000, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"), default=False,
        help_text=_("Shown as “Anonymous donor” on every public page, report and export."))
    language = models.CharField(_("language for receipts"), max_length=8,
                                choices=settings.LANGUAGES, default="en")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                   related_name="donor_accounts",
                                   verbose_name=_("portal users"))
    notes = models.TextField(_("internal notes"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        indexes = [models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="donor_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        return public_name(self.name, self.anonymous, donor_type=self.donor_type,
                           country=self.country)

    @property
    def reader_name(self) -> str:
        """The name on the secretariat's own pages: as recorded (anonymous or not), but a
        Member State recorded under its English name reads in the reader's language."""
        return public_name(self.name, False, donor_type=self.donor_type, country=self.country)


def public_name(name: str, anonymous: bool, *, donor_type: str = "", country="") -> str:
    """The name to print anywhere outside the secretariat's own pages: "Anonymous donor"
    for an anonymous one; a Member State recorded under its country's English name, by
    that country's name in the reader's language ("Allemagne" for a French reader of
    "Germany"); anyone else, and a State recorded under another name, as recorded."""
    if anonymous:
        return str(ANONYMOUS_NAME)
    code = str(getattr(country, "code", country) or "")
    if donor_type == DonorType.MEMBER_STATE and code and _is_country_name(name, code):
        from fundapp.core.formatting import country_name

        return country_name(code) or name
    return name


def _is_country_name(name: str, code: str) -> bool:
    english = _english_country_name(code)
    return bool(english) and name.strip().casefold() == english.casefold()


@lru_cache(maxsize=512)
def _english_country_name(code: str) -> str:
    """Once per code and process: an export calls ``public_name`` on every row."""
    from django.utils import translation
    from django_countries import countries

    with translation.override("en"):
        return str(countries.name(code))
