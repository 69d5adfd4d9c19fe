"""Every PDF of the web pages through a permission-checked API endpoint: the decision letter,
the grant agreement, a donor's receipt, the Board's briefing pack and the donors' annual
report. Each is a named application/pdf for whoever may see the page's, 404 (or 403/401)
for everyone else; an NGO never gets another organisation's."""

from datetime import date

import pytest

from grants.services.board import board_session_close
from tests.donors.factories import DonorFactory, record
from tests.factories import OrganisationFactory, ngo_user
from tests.grants.board.helpers import meeting, recommended_call, vote_all
from tests.grants.implementation.helpers import active_grant
from tests.grants.ranking_integration.builders import hand_checked_call
from tests.pdf_text import pdf_metadata, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


@pytest.fixture
def people(ngo, other_ngo, secretariat, reviewer, board_member, donor, chair, organisation):
    viewer = ngo_user(organisation, username="ngo-viewer", org_role="viewer")
    return {"ngo": ngo, "ngo_viewer": viewer, "other_ngo": other_ngo,
            "secretariat": secretariat, "reviewer": reviewer, "board": board_member,
            "chair": chair, "donor": donor, "anonymous": None}


def assert_pdf(response, filename: str) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return pdf_text(response.content)


# --- the decision letter ---------------------------------------------------------------------


@pytest.fixture
def decided(secretariat, seated, chair, organisation):
    session = meeting(recommended_call(envelope="100000.00", organisation=organisation),
                      secretariat)
    vote_all(session, [chair, *seated[1][:2]], amount_usd="30000.00")
    board_session_close(actor=chair, session=session)
    return session.items.first().application


def letter_url(app) -> str:
    return f"/api/v1/applications/{app.pk}/decision-letter/"


LETTER = {"ngo": 200, "ngo_viewer": 200, "other_ngo": 404, "secretariat": 200, "board": 200,
          "chair": 200, "reviewer": 404, "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", LETTER)
def test_the_decision_letter_is_for_the_applicant_the_secretariat_and_the_board(
        api_as, people, decided, who):
    response = api_as(people[who]).get(letter_url(decided))
    assert response.status_code == LETTER[who]
    if LETTER[who] == 200:
        text = assert_pdf(response, f"decision-{decided.reference}-en.pdf")
        assert decided.reference in text and decided.organisation.name in text


def test_the_letter_is_in_the_applicant_s_language_whatever_it_asks(api_as, decided,
                                                                     organisation):
    french = ngo_user(organisation, username="claire", language="fr")
    response = api_as(french).get(letter_url(decided), {"lang": "en"})
    assert response["Content-Disposition"].endswith(f'{decided.reference}-fr.pdf"')
    assert pdf_metadata(response.content)["language"] == "fr"


def test_staff_may_ask_for_the_letter_in_another_language(api_as, secretariat, decided):
    response = api_as(secretariat).get(letter_url(decided), {"lang": "fr"})
    assert response["Content-Disposition"].endswith('-fr.pdf"')
    assert pdf_metadata(response.content)["language"] == "fr"


def test_an_undecided_application_has_no_letter(api_as, secretariat, ngo, organisation):
    call = recommended_call(organisation=organisation)
    app = call.applications.first()
    assert api_as(secretariat).get(letter_url(app)).status_code == 404
    assert api_as(ngo).get(letter_url(app)).status_code == 404
    assert api_as(secretariat).get("/api/v1/applications/999999/decision-letter/"
                                   ).status_code == 404


def test_a_pdf_client_gets_the_file_and_its_errors_as_json(api_as, ngo, other_ngo, decided):
    response = api_as(ngo).get(letter_url(decided), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    hidden = api_as(other_ngo).get(letter_url(decided), HTTP_ACCEPT="application/pdf")
    assert hidden.status_code == 404 and hidden["Content-Type"] == "application/json"
    assert "detail" in hidden.json()


# --- the grant agreement ---------------------------------------------------------------------


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


AGREEMENT = {"ngo": 200, "ngo_viewer": 200, "other_ngo": 404, "secretariat": 200,
             "board": 200, "chair": 200, "reviewer": 404, "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", AGREEMENT)
def test_the_agreement_is_for_the_grantee_the_secretariat_and_the_board(api_as, people,
                                                                        grant, who):
    response = api_as(people[who]).get(f"/api/v1/grants/{grant.pk}/agreement/")
    assert response.status_code == AGREEMENT[who]
    if AGREEMENT[who] == 200:
        text = assert_pdf(response, f"agreement-{grant.agreement_number}.pdf")
        assert grant.agreement_number in text and "1. Parties" in text
        assert "Ada Obi" in text  # who signed for the organisation


def test_the_grantee_reads_the_agreement_in_its_language(api_as, grant, organisation,
                                                         secretariat):
    french = ngo_user(organisation, username="claire", language="fr")
    url = f"/api/v1/grants/{grant.pk}/agreement/"
    assert pdf_metadata(api_as(french).get(url, {"lang": "en"}).content)["language"] == "fr"
    assert pdf_metadata(api_as(secretariat).get(url, {"lang": "fr"}).content)[
        "language"] == "fr"


def test_another_organisation_s_grant_is_404_even_for_its_admin(api_as, grant):
    elsewhere = OrganisationFactory(name="Elsewhere", country="UG")
    admin = ngo_user(elsewhere, username="elsewhere-admin", org_role="admin")
    assert api_as(admin).get(f"/api/v1/grants/{grant.pk}/agreement/").status_code == 404


# --- a donor's receipt ----------------------------------------------------------------------


@pytest.fixture
def contribution(donor, other_donor_user):
    sweden = DonorFactory(name="Sweden", donor_type="member_state", country="SE",
                          users=[donor])
    DonorFactory(name="Norway", donor_type="member_state", country="NO",
                 users=[other_donor_user])
    return record(sweden, "25000.00", received_on=date(2024, 3, 1),
                  bank_reference="SE-2024-0007")


@pytest.fixture
def other_donor_user(db):
    from fundapp.accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="otherdonor", roles=[Role.DONOR])


