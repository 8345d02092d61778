"""The retrieval evaluation question set (bench/eval/questions.yml): its models, loader and page references.

Each question carries the pages of the demo snapshot that answer it, written as ``advice/<id>`` or
``service/<id>``. The indexed URLs end with ``advice.page?id=<id>`` or ``service.page?id=<id>``, so a
scorer matches a retrieved URL against :func:`page_ref_to_url_suffix` of each label.
"""

from __future__ import annotations

import re
from pathlib import Path

# types-PyYAML is listed in requirements/app.in but not yet locked into app.txt; the second code
# keeps this line valid once the stubs are installed.
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from vocabulary.audiences import Audience

DEFAULT_PATH = Path(__file__).resolve().parent / "eval" / "questions.yml"

UNANSWERABLE_TOPIC = "unanswerable"

# kb5 page ids in the snapshot are lower-case words joined by hyphens.
_PAGE_REF = re.compile(r"(?P<kind>advice|service)/(?P<page_id>[a-z0-9]+(?:-[a-z0-9]+)*)")

# Pages that are in the snapshot to exercise the crawler and extractor, not to answer questions.
# The set does not label them; a scorer may count a hit on a byte copy as a hit on its original.
TROUBLE_PAGES = frozenset(
    {
        "advice/sen-support-copy",
        "advice/flaky-page-example",
        "advice/malformed-html-example",
        "advice/windows-1252-example",
    }
)
COPY_OF = {"advice/sen-support-copy": "advice/sen-support"}


class EvalSetError(ValueError):
    """The question file cannot be read or breaks one of the set's rules."""


def _check_page_ref(ref: str) -> str:
    if not _PAGE_REF.fullmatch(ref):
        raise ValueError(f"malformed page reference {ref!r}: expected 'advice/<id>' or 'service/<id>'")
    return ref


def _normalised(text: str) -> str:
    # Two questions that differ only in case or spacing are the same question to a search engine.
    return " ".join(text.casefold().split())


class EvalQuestion(BaseModel):
    """One question and every snapshot page that answers it (none for an unanswerable question)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str
    topic: str
    answers: tuple[str, ...]
    audience: Audience

    @field_validator("q")
    @classmethod
    def _q_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question text is empty")
        return value

    @field_validator("answers")
    @classmethod
    def _answers_well_formed(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for ref in value:
            _check_page_ref(ref)
        if len(set(value)) != len(value):
            raise ValueError(f"a page is listed twice in {list(value)}")
        return value

    @property
    def answerable(self) -> bool:
        """Whether any page in the snapshot answers the question."""
        return bool(self.answers)


class EvalSet(BaseModel):
    """The whole set: a fixed list of topics and the questions, each filed under one of them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topics: tuple[str, ...]
    questions: tuple[EvalQuestion, ...]

    @model_validator(mode="after")
    def _consistent(self) -> EvalSet:
        if len(set(self.topics)) != len(self.topics):
            raise ValueError("a topic is listed twice in 'topics'")
        known = set(self.topics)
        seen: dict[str, str] = {}
        for question in self.questions:
            if question.topic not in known:
                raise ValueError(f"unknown topic {question.topic!r} in question {question.q!r}")
            # The topic and the empty answer list must agree, or the answerable/unanswerable
            # split would silently disagree with how the question was filed.
            if (question.topic == UNANSWERABLE_TOPIC) == question.answerable:
                raise ValueError(
                    f"question {question.q!r}: topic {UNANSWERABLE_TOPIC!r} is for, and only for, "
                    "questions with no answers"
                )
            key = _normalised(question.q)
            if key in seen:
                raise ValueError(f"duplicate question text {question.q!r} (same as {seen[key]!r})")
            seen[key] = question.q
        return self

    @property
    def answerable(self) -> tuple[EvalQuestion, ...]:
        """Questions that at least one snapshot page answers."""
        return tuple(question for question in self.questions if question.answerable)

    @property
    def unanswerable(self) -> tuple[EvalQuestion, ...]:
        """Questions that nothing in the snapshot answers; a good assistant says it does not know."""
        return tuple(question for question in self.questions if not question.answerable)

    def page_refs(self) -> frozenset[str]:
        """Every page reference used as a label anywhere in the set."""
        return frozenset(ref for question in self.questions for ref in question.answers)


def load_eval_set(path: Path = DEFAULT_PATH) -> EvalSet:
    """Read and validate the question file; raise :class:`EvalSetError` saying what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalSetError(f"{path}: cannot read the question file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise EvalSetError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise EvalSetError(f"{path}: expected a mapping with 'topics' and 'questions'")
    try:
        return EvalSet.model_validate(data)
    except ValidationError as exc:
        raise EvalSetError(f"{path}: {exc}") from exc


def page_ref_to_url_suffix(ref: str) -> str:
    """Map ``advice/x`` to ``advice.page?id=x`` and ``service/x`` to ``service.page?id=x``."""
    match = _PAGE_REF.fullmatch(ref)
    if match is None:
        raise ValueError(f"malformed page reference {ref!r}: expected 'advice/<id>' or 'service/<id>'")
    return f"{match['kind']}.page?id={match['page_id']}"
