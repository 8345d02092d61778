"""Read the age range a service is for out of the free text directories use ('0-5 years', 'Year 7 to Year 11').

Conventions, chosen so that a family's question ("my son is 7") can be matched against a record:

- Ages are in years, as people say them: a child "is 7" from their 7th birthday until their 8th.
  Both ends of an :class:`AgeRange` are inclusive, so '5-11' includes an 11-year-old. Months
  become fractions of a year ('6 months' is 0.5, '18 months' is 1.5).
- Open ends are closed at the Local Offer's own limits, because the SEND Code of Practice covers
  0 to 25: '18+', '14 and over' and 'All ages' end at 25 (or at the lower bound, if that is
  higher); 'Up to 19' starts at 0.
- 'Under 5' means a child who has not yet turned 5, so it is 0 to 4 (and 'under 18 months' is 0
  to 17 months). 'Up to 25' and 'over 18' follow everyday UK usage: 0 to 25 and 18 to 25.
- School years follow the one rule in :mod:`vocabulary.ages`: Year N covers ages N+4 to N+5,
  Reception is Year 0 (4 to 5), so 'Year 7 to Year 11' is 11 to 16. Key stages follow their
  school years (KS2 is Years 3-6).
- Named bands follow the Local Offer's own: early years 0-5, primary 5-11, secondary 11-16,
  post-16 16-25. 'Primary school age' is 5 to 11 (compulsory school age starts at 5), not
  Reception's 4.
- 'Adults' gives None, not 18-25: on a family directory it nearly always means the parents or
  carers who attend, and says nothing about the age of the child the service is for.
- Several bands in one text ('0-5 years, 5-11 years') give the smallest range covering them all.
- Text with no recognisable age gives None; so does a lone number with no word saying it is an
  age, which is as likely to be a count or a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from vocabulary.ages import LOCAL_OFFER_MAX, LOCAL_OFFER_MIN, MAX_PLAUSIBLE_AGE, RECEPTION_YEAR, ages_in_school_years

# The Local Offer covers birth to 25 (vocabulary.ages.LOCAL_OFFER_MIN and _MAX): open ends close there.


@dataclass(frozen=True)
class AgeRange:
    """Ages in years, both ends inclusive (see the module docstring for the conventions)."""

    min_years: float
    max_years: float

    def __post_init__(self) -> None:
        if not 0 <= self.min_years <= self.max_years:
            raise ValueError(f"not an age range: {self.min_years} to {self.max_years}")

    def contains(self, age_years: float) -> bool:
        """Whether a child of this age (in years; months as fractions) is within the range."""
        return self.min_years <= age_years <= self.max_years

    def union(self, other: AgeRange) -> AgeRange:
        """The smallest range covering both."""
        return AgeRange(min(self.min_years, other.min_years), max(self.max_years, other.max_years))

    def describe(self) -> str:
        """The range in words to follow 'aged': '5 to 11', '6 months to 4 years', or '4' for one age."""
        low, high = _age_words(self.min_years), _age_words(self.max_years)
        if low == high:
            return high
        if "month" in low and "month" not in high:
            high = f"{high} years"
        return f"{low} to {high}"


def _age_words(years: float) -> str:
    # Babies' and toddlers' ages read better in months ('6 months', '18 months', not 0.5 or 1.5).
    if 0 < years < 1 or (years < 3 and years % 1):
        months = round(years * 12)
        return f"{months} month" if months == 1 else f"{months} months"
    return f"{years:g}"


def parse_age_range(text: str) -> AgeRange | None:
    """The age range described by a directory's free text, or None when it names no ages."""
    normal = _normalise(text)
    found: AgeRange | None = None
    for pattern, to_range in _RULES:
        for match in pattern.finditer(normal):
            band = to_range(match)
            if band is None:
                continue
            found = band if found is None else found.union(band)
            # Blank what was read so that a later, looser rule cannot read it again
            # ('Years 9-11' must not also count as the ages 9 to 11).
            start, end = match.span()
            normal = normal[:start] + " " * (end - start) + normal[end:]
    return found


def _normalise(text: str) -> str:
    text = text.lower()
    # En and em dashes, and minus signs, all mean 'to' in ranges.
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"\b(?:pre-?)?birth\b|\bnew-?borns?\b", "0", text)
    return re.sub(r"\s+", " ", text)


def _num(name: str) -> str:
    # One or two digits (a half allowed) that are not part of a time, a date, a price or a
    # phone number.
    return rf"(?<![\d:/.£])(?P<{name}>\d{{1,2}}(?:\.5)?)(?![\d:/]|\.\d)"


def _unit(name: str) -> str:
    # 's' as in 'under 5s'; 'y/o' as in '16 y/o'.
    return rf"(?:\s*(?P<{name}>months?|mths?|years?|yrs?|y/o|s)\b)?"


_TO = r"\s*(?:-|to|until|till)\s*"
_AGED = r"(?:(?:between\s+)?(?:the\s+)?ages?\s+(?:of\s+)?|aged\s+(?:between\s+)?|from\s+)?"
_SCHOOL_YEAR = r"(?:r|reception|\d{1,2})"


def _years(number: str, unit: str | None) -> float:
    value = float(number)
    if unit and unit.startswith("m"):
        return value / 12
    return value


def _make(low: float, high: float) -> AgeRange | None:
    if not 0 <= low <= high <= MAX_PLAUSIBLE_AGE:
        return None
    return AgeRange(low, high)


def _school_year(value: str) -> int:
    return RECEPTION_YEAR if value in ("r", "reception") else int(value)


