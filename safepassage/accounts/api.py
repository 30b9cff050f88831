"""API of the organisations directory (`/api/v1/organisations/`): name, kind and country."""

from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.accounts.models import Organisation
from safepassage.api.base import ApiViewSet, Cursor, path_id, query_params
from safepassage.api.serializers import CountryCodeField, PageFilterSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    country = CountryCodeField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "country"]


@extend_schema_view(
    list=extend_schema(
        summary="Organisations (directory)", parameters=[PageFilterSerializer],
        responses=OrganisationSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One organisation", parameters=[path_id("id", "The organisation's id.")],
        responses=OrganisationSerializer,
    ),
)  # fmt: skip
class OrganisationViewSet(ApiViewSet):
    """The organisations using safepassage: name, kind and country."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        query_params(request, PageFilterSerializer)
        return self.paginate(Organisation.objects.all(), OrganisationSerializer, ordering="id")

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(OrganisationSerializer(get_object_or_404(Organisation, pk=pk)).data)


def routes() -> list[URLPattern]:
    """The directory's routes, for `safepassage/api/urls.py`."""
    return [
        path("organisations/", OrganisationViewSet.as_view({"get": "list"}),
             name="organisation-list"),
        path("organisations/<id:pk>/", OrganisationViewSet.as_view({"get": "retrieve"}),
             name="organisation-detail"),
    ]  # fmt: skip
