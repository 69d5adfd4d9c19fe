"""One deadline for every refusal: a call's closing time, or the extension that runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.core.errors import StateConflict
from grants.models import ApplicationStatus, CallStatus
from grants.selectors.extensions import (
    organisation_may_start,
    submission_deadline,
    submission_open,
    with_deadlines,
)
from grants.services.applications import application_create, application_submit
from grants.services.extensions import deadline_extend, deadline_extension_revoke
from tests.factories import CallFactory, complete_application

from .conftest import in_days

pytestmark = pytest.mark.django_db
REASON = "Office flooded; documents lost."


def extend_app(secretariat, app, days=3):
    return deadline_extend(actor=secretariat, call=app.call, application=app,
                           until=in_days(days), reason=REASON)


def extend_org(secretariat, call, organisation, days=3):
    return deadline_extend(actor=secretariat, call=call, organisation=organisation,
                           until=in_days(days), reason=REASON)


def test_without_an_extension_the_deadline_is_the_calls(late_draft):
    assert submission_deadline(late_draft) == late_draft.call.closes_at
    assert not submission_open(late_draft)


def test_a_closed_call_refuses_a_draft_without_extension(ngo, late_draft):
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=late_draft)


def test_an_extended_application_is_submitted_though_the_call_has_closed(
        secretariat, ngo, late_draft):
    extension = extend_app(secretariat, late_draft)
    assert submission_deadline(late_draft) == extension.until
    app = application_submit(actor=ngo, application=late_draft)
    assert app.status == ApplicationStatus.SUBMITTED and app.reference


def test_an_application_extension_covers_no_other_organisation(
        secretariat, other_ngo, late_draft, other_late_draft):
    extend_app(secretariat, late_draft)
    with pytest.raises(StateConflict):
        application_submit(actor=other_ngo, application=other_late_draft)


def test_an_application_extension_covers_no_other_draft_of_the_same_organisation(
        secretariat, ngo, organisation, late_draft, closed_call):
    sibling = complete_application(organisation=organisation, call=closed_call)
    extend_app(secretariat, late_draft)
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=sibling)


def test_after_until_the_extended_application_is_refused(secretariat, ngo, late_draft):
    extension = extend_app(secretariat, late_draft)
    later = extension.until + timedelta(seconds=1)
    assert submission_open(late_draft, now=extension.until - timedelta(seconds=1))
    assert not submission_open(late_draft, now=extension.until)
    assert not submission_open(late_draft, now=later)


def test_submission_after_until_is_a_conflict(secretariat, ngo, late_draft, monkeypatch):
    extension = extend_app(secretariat, late_draft)
    after = extension.until + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after)
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=late_draft)


def test_a_revoked_extension_no_longer_counts(secretariat, ngo, late_draft):
    extension = extend_app(secretariat, late_draft)
    deadline_extension_revoke(actor=secretariat, extension=extension)
    assert submission_deadline(late_draft) == late_draft.call.closes_at
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=late_draft)


def test_an_organisation_extension_covers_all_its_drafts_on_the_call(
        secretariat, ngo, organisation, late_draft, closed_call):
    sibling = complete_application(organisation=organisation, call=closed_call)
    extend_org(secretariat, closed_call, organisation)
    for app in (late_draft, sibling):
        assert application_submit(actor=ngo, application=app).status == "submitted"


def test_an_organisation_extension_leaves_other_organisations_refused(
        secretariat, other_ngo, organisation, closed_call, other_late_draft):
    extend_org(secretariat, closed_call, organisation)
    with pytest.raises(StateConflict):
        application_submit(actor=other_ngo, application=other_late_draft)


def test_an_organisation_extension_covers_only_its_call(
        secretariat, ngo, organisation, closed_call):
    other_call = CallFactory(status=CallStatus.CLOSED, opens_at=in_days(-30),
                             closes_at=in_days(-1))
    elsewhere = complete_application(organisation=organisation, call=other_call)
    extend_org(secretariat, closed_call, organisation)
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=elsewhere)


def test_an_organisation_extension_lets_it_start_an_application(
        secretariat, ngo, organisation, other_ngo, other_organisation, closed_call):
    with pytest.raises(StateConflict):
        application_create(actor=ngo, call=closed_call)
    extend_org(secretariat, closed_call, organisation)
    assert organisation_may_start(closed_call, organisation)
    assert not organisation_may_start(closed_call, other_organisation)
    assert application_create(actor=ngo, call=closed_call).call == closed_call
    with pytest.raises(StateConflict):
        application_create(actor=other_ngo, call=closed_call)


def test_a_published_call_past_its_deadline_honours_an_extension(
        secretariat, ngo, organisation):
    call = CallFactory(opens_at=in_days(-30), closes_at=in_days(-0.1))  # not closed by task
    app = complete_application(organisation=organisation, call=call)
    extend_app(secretariat, app)
    assert application_submit(actor=ngo, application=app).status == "submitted"


def test_a_decided_call_honours_no_extension(secretariat, ngo, late_draft):
    extend_app(secretariat, late_draft)
    call = late_draft.call
    call.status = CallStatus.DECIDED
    call.save()
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=late_draft)


def test_the_later_of_two_covering_extensions_counts(secretariat, organisation, late_draft,
                                                     closed_call):
    extend_app(secretariat, late_draft, days=2)
    org_wide = extend_org(secretariat, closed_call, organisation, days=5)
    assert submission_deadline(late_draft) == org_wide.until


def test_list_pages_get_each_applications_deadline_in_one_query(
        secretariat, organisation, late_draft, other_late_draft, closed_call,
        django_assert_num_queries):
    extension = extend_app(secretariat, late_draft)
    apps = [type(late_draft).objects.select_related("call").get(pk=a.pk)
            for a in (late_draft, other_late_draft)]
    with django_assert_num_queries(1):
        mine, theirs = with_deadlines(apps)
    assert (mine.deadline, mine.extended) == (extension.until, True)
    assert (theirs.deadline, theirs.extended) == (closed_call.closes_at, False)
