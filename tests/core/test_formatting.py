"""fundapp.core.formatting: one form of money, numbers and dates per language."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from fundapp.core import formatting as fmt

NNBSP, NBSP = "\u202f", "\xa0"
MOMENT = dt.datetime(2026, 12, 3, 13, 30, tzinfo=dt.UTC)


@pytest.fixture
def french():
    with translation.override("fr"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_english_money_keeps_the_iso_code_first(english):
    assert fmt.money(Decimal("1234567.5")) == "USD 1,234,567.50"
    assert fmt.money(Decimal("250000"), "EUR") == "EUR 250,000.00"


def test_french_money_puts_the_code_after_and_groups_with_narrow_spaces(french):
    assert fmt.money(Decimal("1234567.5")) == f"1{NNBSP}234{NNBSP}567,50{NBSP}USD"


def test_currencies_without_minor_units_are_whole_but_stored_cents_are_never_hidden(english):
    assert fmt.money(Decimal("150000"), "JPY") == "JPY 150,000"
    assert fmt.money(Decimal("12.5"), "JPY") == "JPY 12.50"


def test_empty_is_a_dash_and_floats_are_refused(english):
    assert fmt.money(None) == fmt.number("") == fmt.date(None) == fmt.datetime(None) == "—"
    with pytest.raises(TypeError):
        fmt.money(0.1)


def test_old_english_text_amounts_still_read(french):
    assert fmt.money("1,234.50") == f"1{NNBSP}234,50{NBSP}USD"


def test_numbers_and_percentages(english):
    assert fmt.number(1234567) == "1,234,567"
    assert fmt.number(Decimal("1234.567"), 1) == "1,234.6"
    assert fmt.percent(25) == "25%"
    assert fmt.percent(Decimal("12.50")) == "12.5%"


def test_french_numbers_and_percentages(french):
    assert fmt.number(Decimal("1234.5")) == f"1{NNBSP}234,5"
    assert fmt.percent(Decimal("12.5")) == f"12,5{NBSP}%"


def test_english_dates_are_day_month_year_as_at_the_un(english):
    day = dt.date(2026, 12, 3)
    assert fmt.date(day) == "3 December 2026"
    assert fmt.date(day, "medium") == "3 Dec 2026"
    assert fmt.date(day, "short") == "03/12/2026"


def test_french_dates_use_the_french_abbreviations(french):
    day = dt.date(2026, 12, 3)
    assert fmt.date(day) == "3 décembre 2026"
    assert fmt.date(day, "medium") == "3 déc. 2026"


def test_datetimes_are_shown_in_the_readers_zone(english):
    with timezone.override(zoneinfo.ZoneInfo("Europe/Vienna")):
        assert fmt.datetime(MOMENT) == "3 December 2026, 14:30"
        assert fmt.datetime(MOMENT, "medium", zone=True) == "3 Dec 2026, 14:30 (Europe/Vienna)"
        assert fmt.date(dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC)) == "4 December 2026"


def test_the_languages_of_issue_17_are_ready():
    with translation.override("es"):
        assert fmt.money(Decimal("1234.5")) == f"1.234,50{NBSP}USD"
        assert fmt.date(dt.date(2026, 12, 3)) == "3 de diciembre de 2026"
    with translation.override("zh-hans"):
        assert fmt.date(dt.date(2026, 12, 3)) == "2026年12月3日"
    with translation.override("ru"):
        assert fmt.number(Decimal("1234.5")) == f"1{NBSP}234,5"


def test_country_names_follow_the_language():
    with translation.override("fr"):
        assert fmt.country_name("DE") == "Allemagne"
    with translation.override("en"):
        assert fmt.country_name("DE") == "Germany"
    assert fmt.country_name("") == "—"


def test_template_filters_give_the_same_forms_as_python(french):
    html = Template(
        "{% load formatting %}{{ a|money }}|{{ a|money:'EUR' }}|{{ n|number }}|{{ p|percent }}"
        "|{{ d|day }}|{{ d|day:'medium' }}|{{ m|when }}|{{ c|country }}"
    ).render(Context({"a": Decimal("1234.5"), "n": 1500, "p": 40, "d": dt.date(2026, 12, 3),
                      "m": MOMENT, "c": "CI"}))
    assert html.split("|") == [
        fmt.money(Decimal("1234.5")), fmt.money(Decimal("1234.5"), "EUR"), fmt.number(1500),
        fmt.percent(40), "3 décembre 2026", "3 déc. 2026", fmt.datetime(MOMENT),
        "Côte d&#x27;Ivoire"]


def test_the_money_partial_and_the_when_partial_in_french(french):
    from django.template.loader import render_to_string

    money = render_to_string("partials/money.html", {"amount": Decimal("1234.5")})
    assert f">1{NNBSP}234,50{NBSP}USD<" in money
    when = render_to_string("partials/when.html", {"dt": MOMENT, "short": True})
    assert "3 déc. 2026, 13:30" in when
    assert "Déc" not in when


@pytest.mark.django_db
def test_a_french_receipt_email_words_amounts_and_dates_as_the_pages_do(french):
    from fundapp.notifications.models import Notification
    from fundapp.notifications.rendering import render_notification
    from tests.factories import UserFactory

    donor = UserFactory(username="lux-fr", language="fr", email="lux@example.org")
    data = {"donor": "Luxembourg", "receipt_number": "VTF-2026-00028", "amount": "60000.00",
            "currency": "EUR", "amount_usd": "69720.00", "received_on": "2026-11-30",
            "url": "/funding/contributions/515/receipt.pdf"}
    note = Notification.objects.create(recipient=donor, kind="contribution_receipt",
                                       data=data, language="fr")
    with translation.override("en"):  # the sender's language does not leak into the mail
        rendered = render_notification(note)
    for text in (rendered.text, rendered.html):
        assert fmt.money(Decimal("60000"), "EUR") in text  # 60 000,00 EUR
        assert f"69{NNBSP}720,00{NBSP}USD" in text
        assert "30 novembre 2026" in text
        assert "Nov." not in text


@pytest.mark.django_db
def test_the_tranche_paid_subject_is_worded_in_the_recipients_language():
    from fundapp.notifications.models import Notification
    from fundapp.notifications.rendering import render_notification
    from tests.factories import UserFactory

    user = UserFactory(username="ngo-fr", language="fr", email="ngo@example.org")
    note = Notification.objects.create(
        recipient=user, kind="tranche_paid", language="fr",
        data={"agreement_number": "VTF-G-2026-001", "amount_usd": "36000.00",
              "paid_on": "2026-11-02", "tranche": 1})
    rendered = render_notification(note)
    assert f"36{NNBSP}000,00{NBSP}USD" in rendered.subject
    assert f"36{NNBSP}000,00{NBSP}USD" in rendered.text and "2 novembre 2026" in rendered.text
    assert "USD 36,000.00" in render_notification(note, "en").subject


@pytest.mark.django_db
def test_a_french_receipt_pdf_shows_the_same_forms_as_the_pages():
    from datetime import date

    from donors.pdf import receipt_pdf
    from tests.donors.factories import DonorFactory, rate, record
    from tests.pdf_text import pdf_text

    rate("EUR", date(2024, 3, 1), "1.0850")
    contribution = record(DonorFactory(name="Luxembourg", country="LU", language="fr"),
                          "20000.00", "EUR")
    contribution.receipt_language = "fr"
    text = pdf_text(receipt_pdf(contribution))
    with translation.override("fr"):
        assert fmt.money(Decimal("20000"), "EUR").replace(NNBSP, " ").replace(NBSP, " ") in \
            text.replace(NNBSP, " ").replace(NBSP, " ")
        assert "1 mars 2024" in text


def test_currency_names_follow_the_language():
    from donors.money import currency_choices

    with translation.override("fr"):
        assert ("EUR", "EUR — euro") in currency_choices()
        assert fmt.currency_name("USD") == "dollar des États-Unis"
    with translation.override("en"):
        assert ("EUR", "EUR — Euro") in currency_choices()


def test_country_names_are_sorted_for_the_reader(french):
    assert fmt.country_names(["EG", "DE", "ES"]) == "Allemagne, Égypte, Espagne"


def test_the_issue_15_forms_in_both_languages():
    """Babel's real output, narrow no-break spaces included."""
    with translation.override("en"):
        assert fmt.money(Decimal("1000000")) == "USD 1,000,000.00"
        assert fmt.date(dt.date(2026, 12, 3)) == "3 December 2026"
        assert fmt.percent(Decimal("66.666"), 1) == "66.7%"
        assert fmt.country_name("CI") == "Côte d'Ivoire"
        assert fmt.compact(Decimal("1500000")) == "1.5m"
    with translation.override("fr"):
        assert fmt.money(Decimal("1000000")) == f"1{NNBSP}000{NNBSP}000,00{NBSP}USD"
        assert fmt.date(dt.date(2026, 12, 3)) == "3 décembre 2026"
        assert fmt.percent(Decimal("66.666"), 1) == f"66,7{NBSP}%"
        assert fmt.country_name("CI") == "Côte d'Ivoire"
        assert fmt.compact(Decimal("1500000")) == f"1,5{NBSP}M"


