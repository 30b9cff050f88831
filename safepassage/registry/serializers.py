"""Shapes of the registry's API: persons and their names. `next_of_kin` is shown only to readers
with the need to know (decided by the policy, passed in the context)."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safepassage.api.serializers import (
    COUNTRY_SCHEMA,
    CountryCodeField,
    StrictSerializer,
    country_codes,
    country_list,
)
from safepassage.cases.models import CaseState
from safepassage.registry.models import (
    Art110Category,
    DatePrecision,
    HealthStatus,
    Person,
    PlaceKind,
    Romanization,
    Script,
    Sex,
)
from safepassage.registry.services import NAME_NEEDED, PERSON_FIELDS, name_is_given
from safepassage.work.selectors import CASE_QUEUES


class NameSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    script = serializers.ChoiceField(
        choices=Script.choices,
        required=False,
        allow_blank=True,
        help_text=_("ISO 15924 code; detected from the name when empty."),
    )
    romanization = serializers.ChoiceField(choices=Romanization.choices, required=False)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_assumed_identity = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not name_is_given(
            family_name=attrs.get("family_name", ""), given_name=attrs.get("given_name", "")
        ):
            raise serializers.ValidationError({"family_name": [NAME_NEEDED]})
        return attrs


class PersonFieldsSerializer(StrictSerializer):
    """The identity fields a registrar writes; every one may be unknown."""

    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    birth_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    nationalities = country_list(required=False, help_text=_("Claimed nationalities."))
    service_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    rank = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capture_date = serializers.DateField(required=False, allow_null=True)
    capture_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capturing_unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    health_status = serializers.ChoiceField(choices=HealthStatus.choices, required=False)
    wounds = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    internment_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    internment_place_kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False)
    languages = serializers.CharField(max_length=200, required=False, allow_blank=True)
    next_of_kin = serializers.CharField(max_length=10000, required=False, allow_blank=True)

    def validate(self, attrs):
        # His Art. 110 category is a commission's finding (medical examinations), never written
        # here: said, rather than silently ignored.
        if "art110_category" in getattr(self, "initial_data", {}):
            raise serializers.ValidationError(
                {"art110_category": _("Set only by a Mixed Medical Commission's finding: "
                                      "record an examination (medical/).")}
            )  # fmt: skip
        return super().validate(attrs)

    # Every identity field of the service is here (checked at import, even under python -O).
    if not set(PERSON_FIELDS) <= set(locals()):
        raise ImproperlyConfigured(
            f"PersonFieldsSerializer lacks {sorted(set(PERSON_FIELDS) - set(locals()))}"
        )


class PersonCreateSerializer(PersonFieldsSerializer):
    names = NameSerializer(many=True, allow_empty=False, max_length=20)


class PersonSerializer(serializers.Serializer):
    """A person; `next_of_kin` is null for readers without need to know."""

    id = serializers.IntegerField()
    registry_number = serializers.CharField()
    names = NameSerializer(many=True)
    status = serializers.ChoiceField(choices=CaseState.choices, source="case.state")
    detaining_organisation = serializers.IntegerField(source="detaining_organisation_id")
    legal_organisation = serializers.IntegerField(
        source="case.legal_organisation_id", allow_null=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    birth_place = serializers.CharField()
    nationalities = serializers.SerializerMethodField()
    service_number = serializers.CharField()
    rank = serializers.CharField()
    unit = serializers.CharField()
    capture_date = serializers.DateField(allow_null=True)
    capture_place = serializers.CharField()
    capturing_unit = serializers.CharField()
    health_status = serializers.ChoiceField(choices=HealthStatus.choices)
    art110_category = serializers.SerializerMethodField(
        help_text=_("His latest finding by a Mixed Medical Commission; null for a reader "
                    "outside his medical track.")
    )  # fmt: skip
    wounds = serializers.CharField()
    internment_place = serializers.CharField()
    internment_place_kind = serializers.ChoiceField(choices=PlaceKind.choices)
    place = serializers.IntegerField(
        source="place_id", allow_null=True, help_text=_("The place of internment's id (places/).")
    )
    languages = serializers.CharField()
    next_of_kin = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA})
    def get_nationalities(self, person: Person) -> list[str]:
        return country_codes(person.nationalities)

    @extend_schema_field({"type": "string", "enum": Art110Category.values, "nullable": True})
    def get_art110_category(self, person: Person) -> str | None:
        from safepassage.medical.selectors import category_for

        return category_for(self.context.get("reader"), person)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_next_of_kin(self, person: Person) -> str | None:
        return person.next_of_kin if self.context.get("see_next_of_kin") else None


# DRF's own representations of a date and a time (its settings' formats and time zone).
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _text(value):
    # CharField.to_representation; None (a null column) stays None, as the serializer writes it.
    return None if value is None else str(value)


def _choice(value):
    # ChoiceField.to_representation: a choice is written as its value, "" and None as they are.
    return value if value in ("", None) else str(value)


def _name_row(name) -> dict:
    return {
        "id": name.id,
        "family_name": _text(name.family_name),
        "given_name": _text(name.given_name),
        "patronymic": _text(name.patronymic),
        "script": _choice(name.script),
        "romanization": _choice(name.romanization),
        "source": _text(name.source),
        "is_assumed_identity": bool(name.is_assumed_identity),
    }


def person_rows(persons: list[Person], *, context: dict) -> list[dict]:
    """`PersonSerializer(persons, many=True, context=context).data` as plain dicts, for the
    API's person list: DRF's field-by-field serialiser cost as much again as the rest of a page.
    The same JSON, byte for byte (tests/registry/test_person_rows.py); the schema stays
    `PersonSerializer`'s."""
    from safepassage.medical.selectors import category_for

    reader, see_next_of_kin = context.get("reader"), context.get("see_next_of_kin")
    rows = []
    for person in persons:
        case = getattr(person, "case", None)  # DRF: a missing related object is None
        rows.append({
            "id": person.id,
            "registry_number": _text(person.registry_number),
            "names": [_name_row(name) for name in person.names.all()],
            "status": None if case is None else _choice(case.state),
            "detaining_organisation": person.detaining_organisation_id,
            "legal_organisation": None if case is None else case.legal_organisation_id,
            "sex": _choice(person.sex),
            "birth_date": _DATE.to_representation(person.birth_date),
            "birth_date_precision": _choice(person.birth_date_precision),
            "birth_place": _text(person.birth_place),
            "nationalities": country_codes(person.nationalities),
            "service_number": _text(person.service_number),
            "rank": _text(person.rank),
            "unit": _text(person.unit),
            "capture_date": _DATE.to_representation(person.capture_date),
            "capture_place": _text(person.capture_place),
            "capturing_unit": _text(person.capturing_unit),
            "health_status": _choice(person.health_status),
            "art110_category": category_for(reader, person),
            "wounds": _text(person.wounds),
            "internment_place": _text(person.internment_place),
            "internment_place_kind": _choice(person.internment_place_kind),
            "place": person.place_id,
            "languages": _text(person.languages),
            "next_of_kin": person.next_of_kin if see_next_of_kin else None,
            "version": int(person.version),
            "created_at": _DATETIME.to_representation(person.created_at),
            "updated_at": _DATETIME.to_representation(person.updated_at),
        })  # fmt: skip
    return rows


