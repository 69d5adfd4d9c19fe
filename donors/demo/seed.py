"""Demo donors, pledges and contributions that reproduce the fund's figures (A/78, section V).

- 2010 (from the fund's creation) to 2022: USD 9,800,000.00 received in all, of which
  exactly USD 1,000,000.00 in 2022 against the USD 1,500,000 target, from 35 Member
  States, 34 private-sector organisations and many individuals (some anonymous); nothing
  more until the end of April 2023, as in the report ("by April 2023, USD 9.8 million").
- May 2023 to last year: plausible growth; this year: part of the target received, open
  pledges still expected, so the forecast shows.
- Currencies USD, EUR, GBP, CHF, JPY, SEK, NOK, AUD at plausible monthly rates (the rates
  table is filled for every month, so contributions take their rate from it).
- The demo user ``donor1`` (created with the donor role if missing) is linked to
  Luxembourg, whose receipts are in French.

Idempotent: history rows carry ``DEMO-`` bank references and are created only once;
this year's pledges and payment go through the services and are looked up first.
``seed_donors()`` (exported by ``donors.demo``) is the function ``seed_demo`` calls.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from donors.models import (
    MILESTONES,
    Contribution,
    Donor,
    DonorType,
    Earmarking,
    ExchangeRate,
    Pledge,
    PledgeStatus,
    RateSource,
    ReceiptSequence,
    TargetMilestone,
    Theme,
)
from donors.money import NO_MINOR_UNITS, to_usd
from donors.selectors.reports import target_for
from donors.services.contributions import ContributionInput, contribution_record
from donors.services.pledges import pledge_create
from donors.services.totals import totals_add
from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role
from grants.selectors.calls import calls_by_number

SEED = 64293  # resolution 64/293
REF = "DEMO-"
FIRST_DAY = date(2010, 8, 1)

# Received per year (USD). 2010-2022 add up to 9.8 million; 2022 is exactly 1 million.
HISTORY = {
    2010: "250000", 2011: "520000", 2012: "610000", 2013: "700000", 2014: "780000",
    2015: "690000", 2016: "720000", 2017: "810000", 2018: "880000", 2019: "920000",
    2020: "860000", 2021: "1060000", 2022: "1000000",
    2023: "1150000", 2024: "1240000", 2025: "1380000",
}
LATER_YEARS = "1400000"
THIS_YEAR = "780000"

# Yearly average USD value of one unit; months wobble a little around it.
RATES = {
    "EUR": (1.33, 1.39, 1.29, 1.33, 1.33, 1.11, 1.11, 1.13, 1.18, 1.12, 1.14, 1.18, 1.05,
            1.08, 1.08, 1.13, 1.16),
    "GBP": (1.55, 1.60, 1.59, 1.56, 1.65, 1.53, 1.35, 1.29, 1.34, 1.28, 1.28, 1.38, 1.24,
            1.24, 1.28, 1.32, 1.34),
    "CHF": (0.96, 1.13, 1.07, 1.08, 1.09, 1.04, 1.01, 1.02, 1.02, 1.01, 1.07, 1.09, 1.05,
            1.11, 1.14, 1.20, 1.25),
    "JPY": (0.0114, 0.0125, 0.0125, 0.0103, 0.0095, 0.0083, 0.0092, 0.0089, 0.0091, 0.0092,
            0.0094, 0.0091, 0.0076, 0.0071, 0.0066, 0.0067, 0.0066),
    "SEK": (0.139, 0.154, 0.148, 0.154, 0.146, 0.119, 0.117, 0.117, 0.115, 0.106, 0.109,
            0.117, 0.099, 0.094, 0.095, 0.100, 0.105),
    "NOK": (0.166, 0.178, 0.172, 0.170, 0.159, 0.124, 0.119, 0.121, 0.123, 0.114, 0.106,
            0.116, 0.104, 0.095, 0.093, 0.097, 0.099),
    "AUD": (0.92, 1.03, 1.04, 0.97, 0.90, 0.75, 0.74, 0.77, 0.75, 0.70, 0.69, 0.75, 0.69,
            0.66, 0.66, 0.65, 0.66),
}

MEMBER_STATES = [  # (name, ISO country, currency, receipt language)
    ("Australia", "AU", "AUD", "en"), ("Austria", "AT", "EUR", "en"),
    ("Belarus", "BY", "USD", "en"), ("Belgium", "BE", "EUR", "fr"),
    ("Bulgaria", "BG", "EUR", "en"), ("Colombia", "CO", "USD", "en"),
    ("Cyprus", "CY", "EUR", "en"), ("Egypt", "EG", "USD", "en"),
    ("Finland", "FI", "EUR", "en"), ("France", "FR", "EUR", "fr"),
    ("Germany", "DE", "EUR", "en"), ("Greece", "GR", "EUR", "en"),
    ("Israel", "IL", "USD", "en"), ("Italy", "IT", "EUR", "en"),
    ("Japan", "JP", "JPY", "en"), ("Kazakhstan", "KZ", "USD", "en"),
    ("Liechtenstein", "LI", "CHF", "en"), ("Luxembourg", "LU", "EUR", "fr"),
    ("Monaco", "MC", "EUR", "fr"), ("Netherlands", "NL", "EUR", "en"),
    ("Norway", "NO", "NOK", "en"), ("Philippines", "PH", "USD", "en"),
    ("Poland", "PL", "USD", "en"), ("Portugal", "PT", "EUR", "en"),
    ("Qatar", "QA", "USD", "en"), ("Republic of Korea", "KR", "USD", "en"),
    ("Saudi Arabia", "SA", "USD", "en"), ("Slovakia", "SK", "EUR", "en"),
    ("Spain", "ES", "EUR", "en"), ("Sweden", "SE", "SEK", "en"),
    ("Switzerland", "CH", "CHF", "fr"), ("Thailand", "TH", "USD", "en"),
    ("United Arab Emirates", "AE", "USD", "en"),
    ("United Kingdom of Great Britain and Northern Ireland", "GB", "GBP", "en"),
    ("United States of America", "US", "USD", "en"),
]
BALANCERS = ("United States of America", "Qatar", "Republic of Korea", "Saudi Arabia",
             "United Arab Emirates")

COMPANIES = [  # fictional private-sector donors: (name, country, currency)
    ("Meridian Shipping Lines", "GR", "USD"), ("Aurora Textiles Group", "IT", "EUR"),
    ("Blue Harbour Seafood Co.", "NO", "USD"), ("Northwind Logistics", "NL", "EUR"),
    ("Solstice Hotels & Resorts", "ES", "EUR"), ("Atlas Recruitment Partners", "GB", "GBP"),
    ("Keystone Bank", "CH", "CHF"), ("Helios Energy", "DE", "EUR"),
    ("Crescent Airlines", "AE", "USD"), ("Greenleaf Cocoa Traders", "BE", "EUR"),
    ("Silverline Telecom", "SE", "USD"), ("Orchid Garments", "TH", "USD"),
    ("Pinnacle Consulting", "US", "USD"), ("Riverbend Foods", "FR", "EUR"),
    ("Summit Mining Corp.", "AU", "USD"), ("Tidewater Ports", "SG", "USD"),
    ("Vantage Retail", "GB", "GBP"), ("Willow & Finch LLP", "GB", "GBP"),
    ("Zenith Pharmaceuticals", "CH", "CHF"), ("Beacon Insurance", "US", "USD"),
    ("Cobalt Electronics", "KR", "USD"), ("Driftwood Travel", "PT", "EUR"),
    ("Evergreen Apparel", "BD", "USD"), ("Falcon Freight", "PA", "USD"),
    ("Granite Construction Group", "QA", "USD"), ("Harbourview Capital", "LU", "EUR"),
    ("Indigo Fisheries", "PH", "USD"), ("Juniper Software", "IE", "EUR"),
    ("Kestrel Media", "US", "USD"), ("Lumen Jewellery", "CH", "CHF"),
    ("Mosaic Hospitality", "MA", "EUR"), ("Nimbus Cloud Services", "US", "USD"),
    ("Pioneer Agritech", "BR", "USD"), ("Quarry Stone Works", "AT", "EUR"),
]
FIRST_NAMES = ("Anne", "Marc", "Sofia", "James", "Amina", "Lucas", "Mei", "Olga", "Pedro",
               "Fatou", "Hannah", "Ravi", "Elena", "Tom", "Yuki", "Nadia", "Paul", "Ines",
               "Samuel", "Leila")
LAST_NAMES = ("Martin", "Dubois", "Rossi", "Smith", "Diallo", "Novak", "Chen", "Ivanova",
              "Silva", "Ndiaye", "Müller", "Patel", "Popescu", "Brown", "Tanaka", "Haddad")
INDIVIDUALS = 60  # first and last names pair up uniquely for up to 80 people


@dataclass(frozen=True)
class Plan:
    donor: Donor
    currency: str
    amount: Decimal
    received_on: date


def seed_donors(*, stdout=None) -> dict:
    """Load the demo donor data; returns what was created (counts)."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        _rates(today)
        donors = _donors()
        created = 0
        if not Contribution.objects.filter(bank_reference__startswith=REF).exists():
            created = _history(rng, donors, today)
        user = _donor1(donors["Luxembourg"])
    this_year = _this_year(donors, today, user)
    report = {"contributions": created, "this_year": this_year}
    if stdout is not None:
        stdout.write(f"donors: {Donor.objects.count()}, contributions: "
                     f"{Contribution.objects.count()} ({created} created)\n")
    return report


