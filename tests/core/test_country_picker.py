"""The searchable country picker (issue 15): a plain select that works without
JavaScript, marked for static/js/country_select.js, its words and its country names in the
reader's language, sorted for the reader."""

import re
from html import unescape

import pytest
from django.utils import translation

from donors.forms import DonorForm
from fundapp.core.formatting import collation_key
from fundapp.core.widgets import SearchableSelect, SearchableSelectMultiple
from grants.forms.calls import CallForm
from grants.forms.organisations import OrganisationForm
from grants.forms.reviews import ProfileForm

OPTION = re.compile(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>')


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no select {name}"
    return unescape(match.group(0))


@pytest.mark.parametrize("form, name, multiple", [
    (CallForm(), "eligible_countries", True),
    (OrganisationForm(), "country", False),
    (DonorForm(), "country", False),
    (ProfileForm(), "conflict_countries", True),
])
def test_every_country_field_is_a_searchable_plain_select(form, name, multiple):
    html = _select(str(form[name]), name)
    assert "data-searchable" in html
    assert ("multiple" in html.split(">")[0]) is multiple
    assert 'data-no-results="No country of that name."' in html
    assert "data-placeholder=" in html
    assert len(OPTION.findall(html)) > 240  # every country, usable without JavaScript


def test_the_words_follow_the_page_language_when_rendered():
    widget = SearchableSelectMultiple()
    with translation.override("fr"):
        french = widget.render("c", [], {"id": "c"})
    english = widget.render("c", [], {"id": "c"})
    for attr in ("data-no-results", "data-placeholder", "data-help", "data-remove-label"):
        assert f'{attr}="' in french and f'{attr}="' in english
    assert 'size="8"' in english
    assert "multiple" not in SearchableSelect().render("c", "", {"id": "c"})


def test_country_names_are_in_french_and_sorted_for_a_french_reader():
    with translation.override("fr"):
        html = _select(str(CallForm()["eligible_countries"]), "eligible_countries")
    names = dict(OPTION.findall(html))
    assert names["DE"] == "Allemagne" and names["CI"] == "Côte d'Ivoire"
    order = [name for _code, name in OPTION.findall(html)]
    initials = [collation_key(name)[0] for name in order]
    assert initials == sorted(initials)  # accents aside: Égypte, Équateur, Espagne…
    # Égypte sits among the E, not after Zimbabwe.
    assert order.index("Égypte") < order.index("Espagne") < order.index("Zimbabwe")


def test_a_call_restricted_to_some_countries_offers_only_them_by_french_name(db):
    from grants.forms.applications import ApplicationForm
    from tests.factories import CallFactory

    call = CallFactory(eligible_countries=["NG", "EG", "DE", "CI"])
    with translation.override("fr"):
        form = ApplicationForm(call=call)
        html = _select(str(form["countries"]), "countries")
    assert [name for _c, name in OPTION.findall(html)] == [
        "Allemagne", "Côte d'Ivoire", "Égypte", "Nigeria"]
    assert "data-searchable" in html and "data-help=" in html
