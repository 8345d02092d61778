"""Who the assistant speaks to, and the words people use for themselves and their children.

The widget sets the audience: 'young_person' on the Future Me (preparing for adulthood) pages,
'parent' everywhere else. Every layer (gateway, app store, knowledge base, actions, bench) uses
this one type.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal, get_args

Audience = Literal["parent", "young_person"]
AUDIENCES: Final[tuple[Audience, ...]] = get_args(Audience)

# Audience -> what people call themselves ('I'm a foster carer', 'as a student').
AUDIENCE_WORDS: Final = MappingProxyType(
    {
        "parent": ("mum", "mom", "dad", "mother", "father", "carer", "parent carer", "foster carer", "guardian"),
        "young_person": ("young person", "student", "teenager", "young adult"),
    }
)

# Words for the writer's child: 'my son', 'our youngest daughter', 'my 7 year old ... the twins'.
CHILD_WORDS: Final = (
    "son",
    "sons",
    "daughter",
    "daughters",
    "child",
    "children",
    "kid",
    "kids",
    "lad",
    "boy",
    "boys",
    "girl",
    "girls",
    "grandson",
    "granddaughter",
    "grandchild",
    "grandchildren",
    "stepson",
    "stepdaughter",
    "ds",
    "dd",
    "twins",
    "baby",
    "toddler",
)
