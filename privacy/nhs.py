"""NHS numbers: ten digits, usually written 3-3-4 ('943 476 5919'), the last one a check digit.

A number that passes the check is taken as an NHS number wherever it appears. Near the word
'NHS' any ten-digit number is taken, because people mistype them and a mistyped NHS number is
still mostly someone's NHS number. A ten-digit number that starts with 0 and is not near 'NHS'
is left to the phone number rules: NHS numbers do not start with 0, landlines do.
"""

from __future__ import annotations

import re

from privacy.spans import Span

# Ten digits, each pair separated by at most one space or dash, not part of a longer number.
_TEN_DIGITS = re.compile(r"(?<![\d])(?<!\d[ -])\d(?:[ -]?\d){9}(?![ -]?\d)")
_NHS_CUE = re.compile(r"\bnhs\b", re.IGNORECASE)
# How far (in characters) the word 'NHS' may be from the number: 'NHS no. is' and 'NHS number:' fit.
_CUE_WINDOW = 40
_WEIGHTS = range(10, 1, -1)


def is_valid_nhs_number(digits: str) -> bool:
    """Whether ten digits pass the NHS modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], _WEIGHTS, strict=True)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])  # a check digit of 10 means no valid number


def find_nhs_numbers(text: str) -> list[Span]:
    """Every NHS number in the text (see the module docstring for what counts)."""
    found = []
    for match in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        before = text[max(0, match.start() - _CUE_WINDOW) : match.start()]
        after = text[match.end() : match.end() + _CUE_WINDOW]
        cued = bool(_NHS_CUE.search(before) or _NHS_CUE.search(after))
        if cued or (is_valid_nhs_number(digits) and not digits.startswith("0")):
            found.append(Span(match.start(), match.end(), "nhs_number"))
    return found
