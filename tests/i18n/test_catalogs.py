"""The catalogs are complete, correct in their placeholders and plural forms, and current."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

import safepassage
from safepassage.lib.catalog import catalog_problems, read_catalog
from tests.i18n.leftovers import SAME_IN_EVERY_LANGUAGE, catalog_path

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLURALS = {"uk": 3, "ru": 3, "ko": 1}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_without_fuzzy_entries_or_lost_placeholders(language):
    entries = read_catalog(catalog_path(language))
    assert len(entries) > 1000
    assert catalog_problems(entries) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_allowed_messages_keep_their_english_text(language):
    same = {e.msgid for e in read_catalog(catalog_path(language)) if e.msgstr.get(0) == e.msgid}
    assert same <= SAME_IN_EVERY_LANGUAGE, f"translate these, or allow them: {same}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_the_forms_of_the_language(language):
    text = catalog_path(language).read_text(encoding="utf-8")
    assert f"nplurals={PLURALS[language]};" in text
    plurals = [e for e in read_catalog(catalog_path(language)) if e.msgid_plural]
    assert plurals
    assert all(sorted(e.msgstr) == list(range(PLURALS[language])) for e in plurals)


def test_the_three_catalogs_have_the_same_messages():
    ids = {lang: {e.msgid for e in read_catalog(catalog_path(lang))} for lang in LANGUAGES}
    assert ids["uk"] == ids["ko"] == ids["ru"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalog(language, tmp_path):
    result = subprocess.run(  # noqa: S603
        [shutil.which("msgfmt"), "--check", "-o", str(tmp_path / "django.mo"),
         str(catalog_path(language))],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_check_notices_a_lost_placeholder_and_a_fuzzy_entry(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Accepted by %(org)s."\nmsgstr "Прийнято."\n\n'
        '#, fuzzy\nmsgid "Reason"\nmsgstr "Причина"\n\n'
        'msgid "Skip to <b>content</b>"\nmsgstr "Перейти до вмісту"\n',
        encoding="utf-8",
    )
    problems = catalog_problems(read_catalog(po))
    assert len(problems) == 3
    assert "Accepted by" in problems[0] and "fuzzy" in problems[1] and "<b>" in problems[2]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_marked_string_of_the_code_is_in_the_catalog(tmp_path, settings, monkeypatch):
    """A string marked in the code but not here shows in English: run scripts/i18n-update."""
    package = Path(safepassage.__file__).parent
    copy = tmp_path / "safepassage"
    shutil.copytree(
        package,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "fonts", "migrations", "*.pyc"),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["uk"], extensions=["html", "txt", "py"], verbosity=0)
    extracted = {e.msgid for e in read_catalog(copy / "locale/uk/LC_MESSAGES/django.po")}
    ours = {e.msgid for e in read_catalog(catalog_path("uk"))}
    assert len(extracted) > 1000
    missing = sorted(extracted - ours)
    assert not missing, f"not in the catalog (run scripts/i18n-update, then translate): {missing}"
