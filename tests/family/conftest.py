"""The web and API fixtures (kim, login, api) for the family pages and endpoints."""

from tests.api.conftest import api  # noqa: F401
from tests.web.conftest import kim, login  # noqa: F401
