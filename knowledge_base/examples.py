"""Questions each page answers, in families' own words: a second way for a question to find its page.

A passage and a family's message are written in different words ('ask the council for an EHC
needs assessment' against 'can parents apply for an EHCP themselves'), and the embedding model
does not always bridge them. A question someone else asked, already known to be answered by a
page, usually does: two families' questions are closer to each other than either is to the
page. So the build embeds these example questions beside the passages, and search lifts a page
when the message is close to one of its examples (``search.EXAMPLE_WEIGHT``).

Two files beside this module hold them, grouped by page:

- ``example_questions.yml``: families' messages from evaluation sets that have been read (never
  from a blind set), regenerated from them by ``python -m bench examples``;
- ``page_questions.yml``: questions written by reading each page, in the ways families, young
  people and professionals type (plain, first person, terse, typos), so that every page has some,
  including the pages no evaluation message asked about. Local Offer editors add to this one by
  hand when they add or rewrite a page.

A page the build does not hold (left out, or gone from the site) simply loses its examples.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

EXAMPLES_FILE = Path(__file__).with_name("example_questions.yml")
PAGE_QUESTIONS_FILE = Path(__file__).with_name("page_questions.yml")


class PageExamples(BaseModel):
    """One page (an address or its ending, e.g. 'advice.page?id=appeals') and questions it answers."""

    page: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)


class ExampleQuestions(BaseModel):
    source: str = ""
    pages: list[PageExamples] = []


def load_examples(path: Path = EXAMPLES_FILE) -> ExampleQuestions:
    """The example questions, or none when the file does not exist."""
    if not path.is_file():
        return ExampleQuestions()
    return ExampleQuestions.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def load_all_examples(paths: Iterable[Path] = (EXAMPLES_FILE, PAGE_QUESTIONS_FILE)) -> ExampleQuestions:
    """Every file's examples together, in file order (a question in two files counts once per page)."""
    loaded = [load_examples(path) for path in paths]
    return ExampleQuestions(
        source="; ".join(e.source for e in loaded if e.source), pages=[page for e in loaded for page in e.pages]
    )


def resolve(examples: ExampleQuestions, doc_urls: Iterable[str]) -> list[tuple[str, str]]:
    """(question, page address) for every example whose page is in the build, in file order.

    A page is named by its address or the address's ending, so the same file serves the demo
    snapshot and the live site.
    """
    urls = sorted(set(doc_urls))
    found: list[tuple[str, str]] = []
    for entry in examples.pages:
        matches = [url for url in urls if url == entry.page or url.endswith(entry.page)]
        if len(matches) != 1:
            continue
        found.extend((question, matches[0]) for question in entry.questions)
    return list(dict.fromkeys(found))
