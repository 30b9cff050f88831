from tests.web.conftest import kim, login  # noqa: F401 - fixtures of the route matrix