class QueueField(serializers.ChoiceField):
    """A work queue's name; another word is refused naming the parameter and every queue."""

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        if str(data) not in self.choices:
            raise serializers.ValidationError(
                _("“%(input)s” is not a work queue. Use one of: %(allowed)s.")
                % {"input": str(data)[:50], "allowed": ", ".join(CASE_QUEUES)}
            )
        return str(data)


class PersonFilterSerializer(StrictSerializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200,
        help_text=_("Words of a name in any script, a registry or service number, a place."),
    )  # fmt: skip
    registry_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    status = serializers.ChoiceField(choices=CaseState.choices, required=False, allow_blank=True)
    nationality = CountryCodeField(required=False, allow_blank=True)
    place = serializers.CharField(
        required=False, allow_blank=True, max_length=200,
        help_text=_("Part of the place of internment."),
    )  # fmt: skip
    queue = QueueField(
        choices=CASE_QUEUES, required=False, allow_blank=True,
        help_text=_(
            "A work queue of your roles, as on your home page: the persons whose case waits "
            "for your next step (to_notify: registered; to_be_seen: awaiting a private "
            "interview; interviews_to_finalise: will recorded; to_assess: will verified or "
            "in legal assessment; to_decide: legal assessment; to_accept: decided transfers to "
            "your state; to_schedule: accepted transfers and decided repatriations; "
            "handovers_due: transfers scheduled). A queue none of your roles works on is a 403."
        ),
    )  # fmt: skip
    ordering = serializers.ChoiceField(
        choices=["registry_number", "-registry_number", "created_at", "-created_at"],
        required=False,
    )
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)
