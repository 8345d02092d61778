"""Age ranges read from the free text of directory records, one case per form seen in the wild."""

from __future__ import annotations

import pytest

from ingestion.ages import AgeRange, parse_age_range


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("0-5 years", 0, 5),
        ("0 - 5", 0, 5),
        ("16 to 25", 16, 25),
        ("Ages 5 - 11", 5, 11),
        ("11-18yrs", 11, 18),
        ("11-18 yrs", 11, 18),
        ("13 - 19 years", 13, 19),
        ("0 to 11 years", 0, 11),
        ("8-12", 8, 12),
        ("0-25", 0, 25),
        ("5–11", 5, 11),  # en dash
        ("5—11 years", 5, 11),  # em dash
        ("from 11 to 19 years", 11, 19),
        ("5 to 11 year olds", 5, 11),
        ("16-19 year olds", 16, 19),
        ("Young people aged 16-24", 16, 24),
        ("Families with children and young people aged 0 to 25", 0, 25),
        ("Suitable for ages 4-7 (siblings welcome)", 4, 7),
        # Under N: not yet N.
        ("Under 5s", 0, 4),
        ("12 months and under", 0, 1),
        ("5 or younger", 0, 5),
        ("2 years and under", 0, 2),
        ("under 5", 0, 4),
        ("Under-5s", 0, 4),
        ("under 18 months", 0, 17 / 12),
        # Open upper ends close at the Local Offer's 25.
        ("18+", 18, 25),
        ("18 plus", 18, 25),
        ("Age 3+", 3, 25),
        ("14 years and over", 14, 25),
        ("14 and over", 14, 25),
        ("Over 18s", 18, 25),
        ("All ages", 0, 25),
        # Birth is age 0; 'up to' is inclusive.
        ("Birth to 5", 0, 5),
        ("birth - 5 years", 0, 5),
        ("Up to 25", 0, 25),
        ("up to 19 years", 0, 19),
        # Months as fractions of a year.
        ("6 months - 4 years", 0.5, 4),
        ("18 months to 5 years", 1.5, 5),
        ("0-18 months", 0, 1.5),
        # School years: Year N is N+4 to N+5; Reception is Year 0.
        ("Year 7 to Year 11", 11, 16),
        ("Reception to Year 6", 4, 11),
        ("Years 9-11", 13, 16),
        ("Year 6", 10, 11),
        ("KS2", 7, 11),
        ("Key Stage 3 and 4", 11, 16),
        # Named bands, as the Local Offer uses them.
        ("Primary school age", 5, 11),
        ("Secondary school age", 11, 16),
        ("Early years (0-5)", 0, 5),
        ("Post-16", 16, 25),
        ("Babies and toddlers", 0, 3),
        # Several bands: the range that covers them all.
        ("0-5 years, 5-11 years", 0, 11),
        ("0-5 years 5-11 years", 0, 11),
        ("Secondary (11-16); Post-16", 11, 25),
        ("Early years; Primary; Secondary; Post-16", 0, 25),
        ("aged 4", 4, 4),
    ],
)
def test_parses(text: str, low: float, high: float) -> None:
    band = parse_age_range(text)
    assert band is not None
    assert (band.min_years, band.max_years) == pytest.approx((low, high))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Adults",  # on a family directory: the parents who attend, not the child's age
        "Parents and carers",
        "Please contact the service",
        "Varies",
        "5",  # a lone number may be a count or a time
        "Wednesdays 9:30am to 11:30am",
        "Last updated 12/03/2026",
        "Call 01632 960123",
        "£5-10 per session",
        "11-5",  # backwards
    ],
)
def test_text_without_ages_gives_none(text: str) -> None:
    assert parse_age_range(text) is None


def test_age_range_rejects_impossible_bounds() -> None:
    with pytest.raises(ValueError, match="not an age range"):
        AgeRange(11, 5)
    with pytest.raises(ValueError, match="not an age range"):
        AgeRange(-1, 5)


def test_contains_is_inclusive_at_both_ends() -> None:
    band = AgeRange(5, 11)
    assert band.contains(5)
    assert band.contains(11)
    assert not band.contains(4)
    assert not band.contains(12)


@pytest.mark.parametrize(
    ("band", "words"),
    [
        (AgeRange(5, 11), "5 to 11"),
        (AgeRange(0.5, 4), "6 months to 4 years"),
        (AgeRange(1.5, 5), "18 months to 5 years"),
        (AgeRange(0, 1.5), "0 to 18 months"),
        (AgeRange(4, 4), "4"),
    ],
)
def test_describe_reads_as_words(band: AgeRange, words: str) -> None:
    assert band.describe() == words
