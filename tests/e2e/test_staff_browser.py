"""The staff console in the running stack and in Chromium.

A family's consented handoff, made through a real conversation, appears in the queue redacted; an
at-risk message produces the duty email on a test SMTP server (aiosmtpd on loopback) with no
personal data; axe-core finds no WCAG 2.2 A/AA violations on the login, queue, case and audit
pages; screenshots of the queue and a case page at 1280 px go to docs/images/ when
SIGNPOST_REFRESH_DOC_IMAGES=1 (a scratch folder otherwise).

The stack is the session's shared ``live_stack``; its gateway sends urgent alerts to the session's
``duty_inbox`` (tests/conftest.py), which the stack's settings name explicitly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from settings import REPO_ROOT
from signposting.environment import settings_env
from tests.conftest import LiveStack
from tests.e2e.test_staff_casework import handoff, text_of
from tests.e2e.test_staff_casework import say as chat

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The docs' screenshots are refreshed only when asked (SIGNPOST_REFRESH_DOC_IMAGES=1 make test); any
# other run writes them to a scratch folder, so running the tests never changes the tree.
IMAGES = (
    REPO_ROOT / "docs" / "images"
    if os.environ.get("SIGNPOST_REFRESH_DOC_IMAGES") == "1"
    else Path(tempfile.gettempdir()) / "signposting-e2e-images"
)
ADMIN = ("duty.admin", "e2e admin password 5521")


def say(stack: LiveStack, sender: str, message: str) -> str:
    return text_of(chat(stack, sender, message))


@pytest.fixture(scope="module")
def admin_account(live_stack: LiveStack) -> tuple[str, str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "signposting",
            "staff",
            "create",
            ADMIN[0],
            "--role",
            "admin",
            "--name",
            "Duty Admin",
            "--password-stdin",
        ],
        input=ADMIN[1] + "\n",
        env=settings_env(live_stack.settings),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert ADMIN[1] not in result.stdout + result.stderr
    return ADMIN


@pytest.fixture(scope="module")
def handoff_reference(live_stack: LiveStack) -> int:
    _sender, reference = handoff(live_stack)
    return reference


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is needed at /usr/bin/chromium: run `make test-deps`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def console(browser: Browser, live_stack: LiveStack, admin_account: tuple[str, str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_stack.gateway_url}/staff/login")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill(admin_account[0])
    page.get_by_label("Password").fill(admin_account[1])
    page.get_by_role("button", name="Sign in").click()
    key = page.locator("#totp-key").inner_text()
    page.get_by_label("Security code").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/staff/queue")
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the console: {errors}"


def assert_accessible(page: Page, name: str) -> None:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test-deps`")
    # Evaluated through the browser's DevTools protocol, which the console's CSP does not block
    # (a <script> tag added to the page would be, rightly).
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    violations = result["violations"]
    for violation in violations:
        print(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            print(f"    {node['target']}: {node['failureSummary']}")
    assert not violations, f"axe-core found {len(violations)} WCAG violations on the {name} page (printed above)"


def test_a_consented_handoff_appears_in_the_queue_redacted(
    console: Page, live_stack: LiveStack, handoff_reference: int
) -> None:
    console.goto(f"{live_stack.gateway_url}/staff/queue")
    link = console.get_by_role("link", name=f"SEND-{handoff_reference}", exact=True)
    assert link.is_visible()
    assert_accessible(console, "queue")
    IMAGES.mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(IMAGES / "staff-queue.png"), full_page=True)
    link.click()
    console.wait_for_url(f"**/staff/cases/{handoff_reference}")
    text = console.locator("main").inner_text()
    assert "won't follow his EHCP" in text or "won’t follow his EHCP" in text or "follow his EHCP" in text
    assert "[phone number]" in text
    assert "07700" not in text
    assert "Jack" not in text
    assert "Phone, morning" in text
    assert "ehc-needs-assessment" in console.locator("main").inner_html()
    assert_accessible(console, "case")
    console.screenshot(path=str(IMAGES / "staff-case.png"), full_page=True)


def test_audit_page_is_accessible_and_shows_the_case_view(
    console: Page, live_stack: LiveStack, handoff_reference: int
) -> None:
    console.goto(f"{live_stack.gateway_url}/staff/audit?target=SEND-{handoff_reference}")
    assert "Viewed case" in console.locator("main").inner_text()
    assert_accessible(console, "audit")


def test_an_at_risk_message_sends_the_duty_email_without_personal_data(live_stack: LiveStack) -> None:
    from app_store import AppStore

    sender = uuid.uuid4().hex
    reply = say(live_stack, sender, "my daughter Amelia told me she wants to kill herself, ring me on 07700 900456")
    assert "999" in reply
    with AppStore(live_stack.settings.app_db_url) as store:
        [urgent] = [e for e in store.list_escalations(urgent_only=True, limit=1000) if e.conversation_id == sender]
    deadline = time.monotonic() + 60  # the issue asks for the email within a minute
    mail = None
    while mail is None and time.monotonic() < deadline:
        mail = next((m for m in live_stack.inbox.messages if urgent.reference in str(m["Subject"])), None)
        time.sleep(0.5)
    assert mail is not None, f"no duty email for {urgent.reference} within a minute"
    assert "URGENT" in str(mail["Subject"])
    assert mail["To"] == "duty@example.org"
    body = mail.get_payload()
    assert f"/staff/cases/{urgent.id}" in body
    assert "Urgency: urgent" in body
    for personal in ("Amelia", "07700", "kill", "daughter"):
        assert personal not in body
        assert personal not in str(mail["Subject"])


def test_pausing_shows_the_notice_in_the_widget(browser: Browser, live_stack: LiveStack) -> None:
    from app_store import AppStore

    with AppStore(live_stack.settings.app_db_url) as store:
        store.set_service_state(True, "e2e check of the off switch", "duty.admin")
    try:
        assert httpx.get(f"{live_stack.gateway_url}/healthz", timeout=30).json()["paused"] is True
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(f"{live_stack.gateway_url}/")
        notice = page.locator(".sendw-paused")
        notice.wait_for(state="visible", timeout=10_000)
        assert live_stack.settings.sendiass_phone in notice.inner_text()
        assert not page.locator(".sendw-launcher").is_visible()
        context.close()
    finally:
        with AppStore(live_stack.settings.app_db_url) as store:
            store.set_service_state(False, None, "duty.admin")