# --- rates -----------------------------------------------------------------------------

def _monthly_rate(currency: str, year: int, month: int) -> Decimal:
    table = RATES[currency]
    base = table[min(year - 2010, len(table) - 1)]
    wobble = 1 + 0.015 * random.Random(f"{currency}{year}{month}").uniform(-1, 1)
    places = Decimal("0.000001") if currency == "JPY" else Decimal("0.0001")
    return Decimal(str(base * wobble)).quantize(places, ROUND_HALF_UP)


def _months(today: date):
    year, month = FIRST_DAY.year, FIRST_DAY.month
    while (year, month) <= (today.year, today.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _rates(today: date) -> None:
    rows = [ExchangeRate(currency=c, valid_on=date(y, m, 1), rate=_monthly_rate(c, y, m),
                         source="Demo: approximate UN operational rate")
            for c in RATES for y, m in _months(today)]
    ExchangeRate.objects.bulk_create(rows, ignore_conflicts=True)


def _rate_on(currency: str, day: date) -> Decimal:
    if currency == "USD":
        return Decimal(1)
    return _monthly_rate(currency, day.year, day.month)


# --- donors ----------------------------------------------------------------------------

def _donor(name: str, donor_type: str, **fields) -> Donor:
    donor, _created = Donor.objects.get_or_create(name=name, donor_type=donor_type,
                                                  defaults=fields)
    return donor


def _donors() -> dict[str, Donor]:
    donors = {}
    for name, country, currency, language in MEMBER_STATES:
        donors[name] = _donor(name, DonorType.MEMBER_STATE, country=country,
                              language=language, contact_name="Permanent Mission (demo)",
                              notes=f"Pays in {currency}.")
    for name, country, _currency in COMPANIES:
        donors[name] = _donor(name, DonorType.PRIVATE_SECTOR, country=country,
                              contact_name="Corporate responsibility (demo)")
    for i in range(INDIVIDUALS):
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
        donors[f"individual-{i}"] = _donor(name, DonorType.INDIVIDUAL, anonymous=i % 3 == 0)
    return donors


def _currency_of(donor: Donor) -> str:
    for name, _country, currency, _language in MEMBER_STATES:
        if name == donor.name and donor.donor_type == DonorType.MEMBER_STATE:
            return currency
    for name, _country, currency in COMPANIES:
        if name == donor.name:
            return currency
    return ("USD", "EUR", "GBP")[donor.pk % 3]


# --- history -----------------------------------------------------------------------------

def _window(year: int, today: date) -> tuple[date, date]:
    start = max(date(year, 1, 1), FIRST_DAY)
    if year == 2023:
        start = date(2023, 5, 1)  # the report's 9.8 million is "by April 2023"
    end = min(date(year, 12, 31), today - timedelta(days=1))
    return start, max(start, end)


def _round(amount: Decimal, currency: str, step: int) -> Decimal:
    unit = Decimal(step * (100 if currency in NO_MINOR_UNITS else 1))
    return max(unit, (amount / unit).quantize(Decimal(1), ROUND_HALF_UP) * unit)


def _cycle(items: list, rng: random.Random):
    while True:
        batch = list(items)
        rng.shuffle(batch)
        yield from batch


def _year_plan(year: int, total: Decimal, rng, cycles, donors, today) -> list[Plan]:
    start, end = _window(year, today)
    span = (end - start).days

    def day() -> date:
        return start + timedelta(days=rng.randint(0, span))

    plans = []
    groups = ((cycles["ms"], rng.randint(8, 12), Decimal("0.66"), 1000),
              (cycles["ps"], rng.randint(5, 8), Decimal("0.18"), 100),
              (cycles["ind"], rng.randint(10, 16), Decimal("0.10"), 10))
    for cycle, count, share, step in groups:
        chosen = [next(cycle) for _ in range(count)]
        weights = [Decimal(str(rng.uniform(0.5, 1.5))) for _ in chosen]
        for donor, weight in zip(chosen, weights, strict=True):
            currency = _currency_of(donor)
            received = day()
            usd = total * share * weight / sum(weights)
            amount = _round(usd / _rate_on(currency, received), currency, step)
            plans.append(Plan(donor, currency, amount, received))
    got = sum((to_usd(p.amount, _rate_on(p.currency, p.received_on)) for p in plans),
              Decimal("0"))
    balancer = donors[BALANCERS[year % len(BALANCERS)]]
    plans.append(Plan(balancer, "USD", total - got, day()))
    return plans


def _history(rng, donors: dict[str, Donor], today: date) -> int:
    by_type = {t: [d for d in donors.values() if d.donor_type == t] for t in DonorType}
    cycles = {"ms": _cycle([d for d in by_type[DonorType.MEMBER_STATE]
                            if d.name not in BALANCERS], rng),
              "ps": _cycle(by_type[DonorType.PRIVATE_SECTOR], rng),
              "ind": _cycle(by_type[DonorType.INDIVIDUAL], rng)}
    plans: list[Plan] = []
    for year in range(2010, today.year + 1):
        total = Decimal(HISTORY.get(year, LATER_YEARS if year < today.year else THIS_YEAR))
        plans += _year_plan(year, total, rng, cycles, donors, today)
    _write_history(plans, rng, today)
    return len(plans)


def _write_history(plans: list[Plan], rng, today: date) -> None:
    call7 = calls_by_number([7]).get(7)
    plans.sort(key=lambda p: (p.received_on, p.donor.pk))
    numbers: dict[int, int] = {}
    rows = []
    for i, plan in enumerate(plans):
        year = plan.received_on.year
        numbers[year] = numbers.get(year, 0) + 1
        rate = _rate_on(plan.currency, plan.received_on)
        pledge = _history_pledge(plan, rate, rng)
        earmark = _earmark(plan, i, call7)
        rows.append(Contribution(
            donor=plan.donor, pledge=pledge, amount=plan.amount, currency=plan.currency,
            received_on=plan.received_on, exchange_rate=rate,
            rate_source=RateSource.PAR if plan.currency == "USD" else RateSource.TABLE,
            amount_usd=to_usd(plan.amount, rate), bank_reference=f"{REF}{year}-{i:05d}",
            receipt_number=f"VTF-{year}-{numbers[year]:05d}",
            receipt_language=plan.donor.language, **earmark))
    totals_add(Contribution.objects.bulk_create(rows, batch_size=500))
    for year, last in numbers.items():
        ReceiptSequence.objects.update_or_create(year=year, defaults={"last": last})
    for year in sorted(numbers):
        if year < today.year:
            _past_milestones(year)


def _history_pledge(plan: Plan, rate: Decimal, rng) -> Pledge | None:
    if plan.donor.donor_type != DonorType.MEMBER_STATE or rng.random() < 0.45:
        return None
    pledged_on = max(date(plan.received_on.year, 1, 1), FIRST_DAY,
                     plan.received_on - timedelta(days=rng.randint(20, 120)))
    return Pledge.objects.create(
        donor=plan.donor, amount=plan.amount, currency=plan.currency, exchange_rate=rate,
        amount_usd=to_usd(plan.amount, rate), year_from=plan.received_on.year,
        year_to=plan.received_on.year, pledged_on=pledged_on,
        expected_on=plan.received_on, status=PledgeStatus.PAID, paid_amount=plan.amount)


def _earmark(plan: Plan, i: int, call7) -> dict:
    if call7 is not None and plan.received_on.year == 2023 and i % 4 == 0:
        return {"earmarking": Earmarking.CALL, "earmark_call": call7}
    if plan.donor.donor_type == DonorType.PRIVATE_SECTOR and i % 5 == 0:
        return {"earmarking": Earmarking.THEME, "earmark_theme": Theme.PROTECTION}
    return {}


def _past_milestones(year: int) -> None:
    """History needs no notices: the milestones it reached are simply on record."""
    from donors.selectors.reports import received_in

    target, received = target_for(year), received_in(year)
    for percent in MILESTONES:
        if received * 100 >= target * percent:
            TargetMilestone.objects.get_or_create(
                year=year, percent=percent,
                defaults={"received_usd": received, "target_usd": target})


# --- the portal user and this year's open pledges ----------------------------------------

def _donor1(luxembourg: Donor) -> User:
    user = User.objects.filter(username="donor1").first()
    if user is None:
        user = User(username="donor1", first_name="Demo", last_name="Donor",
                    email="donor1@example.org", email_verified=True)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    # The README promises a donor who reads the portal, e-mails and receipts in French.
    User.objects.filter(pk=user.pk).update(language="fr", timezone="Europe/Luxembourg")
    user.language, user.timezone = "fr", "Europe/Luxembourg"
    grant_role(user, Role.DONOR)
    luxembourg.users.add(user)
    return user


OPEN_PLEDGES = [  # (donor, currency, amount, month pledged, month expected)
    ("Luxembourg", "EUR", "150000", 2, 12),
    ("Germany", "EUR", "200000", 3, 12),
    ("Japan", "JPY", "20000000", 1, 12),
    ("Australia", "AUD", "150000", 4, 12),
    ("Pinnacle Consulting", "USD", "25000", 5, 12),
]


def _secretariat() -> User | None:
    return User.objects.filter(groups__name=Role.SECRETARIAT, is_active=True).order_by(
        "pk").first()


def _this_year(donors: dict[str, Donor], today: date, user: User) -> int:
    """Open pledges for this year and one part-payment, through the services (audited,
    thanked, milestone notices)."""
    actor, created = _secretariat(), 0
    for name, currency, amount, pledged, expected in OPEN_PLEDGES:
        donor = donors[name]
        pledged_on = min(date(today.year, pledged, 15), today)
        if Pledge.objects.filter(donor=donor, year_from=today.year, currency=currency,
                                 amount=Decimal(amount)).exists():
            continue
        pledge_create(actor=actor, donor=donor, amount=Decimal(amount), currency=currency,
                      year_from=today.year, pledged_on=pledged_on,
                      expected_on=max(date(today.year, expected, 15), pledged_on),
                      note="Demo pledge for this year")
        created += 1
    reference = f"{REF}{today.year}-LU-PART"
    if not Contribution.objects.filter(bank_reference=reference).exists():
        pledge = Pledge.objects.filter(donor=donors["Luxembourg"], year_from=today.year,
                                       currency="EUR", status=PledgeStatus.OPEN).first()
        contribution_record(actor=actor, values=ContributionInput(
            donor=donors["Luxembourg"], amount=Decimal("60000"), currency="EUR",
            received_on=max(date(today.year, 1, 1), today - timedelta(days=3)),
            bank_reference=reference, pledge=pledge, note="First instalment of the pledge"))
        created += 1
    return created

