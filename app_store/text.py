"""Making a family's text safe and short enough to keep.

A text over the limit is redacted whole before it is cut. Cutting first could split a phone
number or an email address so that the detectors no longer recognise the half that is left.
"""

from __future__ import annotations

from privacy import PLACEHOLDERS, redact


def fit(text: str, limit: int, public: frozenset[str] = frozenset()) -> str:
    """``text`` if it is within ``limit`` characters; otherwise its redacted form cut to at most ``limit``.

    ``public``: helplines to keep (see :func:`privacy.redact`).
    """
    if len(text) <= limit:
        return text
    whole = redact(text, public).text
    cut = whole[:limit]
    # Half a placeholder ('[phone') would puzzle staff: drop it whole.
    start = cut.rfind("[")
    if start != -1 and "]" not in cut[start:] and any(whole.startswith(p, start) for p in PLACEHOLDERS.values()):
        cut = cut[:start].rstrip()
    return cut


def redacted(text: str, limit: int, public: frozenset[str]) -> str:
    """``text`` with personal identifiers replaced, at most ``limit`` characters long.

    Placeholders can be longer than what they replace, so the redacted text is fitted again.
    """
    return fit(redact(text, public).text, limit, public)
