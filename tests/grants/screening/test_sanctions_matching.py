from decimal import Decimal

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import CheckCode, MatchSubject, SanctionsEntry
from grants.services.sanctions import MATCH_THRESHOLD, sanctions_hits, sanctions_match_clear
from grants.services.screening import application_screen, screening_run
from tests.factories import OrganisationFactory
from tests.grants.reviews.helpers import submitted_application

pytestmark = pytest.mark.django_db


def hits_for(**org_fields):
    org = OrganisationFactory.build(**org_fields)
    return sanctions_hits(org, list(SanctionsEntry.objects.all()))


def test_the_threshold_is_88():
    assert MATCH_THRESHOLD == 88


def test_an_organisation_name_close_to_a_listed_entity_is_a_possible_match(sanctions_list):
    [hit] = hits_for(name="Crescent Relief & Hope Foundation")
    assert (hit.subject, hit.entry_reference, hit.score) == (MatchSubject.NAME, "QDe.901", 100)


def test_a_former_name_matching_an_alias_is_found(sanctions_list):
    [hit] = hits_for(name="New Horizons Kenya", former_names="Old name\nAl Hilal Charitable Trust")
    assert hit.subject == MatchSubject.FORMER_NAME
    assert hit.matched_name == "Al-Hilal Charitable Trust"


def test_a_key_person_is_compared_with_listed_individuals(sanctions_list):
    [hit] = hits_for(name="Safe Homes", contact_name="Ibrahim Kareem")
    assert (hit.subject, hit.entry_reference) == (MatchSubject.PERSON, "LYi.901")


def test_names_sharing_a_common_word_are_not_flagged(sanctions_list):
    assert hits_for(name="Hope Trust", contact_name="Ibrahim Musa") == []
    assert hits_for(name="Hope Shelter Nigeria", contact_name="Amara Okafor") == []


def test_a_transliteration_variant_of_an_alias_is_flagged_with_its_score(sanctions_list):
    [hit] = hits_for(name="Safe Homes", contact_name="Ibrahim Karim")
    assert (hit.matched_name, hit.score) == ("Ibrahim Kareem", 88.89)


def test_one_entry_gives_one_hit_per_subject_with_its_best_name(sanctions_list):
    hits = hits_for(name="Crescent Hope Relief Foundation")
    assert [h.entry_reference for h in hits] == ["QDe.901"]


def test_screening_records_the_match_and_fails_the_sanctions_check(secretariat,
                                                                   sanctions_list):
    org = OrganisationFactory(name="Sahel Transit Services Ltd")
    app = submitted_application(organisation=org)
    screening = screening_run(actor=secretariat, application=app)
    [match] = app.sanctions_matches.all()
    assert match.score == Decimal("100.00") and match.entry_name == "SAHEL TRANSIT SERVICES"
    assert CheckCode.SANCTIONS in screening.failed_codes


@pytest.fixture
def flagged(secretariat, sanctions_list):
    app = submitted_application(organisation=OrganisationFactory(name="Sahel Transit Services"))
    screening_run(actor=secretariat, application=app)
    return app


def test_a_possible_match_blocks_eligibility_even_with_reasons(secretariat, flagged):
    with pytest.raises(ValidationFailed) as exc:
        application_screen(actor=secretariat, application=flagged, eligible=True,
                           reasons="Looks fine")
    assert "sanctions" in exc.value.field_errors


def test_clearing_needs_a_reason(secretariat, flagged):
    with pytest.raises(ValidationFailed):
        sanctions_match_clear(actor=secretariat, match=flagged.sanctions_matches.get(),
                              reason="  ")


def test_a_cleared_match_no_longer_blocks_and_is_audited(secretariat, flagged):
    match = sanctions_match_clear(actor=secretariat, match=flagged.sanctions_matches.get(),
                                  reason="Registered in Ghana in 2015; different directors.")
    assert match.cleared_by == secretariat
    event = audit_trail_for(flagged).get(verb="sanctions.clear")
    assert "different directors" in event.note
    flagged.screening.refresh_from_db()
    assert CheckCode.SANCTIONS not in flagged.screening.failed_codes
    application_screen(actor=secretariat, application=flagged, eligible=True, reasons="")
    flagged.refresh_from_db()
    assert flagged.status == "eligible"


def test_clearing_twice_is_a_conflict(secretariat, flagged):
    match = flagged.sanctions_matches.get()
    sanctions_match_clear(actor=secretariat, match=match, reason="Not them.")
    with pytest.raises(StateConflict):
        sanctions_match_clear(actor=secretariat, match=match, reason="Again.")


def test_only_the_secretariat_clears(reviewer, flagged):
    with pytest.raises(NotAllowed):
        sanctions_match_clear(actor=reviewer, match=flagged.sanctions_matches.get(),
                              reason="Not them.")


def test_rerunning_the_checks_keeps_a_cleared_match(secretariat, flagged):
    match = flagged.sanctions_matches.get()
    sanctions_match_clear(actor=secretariat, match=match, reason="Not them.")
    screening = screening_run(actor=secretariat, application=flagged)
    assert flagged.sanctions_matches.get().pk == match.pk
    assert CheckCode.SANCTIONS not in screening.failed_codes


def test_without_a_list_the_sanctions_check_has_not_run_and_can_be_overridden(secretariat):
    app = submitted_application()
    screening = screening_run(actor=secretariat, application=app)
    assert screening.failed_codes == []
    assert screening.not_run_codes == [CheckCode.SANCTIONS]
    with pytest.raises(ValidationFailed):
        application_screen(actor=secretariat, application=app, eligible=True, reasons="")
    application_screen(actor=secretariat, application=app, eligible=True,
                       reasons="List checked by hand on the UN site.")
