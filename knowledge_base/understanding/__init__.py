"""Read search filters out of a family's message: districts, the child's age, SEND needs, and who is writing.

"autism group in cheltnam for my 7 year old" gives Cheltenham, 7 and autism. Rules, not a trained
model: messages are short, the vocabulary is small, and every result can be explained ("you
mentioned Cheltnam"). One module per concern, each with its conventions:

- :mod:`~knowledge_base.understanding.places`: districts, towns and place words that are also everyday words;
- :mod:`~knowledge_base.understanding.ages`: ages, school years and stages;
- :mod:`~knowledge_base.understanding.needs`: SEND need groups;
- :mod:`~knowledge_base.understanding.writer`: whether a young person is writing about themself;
- :mod:`~knowledge_base.understanding.reader`: the spaCy pipeline, its matchers and the misspelling test.

The words come from :mod:`vocabulary`. The pipeline is built once per process, on first use
(see :func:`warm_up`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from knowledge_base.understanding.ages import choose_age, read_ages
from knowledge_base.understanding.matches import Found
from knowledge_base.understanding.needs import read_needs
from knowledge_base.understanding.places import read_places
from knowledge_base.understanding.reader import reader
from knowledge_base.understanding.writer import is_young_person, self_described
from vocabulary.audiences import Audience

__all__ = ["MAX_CHARS", "QueryFacts", "understand", "warm_up"]

# Longer text is not a question typed into a chat box; reading only the start keeps one call cheap.
MAX_CHARS: Final = 5000


@dataclass(frozen=True)
class QueryFacts:
    """What a message says about the family's district, the child's age and needs, and the writer."""

    districts: tuple[str, ...]  # canonical district names, as in vocabulary.places.DISTRICTS, first named first
    age: float | None  # the child's or young person's age in years, when stated or implied
    needs: tuple[str, ...]  # need groups of vocabulary.needs.NEEDS, first named first
    young_person: bool  # the writer speaks of themself as a young person (14-25)
    ambiguous_places: tuple[str, ...]  # words that may be a place but not one district ('glos'), as written
    places: tuple[str, ...]  # the place words matched, as written, for explanations ('cheltnam')
    audience: Audience | None = None  # who the writer says they are ("I'm a mum"); None when they do not say


def understand(text: str) -> QueryFacts:
    """Read districts, the child's or young person's age, need groups and the writer from one message.

    See the modules of this package for the conventions. Never raises on odd input; an empty
    message gives empty facts.
    """
    pipeline = reader()
    doc = pipeline.nlp(text[:MAX_CHARS])
    found = Found()
    for span in pipeline.matches(doc):
        found.add(span)
    districts, places, ambiguous = read_places(doc, found.places)
    ages = read_ages(found.ages)
    mentions_child = bool(found.child) or any(age.about_child for age in ages)
    age = choose_age(ages, mentions_child)
    return QueryFacts(
        districts=districts,
        age=age,
        needs=read_needs(doc, found.needs),
        young_person=is_young_person(doc, found, ages, mentions_child, age),
        ambiguous_places=ambiguous,
        places=places,
        audience=self_described(found),
    )


def warm_up() -> None:
    """Build the pipeline now, so that the first message is not slow (about 3 s with spaCy's import).

    Call it inside the serving process, not before it forks: spaCy imports torch.
    """
    reader()
