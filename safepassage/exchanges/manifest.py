"""Manifests of a batch, PDF and CSV, with headers in English and the other party's language.

A manifest is what the other party receives: the entries of the batch and nothing else — no
exclusions, no reasons, no wills, no destinations anyone asked for. Removed entries (a man who
refused at the last moment among them) are not on it.
"""

from safepassage.exchanges.models import Batch, EntryStatus, ManifestLanguage, Side
from safepassage.lib.pdf import table_pdf
from safepassage.lib.spreadsheet import csv_bytes

# The second language is the other party's, whatever the reader's interface language.
HEADERS = {
    "no": {"en": "No.", "uk": "№", "ru": "№", "ko": "번호"},
    "side": {"en": "Handed over by", "uk": "Передає", "ru": "Передаёт", "ko": "인도 측"},
    "id": {"en": "Registry number / id", "uk": "Реєстровий номер", "ru": "Регистрационный номер",
           "ko": "등록 번호"},
    "name": {"en": "Name", "uk": "Прізвище, ім'я", "ru": "Фамилия, имя", "ko": "성명"},
    "category": {"en": "Category", "uk": "Категорія", "ru": "Категория", "ko": "구분"},
    "wounded": {"en": "Seriously wounded or sick", "uk": "Тяжкопоранений або хворий",
                "ru": "Тяжелораненый или больной", "ko": "중상자 또는 중환자"},
    "confirmed": {"en": "Handover confirmed", "uk": "Передачу підтверджено",
                  "ru": "Передача подтверждена", "ko": "인도 확인"},
}  # fmt: skip
TITLE = {"en": "Exchange manifest", "uk": "Список обміну", "ru": "Список обмена",
         "ko": "교환 명단"}  # fmt: skip
YES = {"en": "yes", "uk": "так", "ru": "да", "ko": "예"}
CATEGORY = {
    "officer": {"uk": "офіцер", "ru": "офицер", "ko": "장교"},
    "wounded": {"uk": "поранений або хворий", "ru": "раненый или больной",
                "ko": "부상자 또는 환자"},
    "conscript": {"uk": "військовослужбовець", "ru": "военнослужащий", "ko": "병사"},
    "civilian": {"uk": "цивільний", "ru": "гражданский", "ko": "민간인"},
}  # fmt: skip
COLUMNS = ("no", "side", "id", "name", "category", "wounded", "confirmed")


def _both(texts: dict[str, str], language: str) -> str:
    if language == ManifestLanguage.ENGLISH or language not in texts:
        return texts["en"]
    return f"{texts['en']} / {texts[language]}"


def _category(code: str, language: str) -> str:
    other = CATEGORY.get(code, {}).get(language)
    return f"{code} / {other}" if other else code


def manifest_rows(batch: Batch) -> tuple[list[str], list[list[str]]]:
    agreement = batch.agreement
    language = agreement.manifest_language
    parties = {
        Side.OURS: agreement.organisation.name,
        Side.THEIRS: agreement.other_party,
    }
    entries = (
        batch.entries.exclude(status=EntryStatus.REMOVED)
        .select_related("candidate", "person")
        .prefetch_related("person__names")
        .order_by("side", "candidate__external_id")
    )
    rows = []
    for number, entry in enumerate(entries, start=1):
        candidate = entry.candidate
        name = candidate.name
        if entry.person is not None and (primary := entry.person.primary_name):
            name = primary.full_name
        rows.append([
            str(number), parties[entry.side], candidate.external_id, name,
            _category(candidate.category, language),
            _both(YES, language) if candidate.seriously_wounded else "",
            entry.handover_confirmed_at.strftime("%Y-%m-%d %H:%M")
            if entry.handover_confirmed_at else "",
        ])  # fmt: skip
    return [_both(HEADERS[c], language) for c in COLUMNS], rows


def _title(batch: Batch) -> str:
    return f"{_both(TITLE, batch.agreement.manifest_language)}: {batch}"


def manifest_csv(batch: Batch) -> bytes:
    header, rows = manifest_rows(batch)
    return csv_bytes(header, rows)


def manifest_pdf(batch: Batch) -> bytes:
    header, rows = manifest_rows(batch)
    agreement = batch.agreement
    return table_pdf(
        title=_title(batch),
        columns=header,
        rows=rows,
        subtitle=f"{agreement.organisation.name} — {agreement.other_party} · "
        f"{agreement.exchange_date.isoformat()} · {batch.get_state_display()}",
        footer=f"safepassage · {batch}",
    )
