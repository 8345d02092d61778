"""Redaction of personal identifiers from families' messages, before anything is stored or logged.

>>> redact("my son Jack (dob 03/04/2015) - call me on 07700 900123").text
'my son [name] (dob [date of birth]) - call me on [phone number]'
"""

from privacy.redaction import PLACEHOLDERS, Redaction, redact, warm_up

__all__ = ["PLACEHOLDERS", "Redaction", "redact", "warm_up"]
