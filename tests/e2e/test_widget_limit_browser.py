"""The widget's character count in a real browser (Debian's Chromium) follows the gateway's limit.

Only the gateway runs (uvicorn on loopback, Rasa not started): the widget reads the limit from
GET /api/widget-config, so a deployment with a different ``max_message_chars`` needs no change
to the script.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from gateway.app import create_app
from settings import Settings
from tests.conftest import free_port

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
LIMIT = 50


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        var_dir=tmp_path_factory.mktemp("widget-limit"),
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        max_message_chars=LIMIT,
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=settings.gateway_port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the gateway did not start")
        time.sleep(0.2)
    yield settings.gateway_url
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def page(gateway_url: str) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is needed at /usr/bin/chromium: run `make test-deps`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


def test_the_count_and_the_check_use_the_limit_from_the_gateway(page: Page, gateway_url: str) -> None:
    # The widget asks for its config as soon as the script runs (to learn whether staff have
    # paused it), so the wait starts before the page loads, not at the click.
    with page.expect_response("**/api/widget-config") as config:
        page.goto(gateway_url + "/")
    assert config.value.json()["max_message_chars"] == LIMIT
    page.get_by_role("button", name="Ask a question about SEND support", exact=True).click()
    textbox = page.get_by_role("textbox", name="Type your question")
    count = page.locator(".sendw-count")

    textbox.fill("a" * 30)  # below four fifths of the limit: no count yet
    expect(count).to_be_hidden()
    textbox.fill("a" * 45)
    expect(count).to_have_text("You have 5 characters remaining")
    textbox.fill("a" * 52)
    expect(count).to_have_text("You have 2 characters too many")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator(".sendw-error")).to_contain_text("Your question must be 50 characters or fewer")
    expect(textbox).to_have_value("a" * 52)
