"""The API's own endpoints: the catalogue of problem types, and the 404 problem for anything
under /api/v1/ that is no route. Each app serves its resources (`<app>/api.py`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepassage.api.problems import PROBLEM_TYPES, ProblemException
from safepassage.api.serializers import ProblemTypeSerializer


def _problem_type(problem) -> dict:
    return {
        "type": problem.uri,
        "status": problem.status,
        "title": str(problem.title),
        "description": str(problem.description),
    }


class ProblemTypeList(APIView):
    """The catalogue of problem types (public)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Every problem type the API answers with",
        responses=ProblemTypeSerializer(many=True), auth=[],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        return Response([_problem_type(p) for p in PROBLEM_TYPES.values()])


class ProblemTypeDetail(APIView):
    """One problem type (public): the `type` URI of a problem answer resolves here."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One problem type",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses=ProblemTypeSerializer, auth=[],
    )  # fmt: skip
    def get(self, request: Request, slug: str) -> Response:
        problem = PROBLEM_TYPES.get(slug)
        if problem is None:
            raise ProblemException("not-found")
        return Response(_problem_type(problem))


class NotFoundView(APIView):
    """Anything under /api/v1/ that is no route: a 404 problem, not an HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise ProblemException("not-found")
