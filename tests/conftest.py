"""Named people across organisations, so every test can ask "and the outsider?"."""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
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
ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture(scope="session", autouse=True)
def _documents_storage(tmp_path_factory):
    """Documents' encrypted bytes go to the run's own folder, never to the checkout's var/."""
    storages = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("documents"), "base_url": None},
        },
    }
    with override_settings(STORAGES=storages):
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


@pytest.fixture
def medics(orgs):
    """dora the detaining power's camp doctor and nadia, a neutral doctor of the verifier.

    Kept apart from `people` so that the matrices over everyone read as before; the tests of
    medical records and commissions add both columns to their own tables.
    """
    return SimpleNamespace(
        detaining_doctor=make_user(orgs.detaining, Role.MEDICAL_OFFICER, username="dora"),
        neutral_doctor=make_user(orgs.verifier, Role.MEDICAL_OFFICER, username="nadia"),
    )


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file that `safepassage migrate` migrated, made once per test run and shared by
    every xdist worker (the first to take the lock migrates it; the others wait for it). A test
    that needs a fresh migrated database copies it (copy_migrated) instead of migrating its own
    file; it holds no row but the content types and permissions migrate creates, so no key."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's directory, above each worker's own
    directory = root / "migrated-sqlite"
    database = directory / "db.sqlite3"
    with (root / "migrated-sqlite.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            directory.mkdir(exist_ok=True)
            making = directory / "making.sqlite3"
            making.unlink(missing_ok=True)
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("SAFEPASSAGE_", "DATABASE_"))}  # fmt: skip
            env.update(DATABASE_URL=f"sqlite:///{making}", PYTHONPATH=str(ROOT),
                       SAFEPASSAGE_VAR_DIR=str(directory / "var"),
                       SAFEPASSAGE_FIELD_KEYS=TEST_FIELD_KEYS)  # fmt: skip
            result = subprocess.run(  # noqa: S603 - our own interpreter and console command
                [sys.executable, "-m", "safepassage.cli", "migrate", "-v0"],
                env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
            making.rename(database)
    return database


def copy_migrated(migrated: Path, target: Path) -> Path:
    """A fresh migrated SQLite file at `target`: a copy of the `migrated_sqlite` one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated, target)
    return target
