"""Who is writing: whether the writer speaks of themself as a young person (14-25), and who they say they are.

Conservative, because it changes how the bot speaks. Never when the message speaks of the
writer's child ('my son', 'our lad', 'my 7 year old', 'she's 16'). Otherwise true when the writer
states their own age as 14-25 ('im 17'; 'I'm 12' and 'I'm 35' are false), or speaks of their own
college, apprenticeship, school year or EHCP ("can i get help at college", "I'm in year 12", "I
want to change my EHCP") with no age outside 14-25 and no 'he', 'she' or 'her' anywhere. 'Can I
get ...' alone is not enough: parents write it too.

Separately, a writer may name what they are ("I'm a mum", "im a young person", "as a foster
carer"), in the words of :data:`vocabulary.audiences.AUDIENCE_WORDS`: that is the audience the
dialogue keeps for the rest of the conversation, so it is read only from those plain statements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from knowledge_base.understanding.ages import Age
from knowledge_base.understanding.matches import HYPHEN, NUM, OLD, Found, Pattern, plain_pattern
from vocabulary.ages import MONTH_WORDS, YEAR_WORDS, YOUNG_PERSON_AGES
from vocabulary.audiences import AUDIENCE_WORDS, AUDIENCES, CHILD_WORDS, Audience

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Where a young person goes or has a plan: "I'm at college", "can I get help at college", "my EHCP".
_SETTINGS: Final = (
    "college",
    "sixth form",
    "6th form",
    "uni",
    "university",
    "apprenticeship",
    "supported internship",
    "internship",
    "traineeship",
)
_SETTING_LEADS: Final = (
    "at",
    "to",
    "in",
    "from",
    "my",
    "leave",
    "leaving",
    "left",
    "start",
    "starting",
    "started",
    "finish",
    "finishing",
    "doing",
    "attend",
    "attending",
)


def patterns(nlp: Any) -> dict[str, list[Pattern]]:
    """Token patterns for the writer's child, their own setting and their own plan."""
    mine: dict[str, Any] = {"LOWER": {"IN": ["my", "our"]}}
    setting_patterns: list[Pattern] = [
        [
            {"LOWER": {"IN": list(_SETTING_LEADS)}},
            {"LOWER": {"IN": ["a", "an", "the"]}, "OP": "?"},
            *plain_pattern(nlp, setting),
        ]
        for setting in _SETTINGS
    ]
    # "I'm in year 12": whether that is a young person depends on the age it implies.
    setting_patterns.append([{"LOWER": "in"}, {"LOWER": {"IN": ["year", "yr"]}}, NUM])
    return {
        **_self_description_patterns(nlp),
        # 'my son', 'our youngest daughter', 'my little one', 'my 7 year old'.
        "child|": [
            [mine, {"LOWER": {"IN": list(CHILD_WORDS)}}],
            [mine, {"IS_ALPHA": True}, {"LOWER": {"IN": list(CHILD_WORDS)}}],
            [mine, {"LOWER": "little"}, {"LOWER": "one"}],
            [mine, NUM, HYPHEN, {"LOWER": {"IN": sorted(YEAR_WORDS | MONTH_WORDS)}}, HYPHEN, OLD],
            [mine, {"LOWER": {"REGEX": r"^\d{1,2}(?:yo|y/o|yrs?|y|mths?)$"}}],
        ],
        "setting|": setting_patterns,
        "plan|": [
            # Not 'my plan' alone: a parent writes "my plan is to move to Stroud".
            [{"LOWER": "my"}, {"LOWER": {"IN": ["ehcp", "ehc", "ehcps"]}}],
            [{"LOWER": "my"}, {"LOWER": "annual"}, {"LOWER": "review"}],
            [{"LOWER": "my"}, *plain_pattern(nlp, "education health and care plan")],
        ],
    }


# How a writer names what they are: "I'm a mum", "im a young person", "I am the dad", "as a carer".
_SELF_LEADS: Final[tuple[Pattern, ...]] = (
    [{"LOWER": "i"}, {"LOWER": {"IN": ["'m", "’m", "m", "am"]}}],
    [{"LOWER": {"IN": ["im", "iam"]}}],
    [{"LOWER": "as"}],
)


def _self_description_patterns(nlp: Any) -> dict[str, list[Pattern]]:
    article: dict[str, Any] = {"LOWER": {"IN": ["a", "an", "the"]}}
    return {
        f"self|{audience}": [
            [*lead, article, *plain_pattern(nlp, word)]
            for lead in _SELF_LEADS
            for word in (audience.replace("_", " "), *AUDIENCE_WORDS[audience])
        ]
        for audience in AUDIENCES
    }


def self_described(found: Found) -> Audience | None:
    """The audience the writer says they belong to ('I'm a mum': parent), the last one named; None when unsaid."""
    named = {span.label_.partition("|")[2]: span.start for span in found.self_described}
    return max((audience for audience in AUDIENCES if audience in named), key=named.__getitem__, default=None)


_THIRD_PERSON: Final = frozenset({"he", "she", "him", "his", "her", "hers"})


def is_young_person(doc: Doc, found: Found, ages: list[Age], mentions_child: bool, age: float | None) -> bool:
    """Whether the writer is a young person (see the module docstring)."""
    if mentions_child:
        return False
    low, high = YOUNG_PERSON_AGES
    own_ages = [a.years for a in ages if a.first_person]
    if own_ages:
        return low <= own_ages[0] <= high
    if age is not None and not low <= age <= high:
        return False
    # Without their own age, the writer must not be talking about someone else at all.
    if any(token.lower_ in _THIRD_PERSON for token in doc):
        return False
    if found.plans and any(token.lower_ == "i" for token in doc):
        return True
    # The setting and the 'I' must share a sentence: "I'm at college", "can i get help at college".
    return any(any(token.lower_ == "i" for token in span.sent) for span in found.settings)
