import pytest

from grants.services.sanctions import sanctions_list_import
from tests.grants.reviews.helpers import SAMPLE_LIST


@pytest.fixture
def sanctions_list(db):
    return sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(),
                                 source_name="consolidated.xml")


@pytest.fixture
def complete_draft(organisation, open_call):
    from tests.factories import complete_application

    return complete_application(organisation=organisation, call=open_call)
