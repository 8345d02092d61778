"""The editors' insights on the running stack: a seeded month of synthetic conversations, played
through the gateway, Rasa and the action server, gives content-gap topics; the editors' pages pass
axe-core in Chromium; a screenshot of the content-gaps page goes to docs/images/ (when
SIGNPOST_REFRESH_DOC_IMAGES=1); in the widget,
'That didn't help' asks why and the reason is kept with the question.

The month is insights.seeding's: families mostly ask what the Local Offer answers, and two
subjects the demo snapshot has no page about are planted (the dentist; eye tests and glasses).
After playing, each conversation's logged turns are spread over the last 30 days (only the
question log is moved).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from app_store import AppStore
from insights.content_gaps import GapsReport, gaps_report
from insights.seeding import Played, seed_month
from knowledge_base.embedding import embed_texts
from settings import REPO_ROOT
from signposting.environment import settings_env
from tests.conftest import LiveStack
from tests.e2e.test_staff_browser import IMAGES, assert_accessible, browser  # noqa: F401  (fixture)
from tests.e2e.test_widget_browser import REPLY_TIMEOUT_MS, ask

pytestmark = pytest.mark.e2e

EDITOR = ("local.editor", "e2e editor password 3391")


@pytest.fixture(scope="module")
def seeded(live_stack: LiveStack) -> tuple[list[Played], GapsReport]:
    with AppStore(live_stack.settings.app_db_url) as store:
        played = seed_month(live_stack.gateway_url, store, datetime.now(UTC))
        report = gaps_report(store, live_stack.settings, datetime.now(UTC), embed_texts)
    return played, report


def conversations(played: list[Played], subject: str) -> set[str]:
    return {p.conversation_id for p in played if p.script.subject == subject}


def test_the_planted_questions_form_one_topic_not_mixed_with_answered_ones(
    seeded: tuple[list[Played], GapsReport], live_stack: LiveStack
) -> None:
    played, report = seeded
    dental, eyes, answered = (conversations(played, s) for s in ("dental", "eyes", "answered"))
    assert len(dental) == 10
    assert len(eyes) == 6
    # Most of what families asked was answered: not a gap, in no topic.
    with AppStore(live_stack.settings.app_db_url) as store:
        first_turns = {cid: store.turns_of(cid)[0] for cid in dental | eyes | answered}
    answered_well = [cid for cid in answered if not first_turns[cid].is_gap]
    print(f"answered without a gap: {len(answered_well)} of {len(answered)}")
    assert len(answered_well) >= len(answered) // 2
    # Every planted question is a gap: found nothing, not sure, or marked 'That didn't help'.
    assert all(first_turns[cid].is_gap for cid in dental), {cid: first_turns[cid] for cid in dental}
    for topic in report.topics:
        print(topic.count, topic.label, sorted({t.conversation_id[:8] for t in topic.turns}))
    [dental_topic] = [t for t in report.topics if {x.conversation_id for x in t.turns} & dental]
    members = {t.conversation_id for t in dental_topic.turns}
    assert members == dental, "every dental question in one topic, and nothing else in it"
    assert dental_topic is report.topics[0], "the biggest topic is the planted one"
    assert dental_topic.nearest_page is None or "dent" not in dental_topic.nearest_page[0]
    # Spread over the month: asked in at least four different weeks.
    assert sum(1 for count in dental_topic.weekly if count) >= 4
    # The other planted subject is a topic of its own, not mixed with the dentist or with answers.
    eye_topics = [t for t in report.topics if {x.conversation_id for x in t.turns} & eyes]
    assert eye_topics
    assert all({x.conversation_id for x in t.turns} <= eyes for t in eye_topics)
    assert sum(t.count for t in eye_topics) >= 4


@pytest.fixture(scope="module")
def editor_page(browser: Browser, live_stack: LiveStack, seeded: object) -> Iterator[Page]:  # noqa: F811
    created = subprocess.run(
        [sys.executable, "-m", "signposting", "staff", "create", EDITOR[0], "--role", "editor", "--password-stdin"],
        input=EDITOR[1] + "\n",
        env=settings_env(live_stack.settings),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_stack.gateway_url}/staff/login")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/editors/gaps")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the editors' pages: {errors}"


def test_the_editors_pages_are_accessible_and_the_gaps_page_is_pictured(
    editor_page: Page, live_stack: LiveStack
) -> None:
    main = editor_page.locator("main")
    assert "dentist" in main.inner_text()
    assert editor_page.locator("svg.insights-chart").count() == 1
    assert_accessible(editor_page, "content gaps")
    IMAGES.mkdir(parents=True, exist_ok=True)
    editor_page.screenshot(path=str(IMAGES / "editors-gaps.png"), full_page=True)
    for path, name in (
        ("/staff/editors/pages", "pages"),
        ("/staff/editors/exclusions", "excluded pages"),
        ("/staff/editors/you-said-we-did", "you said, we did"),
    ):
        editor_page.goto(f"{live_stack.gateway_url}{path}")
        assert_accessible(editor_page, name)
    # The exclusion form's error summary is accessible too.
    editor_page.goto(f"{live_stack.gateway_url}/staff/editors/exclusions")
    editor_page.get_by_role("button", name="Exclude this page").click()
    editor_page.get_by_text("There is a problem").wait_for()
    assert_accessible(editor_page, "exclusion errors")
    # An editor never reaches families' cases.
    editor_page.goto(f"{live_stack.gateway_url}/staff/queue")
    assert "for SENDIASS caseworkers" in editor_page.locator("main").inner_text()


def test_that_didnt_help_in_the_widget_asks_why_and_keeps_the_reason(
    browser: Browser,  # noqa: F811
    live_stack: LiveStack,
) -> None:
    question = "How long does an EHC needs assessment take?"
    # This module's one Chromium (Playwright's sync API allows one running instance at a time).
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_stack.gateway_url}/")
    page.locator(".sendw-launcher").click()
    ask(page, question)
    not_helped = page.get_by_role("button", name="That didn't help").last
    expect(not_helped).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    not_helped.click()
    reasons = ["Not about what I asked", "Did not answer my question", "Hard to understand", "Out of date"]
    for reason in [*reasons, "Something else"]:
        expect(page.get_by_role("button", name=reason, exact=True).last).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    assert_accessible(page, "widget asking why")
    page.get_by_role("button", name="Out of date", exact=True).last.click()
    expect(page.locator(".sendw-msg--bot").last).to_contain_text("Thank you", timeout=REPLY_TIMEOUT_MS)
    context.close()
    assert not errors, f"JavaScript errors in the widget: {errors}"
    with AppStore(live_stack.settings.app_db_url) as store:
        mine = [t for t in store.turns_between(datetime.now(UTC) - timedelta(hours=1)) if t.question == question]
    assert len(mine) == 1
    assert mine[0].helpful is False
    assert mine[0].feedback_reason == "out_of_date"
    assert mine[0].outcome in ("answer", "tentative", "answer_and_signpost")
    assert mine[0].page_url is not None
