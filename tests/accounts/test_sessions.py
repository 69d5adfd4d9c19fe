"""The sessions page: where and when one is signed in, and signing out elsewhere."""

import pytest
from django.test import Client

from fundapp.accounts.models import ApiToken, UserSession
from fundapp.accounts.services import SESSION_SEEN_KEY, sessions_end, token_create
from tests.factories import PASSWORD
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _signed_in(user, ua=FIREFOX, ip="203.0.113.7") -> Client:
    """Signed in through the sign-in page, as a browser is (address and browser known)."""
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def test_signing_in_records_the_session_and_signing_out_forgets_it(ngo):
    client = _signed_in(ngo)
    row = UserSession.objects.get(user=ngo)
    assert (row.ip, row.session_key) == ("203.0.113.7", client.session.session_key)
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=ngo).exists()


def test_the_page_lists_each_session_and_marks_this_one(ngo):
    client = _signed_in(ngo)
    _signed_in(ngo, ua="curl/8.5", ip="198.51.100.9")
    body = client.get("/accounts/sessions/").content.decode()
    assert "Firefox on Windows" in body and "198.51.100.9" in body
    assert body.count("this session") == 1


def test_sign_out_everywhere_else_keeps_this_session_and_the_tokens(ngo):
    here, elsewhere = _signed_in(ngo), _signed_in(ngo)
    token_create(user=ngo)
    response = here.post("/accounts/sessions/sign-out/others/")
    assert response.status_code == 302
    assert here.get("/accounts/sessions/").status_code == 200
    assert elsewhere.get("/accounts/sessions/").status_code == 302
    assert ApiToken.objects.filter(user=ngo).count() == 1


def test_sign_out_everywhere_ends_this_session_and_the_tokens_too(ngo):
    here, elsewhere = _signed_in(ngo), _signed_in(ngo)
    token_create(user=ngo)
    here.post("/accounts/sessions/sign-out/all/")
    assert here.get("/accounts/sessions/").status_code == 302
    assert elsewhere.get("/accounts/sessions/").status_code == 302
    assert not ApiToken.objects.filter(user=ngo).exists()


def test_an_unknown_scope_is_a_404(ngo):
    assert _signed_in(ngo).post("/accounts/sessions/sign-out/mine/").status_code == 404


def test_sessions_end_is_what_deactivation_calls(ngo):
    keep = _signed_in(ngo)
    _signed_in(ngo)
    assert sessions_end(ngo, keep_session_key=keep.session.session_key) == 1
    assert keep.get("/accounts/sessions/").status_code == 200


def test_a_session_from_before_recording_is_recorded_on_its_next_visit(ngo):
    client = _signed_in(ngo)
    UserSession.objects.all().delete()  # as if signed in before sessions were recorded
    session = client.session
    del session[SESSION_SEEN_KEY]
    session.save()
    client.get("/accounts/sessions/")
    assert UserSession.objects.filter(user=ngo).count() == 1


def test_revoking_a_token_needs_a_confirmation_and_only_reaches_ones_own(ngo, other_ngo):
    client = _signed_in(ngo)
    mine, _key = token_create(user=ngo)
    theirs, _key = token_create(user=other_ngo)
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 400
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/",
                       {"confirmed": "yes"}).status_code == 404
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/",
                       {"confirmed": "yes"}).status_code == 302
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_the_sessions_page_costs_the_same_queries_for_many_sessions_and_tokens(ngo):
    client = _signed_in(ngo)
    token_create(user=ngo)
    few = queries_for_get(client, "/accounts/sessions/")
    for i in range(8):
        _signed_in(ngo, ip=f"192.0.2.{i}")
        token_create(user=ngo)
    assert queries_for_get(client, "/accounts/sessions/") == few
    assert few <= 12