def _school_years(first: int, last: int) -> AgeRange | None:
    if not RECEPTION_YEAR <= first <= last <= 14:
        return None
    return AgeRange(*ages_in_school_years(first, last))


def _from_school_years(m: re.Match[str]) -> AgeRange | None:
    return _school_years(_school_year(m["first"]), _school_year(m["last"] or m["first"]))


# Key stages by their first and last school years.
_KEY_STAGES = {"1": (1, 2), "2": (3, 6), "3": (7, 9), "4": (10, 11), "5": (12, 13)}


def _from_key_stages(m: re.Match[str]) -> AgeRange | None:
    return _school_years(_KEY_STAGES[m["first"]][0], _KEY_STAGES[m["last"] or m["first"]][1])


def _from_range(m: re.Match[str]) -> AgeRange | None:
    # '6 months - 4 years': each end has its own unit. In '0-18 months' the unit at the end is
    # shared; in '0-5 years' sharing it changes nothing.
    high_unit = m["high_unit"]
    low_unit = m["low_unit"] or (high_unit if high_unit and high_unit.startswith("m") else None)
    return _make(_years(m["low"], low_unit), _years(m["high"], high_unit))


def _from_plus(m: re.Match[str]) -> AgeRange | None:
    low = _years(m["n"], m["unit"])
    return _make(low, max(low, LOCAL_OFFER_MAX))


def _from_under(m: re.Match[str]) -> AgeRange | None:
    # Under 5: not yet 5, so up to 4; under 18 months: up to 17 months.
    unit = m["unit"]
    step = 1 / 12 if unit and unit.startswith("m") else 1.0
    return _make(LOCAL_OFFER_MIN, _years(m["n"], unit) - step)


def _from_up_to(m: re.Match[str]) -> AgeRange | None:
    return _make(LOCAL_OFFER_MIN, _years(m["n"], m["unit"]))


def _from_single(m: re.Match[str]) -> AgeRange | None:
    age = _years(m["n"], m["unit"])
    return _make(age, age)


def _band(low: float, high: float) -> Callable[[re.Match[str]], AgeRange | None]:
    band = AgeRange(float(low), float(high))
    return lambda _match: band


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], AgeRange | None]]

# Tried in order, the most specific forms first: each rule blanks what it read, so looser rules
# later in the list only see what is left.
_RULES: tuple[_Rule, ...] = (
    # 'Year 7 to Year 11', 'Years 9-11', 'Reception to Year 6'. Not 'years' straight after a
    # number: in '0-5 years 5-11 years' the second 5 is an age, not Year 5.
    (
        re.compile(
            rf"(?<!\d)(?<!\d\s)\b(?:(?:school\s+)?years?\s*|(?=reception))(?P<first>{_SCHOOL_YEAR})\b"
            rf"(?:{_TO}(?:years?\s*)?(?P<last>{_SCHOOL_YEAR})\b)?"
        ),
        _from_school_years,
    ),
    (
        re.compile(
            r"\b(?:key\s*stages?|ks)\s*(?P<first>[1-5])\b"
            r"(?:\s*(?:-|to|and|&)\s*(?:key\s*stage\s*|ks)?(?P<last>[1-5])\b)?"
        ),
        _from_key_stages,
    ),
    (re.compile(r"\bpost[\s-]?16\b"), _band(16, LOCAL_OFFER_MAX)),
    (re.compile(rf"{_AGED}{_num('low')}{_unit('low_unit')}{_TO}{_num('high')}{_unit('high_unit')}"), _from_range),
    (
        re.compile(
            rf"{_AGED}{_num('n')}{_unit('unit')}\s*"
            r"(?:\+|plus\b|(?:and|or)\s+(?:over|above|older|upwards)\b|upwards\b|onwards\b)"
        ),
        _from_plus,
    ),
    # '12 months and under', '5 or younger': the named age is included.
    (
        re.compile(rf"{_AGED}{_num('n')}{_unit('unit')}\s*(?:and|or)\s+(?:under|below|younger)\b"),
        _from_up_to,
    ),
    # Everyday UK usage: 'over 18s' includes 18-year-olds.
    (re.compile(rf"\b(?:over|above|older\s+than)[\s-]+(?:the\s+age\s+of\s+)?{_num('n')}{_unit('unit')}"), _from_plus),
    (
        re.compile(
            rf"\b(?:under|below|younger\s+than|less\s+than)[\s-]+(?:the\s+age\s+of\s+|age\s+)?{_num('n')}{_unit('unit')}"
        ),
        _from_under,
    ),
    (
        re.compile(
            rf"\b(?:up\s*to|up\s+until|until|till)\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?{_num('n')}{_unit('unit')}"
        ),
        _from_up_to,
    ),
    (re.compile(rf"\b(?:ages?|aged)\s+{_num('n')}{_unit('unit')}"), _from_single),
    (re.compile(rf"{_num('n')}\s*(?P<unit>months?|years?|yrs?)\b"), _from_single),
    (re.compile(r"\ball\s+ages\b"), _band(LOCAL_OFFER_MIN, LOCAL_OFFER_MAX)),
    (re.compile(r"\bearly\s+years\b|\bpre-?school\b"), _band(0, 5)),
    (re.compile(r"\bprimary\b"), _band(5, 11)),
    (re.compile(r"\bsecondary\b"), _band(11, 16)),
    (re.compile(r"\bbab(?:y|ies)\b"), _band(0, 1)),
    (re.compile(r"\btoddlers?\b"), _band(1, 3)),
    (re.compile(r"\bteen(?:ager)?s\b"), _band(13, 19)),
    (re.compile(r"\byoung\s+adults?\b"), _band(18, LOCAL_OFFER_MAX)),
)
