"""The members page's files: the members (every member, own organisation only) and the
pending invitations (admins only), in CSV and XLSX, linked from the page."""

import pytest

from grants.models import OrgRole
from grants.services.invitations import invitation_create
from tests.queries import queries_for_get
from tests.web.test_exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db
PAGE = "/organisation/members/"


def test_the_page_links_both_files_for_the_admin(login, admin, organisation):
    invitation_create(actor=admin, organisation=organisation, email="soon@example.org",
                      role=OrgRole.VIEWER)
    html = login(admin).get(PAGE).content.decode()
    assert 'href="?format=csv"' in html and 'href="?format=xlsx"' in html
    assert 'href="?list=invitations&amp;format=csv"' in html


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_every_member_exports_the_members_of_their_organisation_only(
        who, request, login, admin, editor, outsider):
    rows = csv_rows(login(request.getfixturevalue(who)).get(PAGE, {"format": "csv"}))
    assert rows[0][:4] == ["Name", "User name", "E-mail", "Role"]
    names = {row[1] for row in rows[1:]}
    assert {"amaka", "chidi"} <= names and "outsider" not in names
    assert [row[3] for row in rows[1:] if row[1] == "chidi"] == ["Editor"]


def test_the_members_file_in_xlsx_has_typed_dates(login, admin, editor):
    from datetime import datetime

    rows = xlsx_rows(login(admin).get(PAGE, {"format": "xlsx"}))
    assert rows[0][4] == "Member since"
    assert all(isinstance(row[4], datetime) for row in rows[1:])


def test_the_admin_exports_the_pending_invitations(login, admin, organisation, outsider,
                                                  other_organisation):
    invitation_create(actor=admin, organisation=organisation, email="soon@example.org",
                      role=OrgRole.VIEWER)
    invitation_create(actor=outsider, organisation=other_organisation,
                      email="elsewhere@example.org", role=OrgRole.EDITOR)
    rows = csv_rows(login(admin).get(PAGE, {"list": "invitations", "format": "csv"}))
    assert rows[0][:2] == ["E-mail address", "Role"]
    assert [row[:2] for row in rows[1:]] == [["soon@example.org", "Viewer"]]
    xlsx = xlsx_rows(login(admin).get(PAGE, {"list": "invitations", "format": "xlsx"}))
    assert xlsx[1][0] == "soon@example.org"


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_other_members_cannot_export_the_invitations(who, request, login, admin, organisation):
    invitation_create(actor=admin, organisation=organisation, email="soon@example.org",
                      role=OrgRole.VIEWER)
    response = login(request.getfixturevalue(who)).get(
        PAGE, {"list": "invitations", "format": "csv"})
    assert response.status_code == 404


def test_the_members_file_costs_the_same_queries_with_more_members(login, admin, organisation):
    from tests.factories import ngo_user

    client = login(admin)
    few = queries_for_get(client, f"{PAGE}?format=xlsx")
    for n in range(8):
        ngo_user(organisation, org_role=OrgRole.EDITOR, username=f"extra{n}")
    assert queries_for_get(client, f"{PAGE}?format=xlsx") <= few
