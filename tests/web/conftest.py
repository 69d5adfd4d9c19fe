import pytest

from fundapp.core.confirm import CONFIRM_FIELD, CONFIRM_VALUE

# The "I understand" box of an irreversible step (templates/partials/confirm.html).
CONFIRMED = {CONFIRM_FIELD: CONFIRM_VALUE}


@pytest.fixture
def as_secretariat(login, secretariat):
    return login(secretariat)


@pytest.fixture
def as_ngo(login, ngo):
    return login(ngo)


def draft_post(*, lines=(), priorities=None, **fields) -> dict:
    """The edit page's POST body: draft fields, the budget formset and priority ticks."""
    data = {"lines-TOTAL_FORMS": str(len(lines) + 1), "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "50",
            "present": ["countries", "services", "priorities"]}
    for key, value in fields.items():
        data[key] = value
    for i, (category, description, amount) in enumerate(lines):
        data[f"lines-{i}-category"] = category
        data[f"lines-{i}-description"] = description
        data[f"lines-{i}-amount"] = amount
    for code, justification in (priorities or {}).items():
        data[f"priority-{code}"] = "on"
        data[f"justification-{code}"] = justification
    return data


def complete_draft_post(**overrides) -> dict:
    fields = {
        "title": "Safe homes for survivors", "summary": "Shelter and legal aid in Lagos.",
        "countries": ["NG"], "requested_usd": "50000.00", "duration_months": "12",
        "start_date": "2031-01-15", "services": ["shelter", "legal"],
        "beneficiaries_women": "40", "beneficiaries_girls": "25",
        "beneficiaries_men": "0", "beneficiaries_boys": "5",
    }
    fields.update(overrides)
    return draft_post(
        lines=[("direct_assistance", "Shelter costs", "30000.00"),
               ("personnel", "Social workers", "20000.00")],
        priorities={"armed-conflict": "Most of our clients fled the conflict in the north."},
        **fields,
    )
