import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/calls/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_answers_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
