"""Postcodes and street addresses.

Full postcodes ('GL5 1AA', 'gl51 9ab', 'GL51AA') are always taken: one covers only a street or part of one.
Decision: an outward code on its own ('GL5', 'the GL5 area') is left as it is. It covers a whole
town or district, so it identifies no one, and the assistant can use it to find nearby services.
Town and district names are left for the same reason.

An address is a house number and a street: '12 Acacia Road', 'flat 3, 45 high st'. Street types
that are also everyday words ('walk', 'view', 'park', 'close') count only when the street is
written with capitals ('14 Orchard Close'), so '3 kids walk to school' stays as it is.
House names without a number ('Rose Cottage') are not found.
"""

from __future__ import annotations

import re

from privacy.name_words import FUNCTION_WORDS
from privacy.spans import Span
from vocabulary.words import word_set

# The UK's postcode areas; a letter-digit pair outside them ('Y9', 'KS2') is not a postcode.
_AREAS = word_set(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX "
    "FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N "
    "NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF "
    "TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
)
# Area letters, district, then the inward code, whose letters never include C, I, K, M, O or V.
# The area is checked against the list afterwards: one long alternation here is four times slower.
_POSTCODE = re.compile(r"\b(?P<area>[A-Z]{1,2})\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)

_STRONG_STREET_TYPES = (
    "road|rd|street|st|avenue|ave|lane|ln|crescent|cres|gardens|gdns|terrace|tce|mews|grove|boulevard"
)
_WEAK_STREET_TYPES = (
    "close|way|walk|view|park|end|green|hill|rise|row|place|court|drive|square|fields?|meadows?|vale|croft"
    "|parade|wharf|yard|dr|ct|cl|pl|sq"
)
_ADDRESS = re.compile(
    r"(?P<flat>\b(?:flat|apartment|apt|unit)\s*\d{1,4}[a-z]?\s*,?\s*)?"
    r"(?<![\w£$.,/])(?P<number>\d{1,4}[a-z]?(?:-\d{1,4}[a-z]?)?),?\s+"
    r"(?P<street>(?:[A-Za-z][A-Za-z'’.\-]*\s+){1,3})"
    rf"(?P<type>{_STRONG_STREET_TYPES}|{_WEAK_STREET_TYPES})\b\.?",
    re.IGNORECASE,
)
_STRONG = re.compile(rf"(?:{_STRONG_STREET_TYPES})\.?", re.IGNORECASE)


def find_postcodes(text: str) -> list[Span]:
    """Every full UK postcode in the text (outward codes alone are kept: see the module docstring)."""
    return [Span(m.start(), m.end(), "postcode") for m in _POSTCODE.finditer(text) if m.group("area").upper() in _AREAS]


def find_addresses(text: str) -> list[Span]:
    """Every house number and street in the text, with any flat number before it."""
    found: list[Span] = []
    if not any(ch.isdigit() for ch in text):
        return found
    for match in _ADDRESS.finditer(text):
        words = match.group("street").split()
        if any(word.lower() in FUNCTION_WORDS for word in words):
            continue  # '2 kids at the park' is not an address
        strong = _STRONG.fullmatch(match.group("type")) is not None
        if not strong and not all(word[0].isupper() for word in words):
            continue
        found.append(Span(match.start(), match.end(), "address"))
    return found
