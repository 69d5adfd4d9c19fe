"""What the matching finds, kind by kind, on the database the suite runs on (SQLite: the
icontains fallback; PostgreSQL: full-text search with exact and prefix codes)."""

import pytest
from django.http import Http404

from donors.models import Contribution, Donor
from donors.selectors.search import contributions_matching, donors_matching
from fundapp.core.search import matching, words_of
from grants.models import Application, Grant, Organisation
from grants.selectors.search import (
    PER_KIND,
    applications_matching,
    grants_matching,
    organisations_matching,
    search_for,
)

from tests.factories import ApplicationFactory

from .conftest import add_many

pytestmark = pytest.mark.django_db


def pks(qs):
    return set(qs.values_list("pk", flat=True))


def test_an_application_by_reference_exact_prefix_or_part(rows):
    apps = Application.objects.all()
    assert pks(applications_matching(apps, "VTF9-0042")) == {rows["hope_app"].pk}
    assert pks(applications_matching(apps, "vtf9-004")) == {rows["hope_app"].pk,
                                                           rows["other_app"].pk}
    assert pks(applications_matching(apps, "0043")) == {rows["other_app"].pk}


def test_an_application_by_title_words_or_organisation_name(rows):
    apps = Application.objects.all()
    assert pks(applications_matching(apps, "safe houses")) == {rows["hope_app"].pk}
    # every word must match (one in the title, one in the organisation's name)
    assert pks(applications_matching(apps, "Lagos hope")) == {rows["hope_app"].pk}
    assert pks(applications_matching(apps, "Lagos Nairobi")) == set()
    # words match by their beginning, whatever the case
    assert pks(applications_matching(apps, "NAIRO")) == {rows["other_app"].pk}


def test_blind_review_keeps_organisation_names_out(rows):
    apps = Application.objects.all()
    assert pks(applications_matching(apps, "Hope Shelter", names=False)) == set()
    assert pks(applications_matching(apps, "Lagos", names=False)) == {rows["hope_app"].pk}


def test_an_organisation_by_name_or_registration_number(rows, organisation):
    orgs = Organisation.objects.all()
    assert pks(organisations_matching(orgs, "hope shelter")) == {organisation.pk}
    assert pks(organisations_matching(orgs, "RC-NG-7788")) == {organisation.pk}
    assert pks(organisations_matching(orgs, "rc-ng")) == {organisation.pk}


def test_a_grant_by_agreement_number_or_its_application(rows):
    grants = Grant.objects.all()
    number = rows["hope_grant"].agreement_number
    assert pks(grants_matching(grants, number)) == {rows["hope_grant"].pk}
    assert pks(grants_matching(grants, number.lower())) == {rows["hope_grant"].pk}
    assert pks(grants_matching(grants, "Other NGO")) == {rows["other_grant"].pk}


def test_donors_by_name_and_contributions_by_bank_reference(rows):
    assert pks(donors_matching(Donor.objects.all(), "luxem")) == {rows["luxembourg"].pk}
    assert pks(donors_matching(Donor.objects.all(), "development sweden")) == {
        rows["sweden"].pk}
    contributions = Contribution.objects.all()
    assert pks(contributions_matching(contributions, "LU-2026-PART")) == {
        rows["lux_money"].pk}
    assert pks(contributions_matching(contributions, "2026")) == {
        rows["lux_money"].pk, rows["swe_money"].pk}
    receipt = rows["swe_money"].receipt_number
    assert pks(contributions_matching(contributions, receipt)) == {rows["swe_money"].pk}
    assert pks(contributions_matching(contributions, "Luxembourg")) == {rows["lux_money"].pk}


def test_no_words_find_nothing_and_odd_input_is_harmless(rows):
    apps = Application.objects.all()
    assert words_of("  -- ¿? ") == []
    assert not applications_matching(apps, "   ").exists()
    assert not applications_matching(apps, "-- & | ! :*").exists()
    # tsquery syntax and SQL wildcards are only text
    assert not applications_matching(apps, "hope & !shelter | x:*").exists()
    assert not applications_matching(apps, "%").exists()
    assert len(words_of("a " * 50)) == 8
    assert pks(matching(apps, "x" * 500, words=["title"])) == set()


def test_an_exact_reference_comes_first(rows):
    found = search_for(_secretariat(), "VTF9-0042")
    apps = next(k for k in found.kinds if k.code == "applications")
    assert [a.pk for a in apps.rows] == [rows["hope_app"].pk]
    ApplicationFactory(reference="VTF9-00421", title="Another")
    apps = next(k for k in search_for(_secretariat(), "VTF9-0042").kinds
                if k.code == "applications")
    assert apps.rows[0].pk == rows["hope_app"].pk and apps.count == 2


def test_search_for_groups_by_kind_with_counts_and_at_most_n_rows(rows):
    add_many(PER_KIND + 2)
    found = search_for(_secretariat(), "Many")
    counts = {k.code: k.count for k in found.kinds}
    # each grant has its application (of the same organisation): twice as many applications
    assert counts == {"applications": 2 * (PER_KIND + 2), "organisations": PER_KIND + 2,
                      "grants": PER_KIND + 2, "donors": PER_KIND + 2,
                      "contributions": PER_KIND + 2}
    assert all(len(k.rows) == PER_KIND and k.more for k in found.kinds)
    assert found.total == 6 * (PER_KIND + 2)


def test_search_for_is_the_secretariats_alone(rows, ngo, reviewer, board_member, donor):
    for user in (ngo, reviewer, board_member, donor):
        with pytest.raises(Http404):
            search_for(user, "hope")


def test_an_empty_query_is_not_a_search(rows):
    found = search_for(_secretariat(), "  ")
    assert not found.searched and found.kinds == []


def _secretariat():
    from fundapp.accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(roles=[Role.SECRETARIAT])
