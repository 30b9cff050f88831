"""API of a person's documents (`/api/v1/persons/{id}/documents/…`): thin, over the same
services and selectors as the pages. A document the caller may not open answers 404; a caller
who sees the person but may add no document of that kind, 403. Every refusal of a file is a
problem naming what was wrong (`errors[].field == "file"`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.documents import can_upload_document
from safepassage.api.base import PERSON_ID, ApiViewSet, path_id
from safepassage.api.parsers import LimitedJSONParser
from safepassage.api.problems import ProblemException
from safepassage.api.serializers import StrictSerializer
from safepassage.documents import selectors, services
from safepassage.documents.forms import too_large_message
from safepassage.documents.models import Document, DocumentKind, DocumentState
from safepassage.documents.responses import content_response
from safepassage.lib.errors import NotAllowed
from safepassage.web.uploads import upload_max_bytes

DOCUMENT_ID = path_id("document_id", "The document's id.")
LINKS = ("interview", "assessment", "decision", "visit", "examination")


class DocumentVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class DocumentSerializer(serializers.Serializer):
    """A document its reader may open; `content` is where its latest version's bytes are."""

    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField()
    dated = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    created_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=DocumentState.choices)
    versions = DocumentVersionSerializer(many=True, source="versions.all")
    interview = serializers.IntegerField(source="interview_id", allow_null=True)
    assessment = serializers.IntegerField(source="assessment_id", allow_null=True)
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    examination = serializers.IntegerField(source="examination_id", allow_null=True)
    content = serializers.SerializerMethodField()

    def get_content(self, document: Document) -> str:
        return reverse(
            "api:person-document-content",
            kwargs={"person_id": document.person_id, "document_id": document.pk},
        )


class DocumentCreateSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="The file (multipart). Its type is read from its bytes; images are stored "
        "without metadata; PDFs with JavaScript, actions or embedded files are refused."
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200)
    dated = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(max_length=64, required=False, allow_blank=True)
    interview = serializers.IntegerField(
        required=False, help_text="The id of his visit interview it stands beside."
    )
    assessment = serializers.IntegerField(required=False, help_text="… of his risk assessment.")
    decision = serializers.IntegerField(required=False, help_text="… of the decision about him.")
    visit = serializers.IntegerField(required=False, help_text="… of a visit you may see.")
    examination = serializers.IntegerField(
        required=False, help_text="… of his examination by a Mixed Medical Commission."
    )

    def validate_file(self, value):
        if getattr(value, "too_large", False) or value.size > upload_max_bytes():
            raise ProblemException("request-too-large", too_large_message())
        return value


class DocumentViewSet(ApiViewSet):
    parser_classes = [MultiPartParser, LimitedJSONParser]

    @extend_schema(
        summary="His documents that you may open, newest first",
        parameters=[PERSON_ID],
        responses=DocumentSerializer(many=True),
    )
    def list(self, request: Request, person_id: int) -> Response:
        documents = selectors.document_list(actor=request.user, person=self.person())
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        summary="Add a document about him (multipart: file, kind, title); the kinds you may "
        "add depend on your organisation and role",
        parameters=[PERSON_ID],
        request={"multipart/form-data": DocumentCreateSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request: Request, person_id: int) -> Response:
        person = self.person()
        if not can_upload_document(request.user, person):
            raise NotAllowed(_("You may not add documents about him."))
        data = request.data
        # A QueryDict's values are lists: one value per field, as the form sends them.
        plain = {key: data.get(key) for key in data} if hasattr(data, "getlist") else data
        if not isinstance(plain, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send multipart/form-data.")]}
            )
        serializer = DocumentCreateSerializer(data=plain)
        serializer.is_valid(raise_exception=True)
        cleaned = serializer.validated_data
        document = services.document_upload(
            actor=request.user, person=person, kind=cleaned["kind"], title=cleaned["title"],
            dated=cleaned.get("dated"), language=cleaned.get("language", ""),
            content=cleaned["file"].read(), **_links(request.user, person, cleaned),
        )  # fmt: skip
        shown = selectors.document_for(request.user, person, document.pk)
        return Response(DocumentSerializer(shown).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The latest version's bytes (or `?version=N`), as an attachment; the read is "
        "audited",
        parameters=[PERSON_ID, DOCUMENT_ID],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, in the type read from its bytes."
            )
        },
    )
    def content(self, request: Request, person_id: int, document_id: int):
        document = selectors.document_for(request.user, self.person(), document_id)
        number = request.query_params.get("version")
        if number is not None and not number.isdigit():
            raise serializers.ValidationError({"version": [_("Give a version number.")]})
        content = selectors.document_content(
            actor=request.user, document=document, number=int(number) if number else None
        )
        return content_response(content)


def _links(user, person, cleaned: dict) -> dict:
    """The records named by id, each found among his (a visit: among those `user` sees); an id
    that is not is a 400 naming its field."""
    found = {}
    for name in LINKS:
        if cleaned.get(name) is None:
            continue
        record = selectors.document_link_for(user, person, name, cleaned[name])
        if record is None:
            raise serializers.ValidationError({name: [_("No such record of his: check the id.")]})
        found[name] = record
    return found


def routes():
    """The documents routes, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("persons/<id:person_id>/documents/",
             DocumentViewSet.as_view({"get": "list", "post": "create"}), name="person-documents"),
        path("persons/<id:person_id>/documents/<id:document_id>/content",
             DocumentViewSet.as_view({"get": "content"}), name="person-document-content"),
    ]  # fmt: skip
