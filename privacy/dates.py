"""Dates of birth: full dates (day, month and year) that are, or are very likely to be, a birthday.

A full date is taken when a word nearby says it is a birthday ('dob', 'd.o.b', 'born',
'birthday', 'date of birth', 'turned 18 on'). Without such a word, a full date is still taken when it would make
someone 0 to 25 years old today, the ages the SEND Local Offer covers, unless a word just
before it shows it is the date of an event ('on', 'since', 'review', 'meeting', a past tense
such as 'finalised' ...). That
exception is a decision: families quote the dates of requests and meetings to ask about
deadlines, and those dates identify no one.

Never taken, because they are not full dates: 'year 9', 'in 2025', 'April', 'in March 2015',
'20 weeks', ages ('my 7 year old'). Numbers are read the UK way round: 03/04/2015 is 3 April.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from privacy.spans import Span

# Three letters name a month: 'Sept', 'September' and 'sep' are all 9.
_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {start: number for number, start in enumerate(_MONTH_STARTS, 1)}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_PATTERNS = [
    # 03/04/2015, 3.4.15, 3-4-2015: day first, as in the UK.
    re.compile(
        r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<num_month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?!\.?\d)"
    ),
    # 2015-04-03 and 2015/04/03.
    re.compile(r"(?<![\d/.\-])(?P<year>\d{4})(?P<sep>[/\-])(?P<num_month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d/\-])"),
    # 3rd April 2015, 3 of April 2015, 3 Apr '15.
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}}|'?\d{{2}})\b", re.IGNORECASE
    ),
    # April 3 2015, April 3rd, 2015.
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
]
_BIRTH_CUE = re.compile(
    r"\b(?:d\.?o\.?b\b\.?|born|birthday|b'?day|birth\s*date|date\s+of\s+birth|turn(?:s|ed)\s+\d{1,2}\b)", re.IGNORECASE
)
_CUE_BEFORE = 40  # characters: 'born on the', 'DOB:', 'his date of birth is'
_CUE_AFTER = 20  # '03/04/2015 (his birthday)'
# Words just before a date that make it the date of an event. Any past tense counts ('finalised
# 14 March 2024', 'excluded 3/2/25'): the birthday words ('born', 'turned 18') are checked first.
_EVENT_BEFORE = re.compile(
    r"\b(?:on|since|by|until|till|before|after|from|due|deadline|review|meeting|appointment|hearing|tribunal"
    r"|sent|letter|assessment|starts|visit|panel|exclusion|term|\w+ed)"
    r"\s+(?:the\s+|of\s+|was\s+|is\s+|on\s+)?$",
    re.IGNORECASE,
)
_OLDEST_AGE = 25  # the SEND Code of Practice covers 0 to 25


def find_birth_dates(text: str, today: dt.date | None = None) -> list[Span]:
    """Every date of birth in the text (see the module docstring); ``today`` defaults to the real date."""
    if not any(ch.isdigit() for ch in text):
        return []  # most messages have no digits: skip four patterns
    today = today or dt.date.today()
    found: list[Span] = []
    for start, end, date, loose in _full_dates(text, today):
        if any(start < span.end and span.start < end for span in found):
            continue
        before = text[max(0, start - _CUE_BEFORE) : start]
        after = text[end : end + _CUE_AFTER]
        cued = bool(_BIRTH_CUE.search(before) or _BIRTH_CUE.search(after))
        likely = not loose and _is_young_persons_birthday(date, today) and not _EVENT_BEFORE.search(before)
        if cued or likely:
            found.append(Span(start, end, "date_of_birth"))
    return sorted(found)


def _full_dates(text: str, today: dt.date) -> Iterator[tuple[int, int, dt.date, bool]]:
    """Each full date as (start, end, date, loose); loose ones need a birthday word nearby."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["num_month"]) if parts.get("num_month") else _MONTHS[parts["month"].lower()[:3]]
            year = _full_year(parts["year"].lstrip("'"), today)
            try:
                date = dt.date(year, month, int(parts["day"]))
            except ValueError:
                continue  # 31/02/2015 or 13/13/13 is not a date
            # '1.2.14' is as likely a paragraph number as a date.
            loose = parts.get("sep") == "." and len(parts["year"]) == 2
            yield match.start(), match.end(), date, loose


def _full_year(year: str, today: dt.date) -> int:
    if len(year) == 4:
        return int(year)
    # Two-digit years: '15' is 2015 and '98' is 1998, taking the latest year not in the future.
    century = today.year // 100 * 100
    full = century + int(year)
    return full if full <= today.year else full - 100


def _is_young_persons_birthday(date: dt.date, today: dt.date) -> bool:
    if date > today:
        return False
    age = today.year - date.year - ((today.month, today.day) < (date.month, date.day))
    return 0 <= age <= _OLDEST_AGE
