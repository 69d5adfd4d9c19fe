"""/api/v1/me/: who am I, for each role; PATCH language and time zone only."""

import pytest

pytestmark = pytest.mark.django_db
FIELDS = {"id", "username", "email", "roles", "language", "time_zone", "organisation",
          "organisation_role", "mfa_enabled"}


@pytest.mark.parametrize("who", ["secretariat", "reviewer", "board_member", "donor", "ngo"])
def test_each_role_reads_itself(request, api_as, who):
    user = request.getfixturevalue(who)
    data = api_as(user).get("/api/v1/me/").json()
    assert set(data) == FIELDS
    assert (data["id"], data["username"], data["mfa_enabled"]) == (user.pk, user.username,
                                                                    False)
    assert data["roles"] == sorted(g.name for g in user.groups.all())
    if who == "ngo":
        assert data["organisation"] == user.membership.organisation_id
        assert data["organisation_role"] == "admin"
    else:
        assert (data["organisation"], data["organisation_role"]) == (None, None)


def test_anonymous_gets_401_or_403(api, db):
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_patch_changes_language_and_time_zone(api_as, ngo):
    response = api_as(ngo).patch("/api/v1/me/", {"language": "fr",
                                                 "time_zone": "Africa/Lagos"}, format="json")
    assert response.status_code == 200
    assert (response.json()["language"], response.json()["time_zone"]) == ("fr",
                                                                            "Africa/Lagos")
    ngo.refresh_from_db()
    assert (ngo.language, ngo.timezone) == ("fr", "Africa/Lagos")


def test_patch_ignores_read_only_fields_and_refuses_bad_values(api_as, ngo, secretariat):
    api = api_as(ngo)
    api.patch("/api/v1/me/", {"email": secretariat.email, "username": "x"}, format="json")
    ngo.refresh_from_db()
    assert (ngo.username, ngo.email) == ("ngo", "ngo@example.org")
    bad = api.patch("/api/v1/me/", {"time_zone": "Mars/Olympus", "language": "xx"},
                    format="json")
    assert bad.status_code == 400 and {"time_zone", "language"} <= set(bad.json())