RECEIPT = {"donor": 200, "secretariat": 200, "other_donor": 404, "ngo": 403, "board": 403,
           "reviewer": 403, "anonymous": 401}


@pytest.mark.parametrize("who", RECEIPT)
def test_a_receipt_is_for_its_donor_and_the_secretariat(api_as, people, other_donor_user,
                                                        contribution, who):
    user = other_donor_user if who == "other_donor" else people[who]
    response = api_as(user).get(f"/api/v1/contributions/{contribution.pk}/receipt/",
                                HTTP_ACCEPT="application/pdf")
    assert response.status_code == RECEIPT[who]
    if RECEIPT[who] == 200:
        assert response["Content-Type"] == "application/pdf"
        assert f'receipt-{contribution.receipt_number}.pdf' in response["Content-Disposition"]
        text = pdf_text(response.content)
        assert contribution.receipt_number in text and "SE-2024-0007" in text


# --- the Board's briefing pack --------------------------------------------------------------


BRIEFING = {"secretariat": 200, "board": 200, "ngo": 403, "other_ngo": 403, "donor": 403,
            "reviewer": 403, "anonymous": 401}


@pytest.mark.parametrize("who", BRIEFING)
def test_the_briefing_pack_is_for_the_board_and_the_secretariat(api_as, people, who):
    call, apps = hand_checked_call(prefix="pack-")
    response = api_as(people[who]).get(f"/api/v1/calls/{call.pk}/portfolio/export/pdf/",
                                       HTTP_ACCEPT="application/pdf")
    assert response.status_code == BRIEFING[who]
    if BRIEFING[who] == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "briefing-pack" in response["Content-Disposition"]
        text = pdf_text(response.content)
        assert "Briefing pack" in text and "DRAFT" in text and "Project B" in text


def test_the_briefing_pack_of_a_call_one_may_not_see_is_404(api_as, board_member,
                                                            secretariat):
    assert api_as(board_member).get("/api/v1/calls/999999/portfolio/export/pdf/"
                                    ).status_code == 404


# --- the donors' annual report --------------------------------------------------------------


ANNUAL = {"secretariat": 200, "board": 200, "donor": 200, "ngo": 403, "reviewer": 403,
          "anonymous": 401}


@pytest.mark.parametrize("who", ANNUAL)
def test_the_annual_report_is_for_donors_the_secretariat_and_the_board(api_as, people,
                                                                       contribution, who):
    response = api_as(people[who]).get("/api/v1/reports/annual/2024/")
    assert response.status_code == ANNUAL[who]
    if ANNUAL[who] == 200:
        text = assert_pdf(response, "vtf-donor-report-2024.pdf")
        assert "2024" in text and "Sweden" in text


def test_an_annual_report_outside_the_fund_s_years_is_404(api_as, login, secretariat,
                                                          contribution):
    client = api_as(secretariat)
    assert client.get("/api/v1/reports/annual/1999/").status_code == 404
    assert client.get("/api/v1/reports/annual/2101/").status_code == 404
    # Before the fund's first income (2024 here) there is no report: 404, on the page too.
    assert client.get("/api/v1/reports/annual/2015/").status_code == 404
    assert login(secretariat).get("/funding/reports/2015.pdf").status_code == 404


def test_the_annual_report_is_in_the_reader_s_language(api_as, contribution):
    from fundapp.accounts.roles import Role
    from tests.factories import UserFactory

    reader = UserFactory(username="lecteur", roles=[Role.DONOR], language="fr")
    response = api_as(reader).get("/api/v1/reports/annual/2024/")
    assert pdf_metadata(response.content)["language"] == "fr"
