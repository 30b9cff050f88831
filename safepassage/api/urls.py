"""Routes of /api/v1/. Every view is exempt from the login redirect: the API answers 401."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path, re_path, register_converter
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safepassage.api import views
from safepassage.api.serializers import MAX_ID
from safepassage.exchanges import api as exchanges_api
from safepassage.tracing import api as tracing_api
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

_list = {"get": "list", "post": "create"}
_read = {"get": "list"}
_detail = {"get": "retrieve"}
_person = "persons/<id:person_id>/"

urlpatterns = [
    path("persons/", views.PersonViewSet.as_view(_list), name="person-list"),
    path(
        "persons/<id:pk>/",
        views.PersonViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="person-detail",
    ),
    path(f"{_person}names/", views.PersonNameViewSet.as_view(_list), name="person-names"),
    path(f"{_person}will-expressions/", views.WillViewSet.as_view(_list), name="will-list"),
    path(
        f"{_person}will-expressions/<id:will_id>/",
        views.WillViewSet.as_view(_detail),
        name="will-detail",
    ),
    path(
        f"{_person}will-expressions/<id:will_id>/withdraw/",
        views.WillViewSet.as_view({"post": "withdraw"}),
        name="will-withdraw",
    ),
    path(f"{_person}assessments/", views.AssessmentViewSet.as_view(_list), name="assessments"),
    path(
        f"{_person}assessments/<id:assessment_id>/concur/",
        views.AssessmentViewSet.as_view({"post": "concur"}),
        name="assessment-concur",
    ),
    path(f"{_person}decisions/", views.DecisionViewSet.as_view(_list), name="decisions"),
    path(f"{_person}acceptances/", views.AcceptanceViewSet.as_view(_list), name="acceptances"),
    path(f"{_person}transitions/", views.TransitionViewSet.as_view(_list), name="transitions"),
    path(
        f"{_person}legal-organisation/",
        views.LegalOrganisationView.as_view(),
        name="legal-organisation",
    ),
    path("transfers/", views.TransferViewSet.as_view(_list), name="transfer-list"),
    path("transfers/<id:pk>/", views.TransferViewSet.as_view(_detail), name="transfer-detail"),
    path(
        "transfers/<id:pk>/execute/",
        views.TransferViewSet.as_view({"post": "execute"}),
        name="transfer-execute",
    ),
    path(
        "transfers/<id:pk>/cancel/",
        views.TransferViewSet.as_view({"post": "cancel"}),
        name="transfer-cancel",
    ),
    path("organisations/", views.OrganisationViewSet.as_view(_read), name="organisation-list"),
    path(
        "organisations/<id:pk>/",
        views.OrganisationViewSet.as_view(_detail),
        name="organisation-detail",
    ),
    path("audit-events/", views.AuditEventViewSet.as_view(_read), name="audit-event-list"),
    path(
        "audit-events/<id:pk>/",
        views.AuditEventViewSet.as_view(_detail),
        name="audit-event-detail",
    ),
    path(
        "tracing-requests/",
        tracing_api.TracingRequestViewSet.as_view(_list),
        name="tracing-request-list",
    ),
    path(
        "tracing-requests/<id:pk>/",
        tracing_api.TracingRequestViewSet.as_view(_detail),
        name="tracing-request-detail",
    ),
    path(
        "tracing-requests/<id:pk>/inform/",
        tracing_api.TracingRequestViewSet.as_view({"post": "inform"}),
        name="tracing-request-inform",
    ),
    path(
        "tracing-requests/<id:request_id>/candidates/",
        tracing_api.TracingCandidateViewSet.as_view(_list),
        name="tracing-candidates",
    ),
    path(
        "tracing-requests/<id:request_id>/candidates/<id:candidate_id>/confirm/",
        tracing_api.TracingCandidateViewSet.as_view({"post": "confirm"}),
        name="tracing-candidate-confirm",
    ),
    path(
        "tracing-requests/<id:request_id>/candidates/<id:candidate_id>/reject/",
        tracing_api.TracingCandidateViewSet.as_view({"post": "reject"}),
        name="tracing-candidate-reject",
    ),
    *exchanges_api.routes(),
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
