"""The web and API fixtures (kim, login, api) for the referral pages and endpoints."""

from tests.api.conftest import api  # noqa: F401
from tests.web.conftest import kim, login  # noqa: F401
