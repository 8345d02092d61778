"""The chat widget in a real browser (Debian's Chromium driven by Playwright) against the whole stack.

A keyboard user opens the widget, asks a question and gets an answer that links its source page;
axe-core finds no WCAG 2.2 A/AA failures with the widget open and an answer shown; Escape closes
the panel and gives focus back to the launcher. A few checks replace the gateway's reply in the
browser (``page.route``) to make a failure or hostile text happen on demand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright

from settings import REPO_ROOT
from tests.conftest import LiveStack

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

QUESTION = "How do I ask for an EHC needs assessment?"
EHC_SOURCE_LINK = ".sendw-msg--bot .sendw-source a[href*='advice.page?id=ehc-needs-assessment']"
PARENT_LAUNCHER = "Ask a question about SEND support"
INTRO = "I am a computer program, not a person."
PRIVACY_HINT = "Do not share names, dates of birth or other personal details."
REPLY_TIMEOUT_MS = 60_000

OpenPage = Callable[..., Page]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is needed at /usr/bin/chromium: run `make test-deps`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium: Browser, live_stack: LiveStack) -> Iterator[OpenPage]:
    """Open a gateway page in a fresh browser context (so a fresh sessionStorage and sender id)."""
    errors: list[str] = []
    contexts = []

    def opener(path: str = "/", width: int = 1280, height: int = 800) -> Page:
        context = chromium.new_context(
            viewport={"width": width, "height": height}, locale="en-GB", reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_stack.gateway_url}{path}")
        expect(page.locator(".sendw-launcher")).to_be_visible()
        return page

    yield opener
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def launcher(page: Page, name: str = PARENT_LAUNCHER) -> Any:
    return page.get_by_role("button", name=name, exact=True)


def panel(page: Page) -> Any:
    return page.get_by_role("region", name="SEND support assistant")


def textbox(page: Page) -> Any:
    return page.get_by_role("textbox", name="Type your question")


def focused_is_launcher(page: Page) -> bool:
    return bool(page.evaluate("() => document.activeElement?.classList.contains('sendw-launcher') ?? false"))


def tab_to_launcher(page: Page) -> None:
    for _ in range(100):
        page.keyboard.press("Tab")
        if focused_is_launcher(page):
            return
    pytest.fail("Tab never reached the widget's launcher button")


def open_with_keyboard(page: Page) -> None:
    tab_to_launcher(page)
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    expect(textbox(page)).to_be_focused()


def ask(page: Page, question: str = QUESTION) -> None:
    page.keyboard.type(question)
    page.keyboard.press("Enter")


def fake_reply(messages: list[dict[str, Any]], status: int = 200) -> Callable[[Route], None]:
    body = {"messages": messages} if status == 200 else {"detail": "The assistant is not available right now."}

    def handle(route: Route) -> None:
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

    return handle


def json_body(request: Request) -> dict[str, Any]:
    body = request.post_data_json
    assert isinstance(body, dict), request.post_data
    return body


def test_keyboard_user_asks_and_gets_an_answer_with_its_source(open_page: OpenPage, live_stack: LiveStack) -> None:
    page = open_page("/")
    button = launcher(page)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(panel(page)).to_be_hidden()

    open_with_keyboard(page)
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("log")).to_contain_text(INTRO)
    expect(panel(page)).to_contain_text(PRIVACY_HINT)
    config = page.request.get(f"{live_stack.gateway_url}/api/widget-config").json()
    if config["demo_data"]:
        expect(panel(page).get_by_text("Demo data")).to_be_visible()

    ask(page)
    expect(page.locator(".sendw-msg--user").last).to_contain_text(QUESTION)
    link = page.locator(EHC_SOURCE_LINK).first
    expect(link).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(link).not_to_be_empty()
    source_line = page.locator(".sendw-source").first
    expect(source_line).to_contain_text("Source:")
    expect(source_line).to_contain_text("last updated")
    # Screen readers hear who said what.
    expect(page.locator(".sendw-msg--user .sendw-vh").last).to_have_text("You said: ")
    expect(page.locator(".sendw-msg--bot .sendw-vh").last).to_have_text("Assistant said: ")
    expect(textbox(page)).to_have_value("")
    expect(page.get_by_role("status")).to_have_text("")


@pytest.mark.parametrize(
    ("path", "width", "height"),
    [("/", 1280, 800), ("/", 320, 640), ("/future-me", 1280, 800), ("/future-me", 640, 400)],
    ids=["local-offer-desktop", "local-offer-320px", "future-me-desktop", "future-me-200pc-zoom"],
)
def test_no_wcag_violations_with_the_widget_open_and_an_answer_shown(
    open_page: OpenPage, path: str, width: int, height: int
) -> None:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test-deps` (npm ci installs the pinned axe-core)")
    page = open_page(path, width, height)
    page.locator(".sendw-launcher").click()
    expect(textbox(page)).to_be_focused()
    ask(page)
    expect(page.locator(".sendw-msg--bot .sendw-source a").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)

    # Evaluated through the browser's DevTools protocol: the gateway's CSP (rightly) refuses a
    # <script> tag added to the page.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    for violation in violations:
        print(f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"]:
            print(f"    {node['target']}: {node['failureSummary']}")
    assert not violations, f"axe-core found {len(violations)} WCAG violations on {path} at {width}px (printed above)"
    # Reflow (WCAG 1.4.10): nothing makes the page scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_escape_closes_the_panel_and_focus_returns_to_the_launcher(open_page: OpenPage) -> None:
    page = open_page("/")
    open_with_keyboard(page)
    page.keyboard.type("draft question")
    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    expect(launcher(page)).to_be_focused()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")

    # Opening again keeps what was typed; the Close button also gives focus back.
    page.keyboard.press("Enter")
    expect(textbox(page)).to_have_value("draft question")
    expect(textbox(page)).to_be_focused()
    page.get_by_role("button", name="Close the assistant").click()
    expect(panel(page)).to_be_hidden()
    expect(launcher(page)).to_be_focused()


def test_failure_shows_a_plain_message_and_keeps_the_typed_text(open_page: OpenPage, live_stack: LiveStack) -> None:
    page = open_page("/")
    config = page.request.get(f"{live_stack.gateway_url}/api/widget-config").json()
    page.route("**/api/chat", fake_reply([], status=502))
    open_with_keyboard(page)

    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")  # a new line, not a send
    page.keyboard.type("second line")
    expect(textbox(page)).to_have_value("first line\nsecond line")
    page.keyboard.press("Enter")

    expect(page.get_by_role("log")).to_contain_text(
        f"Sorry, something went wrong. Please try again. You can also call SENDIASS on {config['sendiass_phone']}.",
        timeout=REPLY_TIMEOUT_MS,
    )
    expect(textbox(page)).to_have_value("first line\nsecond line")
    expect(page.get_by_role("button", name="Send", exact=True)).to_have_attribute("aria-disabled", "false")


def test_server_text_is_shown_as_text_and_buttons_send_their_payload(open_page: OpenPage) -> None:
    page = open_page("/future-me")
    hostile = "<img src=x onerror=\"document.title='pwned'\">\nSecond line"
    page.route(
        "**/api/chat",
        fake_reply(
            [
                {
                    "text": hostile,
                    "buttons": [{"title": "Talk to SENDIASS", "payload": "/request_human"}],
                    "sources": [{"title": "Bad link", "url": "javascript:alert(1)", "last_updated": None}],
                }
            ]
        ),
    )
    launcher(page, "Ask a question").click()
    with page.expect_request("**/api/chat") as first:
        ask(page, "hello")
    body = json_body(first.value)
    assert body["message"] == "hello"
    assert body["audience"] == "young_person"
    assert re.fullmatch(r"[A-Za-z0-9_-]{8,64}", body["sender_id"])

    bot = page.locator(".sendw-msg--bot").last
    expect(bot.locator(".sendw-text")).to_have_text(hostile)  # literally, line break kept
    expect(bot.locator("img")).to_have_count(0)
    expect(bot.locator(".sendw-source a")).to_have_count(0)  # a javascript: URL is never a link
    assert page.title() != "pwned"

    with page.expect_request("**/api/chat") as second:
        page.get_by_role("button", name="Talk to SENDIASS").click()
    body2 = json_body(second.value)
    assert body2["message"] == "/request_human"
    assert body2["sender_id"] == body["sender_id"]  # one conversation per tab
    expect(page.locator(".sendw-msg--user").last).to_contain_text("Talk to SENDIASS")
