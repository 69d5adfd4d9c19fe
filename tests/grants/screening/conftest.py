import pytest



@pytest.fixture
def complete_draft(organisation, open_call):
    from tests.factories import complete_application

    return complete_application(organisation=organisation, call=open_call)
