"""The shape of a glossary entry, and the limits that keep definitions short and plain."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

# GOV.UK content design for a reading age of 9 to 11: one or two short sentences.
MAX_DEFINITION_WORDS = 40
MAX_SENTENCE_WORDS = 25
MAX_SENTENCES = 2

# A page of the Local Offer, as "<kind>/<id>": advice/glossary is advice.page?id=glossary.
SEE_PATTERN = r"^(advice|service|site|localoffer)/[A-Za-z0-9_-]+$"

# A sentence ends at . ! or ? followed by a space or the end of the text.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a short plain-English text."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces."""
    return len(text.split())


def _check_plain(text: str, field: str) -> str:
    text = " ".join(text.split())  # YAML folded blocks leave stray spaces
    if not text:
        raise ValueError(f"{field} is empty")
    if word_count(text) > MAX_DEFINITION_WORDS:
        raise ValueError(f"{field} has {word_count(text)} words; the limit is {MAX_DEFINITION_WORDS}")
    parts = sentences(text)
    if len(parts) > MAX_SENTENCES:
        raise ValueError(f"{field} has {len(parts)} sentences; the limit is {MAX_SENTENCES}")
    for sentence in parts:
        if word_count(sentence) > MAX_SENTENCE_WORDS:
            raise ValueError(f"{field} has a sentence over {MAX_SENTENCE_WORDS} words: {sentence!r}")
    return text


class GlossaryEntry(BaseModel):
    """One SEND word or abbreviation, explained in plain English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(min_length=1, description="How the word is shown, e.g. 'SENCO' or 'EHC plan'.")
    aliases: tuple[str, ...] = Field(default=(), description="Abbreviations, other spellings, misspellings.")
    definition: str = Field(description="One or two plain sentences for parents and carers.")
    young_person: str | None = Field(default=None, description="A simpler version that speaks to 'you'.")
    see: str = Field(pattern=SEE_PATTERN, description="The snapshot page that explains more, e.g. 'advice/glossary'.")

    @field_validator("term")
    @classmethod
    def _term_is_trimmed(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("term is empty")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not alias.strip() for alias in value):
            raise ValueError("an alias is blank")
        return value

    @field_validator("definition")
    @classmethod
    def _definition_is_plain(cls, value: str) -> str:
        return _check_plain(value, "definition")

    @field_validator("young_person")
    @classmethod
    def _young_person_is_plain(cls, value: str | None) -> str | None:
        return None if value is None else _check_plain(value, "young_person")

    @property
    def see_page(self) -> str:
        """The kb5 link to the page that explains more, relative to the site: 'advice.page?id=glossary'."""
        kind, page_id = self.see.split("/", 1)
        param = "localofferchannel" if kind == "localoffer" else "id"
        return f"{kind}.page?{param}={page_id}"

    def text_for(self, young_person: bool = False) -> str:
        """The definition for the audience: the young person's version when there is one."""
        return self.young_person if young_person and self.young_person else self.definition


class GlossaryFile(BaseModel):
    """The whole of terms.yml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    everyday_words: tuple[str, ...] = Field(
        default=(), description="Aliases that are also ordinary English words, matched only with care."
    )
    entries: tuple[GlossaryEntry, ...]
