"""The 'you said, we did' export: content-gap topics shaped for the council's publication.

The council publishes families' comments on its Local Offer with its response. Each row is one
topic: what families asked (redacted examples), how often and when, what the assistant could
do, the nearest page, and two empty columns for editors to fill in: what we did, and when.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from insights.content_gaps import GapsReport
from insights.topics import Topic

COLUMNS = [
    "you_said",
    "examples",
    "times_asked",
    "marked_unhelpful",
    "first_week",
    "last_week",
    "what_the_assistant_did",
    "nearest_page",
    "nearest_page_address",
    "we_did",
    "date_done",
]
OUTCOME_WORDS = {
    "tentative": "answered without confidence",
    "not_sure": "not sure",
    "out_of_scope": "found nothing in the Local Offer",
    "answer": "answered",
    "answer_and_signpost": "answered and signposted to SENDIASS",
    "handoff": "handed to SENDIASS",
    "fallback": "asked a question back",
}


def outcome_words(topic: Topic) -> str:
    return "; ".join(f"{OUTCOME_WORDS.get(code, code)} ({count})" for code, count in topic.outcomes)


def active_weeks(topic: Topic, weeks: list[date]) -> tuple[date | None, date | None]:
    asked = [week for week, count in zip(weeks, topic.weekly, strict=True) if count]
    return (asked[0], asked[-1]) if asked else (None, None)


def _cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: never let a family's words run as one.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def publication_csv(report: GapsReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for topic in report.topics:
        first, last = active_weeks(topic, report.weeks)
        writer.writerow(
            [
                _cell(topic.label),
                _cell(" | ".join(topic.examples)),
                str(topic.count),
                str(topic.unhelpful),
                first.isoformat() if first else "",
                last.isoformat() if last else "",
                outcome_words(topic),
                _cell(topic.nearest_page[1]) if topic.nearest_page else "",
                topic.nearest_page[0] if topic.nearest_page else "",
                "",
                "",
            ]
        )
    return out.getvalue()
