"""Routes of /api/v1/. Every view is exempt from the login redirect: the API answers 401."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path, re_path, register_converter
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safepassage.accounts import api as accounts_api
from safepassage.api import views
from safepassage.api.serializers import MAX_ID
from safepassage.audit import api as audit_api
from safepassage.cases import api as cases_api
from safepassage.documents import api as documents_api
from safepassage.exchanges import api as exchanges_api
from safepassage.family import api as family_api
from safepassage.field import api as field_api
from safepassage.followup import api as followup_api
from safepassage.medical import api as medical_api
from safepassage.referrals import api as referrals_api
from safepassage.registry import api as registry_api
from safepassage.tracing import api as tracing_api
from safepassage.visits import api as visits_api
from safepassage.web.security import API_DOCS_CSP

app_name = "api"


class IdConverter:
    """A database id: digits that fit a 64-bit key, so a huge number is a 404, not an overflow."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

# Each app's routes, in the order the schema lists them.
urlpatterns = [
    *registry_api.routes(),
    *cases_api.routes(),
    *accounts_api.routes(),
    *audit_api.routes(),
    *tracing_api.routes(),
    *exchanges_api.routes(),
    *visits_api.routes(),
    *medical_api.routes(),
    *referrals_api.routes(),
    *family_api.routes(),
    *followup_api.routes(),
    *field_api.routes(),
    *documents_api.routes(),
    path("problems/", views.ProblemTypeList.as_view(), name="problem-list"),
    path("problems/<slug:slug>", views.ProblemTypeDetail.as_view(), name="problem-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script as a file, so the page needs no inline script.
    path(
        "docs/",
        csp_override(API_DOCS_CSP)(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="web/swagger_ui.html"
            )
        ),
        name="docs",
    ),
    # [\s\S], not ".": a path with an encoded line break (%0A) is no route either.
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not-found"),
]

for _pattern in urlpatterns:
    if not isinstance(_pattern, URLPattern):  # an include() would escape the marking below
        raise ImproperlyConfigured(f"api/urls.py: {_pattern!r} is not a plain route")
    login_not_required(_pattern.callback)
