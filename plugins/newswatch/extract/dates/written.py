"""Dates as readers see them: "Published September 18, 2023", "18. März 2024", "2023年9月18日",
"3 hours ago", "Сегодня в 20:12", "6月24日 11時30分" (this year's). Hand-written because
dateparser, the library that covers this, costs tens of milliseconds per call; a handful of
compiled patterns over short lines costs microseconds.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from newswatch.extract.dates.months import packaged as packaged_months
from newswatch.extract.dates.parse import make_date

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "stycznia",
        "styczeń",
        "ocak",
        "января",
        "январь",
        "янв",
        "يناير",
        "جانفي",
        "كانون الثاني",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
        "lutego",
        "luty",
        "şubat",
        "subat",
        "февраля",
        "февраль",
        "фев",
        "فبراير",
        "فيفري",
        "شباط",
    ),
    3: (
        "march",
        "mar",
        "märz",
        "maerz",
        "mär",
        "mars",
        "marzo",
        "março",
        "marco",
        "maart",
        "marca",
        "marzec",
        "mart",
        "марта",
        "март",
        "مارس",
        "آذار",
    ),
    4: (
        "april",
        "apr",
        "avril",
        "avr",
        "abril",
        "abr",
        "aprile",
        "kwietnia",
        "kwiecień",
        "nisan",
        "апреля",
        "апрель",
        "апр",
        "أبريل",
        "ابريل",
        "أفريل",
        "نيسان",
    ),
    5: (
        "may",
        "mai",
        "mayo",
        "maggio",
        "mag",
        "maio",
        "mei",
        "maja",
        "maj",
        "mayıs",
        "mayis",
        "мая",
        "май",
        "مايو",
        "ماي",
        "أيار",
    ),
    6: (
        "june",
        "jun",
        "juni",
        "juin",
        "junio",
        "giugno",
        "giu",
        "junho",
        "czerwca",
        "czerwiec",
        "haziran",
        "июня",
        "июнь",
        "июн",
        "يونيو",
        "يونيه",
        "جوان",
        "حزيران",
    ),
    7: (
        "july",
        "jul",
        "juli",
        "juillet",
        "juil",
        "julio",
        "luglio",
        "lug",
        "julho",
        "lipca",
        "lipiec",
        "temmuz",
        "июля",
        "июль",
        "июл",
        "يوليو",
        "يوليه",
        "جويلية",
        "تموز",
    ),
    8: (
        "august",
        "aug",
        "août",
        "aout",
        "agosto",
        "ago",
        "augustus",
        "sierpnia",
        "sierpień",
        "ağustos",
        "agustos",
        "августа",
        "август",
        "авг",
        "أغسطس",
        "اغسطس",
        "أوت",
        "آب",
    ),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "set",
        "settembre",
        "setembro",
        "września",
        "wrzesień",
        "eylül",
        "eylul",
        "сентября",
        "сентябрь",
        "сент",
        "сен",
        "سبتمبر",
        "أيلول",
    ),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "października",
        "październik",
        "ekim",
        "октября",
        "октябрь",
        "окт",
        "أكتوبر",
        "اكتوبر",
        "تشرين الأول",
    ),
    11: (
        "november",
        "nov",
        "novembre",
        "noviembre",
        "novembro",
        "listopada",
        "listopad",
        "kasım",
        "kasim",
        "ноября",
        "ноябрь",
        "нояб",
        "ноя",
        "نوفمبر",
        "تشرين الثاني",
    ),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
        "grudnia",
        "grudzień",
        "aralık",
        "aralik",
        "декабря",
        "декабрь",
        "дек",
        "ديسمبر",
        "كانون الأول",
    ),
}
# The hand-written names win over CLDR's where both name a month.
MONTHS: dict[str, int] = {
    **packaged_months(),
    **{name: num for num, names in _MONTH_NAMES.items() for name in names},
}


def _prefix_tree(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, written as a prefix tree: the regex
    engine tries a flat alternation's every branch at every position, which made the 800 month
    names the costliest part of reading a page's dates; the tree shares their common starts."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        arms = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not arms:
            return ""
        body = arms[0] if len(arms) == 1 else "(?:" + "|".join(arms) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(tree)


# English writes the month first ("Oct 17, 2023"); the other languages here write the day first,
# except where a template keeps the English order with the language's full month names. So a name
# of three letters or fewer that is not English never opens a date: "out", "set", "ago" are
# Portuguese, Italian and Spanish abbreviations but English words ("Sign out 17, 2023").
_ENGLISH_SHORT_MONTHS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())
_MONTH_ALT = _prefix_tree(list(MONTHS))
_MONTH_FIRST_ALT = _prefix_tree([name for name in MONTHS if len(name) > 3 or name in _ENGLISH_SHORT_MONTHS])
_D = r"(?P<d>[0-3]?\d)"
_Y = r"(?P<y>(?:19|20)\d{2})"
_M = rf"(?P<mn>{_MONTH_ALT})"
_M_FIRST = rf"(?P<mn>{_MONTH_FIRST_ALT})"
# A time of day after the date: 15:20, 3.20 pm, 10h02, and the East Asian forms 오후 3:20,
# 오후 3시 20분, 15時20分, 午後3時20分, 下午3点20分 (the half-day word comes before the hour there).
_HALF_DAY = r"오전|오후|午前|午後|上午|下午|中午|晚上|早上|凌晨|上午|傍晚"
_TIME = (
    r"(?:[^\d\n]{0,12}?(?P<half>" + _HALF_DAY + r")?\s*(?P<h>[0-2]?\d)(?:[:h.]|\s*[時时点點시]\s*)"
    r"(?P<mi>[0-5]\d|\d(?=\s*[分분]))\s*[分분]?\s*(?P<ap>[ap]\.?\s?m\.?)?)?"
)
# Half-day words: afternoon/evening ones add 12 hours to 1-11, morning ones make 12 midnight.
_AFTERNOON = frozenset({"오후", "午後", "下午", "晚上", "傍晚"})
_MORNING = frozenset({"오전", "午前", "上午", "早上", "凌晨"})
_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2023年9月18日, 2023년 9월 18일, 2023-09-18, 2023/09/18, 2023.09.18
    re.compile(
        rf"(?<!\d){_Y}\s*(?:年|년|[-/.])\s*(?P<m>[01]?\d)\s*(?:月|월|[-/.])\s*{_D}(?!\d){_TIME}", re.I
    ),
    # 18 September 2023, 18. März 2024, 18 de septiembre de 2023, 18 сентября 2023 г., and the month
    # named twice as Arabic pages write it, Levantine and Egyptian: "04 آب/اغسطس 2013", "4 أغسطس/ آب 2013"
    re.compile(
        rf"(?<![\w]){_D}(?:st|nd|rd|th|er|e|º)?\.?\s*(?:de\s+)?{_M}\.?(?:\s?/\s?(?:{_MONTH_ALT}))?,?\s*"
        rf"(?:de\s+)?{_Y}(?!\d){_TIME}",
        re.I,
    ),
    # September 18, 2023; Sept. 18 2023; "Jane DoeOct 17, 2023" (a name and date in adjacent elements)
    re.compile(
        rf"(?:(?<![\w])|(?<=[a-z])(?-i:(?=[A-Z]))){_M_FIRST}\.?\s+{_D}(?:st|nd|rd|th)?,?\s+{_Y}(?!\d){_TIME}",
        re.I,
    ),
    # Feb 182009: a date badge whose day and year sit in adjacent elements with nothing between
    re.compile(rf"(?<![\w]){_M_FIRST}\.?\s*(?P<d>[0-3]\d)(?P<y>(?:19|20)\d{{2}})(?!\d)", re.I),
    # 2023. szeptember 18., 2023 m. rugsėjo 18 d. (the year first, as Hungarian and Lithuanian write it)
    re.compile(rf"(?<![\w.]){_Y}\.?\s+(?:m\.\s+)?{_M}\.?\s+{_D}\.?(?!\d){_TIME}", re.I),
    # 18.09.2023, 18/09/2023, 9/18/2023 (day-month order decided by the caller's locale)
    re.compile(rf"(?<![\d.]){_D}\s?[./-]\s?(?P<m2>[0-3]?\d)\s?[./-]\s?{_Y}(?!\d){_TIME}"),
)
# The patterns above need a four-digit year; a line without one is spared them (most lines).
_FULL_YEAR = re.compile(_Y)
_SHORT_YEAR_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 23.09.22 (German-style short year; dots only, so 1/2/22 fractions and scores stay out)
    re.compile(rf"(?<![\d.]){_D}\.(?P<m2>[01]?\d)\.(?P<y2>[0-3]\d)(?![\d.]){_TIME}"),
    # 26/10/13, 03:48 pm (forum software's short year: slashes only with a time of day after them)
    re.compile(
        rf"(?<![\d/]){_D}/(?P<m2>[0-3]?\d)/(?P<y2>[0-3]\d),?\s+(?P<h>[0-2]?\d):(?P<mi>[0-5]\d)"
        rf"(?![\d/])\s*(?P<ap>[ap]\.?\s?m\.?)?",
        re.I,
    ),
)
# Decimal digits of the scripts news is written in (Arabic-Indic, Persian, Devanagari, Bengali,
# Thai, full-width), one character each, so offsets into the text stay the same.
_DIGITS = {
    zero + n: ord("0") + n for zero in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10) for n in range(10)
}


def _ascii_digits(text: str) -> str:
    """``text`` with the digits of those scripts as ASCII ones, at the same offsets."""
    return text if text.isascii() else text.translate(_DIGITS)


_PUBLISHED_WORDS = re.compile(
    r"publi|posted|veröffentlicht|erschienen|erstellt|publicado|pubblicato|опубликовано|发布|發佈|发表|"
    r"公開|掲載|입력|게재|등록|نشر|بتاريخ|опубліковано|yayı[nm]lan|δημοσιε|julkaistu|közzétéve|megjelent|udgivet|"
    r"diterbitkan",
    re.I,
)
_UPDATED_WORDS = re.compile(
    r"updated|update|modified|revised|last edited|aktualisiert|geändert|zuletzt|mis à jour|modifié|"
    r"actualizado|actualización|aggiornato|atualizado|обновлено|更新|修改|수정|업데이트|تحديث|آخر تحديث|"
    r"оновлено|aktualiz|uppdaterad|opdateret|oppdatert|bijgewerkt|güncellen|ενημερώθηκε|päivitetty|frissítve|"
    r"actualizat|diperbarui",
    re.I,
)
_RELATIVE = re.compile(
    r"(?P<n>\d{1,3})\s*(?P<unit>min|minute|minutes|mins|hour|hours|hrs?|day|days|minuten?|stunden?|tagen?|"
    r"heures?|jours?|minutos?|horas?|días?|dias?|минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|分钟|分鐘|小时|小時|天|"
    r"分前|時間前|日前|분|시간|일|"
    # Ukrainian, Polish, Czech, Turkish, Swedish, Danish and Norwegian, Dutch, Italian
    r"хвилин[уи]?|годин[уи]?|дн(?:і|ів)|minut[yę]?|godzin[yę]?|dni|dzień|minutami|minutou|hodinami|hodinou|"
    r"dny|dnem|dakika|saat|gün|minuter|timmar|timme|timer|dagar|dager|dage|dag|minuut|uur|dagen|minuti|ore|ora|"
    r"giorni|giorno)"
    r"\s*(?:ago|前|전)?",
    re.I,
)
# How the minute and the hour units of _RELATIVE begin (any other unit is days).
_MINUTE_UNITS = ("min", "мин", "хвил", "dak", "分", "분")
_HOUR_UNITS = ("h", "st", "heure", "hora", "час", "годин", "godzin", "saat", "tim", "uur", "or",
               "小", "時", "시")
_RELATIVE_CONTEXT = re.compile(
    r"ago|vor\s|il y a|hace|назад|前|전|тому|temu|před|önce|sedan|siden|geleden|há\s|\sfa\b", re.I
)
# One unit without a number, as Russian writes it: "час назад" (an hour ago), "минуту назад".
_RELATIVE_ONE = re.compile(r"(?<![\w\d])(?P<unit>час|минуту|день|сутки)\s+назад", re.I)


def numberless_relative(text: str) -> bool:
    """Whether ``text`` says "an hour ago" without a digit ("час назад"): a date line all the same."""
    return "назад" in text and _RELATIVE_ONE.search(text) is not None


def month_number(name: str) -> int | None:
    """Month number for a month name or abbreviation in one of the supported languages."""
    return MONTHS.get(name.lower().rstrip("."))


def _hour(match: re.Match[str]) -> tuple[int, int]:
    if not match.groupdict().get("h"):
        return 0, 0
    hour, minute = int(match.group("h")), int(match.group("mi"))
    ampm = (match.group("ap") or "").lower()
    half = match.groupdict().get("half") or ""
    if (ampm.startswith("p") or half in _AFTERNOON) and hour < 12:
        hour += 12
    elif (ampm.startswith("a") or half in _MORNING) and hour == 12:
        hour = 0
    elif half == "中午" and hour < 11:  # noon: 中午12点 is 12:00, 中午1点 is 13:00
        hour += 12
    return (hour, minute) if hour < 24 else (0, 0)


def _from_match(match: re.Match[str], month_first: bool) -> datetime | None:
    groups = match.groupdict()
    year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["y2"])
    day = int(groups["d"])
    if groups.get("mn"):
        month = month_number(groups["mn"])
    elif groups.get("m2"):
        first, second = day, int(groups["m2"])
        # The locale's order unless the numbers allow only the other one (12/22/2023, 22/12/2023).
        if (month_first and first <= 12) or (second > 12 and first <= 12):
            day, month = second, first
        else:
            month = second
    else:
        month = int(groups["m"])
    if not month:
        return None
    return make_date(year, month, day, *_hour(match))


def find_dates(text: str, month_first: bool = False) -> list[tuple[int, datetime]]:
    """Every date written in ``text`` with its character offset, in reading order; digits of other
    scripts ("٥ مارس ٢٠٢٤", full-width "２０２４年") read as the ASCII ones."""
    text = _ascii_digits(text)
    patterns = (*_PATTERNS, *_SHORT_YEAR_PATTERNS) if _FULL_YEAR.search(text) else _SHORT_YEAR_PATTERNS
    found: list[tuple[int, datetime]] = []
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            value = _from_match(match, month_first)
            if value:
                found.append((start, value))
                taken.append((start, end))
    found.sort(key=lambda item: item[0])
    return found


# A line that is only such a date: the relative time, its marker before or after, nothing else.
_RELATIVE_LINE = re.compile(
    rf"^(?:(?:vor|il y a|hace|há)\s+)?{_RELATIVE.pattern}"
    r"\s*(?:назад|тому|temu|před|önce|sedan|siden|geleden|fa)?\.?$",
    re.I,
)


# The longest line a date read against the fetch time ("5 days ago", "Сегодня в 20:12") is the
# whole of: a date line, not text.
_RELATIVE_LINE_CHARS = 40


def is_relative_line(text: str) -> bool:
    """Whether a line says only how long ago something was ("5 days ago", "vor 3 Stunden",
    "3小时前"): a date line, not text; a bare duration ("45 Minuten") is not one."""
    return (
        len(text) <= _RELATIVE_LINE_CHARS
        and _RELATIVE_CONTEXT.search(text) is not None
        and bool(_RELATIVE_LINE.match(text))
    )


def relative_date(text: str, now: datetime) -> datetime | None:
    """A date written relative to now ("3 hours ago", "vor 2 Tagen", "3小时前", "3시간 전",
    "2 часа назад", "час назад", "3 години тому", "3 saat önce", "há 3 horas")."""
    if not _RELATIVE_CONTEXT.search(text):
        return None
    match = _RELATIVE.search(text) or _RELATIVE_ONE.search(text)
    if not match:
        return None
    amount, unit = int(match.groupdict().get("n") or 1), match.group("unit").lower()
    if unit.startswith(_MINUTE_UNITS):
        delta = timedelta(minutes=amount)
    elif unit.startswith(_HOUR_UNITS):
        delta = timedelta(hours=amount)
    else:
        delta = timedelta(days=amount)
    return now - delta


# A day and month without their year, as pages show the dates of the current year: 6月24日,
# 6월 24일, 6/24(月) (Japanese, with the weekday after it), 24 June, 24. Juni, June 24; a time may follow.
# The two written with numbers and East Asian marks, which nothing but a date looks like...
_YEARLESS_NUMERIC: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?<!\d)(?P<m>[01]?\d)\s*(?:月|월)\s*{_D}\s*(?:日|일)(?!\d){_TIME}"),
    re.compile(rf"(?<![\d/.])(?P<m>[01]?\d)/{_D}\s*[(（][月火水木金土日][)）]{_TIME}"),
)
# ...and the two with a month's name, which may also be a title's ("Le 15 Mai").
_YEARLESS_NAMED: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?<![\w])(?<!\d ){_D}(?:st|nd|rd|th|er|e|º)?\.?\s*(?:de\s+)?{_M}(?!\w|\.\w)\.?{_TIME}", re.I
    ),
    re.compile(rf"(?<![\w]){_M_FIRST}\.?\s+{_D}(?:st|nd|rd|th)?(?![\d:.]){_TIME}", re.I),
)
_YEARLESS = (*_YEARLESS_NUMERIC, *_YEARLESS_NAMED)
# Any year, also one before the plausible years ("7 May 1856"): a line with one holds no day of this year.
_ANY_YEAR = re.compile(r"(?<!\d)(?:1\d|20)\d\d(?!\d)")


# "Today" and "yesterday" before a time of day, as pages show their newest stories: "Сегодня в 20:12",
# "вчера, 18:00", "Yesterday at 3:45 PM", "heute, 10:30 Uhr", "今日 10:30", "어제 오후 3:20". Without
# the time the word is too often a heading's ("Today's top stories").
_TODAY = (
    "today|heute|aujourd['’]hui|hoy|oggi|hoje|сегодня|сьогодні|dzisiaj|dziś|vandaag|idag|i dag|"
    "bugün|今日|今天|오늘"
)
_YESTERDAY = (
    "yesterday|gestern|hier|ayer|ieri|ontem|вчера|вчора|wczoraj|gisteren|igår|i går|dün|昨日|昨天|어제"
)
_DAY_WORD = re.compile(rf"(?<!\w)(?:(?P<today>{_TODAY})|{_YESTERDAY})(?!\w){_TIME}", re.I)


def day_word_date(text: str, now: datetime) -> datetime | None:
    """A time of day on "today" or "yesterday", read against ``now`` ("Сегодня в 20:12")."""
    text = _ascii_digits(text)
    for match in _DAY_WORD.finditer(text):
        if match.group("h"):
            day = now - timedelta(days=0 if match.group("today") else 1)
            return make_date(day.year, day.month, day.day, *_hour(match))
    return None


_WORD = re.compile(r"\w+")
# Words a short date line may hold beside its date: a label ("Posted", "配信", "в").
_SHORT_DATE_LINE_WORDS = 1


def is_short_date_line(text: str) -> bool:
    """Whether a line is only a day without its year or "today"/"yesterday" with a time, maybe in
    brackets or beside one word ("[06月24日 11時30分]", "Сегодня в 20:12", "3/9(木) 18:45配信"):
    a date line, not text."""
    if len(text) > _RELATIVE_LINE_CHARS:
        return False
    text = _ascii_digits(text)
    for pattern in (_DAY_WORD, *_YEARLESS):
        match = pattern.search(text)
        # A day and a month name alone may be a title ("Le 15 Mai"); with a time it is a date line.
        if match and (match.group("h") or pattern in _YEARLESS_NUMERIC):
            rest = text[: match.start()] + " " + text[match.end() :]
            return len(_WORD.findall(rest)) <= _SHORT_DATE_LINE_WORDS
    return False


def yearless_date(text: str, now: datetime) -> datetime | None:
    """A day shown without its year ("6月24日 12時00分", "24. Juni", "June 24, 3:45 PM"), read as the
    last such day up to ``now``: this year's, or last year's when this year's is still to come. Like
    "3 hours ago", it is only as good as the fetch time it is read against. A text with a year in it
    holds a full date :func:`find_dates` could not read ("Sat Nov 27 15:20:41 -0800 2010"), or a
    day of another year ("7 May 1856"), not this."""
    text = _ascii_digits(text)
    if _ANY_YEAR.search(text):
        return None
    for pattern in _YEARLESS:
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groupdict()
        month = int(groups["m"]) if groups.get("m") else month_number(groups["mn"])
        if not month:
            return None
        for year in (now.year, now.year - 1):
            value = make_date(year, month, int(groups["d"]), *_hour(match))
            if value is not None and value <= now + timedelta(days=1):
                return value
        return None
    return None


def dates_with_labels(text: str, month_first: bool = False) -> list[tuple[datetime, str]]:
    """Every date in ``text`` with its label: "updated" after an update word, "published" after a
    publication word, "" when unlabelled (the usual byline date)."""
    found: list[tuple[datetime, str]] = []
    for offset, value in find_dates(text, month_first):
        before = text[max(0, offset - 40) : offset]
        upd = _last(_UPDATED_WORDS, before)
        pub = _last(_PUBLISHED_WORDS, before)
        found.append((value, "updated" if upd > pub else "published" if pub > upd else ""))
    return found


def labelled_dates(text: str, month_first: bool = False) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from a line such as "Published Sept 18, 2023 Updated Sept 19, 2023".

    A date right after an "updated" word is the update; a date after a "published" word, or the
    first unlabelled one, is the publication.
    """
    published = updated = None
    for value, label in dates_with_labels(text, month_first):
        if label == "updated":
            updated = updated or value
        elif published is None:
            published = value
    return published, updated


def _last(pattern: re.Pattern[str], text: str) -> int:
    last = -1
    for match in pattern.finditer(text):
        last = match.start()
    return last
