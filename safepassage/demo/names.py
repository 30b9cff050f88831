"""Curated name tables for fictional demo people, in the scripts their records use.

Korean names: Hangul, the DPRK official romanization (syllables apart, "Chol Su"), a popular
South Korean spelling ("Chul-soo") and the Russian Cyrillic of Russian lists (Kontsevich).
East Slavic names: Russian and Ukrainian Cyrillic with their usual Latin transliterations.
Combinations are drawn at random, so no demo person is a real one.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class KoreanForm:
    hangul: str
    dprk: str
    popular: str
    russian: str


# Family names, with the initial-sound-law pairs of the domain brief (리/이, 림/임, 류/유, 로/노).
KOREAN_FAMILY = [
    KoreanForm(*row)
    for row in [
        ("김", "Kim", "Kim", "Ким"), ("리", "Ri", "Lee", "Ли"), ("박", "Pak", "Park", "Пак"),
        ("최", "Choe", "Choi", "Чхве"), ("정", "Jong", "Jung", "Чон"),
        ("강", "Kang", "Kang", "Кан"),
        ("조", "Jo", "Cho", "Чо"), ("윤", "Yun", "Yoon", "Юн"), ("장", "Jang", "Jang", "Чан"),
        ("림", "Rim", "Lim", "Рим"), ("한", "Han", "Han", "Хан"), ("오", "O", "Oh", "О"),
        ("서", "So", "Seo", "Со"), ("신", "Sin", "Shin", "Син"), ("권", "Kwon", "Kwon", "Квон"),
        ("황", "Hwang", "Hwang", "Хван"), ("안", "An", "Ahn", "Ан"), ("송", "Song", "Song", "Сон"),
        ("류", "Ryu", "Yoo", "Рю"), ("홍", "Hong", "Hong", "Хон"), ("전", "Jon", "Jeon", "Чон"),
        ("고", "Ko", "Ko", "Ко"), ("문", "Mun", "Moon", "Мун"), ("량", "Ryang", "Yang", "Рян"),
        ("배", "Pae", "Bae", "Пэ"), ("백", "Paek", "Baek", "Пэк"), ("허", "Ho", "Heo", "Хо"),
        ("로", "Ro", "Roh", "Ро"), ("남", "Nam", "Nam", "Нам"), ("심", "Sim", "Shim", "Сим"),
        ("주", "Ju", "Joo", "Чу"), ("차", "Cha", "Cha", "Ча"), ("방", "Pang", "Bang", "Пан"),
    ]
]  # fmt: skip

# Syllables of given names: DPRK, popular South Korean, Russian (Kontsevich).
_SYLLABLES = {
    "철": ("Chol", "chul", "Чхоль"), "수": ("Su", "soo", "Су"), "명": ("Myong", "myung", "Мён"),
    "광": ("Kwang", "kwang", "Кван"), "영": ("Yong", "young", "Ён"), "성": ("Song", "sung", "Сон"),
    "정": ("Jong", "jung", "Чон"), "남": ("Nam", "nam", "Нам"), "혁": ("Hyok", "hyuk", "Хёк"),
    "은": ("Un", "eun", "Ын"), "진": ("Jin", "jin", "Чин"), "호": ("Ho", "ho", "Хо"),
    "충": ("Chung", "choong", "Чхун"), "국": ("Kuk", "kook", "Кук"), "현": ("Hyon", "hyun", "Хён"),
    "룡": ("Ryong", "yong", "Рён"), "동": ("Tong", "dong", "Тон"), "순": ("Sun", "soon", "Сун"),
    "학": ("Hak", "hak", "Хак"), "금": ("Kum", "keum", "Кым"), "문": ("Mun", "moon", "Мун"),
    "경": ("Kyong", "kyung", "Кён"), "민": ("Min", "min", "Мин"), "주": ("Ju", "joo", "Чу"),
    "태": ("Thae", "tae", "Тхэ"), "세": ("Se", "se", "Се"), "원": ("Won", "won", "Вон"),
    "일": ("Il", "il", "Иль"), "대": ("Tae", "dae", "Тэ"), "위": ("Wi", "wi", "Ви"),
    "우": ("U", "woo", "У"), "준": ("Jun", "joon", "Чун"), "기": ("Ki", "ki", "Ки"),
    "림": ("Rim", "rim", "Рим"),
}  # fmt: skip

KOREAN_GIVEN_HANGUL = [
    "철수", "명철", "광철", "영철", "성철", "정남", "은혁", "광수", "영수", "진혁", "성호", "영남",
    "충성", "국철", "현철", "룡남", "룡철", "명호", "동철", "동혁", "순철", "학철", "금철", "문혁",
    "경호", "성민", "주혁", "태성", "명수", "철민", "광혁", "은철", "정혁", "세철", "진성", "원철",
    "일남", "대성", "혁철", "위성", "우진", "준호", "기철", "혁",
]  # fmt: skip


def korean_given(hangul: str) -> KoreanForm:
    """Compose the forms of a given name syllable by syllable, as records write them."""
    parts = [_SYLLABLES[syllable] for syllable in hangul]
    popular = "-".join(p[1] for p in parts)
    return KoreanForm(
        hangul=hangul,
        dprk=" ".join(p[0] for p in parts),
        popular=popular[:1].upper() + popular[1:],
        russian=" ".join(p[2] for p in parts),
    )


KOREAN_GIVEN = [korean_given(h) for h in KOREAN_GIVEN_HANGUL]


@dataclass(frozen=True)
class SlavicGiven:
    ru: str
    ru_latin: str
    uk: str
    uk_latin: str
    ru_patronymic: str
    ru_patronymic_latin: str
    uk_patronymic: str
    uk_patronymic_latin: str


SLAVIC_GIVEN = [
    SlavicGiven(*row)
    for row in [
        ("Александр", "Aleksandr", "Олександр", "Oleksandr",
         "Александрович", "Aleksandrovich", "Олександрович", "Oleksandrovych"),
        ("Сергей", "Sergei", "Сергій", "Serhii",
         "Сергеевич", "Sergeyevich", "Сергійович", "Serhiiovych"),
        ("Дмитрий", "Dmitry", "Дмитро", "Dmytro",
         "Дмитриевич", "Dmitriyevich", "Дмитрович", "Dmytrovych"),
        ("Андрей", "Andrei", "Андрій", "Andrii",
         "Андреевич", "Andreyevich", "Андрійович", "Andriiovych"),
        ("Алексей", "Aleksei", "Олексій", "Oleksii",
         "Алексеевич", "Alekseyevich", "Олексійович", "Oleksiiovych"),
        ("Иван", "Ivan", "Іван", "Ivan", "Иванович", "Ivanovich", "Іванович", "Ivanovych"),
        ("Михаил", "Mikhail", "Михайло", "Mykhailo",
         "Михайлович", "Mikhailovich", "Михайлович", "Mykhailovych"),
        ("Николай", "Nikolai", "Микола", "Mykola",
         "Николаевич", "Nikolayevich", "Миколайович", "Mykolaiovych"),
        ("Владимир", "Vladimir", "Володимир", "Volodymyr",
         "Владимирович", "Vladimirovich", "Володимирович", "Volodymyrovych"),
        ("Евгений", "Yevgeny", "Євген", "Yevhen",
         "Евгеньевич", "Yevgenyevich", "Євгенович", "Yevhenovych"),
        ("Павел", "Pavel", "Павло", "Pavlo", "Павлович", "Pavlovich", "Павлович", "Pavlovych"),
        ("Максим", "Maksim", "Максим", "Maksym",
         "Максимович", "Maksimovich", "Максимович", "Maksymovych"),
        ("Денис", "Denis", "Денис", "Denys", "Денисович", "Denisovich", "Денисович", "Denysovych"),
        ("Роман", "Roman", "Роман", "Roman", "Романович", "Romanovich", "Романович", "Romanovych"),
        ("Игорь", "Igor", "Ігор", "Ihor", "Игоревич", "Igorevich", "Ігорович", "Ihorovych"),
        ("Олег", "Oleg", "Олег", "Oleh", "Олегович", "Olegovich", "Олегович", "Olehovych"),
        ("Виктор", "Viktor", "Віктор", "Viktor",
         "Викторович", "Viktorovich", "Вікторович", "Viktorovych"),
        ("Юрий", "Yury", "Юрій", "Yurii", "Юрьевич", "Yuryevich", "Юрійович", "Yuriiovych"),
        ("Кирилл", "Kirill", "Кирило", "Kyrylo",
         "Кириллович", "Kirillovich", "Кирилович", "Kyrylovych"),
        ("Василий", "Vasily", "Василь", "Vasyl",
         "Васильевич", "Vasilyevich", "Васильович", "Vasylovych"),
        ("Константин", "Konstantin", "Костянтин", "Kostiantyn",
         "Константинович", "Konstantinovich", "Костянтинович", "Kostiantynovych"),
        ("Пётр", "Pyotr", "Петро", "Petro", "Петрович", "Petrovich", "Петрович", "Petrovych"),
        ("Артём", "Artyom", "Артем", "Artem",
         "Артёмович", "Artyomovich", "Артемович", "Artemovych"),
        ("Никита", "Nikita", "Микита", "Mykyta",
         "Никитич", "Nikitich", "Микитович", "Mykytovych"),
        ("Илья", "Ilya", "Ілля", "Illia", "Ильич", "Ilyich", "Ілліч", "Illich"),
        ("Вадим", "Vadim", "Вадим", "Vadym", "Вадимович", "Vadimovich", "Вадимович", "Vadymovych"),
        ("Руслан", "Ruslan", "Руслан", "Ruslan",
         "Русланович", "Ruslanovich", "Русланович", "Ruslanovych"),
        ("Анатолий", "Anatoly", "Анатолій", "Anatolii",
         "Анатольевич", "Anatolyevich", "Анатолійович", "Anatoliiovych"),
        ("Борис", "Boris", "Борис", "Borys", "Борисович", "Borisovich", "Борисович", "Borysovych"),
        ("Тарас", "Taras", "Тарас", "Taras", "Тарасович", "Tarasovich", "Тарасович", "Tarasovych"),
    ]
]  # fmt: skip

# Russian surnames: Russian Cyrillic, Latin, the Ukrainian Cyrillic a Ukrainian record uses.
RUSSIAN_FAMILY = [
    ("Иванов", "Ivanov", "Іванов"), ("Смирнов", "Smirnov", "Смирнов"),
    ("Кузнецов", "Kuznetsov", "Кузнецов"), ("Попов", "Popov", "Попов"),
    ("Васильев", "Vasilyev", "Васильєв"), ("Петров", "Petrov", "Петров"),
    ("Соколов", "Sokolov", "Соколов"), ("Михайлов", "Mikhailov", "Михайлов"),
    ("Новиков", "Novikov", "Новіков"), ("Фёдоров", "Fyodorov", "Федоров"),
    ("Морозов", "Morozov", "Морозов"), ("Волков", "Volkov", "Волков"),
    ("Алексеев", "Alekseyev", "Алексєєв"), ("Лебедев", "Lebedev", "Лебедєв"),
    ("Семёнов", "Semyonov", "Семенов"), ("Егоров", "Yegorov", "Єгоров"),
    ("Павлов", "Pavlov", "Павлов"), ("Козлов", "Kozlov", "Козлов"),
    ("Степанов", "Stepanov", "Степанов"), ("Николаев", "Nikolayev", "Миколаєв"),
    ("Орлов", "Orlov", "Орлов"), ("Андреев", "Andreyev", "Андреєв"),
    ("Макаров", "Makarov", "Макаров"), ("Никитин", "Nikitin", "Нікітін"),
    ("Захаров", "Zakharov", "Захаров"), ("Зайцев", "Zaitsev", "Зайцев"),
    ("Соловьёв", "Solovyov", "Соловйов"), ("Борисов", "Borisov", "Борисов"),
    ("Яковлев", "Yakovlev", "Яковлєв"), ("Григорьев", "Grigoryev", "Григор'єв"),
    ("Сергеев", "Sergeyev", "Сергєєв"), ("Кузьмин", "Kuzmin", "Кузьмін"),
    ("Фролов", "Frolov", "Фролов"), ("Ковалёв", "Kovalyov", "Ковальов"),
    ("Королёв", "Korolyov", "Корольов"), ("Киселёв", "Kiselyov", "Кисельов"),
    ("Гусев", "Gusev", "Гусєв"), ("Поляков", "Polyakov", "Поляков"),
    ("Сорокин", "Sorokin", "Сорокін"), ("Белов", "Belov", "Бєлов"),
    ("Тарасов", "Tarasov", "Тарасов"), ("Антонов", "Antonov", "Антонов"),
    # Soldiers from Tuva and Buryatia are many among Russia's dead and captured.
    ("Монгуш", "Mongush", "Монгуш"), ("Ооржак", "Oorzhak", "Ооржак"),
    ("Дамбаев", "Dambayev", "Дамбаєв"), ("Цыбиков", "Tsybikov", "Цибіков"),
]  # fmt: skip

# Ukrainian surnames: Ukrainian Cyrillic, Ukrainian national Latin, the Russian Cyrillic form.
UKRAINIAN_FAMILY = [
    ("Шевченко", "Shevchenko", "Шевченко"), ("Коваленко", "Kovalenko", "Коваленко"),
    ("Бондаренко", "Bondarenko", "Бондаренко"), ("Ткаченко", "Tkachenko", "Ткаченко"),
    ("Кравченко", "Kravchenko", "Кравченко"), ("Олійник", "Oliinyk", "Олейник"),
    ("Шевчук", "Shevchuk", "Шевчук"), ("Поліщук", "Polishchuk", "Полищук"),
    ("Бойко", "Boiko", "Бойко"), ("Мельник", "Melnyk", "Мельник"),
    ("Коваль", "Koval", "Коваль"), ("Лисенко", "Lysenko", "Лысенко"),
    ("Марченко", "Marchenko", "Марченко"), ("Руденко", "Rudenko", "Руденко"),
    ("Савченко", "Savchenko", "Савченко"), ("Петренко", "Petrenko", "Петренко"),
    ("Клименко", "Klymenko", "Клименко"), ("Павленко", "Pavlenko", "Павленко"),
    ("Мороз", "Moroz", "Мороз"), ("Кравчук", "Kravchuk", "Кравчук"),
    ("Ковальчук", "Kovalchuk", "Ковальчук"), ("Гончаренко", "Honcharenko", "Гончаренко"),
    ("Литвиненко", "Lytvynenko", "Литвиненко"), ("Романенко", "Romanenko", "Романенко"),
]  # fmt: skip


@dataclass(frozen=True)
class ForeignNames:
    """Foreign fighters recruited by Russia: Latin from their papers, Cyrillic from its lists."""

    country: str
    languages: str
    given: list[tuple[str, str]]
    family: list[tuple[str, str]]


FOREIGN = [
    ForeignNames(
        "NP", "ne, en",
        [("Ram Bahadur", "Рам Бахадур"), ("Bishnu", "Бишну"), ("Hari", "Хари"),
         ("Dil Bahadur", "Дил Бахадур"), ("Suman", "Суман"), ("Prakash", "Пракаш")],
        [("Gurung", "Гурунг"), ("Magar", "Магар"), ("Thapa", "Тхапа"), ("Tamang", "Таманг"),
         ("Rai", "Раи"), ("Limbu", "Лимбу")],
    ),
    ForeignNames(
        "LK", "si, en",
        [("Nuwan", "Нуван"), ("Chaminda", "Чаминда"), ("Kasun", "Касун"), ("Ruwan", "Руван")],
        [("Perera", "Перера"), ("Fernando", "Фернандо"), ("Jayasuriya", "Джаясурия"),
         ("Wickramasinghe", "Викрамасингхе")],
    ),
    ForeignNames(
        "CU", "es",
        [("Yoandri", "Йоандри"), ("Yunior", "Юниор"), ("Osmany", "Османи"), ("Yasiel", "Ясиэль")],
        [("Rodríguez", "Родригес"), ("González", "Гонсалес"), ("Pérez", "Перес"),
         ("Hernández", "Эрнандес")],
    ),
]  # fmt: skip
