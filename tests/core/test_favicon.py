import pytest
from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_shipped_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.svg")
    shipped = finders.find("favicon.svg")
    assert shipped and open(shipped, "rb").read().startswith(b"<svg")


@pytest.mark.django_db
def test_pages_name_their_icon(client):
    assert b'rel="icon"' in client.get("/").content
