"""Phone numbers and email addresses typed into a message.

Phone numbers are found two ways. A plain rule takes any run of 10 or 11 digits (every UK number
has 10 or 11 digits once '+44' becomes '0'), including numbers not in service such as Ofcom's
drama range (07700 900xxx, 01632 960xxx), mistyped numbers and numbers missing the leading 0.
The ``phonenumbers`` library's PhoneNumberMatcher (Google's libphonenumber rules, region GB)
then looks at whatever digits are left, for numbers written in ways the rule does not expect.
The library is slow next to a regular expression (docs/performance.md), so it only sees those
leftovers.

Decision: the public helplines the assistant itself gives out (SENDIASS, the Front Door and the
others in the settings, ``Settings.public_phones``) are left as they are. They identify a service,
not a person, and a family saying "I rang SENDIASS last week" with the number tells SENDIASS staff
something useful. The list comes from the caller's settings, so a deployment that changes a number
changes it in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from phonenumbers import PhoneNumberMatcher

from privacy.spans import Span

_EMAIL = re.compile(r"(?<![\w.%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# Digits with at most a few separators between them: '07700 900123', '+44 (0)7700-900-123'.
# A slash is not a separator, so dates ('03/04/2015') never join up into a phone number.
_DIGIT_RUN = re.compile(r"(?<![\w])\+?\(?\d(?:[ \t.\-()]{0,3}\d)+(?![\w])")
_DIGIT_GROUP = re.compile(r"\d+")
# Looser than a digit run (slashes, wider gaps): where the library might still find a number.
_LEFTOVER_DIGITS = re.compile(r"\+?\(?\d(?:[\s./\-()]{0,4}\d)+")
_MATCHER_CONTEXT = 8
# The library is only worth calling when a message holds at least this many digits.
_MIN_PHONE_DIGITS = 6
_FALLBACK_LENGTHS = (10, 11)


def find_emails(text: str) -> list[Span]:
    """Every email address in the text."""
    if "@" not in text:
        return []
    return [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]


def public_numbers(phones: Iterable[str]) -> frozenset[str]:
    """Helplines as written in the settings ('0800 123 4567'), as the digits a detector compares."""
    return frozenset(national_digits(phone) for phone in phones)


def find_phone_numbers(text: str, public: frozenset[str] = frozenset()) -> list[Span]:
    """Every phone number in the text, except the ``public`` helplines (see :func:`public_numbers`)."""
    if sum(ch.isdigit() for ch in text) < _MIN_PHONE_DIGITS:
        return []
    runs = list(_fallback_numbers(text, public))
    found = [span for span, is_public in runs if not is_public]
    for region in _LEFTOVER_DIGITS.finditer(text):
        if sum(ch.isdigit() for ch in region.group()) < _MIN_PHONE_DIGITS:
            continue
        if any(span.start <= region.start() and region.end() <= span.end for span, _ in runs):
            continue
        # A little context either side lets the library see a '+' or a word like 'ext'.
        offset = max(0, region.start() - _MATCHER_CONTEXT)
        window = text[offset : region.end() + _MATCHER_CONTEXT]
        for match in PhoneNumberMatcher(window, "GB"):
            span = Span(offset + match.start, offset + match.end, "phone")
            known = national_digits(match.raw_string) in public
            if not known and not any(span.overlaps(other) for other in found):
                found.append(span)
    return sorted(found)


def national_digits(raw: str) -> str:
    """A number as it is dialled inside the UK: '+44 (0)1632 960123' becomes '01632960123'."""
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip("( ").startswith("+") and digits.startswith("44"):
        digits = digits[2:]
    elif digits.startswith("0044"):
        digits = digits[4:]
    else:
        return digits
    return digits if digits.startswith("0") else "0" + digits


def _fallback_numbers(text: str, public: frozenset[str]) -> Iterator[tuple[Span, bool]]:
    """Each run of 10 or 11 digits, and whether it is a public helpline."""
    for run in _DIGIT_RUN.finditer(text):
        whole = national_digits(run.group())
        if len(whole) in _FALLBACK_LENGTHS:
            yield Span(run.start(), run.end(), "phone"), whole in public
            continue
        groups = list(_DIGIT_GROUP.finditer(run.group()))
        # Two numbers written one after the other ('07700 900123 01632 960123') form one run:
        # take consecutive groups until they add up to a phone number's length.
        first = 0
        while first < len(groups):
            total = 0
            last = first
            while last < len(groups) and total < _FALLBACK_LENGTHS[0]:
                total += len(groups[last].group())
                last += 1
            if total not in _FALLBACK_LENGTHS:
                first += 1
                continue
            start = run.start() + (0 if first == 0 else groups[first].start())
            end = run.start() + groups[last - 1].end()
            yield Span(start, end, "phone"), national_digits(text[start:end]) in public
            first = last
