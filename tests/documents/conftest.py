"""Documents fixtures: a storage folder of the test's own, Kim decided for KR (so that the
receiving state sees him), a logged-in client and an API client per person, and everyone
with the two doctors."""

from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.registry.services import NameInput, person_register
from tests.factories import drive_to_decision, force_login_fresh

USERS = ["alice", "dmitro", "petro", "ivan", "audrey", "adam", "vera", "victor", "lena", "minjun",
         "bruno", "oscar", "dora", "nadia"]  # fmt: skip


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """The documents storage in the test's own folder."""
    location = tmp_path / "documents"
    settings.STORAGES = {
        **django_settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture
def everyone(people, medics):
    return SimpleNamespace(**vars(people), **vars(medics))


@pytest.fixture
def by_name(everyone):
    return {user.username: user for user in vars(everyone).values()}


@pytest.fixture
def kim(people):
    """Kim Chol Su, decided for a transfer to KR: minjun's KR sees him, lena's NGO represents."""
    person = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Kim", given_name="Chol Su", romanization="dprk")],
        nationalities=["KP"],
        internment_place="Camp West-3",
    )
    drive_to_decision(people, person, "KR")
    person.refresh_from_db()
    return person


@pytest.fixture
def login():
    def _login(user=None) -> Client:
        client = Client()
        if user is not None:
            force_login_fresh(client, user)
        return client

    return _login


@pytest.fixture
def api():
    def _api(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            _token, raw = api_token_create(user=user, name="tests", authenticated_at=timezone.now())
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return _api


# Who adds each kind in the fixtures below (one who may), and the file.
UPLOADERS = {
    "medical_record": "dora", "identity_document": "alice", "capture_card": "alice",
    "photo": "alice", "interview_record": "vera", "legal_opinion": "lena",
    "acceptance": "minjun", "other": "alice",
}  # fmt: skip


@pytest.fixture
def documents(kim, by_name):
    """One document of each kind about Kim, each added by one who may: kind → document."""
    from safepassage.documents.services import document_upload
    from tests.documents.builders import pdf_with, png

    return {
        kind: document_upload(
            actor=by_name[username],
            person=kim,
            kind=kind,
            title=f"{kind} of Kim",
            content=png() if kind == "photo" else pdf_with(f"{kind} bytes"),
        )
        for kind, username in UPLOADERS.items()
    }
