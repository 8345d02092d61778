"""Notices for families who write in a language other than English.

The assistant answers only in English. When a message is in another language we know, the reply
starts with a short notice in that language saying so and giving SENDIASS's number for a free
interpreter, then the same notice in English::

    code = detect_language(message)
    if code is not None:
        prefix = bilingual_notice(code, settings.sendiass_phone)
"""

from language.detection import LanguageGuess, detect_language, guess_language, warm_up
from language.notices import SUPPORTED_LANGUAGES, bilingual_notice, english_notice, notice_for

__all__ = [
    "SUPPORTED_LANGUAGES",
    "LanguageGuess",
    "bilingual_notice",
    "detect_language",
    "english_notice",
    "guess_language",
    "notice_for",
    "warm_up",
]
