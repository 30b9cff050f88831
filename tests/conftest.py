"""Named people across organisations, so every test can ask "and the outsider?"."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from safepassage.accounts.models import OrganisationKind, Role
from tests.factories import make_org, make_user

# A fixed field encryption key (base64 of 32 bytes 0x00..0x1f), so no test writes var/field-keys.
TEST_FIELD_KEYS = "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


# Fixtures through which a test reaches the database the suite runs on.
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                      "django_db_serialized_rollback", "live_server", "postgres_env"}  # fmt: skip


def _uses_the_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """The second pass (PostgreSQL) runs only the tests that reach the database: the others
    (name tables, parsers, the linkage engine, SQLite files of console subprocesses) cannot
    answer differently there, and pytest-django refuses them database access anyway."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    kept = [item for item in items if _uses_the_database(item)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _field_keys():
    with override_settings(FIELD_KEYS=TEST_FIELD_KEYS):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever an earlier test in the same worker
    left active (the language is per thread; a page or a test that activates one may not undo
    it, and a console command then answers in Ukrainian)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used one-time codes live in the cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def orgs(db):
    return SimpleNamespace(
        detaining=make_org("National Information Bureau", OrganisationKind.DETAINING_POWER, "UA"),
        verifier=make_org("Neutral Verification Mission", OrganisationKind.NEUTRAL_VERIFIER, "CH"),
        receiving=make_org("Receiving Office", OrganisationKind.RECEIVING_STATE, "KR"),
        other_receiving=make_org("Other Receiving Office", OrganisationKind.RECEIVING_STATE, "BR"),
        legal=make_org("Protection Law Centre", OrganisationKind.LEGAL_NGO, "UA"),
        other_detaining=make_org("Other Bureau", OrganisationKind.DETAINING_POWER, "RU"),
    )


@pytest.fixture
def people(orgs):
    """alice the registrar … and oscar the outsider, who works for another detaining power."""
    return SimpleNamespace(
        registrar=make_user(orgs.detaining, Role.REGISTRAR, username="alice"),
        decision_maker=make_user(orgs.detaining, Role.DECISION_MAKER, username="dmitro"),
        planner=make_user(orgs.detaining, Role.EXCHANGE_PLANNER, username="petro"),
        detaining_interviewer=make_user(orgs.detaining, Role.INTERVIEWER, username="ivan"),
        auditor=make_user(orgs.detaining, Role.AUDITOR, username="audrey"),
        admin=make_user(orgs.detaining, Role.ADMINISTRATOR, username="adam"),
        interviewer=make_user(orgs.verifier, Role.INTERVIEWER, username="vera"),
        verifier_legal=make_user(orgs.verifier, Role.LEGAL_OFFICER, username="victor"),
        legal_officer=make_user(orgs.legal, Role.LEGAL_OFFICER, username="lena"),
        receiving_officer=make_user(orgs.receiving, Role.DECISION_MAKER, username="minjun"),
        other_receiving_officer=make_user(
            orgs.other_receiving, Role.DECISION_MAKER, username="bruno"
        ),
        outsider=make_user(orgs.other_detaining, *Role.values, username="oscar"),
    )
