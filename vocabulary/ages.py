"""Age words: the range the Local Offer covers, number words, school years and stages.

School years. A child in Year N is N+4 when the school year starts in September and turns N+5
during it, so Year N covers ages N+4 to N+5; Reception is Year 0 (4 to 5). A question about one
year group ('in year 7') is read as the age the whole group shares in the autumn term, N+4:
service age ranges are inclusive whole years ('11-13' includes a 13-year-old), so N+4.5 would
wrongly fall outside a range ending at N+4. A published range of years ('Year 7 to Year 11') is
read as all the ages its pupils pass through, N+4 of the first to N+5 of the last (11 to 16).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# The Local Offer covers birth to 25 (SEND Code of Practice 0-25).
LOCAL_OFFER_MIN: Final = 0.0
LOCAL_OFFER_MAX: Final = 25.0
# Larger numbers are not anyone's age (a year, a count, a price).
MAX_PLAUSIBLE_AGE: Final = 99.0
# Future Me, the county's preparing-for-adulthood pages, is for young people aged 14 to 25.
YOUNG_PERSON_AGES: Final = (14.0, 25.0)

RECEPTION_YEAR: Final = 0
_AGE_AT_START_OF_RECEPTION: Final = 4.0

# Number words people write for ages, zero to twenty, by value.
NUMBER_WORDS: Final = MappingProxyType(
    {
        word: float(value)
        for value, word in enumerate(
            (
                "zero",
                "one",
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "ten",
                "eleven",
                "twelve",
                "thirteen",
                "fourteen",
                "fifteen",
                "sixteen",
                "seventeen",
                "eighteen",
                "nineteen",
                "twenty",
            )
        )
    }
)

# Units of an age: '7 years', '18 months', '6 weeks' (and their short forms).
YEAR_WORDS: Final = frozenset({"year", "years", "yr", "yrs", "y"})
MONTH_WORDS: Final = frozenset({"month", "months", "mth", "mths", "mo", "mos"})
WEEK_WORDS: Final = frozenset({"week", "weeks", "wk", "wks"})

# Stage words and the age each implies, as a question reads them. 'Primary' and 'secondary' span
# five or more years, so they give no age; Reception is school year 0 (see age_in_school_year).
STAGE_AGES: Final = MappingProxyType(
    {
        "nursery": 3.0,
        "preschool": 3.0,
        "pre-school": 3.0,
        "sixth form": 16.0,
        "6th form": 16.0,
        "post 16": 16.0,
        "post-16": 16.0,
        "toddler": 2.0,
        "toddlers": 2.0,
        "baby": 0.0,
        "babies": 0.0,
        "newborn": 0.0,
    }
)


def age_in_school_year(year: float) -> float:
    """The age a whole year group shares in the autumn term: N+4 for Year N (4 for Reception)."""
    return year + _AGE_AT_START_OF_RECEPTION


def ages_in_school_years(first: int, last: int) -> tuple[float, float]:
    """The youngest and oldest ages of pupils in Years ``first`` to ``last``: N+4 to M+5."""
    return age_in_school_year(first), age_in_school_year(last) + 1.0
