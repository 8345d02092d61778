"""SEND words and abbreviations explained in plain English.

``load_glossary()`` reads and checks terms.yml. ``Glossary.find(question)`` gives the entry a question
asks about, or None; ``Glossary.terms_in(passage)`` gives every entry a passage uses.
"""

from glossary.lookup import DEFAULT_PATH, Glossary, GlossaryError, load_glossary
from glossary.models import GlossaryEntry

__all__ = ["DEFAULT_PATH", "Glossary", "GlossaryEntry", "GlossaryError", "load_glossary"]
