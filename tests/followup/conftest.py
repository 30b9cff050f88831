"""The web and API fixtures (login, api) and a man transferred to minjun's state (KR)."""

import pytest

from tests.api.conftest import api  # noqa: F401
from tests.followup.builders import transferred_man
from tests.web.conftest import login  # noqa: F401


@pytest.fixture
def moved(people):
    """A man handed over today to the Republic of Korea (minjun's state), which his will names;
    represented by lena's NGO."""
    return transferred_man(people)
