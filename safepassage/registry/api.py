"""API of the registry (`/api/v1/persons/...`): persons and their names, thin over the same
selectors and services as the pages. Persons a caller may not see answer 404."""

from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, require
from safepassage.api.base import (
    IDEMPOTENCY_KEY,
    ApiViewSet,
    Cursor,
    path_id,
    person_records_schema,
    query_params,
    request_body,
)
from safepassage.api.idempotency import idempotent
from safepassage.api.problems import ProblemException
from safepassage.registry import selectors, services
from safepassage.registry import serializers as s
from safepassage.registry.models import Person
from safepassage.work import selectors as work

IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": '^(W/)?"[0-9]+"$'},
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the person as you read it, e.g. `"3"`.',
)


def _etag(person: Person) -> dict[str, str]:
    return {"ETag": f'"{person.version}"'}


def person_response(request: Request, person: Person) -> Response:
    """The person as the caller may see him, with his ETag; a next of kin shown is recorded."""
    person = Person.objects.select_related("case").prefetch_related("names").get(pk=person.pk)
    see = selectors.next_of_kin_shown(actor=request.user, person=person)
    data = s.PersonSerializer(person, context={"see_next_of_kin": see, "reader": request.user}).data
    return Response(data, headers=_etag(person))


def _if_match(request: Request, person: Person) -> int:
    """The version the caller read; 428 without If-Match, 412 when it is not current."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise ProblemException("precondition-required")
    versions = set()
    for tag in header.split(","):
        tag = tag.strip().removeprefix("W/")
        if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
            versions.add(int(tag[1:-1]))
    if person.version not in versions:
        raise ProblemException(
            "precondition-failed",
            _(
                "The record is at version %(version)s; you sent If-Match: %(sent)s. GET it again, "
                "check the changes and retry with its ETag."
            )
            % {"version": person.version, "sent": header[:100]},
            headers=_etag(person),
        )
    return person.version


@extend_schema_view(
    list=extend_schema(
        summary="List the persons you may see",
        parameters=[s.PersonFilterSerializer],
        responses=s.PersonSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Read one person",
        parameters=[path_id("id", "The person's id.")],
        responses={200: s.PersonSerializer},
    ),
    create=extend_schema(
        summary="Register a prisoner of war (registrar of the detaining power)",
        request=s.PersonCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.PersonSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit identity fields (needs If-Match)",
        request=s.PersonFieldsSerializer,
        parameters=[path_id("id", "The person's id."), IF_MATCH],
        responses={200: s.PersonSerializer},
    ),
)
class PersonViewSet(ApiViewSet):
    """Prisoners of war in the registry, as far as your organisation may see them."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        params = query_params(request, s.PersonFilterSerializer)
        filters = {
            "status": params.get("status"),
            "nationality": params.get("nationality"),
            "internment_place": params.get("place"),
        }
        persons = selectors.person_list(
            actor=request.user, query=params.get("q", ""), filters=filters
        )
        if number := params.get("registry_number"):
            persons = persons.filter(registry_number=number)
        if name := params.get("queue"):
            queue = work.BY_NAME[name]
            if not queue.acts_on(request.user):
                raise ProblemException(
                    "forbidden",
                    _("None of your roles works on the queue “%(queue)s”.") % {"queue": name},
                )
            cases = work.queue_cases(user=request.user, queue=queue)
            persons = persons.filter(case__in=cases.values("pk"))
        context: dict = {"reader": request.user}

        def shown(page: list[Person]) -> list[Person]:
            context["see_next_of_kin"] = selectors.next_of_kin_listed(
                actor=request.user, persons=page
            )
            return page

        return self.paginate(
            persons,
            s.PersonSerializer,
            ordering=params.get("ordering") or "registry_number",
            context=context,
            shown=shown,
            rows=s.person_rows,
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        return person_response(request, person_for(request.user, pk=pk))

    def create(self, request: Request) -> Response:
        require(request.user, Action.PERSON_REGISTER)

        def write() -> Person:
            data = dict(request_body(request, s.PersonCreateSerializer))
            names = [services.NameInput(**name) for name in data.pop("names")]
            return services.person_register(actor=request.user, names=names, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, pk))

    def partial_update(self, request: Request, pk: int) -> Response:
        person = person_for(request.user, action=Action.PERSON_EDIT, pk=pk)
        expected = _if_match(request, person)
        data = request_body(request, s.PersonFieldsSerializer)
        person = services.person_update(
            actor=request.user, person=person, expected_version=expected, **data
        )
        return person_response(request, person)


@person_records_schema(
    listed="The ways his name is written",
    created="Add a name (another script, romanization or assumed identity)",
    shape=s.NameSerializer,
    create_shape=s.NameSerializer,
)
class PersonNameViewSet(ApiViewSet):
    """Every way his name is written: scripts, romanizations, assumed identities."""

    def list(self, request: Request, person_id: int) -> Response:
        return Response(s.NameSerializer(self.person().names.all(), many=True).data)

    def _one(self, pk: int) -> Response:
        """One name, as the list shows it to the caller now."""
        return Response(s.NameSerializer(get_object_or_404(self.person().names, pk=pk)).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.PERSON_EDIT)

        def write():
            data = request_body(request, s.NameSerializer)
            return services.person_name_add(
                actor=request.user, person=person, name=services.NameInput(**data)
            )

        return idempotent(request, write, self._one)


def routes() -> list[URLPattern]:
    """The registry's routes, for `safepassage/api/urls.py`."""
    return [
        path("persons/", PersonViewSet.as_view({"get": "list", "post": "create"}),
             name="person-list"),
        path("persons/<id:pk>/",
             PersonViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
             name="person-detail"),
        path("persons/<id:person_id>/names/",
             PersonNameViewSet.as_view({"get": "list", "post": "create"}), name="person-names"),
    ]  # fmt: skip
