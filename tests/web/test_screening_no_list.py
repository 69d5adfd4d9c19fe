"""The screening pages say "no list loaded" for the sanctions check while no Consolidated
List has been imported, never "failed"."""

import re

import pytest
from django.urls import reverse

from grants.services.sanctions import sanctions_list_import
from tests.grants.reviews.helpers import SAMPLE_LIST, submitted_application

pytestmark = pytest.mark.django_db


def _sanctions_item(html: str) -> str:
    items = re.findall(r"<li class=\"(?:done|todo)\">.*?</li>", html, re.S)
    return next(i for i in items if "sanctions list" in i and "Security Council" in i)


def test_the_checklist_says_no_list_loaded_not_failed(as_secretariat, organisation, open_call):
    app = submitted_application(organisation=organisation, call=open_call)
    as_secretariat.post(reverse("grants:screening-run", args=[app.pk]))
    html = as_secretariat.get(reverse("grants:screening-detail", args=[app.pk])).content.decode()
    item = _sanctions_item(html)
    assert "no list loaded" in item and "failed" not in item
    assert "No sanctions list loaded" in item
    queue = as_secretariat.get(reverse("grants:screening-queue")).content.decode()
    assert "no list loaded" in queue


def test_once_a_list_is_imported_the_check_passes(as_secretariat, organisation, open_call):
    sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="list.xml")
    app = submitted_application(organisation=organisation, call=open_call)
    as_secretariat.post(reverse("grants:screening-run", args=[app.pk]))
    html = as_secretariat.get(reverse("grants:screening-detail", args=[app.pk])).content.decode()
    item = _sanctions_item(html)
    assert "no list loaded" not in item and "failed" not in item
    assert 'class="done"' in item


def test_an_override_of_the_check_that_has_not_run_is_shown_by_its_name(
        as_secretariat, organisation, open_call):
    app = submitted_application(organisation=organisation, call=open_call)
    as_secretariat.post(reverse("grants:screening-run", args=[app.pk]))
    refused = as_secretariat.post(reverse("grants:screening-decide", args=[app.pk]),
                                  {"decision": "eligible", "reasons": ""})
    assert refused.status_code == 400 and "have not run" in refused.content.decode()
    as_secretariat.post(reverse("grants:screening-decide", args=[app.pk]),
                        {"decision": "eligible", "reasons": "Checked by hand on the UN site."})
    html = as_secretariat.get(reverse("grants:screening-detail", args=[app.pk])).content.decode()
    assert "Checks overridden: No possible match on the UN Security Council sanctions list" in html
