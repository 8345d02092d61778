from __future__ import annotations

import pytest

from ingestion.models import ServiceRecord
from ingestion.needs import needs_of


@pytest.mark.parametrize(
    ("provision", "description", "needs"),
    [
        ("Autism; parent and family support", "", ("autism",)),
        ("ADHD", "Workshops for parents of children with ADHD.", ("adhd",)),
        ("Speech, language and communication", "", ("speech and language",)),
        ("Social, emotional and mental health", "A calm space for anxious teenagers.", ("semh",)),
        ("Specific learning difficulties", "Help for children with dyslexia.", ("dyslexia",)),
        ("Hearing and vision", "For deaf children and children with a visual impairment.", ("sensory",)),
        ("Physical disability", "Wheelchair-accessible sessions.", ("physical",)),
        ("Learning disability", "For young people with Down syndrome.", ("learning disability",)),
        ("Autism and ADHD", "", ("autism", "adhd")),
        ("Holiday activities", "Fun days out for families.", ()),
    ],
)
def test_needs_named_by_a_record(provision: str, description: str, needs: tuple[str, ...]) -> None:
    record = ServiceRecord(name="Example Group (example)", provision_type=provision, description=description)
    assert needs_of(record) == needs


def test_needs_match_word_starts_only() -> None:
    # 'classic' contains 'asc'; 'basd' contains 'asd': neither is autism.
    assert needs_of(ServiceRecord(name="Classic car club (example)", description="basd")) == ()
