"""After retention, no table of the schema names the man: every text and JSON column of every
table is read back with raw SQL and searched for his names in each script, his service number,
unit, places and next of kin; the audit chain still verifies."""

import datetime
import json
import re

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.audit.integrity import audit_chain_verify
from safepassage.audit.models import AuditEvent, PersonKey
from safepassage.audit.sealing import event_changes_opened
from safepassage.audit.services import MASK
from safepassage.cases.models import CaseState
from safepassage.exchanges import services as exchange_services
from safepassage.exchanges.models import Candidate
from safepassage.imports.models import ImportJob, JobStatus
from safepassage.registry.models import Person
from safepassage.registry.services import NameInput, person_name_add, person_register, person_update
from safepassage.retention.services import retention_apply
from safepassage.tracing import services as tracing_services
from safepassage.tracing.models import DuplicatePair, TracingCandidate
from tests.factories import force_login_fresh, step
from tests.imports.corpus import csv_text

BEFORE = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)
SIX_YEARS_LATER = datetime.datetime(2032, 1, 11, 12, 0, tzinfo=datetime.UTC)

# Rim Kwang Hyok, as his capture card (Hangul), a Russian list (Cyrillic) and the DPRK's
# romanization write him; the identifiers no registry gave him; where his family lives.
HANGUL = ("림", "광혁")
CYRILLIC = ("Рим", "Кван Хёк")
LATIN = ("Rim", "Kwang Hyok")
SERVICE_NUMBER = "KPA-48-771593"
UNIT = "Ryongsong-Brigade-908"
BIRTH_PLACE = "Onsong-Rodongjagu"
CAPTURE_PLACE = "Sudzha-Forest-Road"
PLACE = "Camp-Zhytomyr-North-7"
NEXT_OF_KIN = "Mother Rim Ok Ran, Hoeryong-4471"
MARKERS = (
    *HANGUL, *CYRILLIC, *LATIN, "광혁", "Кванхёк", "Kwanghyok", SERVICE_NUMBER,
    "KPA48771593", "48771593", UNIT, BIRTH_PLACE, CAPTURE_PLACE, PLACE, "Hoeryong-4471",
    "Rim Ok Ran",
)  # fmt: skip
# Whole words, any case: a short Latin name inside a base64 ciphertext is not his name.
PATTERNS = {marker: re.compile(rf"(?<!\w){re.escape(marker)}(?!\w)", re.I) for marker in MARKERS}

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture(autouse=True)
def _five_years(settings):
    settings.RETENTION_YEARS = {"closed_case": 5, "removed_document": 1}


def _client(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


def _uploaded(registrar, *rows: str) -> ImportJob:
    client = _client(registrar)
    client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("list.csv", csv_text(*rows).encode()), "mapping": "default",
         "encoding": ""},
    )  # fmt: skip
    return ImportJob.objects.order_by("-pk").first()


