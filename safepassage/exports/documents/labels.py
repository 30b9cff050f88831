"""Bilingual labels: the reader's language (gettext) and, where a document travels to another
party or to a family, that party's language beside it.

The second language is fixed text, not the reader's translation catalogue: a capture card for a
Korean family reads the same whatever language the registrar's screen uses (as the exchange
manifests do, `safepassage/exchanges/manifest.py`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SECOND_LANGUAGES = ("uk", "ru", "ko")
SECOND_LANGUAGE_CHOICES = [
    ("", _("None")),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("ko", "한국어"),
]

# The language of a family or party, from a claimed nationality, when no language is recorded.
LANGUAGE_OF_COUNTRY = {"KP": "ko", "KR": "ko", "RU": "ru", "BY": "ru", "UA": "uk"}


@dataclass(frozen=True)
class Label:
    text: Promise | str
    uk: str = ""
    ru: str = ""
    ko: str = ""

    def render(self, second: str = "") -> str:
        """`Surname / 성` — or only the reader's text, when there is no second language or it
        is the reader's own (his catalogue's translation then stands alone)."""
        primary = str(self.text)
        if second not in SECOND_LANGUAGES or (get_language() or "").startswith(second):
            return primary
        other = getattr(self, second, "")
        return f"{primary} / {other}" if other and other != primary else primary


def language_for(*, languages: str, nationalities: list[str]) -> str:
    """The second language of a person's documents: the first recorded language we print,
    else that of his first claimed nationality that has one; "" when none."""
    for code in (part.strip().lower()[:2] for part in languages.split(",")):
        if code in SECOND_LANGUAGES:
            return code
    for country in nationalities:
        if country in LANGUAGE_OF_COUNTRY:
            return LANGUAGE_OF_COUNTRY[country]
    return ""


# --- values -------------------------------------------------------------------------------------

WITHHELD = Label(_("withheld (pseudonymised export)"), uk="приховано", ru="скрыто", ko="비공개")
# His family's address where he chose not to give it (family.selectors).
FAMILY_WITHHELD = Label(_("withheld at his choice"), uk="приховано на його вибір",
                        ru="скрыто по его выбору", ko="본인의 선택으로 비공개")  # fmt: skip
UNKNOWN = Label(_("unknown"), uk="невідомо", ru="неизвестно", ko="미상")
APPROXIMATE = Label(_("approximate"), uk="приблизно", ru="приблизительно", ko="추정")

HEALTH = {
    "healthy": Label(_("No known wounds or sickness"), uk="Без відомих поранень чи хвороб",
                     ru="Без известных ранений или болезней", ko="알려진 부상이나 질병 없음"),
    "wounded": Label(_("Wounded"), uk="Поранений", ru="Ранен", ko="부상"),
    "sick": Label(_("Sick"), uk="Хворий", ru="Болен", ko="질병"),
    "seriously_wounded_or_sick": Label(
        _("Seriously wounded or sick"), uk="Тяжкопоранений або тяжкохворий",
        ru="Тяжелораненый или тяжелобольной", ko="중상 또는 중병",
    ),
}  # fmt: skip
PLACE_KIND = {
    "camp": Label(_("Camp"), uk="Табір", ru="Лагерь", ko="수용소"),
    "hospital": Label(_("Hospital"), uk="Шпиталь", ru="Госпиталь", ko="병원"),
}
SEX = {
    "male": Label(_("Male"), uk="Чоловіча", ru="Мужской", ko="남"),
    "female": Label(_("Female"), uk="Жіноча", ru="Женский", ko="여"),
    "unknown": UNKNOWN,
}

# --- the capture card (GC III Art. 70, Annex IV B) -----------------------------------------------

CARD_TITLE = Label(_("Capture card for prisoner of war"),
                   uk="Картка про взяття в полон військовополоненого",
                   ru="Карточка о взятии в плен военнопленного", ko="포로 포획 카드")  # fmt: skip
CARD = {
    "power": Label(_("Power on which the prisoner depends"),
                   uk="Держава, від якої залежить військовополонений",
                   ru="Держава, от которой зависит военнопленный", ko="포로의 소속국"),
    "surname": Label(_("Surname"), uk="Прізвище", ru="Фамилия", ko="성"),
    "first_names": Label(_("First names (in full)"), uk="Ім'я (повністю)", ru="Имя (полностью)",
                         ko="이름 (전체)"),
    "father": Label(_("First name of father / patronymic"), uk="Ім'я батька / по батькові",
                    ru="Имя отца / отчество", ko="아버지의 이름"),
    "other_names": Label(_("Name in other scripts"), uk="Ім'я в інших написаннях",
                         ru="Имя в других написаниях", ko="다른 표기의 이름"),
    "birth": Label(_("Date of birth"), uk="Дата народження", ru="Дата рождения", ko="생년월일"),
    "birth_year": Label(_("Year of birth"), uk="Рік народження", ru="Год рождения",
                        ko="출생 연도"),
    "birth_place": Label(_("Place of birth"), uk="Місце народження", ru="Место рождения",
                         ko="출생지"),
    "sex": Label(_("Sex"), uk="Стать", ru="Пол", ko="성별"),
    "rank": Label(_("Rank"), uk="Військове звання", ru="Воинское звание", ko="계급"),
    "service_number": Label(_("Service number"), uk="Особистий номер", ru="Личный номер",
                            ko="군번"),
    "family": Label(_("Address of family"), uk="Адреса родини", ru="Адрес семьи",
                    ko="가족 주소"),
    "captured_on": Label(_("Taken prisoner on"), uk="Взятий у полон (дата)",
                         ru="Взят в плен (дата)", ko="포로가 된 날짜"),
    "captured_at": Label(_("Taken prisoner at"), uk="Місце взяття в полон",
                         ru="Место взятия в плен", ko="포로가 된 장소"),
    "health": Label(_("State of health"), uk="Стан здоров'я", ru="Состояние здоровья",
                    ko="건강 상태"),
    "pow_number": Label(_("Prisoner of war number"), uk="Номер військовополоненого",
                        ru="Номер военнопленного", ko="포로 번호"),
    "pseudonym": Label(_("Pseudonym"), uk="Псевдонім", ru="Псевдоним", ko="가명"),
    "camp": Label(_("Place of internment"), uk="Місце інтернування",
                  ru="Место интернирования", ko="억류 장소"),
    "camp_kind": Label(_("Kind of place"), uk="Тип місця", ru="Тип места", ko="장소 유형"),
    "detaining_power": Label(_("Detaining power"), uk="Держава, що тримає в полоні",
                             ru="Держава, содержащая в плену", ko="억류국"),
    "date": Label(_("Date of this card"), uk="Дата картки", ru="Дата карточки",
                  ko="카드 작성일"),
}  # fmt: skip
CARD_SECTIONS = {
    "identity": Label(_("Identity"), uk="Особа", ru="Личность", ko="신원"),
    "capture": Label(_("Capture and health"), uk="Полонення і здоров'я",
                     ru="Пленение и здоровье", ko="포획 및 건강"),
    "address": Label(_("Present address"), uk="Теперішня адреса", ru="Нынешний адрес",
                     ko="현재 주소"),
}  # fmt: skip

# --- the notification list (GC III Art. 122-123) -------------------------------------------------

LIST_TITLE = Label(_("Notification list to the Central Agency (GC III Art. 122-123)"),
                   uk="Список повідомлень Центральному агентству (ЖК III ст. 122-123)",
                   ru="Список уведомлений Центральному агентству (ЖК III ст. 122-123)",
                   ko="중앙포로정보국 통보 명단 (제3협약 제122-123조)")  # fmt: skip
COLUMNS = {
    **CARD,
    "no": Label(_("No."), uk="№", ru="№", ko="번호"),
    "event": Label(_("Event"), uk="Подія", ru="Событие", ko="사건"),
    "date": Label(_("Date"), uk="Дата", ru="Дата", ko="날짜"),
    "month": Label(_("Month"), uk="Місяць", ru="Месяц", ko="월"),
    "place": Label(_("Place"), uk="Місце", ru="Место", ko="장소"),
}

EVENTS = {
    "identity": Label(_("Identity (registration)"), uk="Особа (реєстрація)",
                      ru="Личность (регистрация)", ko="신원 (등록)"),
    "capture": Label(_("Capture"), uk="Взяття в полон", ru="Взятие в плен", ko="포획"),
    "transfer": Label(_("Transfer to another place of internment"),
                      uk="Переведення до іншого місця інтернування",
                      ru="Перевод в другое место интернирования", ko="다른 억류 장소로 이송"),
    "hospital_admission": Label(_("Admission to hospital"), uk="Госпіталізація",
                                ru="Госпитализация", ko="입원"),
    # Repatriations and other releases are one kind on purpose (docs/exports.md).
    "release": Label(_("Released from captivity"), uk="Звільнений з полону",
                     ru="Освобождён из плена", ko="억류 해제"),
    "escape": Label(_("Escape"), uk="Втеча", ru="Побег", ko="도주"),
    "death": Label(_("Death"), uk="Смерть", ru="Смерть", ko="사망"),
}  # fmt: skip

# --- the case summary (the reader's language only: it does not travel) ---------------------------

SUMMARY_TITLE = Label(_("Case summary"))
