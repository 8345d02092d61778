from __future__ import annotations

import pytest

from ingestion.urls import normalise_url

BASE = "https://www.glosfamiliesdirectory.org.uk/kb5/gloucs/glosfamilies/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"{BASE}advice.page?id=abc", f"{BASE}advice.page?id=abc"),
        (
            "https://WWW.GlosFamiliesDirectory.org.uk/kb5/gloucs/glosfamilies/advice.page;jsessionid=A1B2C3?id=abc",
            f"{BASE}advice.page?id=abc",
        ),
        (f"{BASE}advice.page?id=abc#who-can-ask", f"{BASE}advice.page?id=abc"),
        (f"{BASE}advice.page?utm_source=x&id=abc&sorttype=distance", f"{BASE}advice.page?id=abc"),
        (
            f"{BASE}results.page?term=autism&qt=&sorttype=distance&page=2",
            f"{BASE}results.page?page=2&qt=&term=autism",
        ),
        (
            f"{BASE}localoffer.page?localofferchannel=0&channel=localoffer",
            f"{BASE}localoffer.page?channel=localoffer&localofferchannel=0",
        ),
    ],
)
def test_normalise_url(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


def test_relative_links_resolve_against_the_page() -> None:
    page = f"{BASE}localoffer.page?localofferchannel=0"
    assert normalise_url("advice.page?id=sendiass", page) == f"{BASE}advice.page?id=sendiass"
