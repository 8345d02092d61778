"""Redaction of personal identifiers from families' messages, before anything is stored or logged.

>>> redact("my son Jack (dob 03/04/2015) - call me on 07700 900123").text
'my son [name] (dob [date of birth]) - call me on [phone number]'
"""

from privacy.contacts import public_numbers
from privacy.guard import IdentifierGuard
from privacy.redaction import PLACEHOLDERS, Redaction, redact, warm_up
from privacy.spans import Span

__all__ = ["PLACEHOLDERS", "IdentifierGuard", "Redaction", "Span", "public_numbers", "redact", "warm_up"]