def rim_everywhere(people) -> Person:
    """Rim, imported from a list, registered twice and merged, an alias sent through the API
    with an Idempotency-Key, listed for an exchange, sought by his mother, released and his case
    closed: every copy of his name the product makes."""
    row = f"kp-1,{HANGUL[0]},{HANGUL[1]},,1999-05-17,{BIRTH_PLACE},KP,{UNIT},{SERVICE_NUMBER}"
    with time_machine.travel(BEFORE, tick=False):
        job = _uploaded(people.registrar, row)
        assert job.status == JobStatus.VALID
        _client(people.registrar).post(reverse("imports:job_commit", args=[job.pk]))
        rim = Person.objects.get(imported_records__external_id="kp-1")
        # A second list of the same man, checked and discarded: a likely duplicate of him.
        again = _uploaded(people.registrar, row.replace("kp-1", "kp-9"))
        assert again.summary["duplicates"]
        # His capture card, registered by hand: the same man twice, until the queue merges them.
        card = person_register(
            actor=people.registrar,
            names=[NameInput(family_name=LATIN[0], given_name=LATIN[1], romanization="dprk")],
            nationalities=["KP"], birth_date=datetime.date(1999, 5, 17), unit=UNIT,
            service_number=SERVICE_NUMBER,
        )  # fmt: skip
        person_name_add(
            actor=people.registrar, person=rim,
            name=NameInput(family_name=CYRILLIC[0], given_name=CYRILLIC[1], source="Russian ID"),
        )  # fmt: skip
        # His Latin alias sent through the API with an Idempotency-Key, and retried.
        _token, raw = api_token_create(user=people.registrar, name="sync")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        answers = [
            api.post(f"/api/v1/persons/{rim.pk}/names/", format="json",
                     data={"family_name": LATIN[0], "given_name": LATIN[1], "script": "Latn"},
                     HTTP_IDEMPOTENCY_KEY="alias-1")
            for _ in range(2)
        ]  # fmt: skip
        assert [a.status_code for a in answers] == [201, 201], answers[0].content
        rim.refresh_from_db()
        rim = person_update(
            actor=people.registrar, person=rim, expected_version=rim.version, rank="Sergeant",
            capture_place=CAPTURE_PLACE, internment_place=PLACE, next_of_kin=NEXT_OF_KIN,
        )  # fmt: skip
        assert tracing_services.duplicate_queue_refresh() >= 1
        pair = DuplicatePair.objects.get(left__in=[rim, card], right__in=[rim, card])
        tracing_services.duplicate_pair_decide(
            actor=people.registrar, pair=pair, same=True, survivor=rim,
            reason=f"One man: {LATIN[0]} {LATIN[1]}, {SERVICE_NUMBER} on both.",
        )  # fmt: skip
        agreement = exchange_services.agreement_create(
            actor=people.planner, title="Exchange 1 for 1", other_party="Other Bureau",
            other_party_country="RU", exchange_date=datetime.date(2026, 2, 1),
        )  # fmt: skip
        exchange_services.pool_add_registry(actor=people.planner, agreement=agreement)
        assert Candidate.objects.filter(person=rim).exclude(name="").exists()
        # His mother asks in her own spelling. The request is her record: what she wrote stays
        # until tracing requests have a retention kind of their own (docs/security.md).
        request = tracing_services.tracing_request_record(
            actor=people.interviewer, requester_kind="family", requester_name="Ок Ран",
            requester_relationship="mother", requester_contact="Hoeryong, by the Agency",
            family_name="Лим", given_name="Кван Хек", birth_date="1999", nationality="KP",
        )  # fmt: skip
        tracing_services.tracing_request_search(actor=people.interviewer, request=request)
        candidate = TracingCandidate.objects.get(request=request, person=rim)
        tracing_services.tracing_candidate_confirm(
            actor=people.interviewer, candidate=candidate,
            reason=f"Same unit, {UNIT}; the capture card says {HANGUL[0]}{HANGUL[1]}.",
        )  # fmt: skip
        step(people.registrar, rim, CaseState.RELEASED, reason=f"{LATIN[0]} released.")
        step(people.registrar, rim, CaseState.CLOSED, reason="Closed.")
    rim.refresh_from_db()
    return rim


def text_columns() -> list[tuple[str, list[str]]]:
    """Every table of the schema with its text and JSON columns (many-to-many tables too)."""
    tables: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        columns = [
            field.column
            for field in model._meta.local_concrete_fields
            if isinstance(field, TEXT_FIELDS)
        ]
        if columns and not model._meta.proxy:
            tables.setdefault(model._meta.db_table, []).extend(columns)
    return sorted((table, sorted(set(columns))) for table, columns in tables.items())


def _readable(value) -> str:
    """A raw column value as text; JSON as it decodes (SQLite stores "\\ub9bc" for "림")."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    try:
        decoded = json.loads(text)
    except ValueError:
        return text
    return f"{text} {json.dumps(decoded, ensure_ascii=False)}"


def found_in_schema() -> list[tuple[str, str, str]]:
    """(table, column, marker) for each of his strings still stored anywhere, read raw."""
    found = []
    with connection.cursor() as cursor:
        for table, columns in text_columns():
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _readable(value)
                    found.extend(
                        (table, column, marker)
                        for marker, pattern in PATTERNS.items()
                        if pattern.search(text)
                    )
    return sorted(set(found))


def test_the_walk_finds_him_before_retention(people):
    rim_everywhere(people)
    tables = {table for table, _column, _marker in found_in_schema()}
    # The walk sees what it must erase: the registry, exchanges, imports and tracing copies.
    assert {"registry_personname", "registry_person", "exchanges_candidate",
            "imports_importjob", "tracing_tracingcandidate",
            "tracing_duplicatepair"} <= tables  # fmt: skip
    # The audit log holds him only sealed, from the start; the retry records only ids.
    assert not tables & {"audit_auditevent", "api_idempotencyrecord"}


def test_after_retention_no_table_or_column_holds_his_identifying_strings(people):
    rim_everywhere(people)
    assert retention_apply(now=SIX_YEARS_LATER)
    assert found_in_schema() == []
    assert audit_chain_verify().intact


def test_audit_events_seal_what_identifies_him_and_open_it_while_his_key_exists(people):
    rim = rim_everywhere(people)
    update = AuditEvent.objects.filter(action="person.update", person=rim).latest("seq")
    assert all(value.startswith("sealed:") for value in update.changes["capture_place"][1:])
    assert event_changes_opened(update)["capture_place"] == ["", CAPTURE_PLACE]
    retention_apply(now=SIX_YEARS_LATER)
    assert not PersonKey.objects.filter(person=rim).exists()
    update.refresh_from_db()
    assert event_changes_opened(update)["capture_place"] == ["", MASK]
    # The facts stay: that he was registered, merged, released and closed, and when.
    actions = set(AuditEvent.objects.filter(person=rim).values_list("action", flat=True))
    assert {"person.update", "person.merge_absorb", "retention.anonymise"} <= actions