def test_the_row_tags_give_the_partials_markup():
    """``money_html``/``time_html`` (rows) and the partials they stand in for agree."""
    import datetime as dt
    from decimal import Decimal

    from django.template import Context, Template
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    moment = dt.datetime(2026, 12, 3, 13, 30, tzinfo=dt.UTC)
    with translation.override("fr"), timezone.override("Europe/Vienna"):
        row = Template("{% load formatting %}{{ a|money_html }}|{% time_html m short=True %}|"
                       "{{ none|money_html }}|{% time_html none %}").render(
            Context({"a": Decimal("1000000"), "m": moment, "none": None}))
        money = render_to_string("partials/money.html", {"amount": Decimal("1000000")})
        when = render_to_string("partials/when.html", {"dt": moment, "short": True})
    assert row.split("|")[0] == money
    assert money.startswith('<span class="money">1') and "000,00" in money
    assert row.split("|")[1] == when
    assert when.startswith('<time datetime="2026-12-03T14:30:00+01:00">')
    assert when.endswith('<span class="tz">Europe/Vienna</span></time>')
    assert row.split("|")[2] == row.split("|")[3] == '<span class="muted">—</span>'


def test_every_country_sorted_is_in_the_active_language_and_computed_once():
    from django.utils import translation

    from fundapp.core import formatting

    with translation.override("fr"):
        french = formatting.every_country_sorted()
        assert formatting.every_country_sorted() == french
    with translation.override("en"):
        english = formatting.every_country_sorted()
    assert dict(french)["DE"] == "Allemagne" and dict(english)["DE"] == "Germany"
    assert [name for _code, name in english][:2] == ["Afghanistan", "Åland Islands"]
    assert len(french) == len(english) > 240
    info = formatting._every_country_sorted.cache_info()
    assert info.hits >= 1


def test_a_label_mark_follows_each_languages_typography(english):
    assert fmt.colon() == ":" and fmt.run_on(["a", "b"]) == "a; b"
    with translation.override("fr"):
        assert fmt.colon() == f"{NBSP}:" and fmt.run_on(["a", "b"]) == f"a{NNBSP}; b"
        html = Template('{% load formatting %}Statut{% colon %} x').render(Context())
        assert html == f"Statut{NBSP}: x"


def test_a_time_zone_reads_as_its_country_and_city_in_the_readers_language(english):
    assert fmt.time_zone_label("Asia/Kolkata") == "India — Kolkata (UTC+05:30)"
    assert fmt.time_zone_label("UTC") == "UTC (UTC+00:00)"
    with translation.override("fr"):
        assert fmt.time_zone_label("Europe/Vienna").startswith("Autriche — Vienne (UTC+0")
        choices = fmt.time_zone_choices()
        assert choices[0] == ("UTC", "UTC")
        assert len(choices) == len(zoneinfo.available_timezones())  # every stored zone offered
        names = [label for _name, label in choices[1:60]]
        assert names == sorted(names, key=fmt.collation_key)  # by country, accents aside
