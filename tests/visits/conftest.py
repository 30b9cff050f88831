"""The web fixtures (kim, login) for the visit pages."""

from tests.web.conftest import kim, login  # noqa: F401
