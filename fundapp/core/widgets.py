"""Form widgets shared by the apps: the searchable select (issue 15).

A ``<select data-searchable>`` is a plain select that works without JavaScript (a list,
Ctrl-click for several); ``static/js/country_select.js`` turns it into a Tom Select box
(``static/vendor/tom-select-*``) where one types a few letters of a country's name. The
words the box shows are rendered here, in the page's language, as ``data-*`` attributes
(the script has no text of its own); the choices keep the order the field gives them
(django-countries sorts names in the active language).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def country_choices(blank=None):
    """Choices for a country field, made again each time a form is rendered or checked, in
    the active language and sorted for it ("Allemagne … Égypte … Zimbabwe" in French).

    A field given ``choices=countries`` keeps the names of the language active when its
    form class was defined (Django turns the choices into a list then): English for
    everyone. ``blank`` is the label of an empty first choice (``_("All countries")``).
    """

    def choices():
        return [*([("", blank)] if blank is not None else []), *countries]

    return choices


def searchable_attrs(*, multiple: bool, size: int | None = None, **extra) -> dict:
    """The ``data-*`` attributes of a searchable select, its words lazy (page language)."""
    attrs = {
        "data-searchable": "",
        "data-no-results": _("No country of that name."),
        "data-placeholder": _("Type a name to search") if multiple
        else _("Type a name or pick one"),
        "data-remove-label": _("Remove"),
    }
    if multiple:
        attrs["data-help"] = _("Type a few letters and pick a country; repeat for several. "
                               "× removes one.")
    if size:
        attrs["size"] = size
    return attrs | extra


class SearchableSelect(forms.Select):
    """One choice from a long list (a country of registration)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(searchable_attrs(multiple=False) | (attrs or {}), choices)


class SearchableSelectMultiple(forms.SelectMultiple):
    """Several choices from a long list (eligible countries, countries of a project)."""

    def __init__(self, attrs=None, choices=(), *, size: int = 8):
        super().__init__(searchable_attrs(multiple=True, size=size) | (attrs or {}), choices)
