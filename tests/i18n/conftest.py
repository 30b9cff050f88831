"""Compiled catalogs for the i18n tests: `make` builds them; a bare pytest run builds them here."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    stale = []
    for po in sorted(settings.LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append((po, mo))
    if stale:
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            pytest.fail(
                "The catalogs are not compiled and msgfmt is missing: run `make translations`."
            )
        for po, mo in stale:
            subprocess.run([msgfmt, "--check", "-o", str(mo), str(po)], check=True)  # noqa: S603
        # Django keeps the catalogs it loaded for the life of the process.
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    """Each request activates its language in the thread; later tests must start in English."""
    translation.deactivate()
    yield
    translation.deactivate()
