from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from fundapp.accounts.roles import Role
from grants.demo.impact import impact_stage
from grants.models import ApplicationStatus, Grant
from grants.selectors import impact
from tests.factories import ApplicationFactory, CallFactory, UserFactory


def test_the_history_matches_the_report_and_loads_once(db):
    UserFactory(username="secretariat", roles=[Role.SECRETARIAT])
    past = timezone.now() - timedelta(days=4000)
    calls = {n: CallFactory(number=n, opens_at=past, closes_at=past + timedelta(days=60))
             for n in range(1, 7)}
    ApplicationFactory(call=calls[6], status=ApplicationStatus.APPROVED, countries=["NG"])
    ApplicationFactory(call=calls[6], status=ApplicationStatus.APPROVED, countries=["TH"])
    assert impact_stage() == {"historic grants": 145}
    assert impact_stage() == {}
    figures = impact.impact()
    assert figures.projects > 145 and figures.countries > 60
    assert figures.disbursed_usd > Decimal("6000000")
    assert figures.victims_per_year[2021] > 3500 and figures.victims_per_year[2022] > 3500
    sixth = calls[6].applications.filter(status=ApplicationStatus.APPROVED)
    codes = {str(c) for app in sixth for c in app.countries}
    assert (sixth.count(), len(codes)) == (24, 19)
    assert Grant.objects.filter(call=calls[6]).count() == 22
