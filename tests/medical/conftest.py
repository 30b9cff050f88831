import pytest

from tests.cases.builders import awaiting_interview
from tests.medical.builders import commission


@pytest.fixture
def board(people, medics):
    return commission(people, medics)


@pytest.fixture
def wounded(people):
    """A KP soldier, seriously wounded, notified and waiting for the verifier."""
    return awaiting_interview(people, health_status="seriously_wounded_or_sick",
                              nationalities=("KP",))  # fmt: skip


from tests.api.conftest import api  # noqa: E402, F401 - the API client fixture
from tests.web.conftest import kim, login  # noqa: E402, F401 - Kim and the logged-in client
