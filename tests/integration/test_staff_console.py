"""The staff console through HTTP (FastAPI's TestClient), mounted at /staff as the gateway mounts it.

Every route is found from the app itself, so a new page cannot be added without these tests
checking that it refuses anonymous visitors, that admin pages refuse caseworkers, and that its
form needs the CSRF token.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app_store import AppStore, EscalationIn, TranscriptTurn
from settings import Settings
from staff_console.accounts import create_account
from staff_console.web import create_console

ADMIN_PASSWORD = "admin pass phrase 4821"
CASEWORKER_PASSWORD = "caseworker pass 1937x"
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/assets/govuk-frontend.css")}
ADMIN_ONLY = {
    ("GET", "/audit"),
    ("GET", "/export"),
    ("POST", "/export"),
    ("GET", "/erase"),
    ("POST", "/erase"),
    ("GET", "/service"),
    ("POST", "/service/pause"),
    ("POST", "/service/resume"),
}

# Local Offer editors' pages: editors and admins; caseworkers get 403 (tests/integration/test_editors_console.py).
EDITOR_ONLY = {
    ("GET", "/editors"),
    ("GET", "/editors/gaps"),
    ("GET", "/editors/pages"),
    ("GET", "/editors/exclusions"),
    ("POST", "/editors/exclusions"),
    ("POST", "/editors/exclusions/{exclusion_id}/lift"),
    ("GET", "/editors/you-said-we-did"),
    ("GET", "/editors/you-said-we-did.csv"),
}


# --- helpers other staff test modules use --------------------------------------------------------


def console_settings(tmp_path: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = {"var_dir": tmp_path / "var", "rate_limit_storage_uri": "memory://"}
    values.update(changes)
    return Settings(**values)


def mounted(settings: Settings, store: AppStore) -> FastAPI:
    app = FastAPI()
    app.mount("/staff", create_console(settings, store))
    return app


def console_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    console = next(r for r in app.routes if getattr(r, "path", "") == "/staff")
    found = []
    for route in console.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute):
            for method in sorted(route.methods or ()):
                found.append((method, route.path, route))
    return found


def urgent_escalation(conversation_id: str = "conv-urgent-1") -> EscalationIn:
    return EscalationIn(
        conversation_id=conversation_id,
        reason="safety",
        urgent=True,
        safety_categories=["self_harm"],
        transcript=[TranscriptTurn(speaker="user", text="my son Jack hurts himself", at="2026-12-01T10:00:00+00:00")],
    )


def standard_escalation(conversation_id: str = "conv-1") -> EscalationIn:
    return EscalationIn.model_validate(
        {
            "conversation_id": conversation_id,
            "reason": "personal_case",
            "contact_method": "phone",
            "contact_time": "morning",
            "transcript": [
                {"speaker": "user", "text": "the school won't follow the EHCP", "at": "2026-12-01T10:00:00+00:00"},
                {"speaker": "bot", "text": "SENDIASS can help with that.", "at": "2026-12-01T10:00:01+00:00"},
            ],
            "links_given": [{"title": "EHC plans", "url": "http://127.0.0.1:8080/advice.page?id=ehcp"}],
        }
    )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str, code: str = "") -> Any:
    page = client.get("/staff/login")
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "code": code, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def next_code(secret: str) -> str:
    """The authenticator code of the next 30-second step: accepted (one step of drift) even when the
    current step's code was just used, since a code works only once."""
    return pyotp.TOTP(secret).at(int(time.time()) + 30)


def enrol_admin(client: TestClient, username: str = "ada", password: str = ADMIN_PASSWORD) -> str:
    """Sign an admin in for the first time and set up the authenticator; returns the TOTP secret."""
    first = sign_in(client, username, password)
    assert first.status_code == 303, first.text
    assert first.headers["location"].endswith("/totp-setup")
    setup = client.get("/staff/totp-setup")
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', setup.text)
    assert secret, setup.text
    done = client.post(
        "/staff/totp-setup",
        data={"code": pyotp.TOTP(secret.group(1)).now(), "csrf_token": csrf_of(setup.text)},
        follow_redirects=False,
    )
    assert done.headers["location"].endswith("/queue")
    return secret.group(1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return console_settings(tmp_path)


@pytest.fixture
def store(settings: Settings) -> Iterator[AppStore]:
    with AppStore.from_settings(settings) as opened:
        create_account(opened, "ada", "Ada Admin", "admin", ADMIN_PASSWORD)
        create_account(opened, "cas", "Cas Worker", "caseworker", CASEWORKER_PASSWORD)
        yield opened


@pytest.fixture
def app(settings: Settings, store: AppStore) -> FastAPI:
    return mounted(settings, store)


@pytest.fixture
def admin(app: FastAPI) -> TestClient:
    client = TestClient(app)
    enrol_admin(client)
    return client


@pytest.fixture
def caseworker(app: FastAPI) -> TestClient:
    client = TestClient(app)
    assert sign_in(client, "cas", CASEWORKER_PASSWORD).headers["location"].endswith("/queue")
    return client


def concrete(path: str, case_id: int, exclusion_id: int = 1) -> str:
    return "/staff" + path.replace("{case_id}", str(case_id)).replace("{exclusion_id}", str(exclusion_id))


# --- every route ---------------------------------------------------------------------------------


def test_routes_are_the_ones_this_file_knows(app: FastAPI) -> None:
    paths = {(method, path) for method, path, _ in console_routes(app)}
    assert paths >= PUBLIC
    assert paths >= ADMIN_ONLY
    assert paths >= EDITOR_ONLY
    assert len(paths) >= 33


def test_every_route_refuses_anonymous_visitors(app: FastAPI, store: AppStore) -> None:
    case = store.create_escalation(standard_escalation())
    client = TestClient(app)
    before = store.list_audit()
    for method, path, _ in console_routes(app):
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, concrete(path, case.id), data={"csrf_token": "x"}, follow_redirects=False)
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/staff/login"), (method, path)
        assert "self_harm" not in response.text
        assert "EHCP" not in response.text
    assert store.get_case(case.id).events == []  # type: ignore[union-attr]
    assert len(store.list_audit()) == len(before)


def test_admin_routes_refuse_caseworkers_and_only_those_are_admin_only(
    app: FastAPI, store: AppStore, caseworker: TestClient, admin: TestClient
) -> None:
    case = store.create_escalation(standard_escalation())
    token = csrf_of(caseworker.get("/staff/queue").text)
    for method, path, _ in console_routes(app):
        if (method, path) in PUBLIC or path == "/logout":
            continue
        url = concrete(path, case.id)
        response = caseworker.request(method, url, data={"csrf_token": token}, follow_redirects=False)
        if (method, path) in ADMIN_ONLY:
            assert response.status_code == 403, (method, path, response.status_code)
            assert "Only admins" in response.text
        elif (method, path) in EDITOR_ONLY:
            assert response.status_code == 403, (method, path, response.status_code)
            assert "for Local Offer editors" in response.text
        else:
            assert response.status_code != 403, (method, path)
    assert store.service_state().paused is False
    # The same admin pages open for an admin.
    for method, path in ADMIN_ONLY:
        if method == "GET":
            assert admin.get(concrete(path, case.id)).status_code == 200, path


def test_every_form_needs_the_csrf_token(app: FastAPI, store: AppStore, admin: TestClient) -> None:
    case = store.create_escalation(urgent_escalation())
    pages = ["/staff/queue", f"/staff/cases/{case.id}", "/staff/export", "/staff/erase", "/staff/service"]
    for url in pages:
        html = admin.get(url).text
        forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
        assert forms, url
        for form in forms:
            assert 'name="csrf_token"' in form, (url, form[:200])
    audit_before = len(store.list_audit())
    for method, path, _ in console_routes(app):
        if method != "POST" or (method, path) in PUBLIC:
            continue
        url = concrete(path, case.id)
        for token in (None, "wrong-token"):
            data = {
                "reason": "testing",
                "text": "a note",
                "outcome": "signposted",
                "reference": f"SEND-{case.id}",
                "confirm": "yes",
                "status": "contacted",
                "assignee": "me",
            }
            if token:
                data["csrf_token"] = token
            response = admin.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, (path, token, response.status_code)
    after = store.get_case(case.id)
    assert after is not None
    assert after.notes == []
    assert after.escalation.status == "new"
    assert store.service_state().paused is False
    assert len(store.list_audit()) == audit_before
    # Sign-in's own token (a cookie and a field that must match).
    fresh = TestClient(app)
    fresh.get("/staff/login")
    refused = fresh.post("/staff/login", data={"username": "cas", "password": CASEWORKER_PASSWORD, "csrf_token": "no"})
    assert refused.status_code == 403
    assert "staff_session" not in fresh.cookies


# --- signing in ----------------------------------------------------------------------------------


def test_cookies_are_httponly_strict_and_secure_over_https(settings: Settings, store: AppStore) -> None:
    for base_url, secure in (("http://testserver", False), ("https://testserver", True)):
        client = TestClient(mounted(settings, store), base_url=base_url)
        response = sign_in(client, "cas", CASEWORKER_PASSWORD)
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "staff_session=" in v)
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert ("Secure" in cookie) is secure
        assert "Path=/staff" in cookie


def test_lockout_after_repeated_failures(tmp_path: Path) -> None:
    settings = console_settings(tmp_path, staff_lockout_after=3, staff_lockout_minutes=0.03)
    with AppStore.from_settings(settings) as store:
        create_account(store, "cas", "Cas", "caseworker", CASEWORKER_PASSWORD)
        client = TestClient(mounted(settings, store))
        for _ in range(3):
            assert sign_in(client, "cas", "not the password!!").status_code == 401
        locked = sign_in(client, "cas", CASEWORKER_PASSWORD)
        assert locked.status_code == 401
        assert "locked" in locked.text
        time.sleep(2.0)
        assert sign_in(client, "cas", CASEWORKER_PASSWORD).status_code == 303
        failures = [a for a in store.list_audit() if a.action == "sign_in_failed"]
        assert [a.detail for a in reversed(failures)] == [
            "wrong password",
            "wrong password",
            "wrong password; account locked",
            "account locked",
        ]
        assert all(a.ip == "testclient" for a in failures)


def test_sign_in_attempts_from_one_address_are_throttled(tmp_path: Path) -> None:
    settings = console_settings(tmp_path, staff_login_rate_limit="4/minute", staff_lockout_after=100)
    with AppStore.from_settings(settings) as store:
        create_account(store, "cas", "Cas", "caseworker", CASEWORKER_PASSWORD)
        client = TestClient(mounted(settings, store))
        codes = [sign_in(client, f"user{n}", "wrong password!!").status_code for n in range(5)]
        assert codes == [401, 401, 401, 401, 429]
        assert sign_in(client, "cas", CASEWORKER_PASSWORD).status_code == 429


def test_idle_sessions_end(tmp_path: Path) -> None:
    settings = console_settings(tmp_path, staff_idle_minutes=0.02)
    with AppStore.from_settings(settings) as store:
        create_account(store, "cas", "Cas", "caseworker", CASEWORKER_PASSWORD)
        client = TestClient(mounted(settings, store))
        sign_in(client, "cas", CASEWORKER_PASSWORD)
        assert client.get("/staff/queue", follow_redirects=False).status_code == 200
        time.sleep(1.5)
        response = client.get("/staff/queue", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/staff/login?timeout=1"


def test_admins_must_use_an_authenticator(app: FastAPI, store: AppStore) -> None:
    client = TestClient(app)
    first = sign_in(client, "ada", ADMIN_PASSWORD)
    assert first.headers["location"] == "/staff/totp-setup"
    # Nothing else opens until it is set up.
    assert client.get("/staff/queue", follow_redirects=False).headers["location"] == "/staff/totp-setup"
    assert client.get("/staff/audit", follow_redirects=False).headers["location"] == "/staff/totp-setup"
    setup = client.get("/staff/totp-setup")
    wrong = client.post(
        "/staff/totp-setup", data={"code": "000000", "csrf_token": csrf_of(setup.text)}, follow_redirects=False
    )
    assert wrong.headers["location"] == "/staff/totp-setup?error=1"
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', setup.text)
    assert secret
    client.post(
        "/staff/totp-setup", data={"code": pyotp.TOTP(secret.group(1)).now(), "csrf_token": csrf_of(setup.text)}
    )
    assert client.get("/staff/audit").status_code == 200
    # From now on the code is needed.
    other = TestClient(app)
    assert sign_in(other, "ada", ADMIN_PASSWORD).status_code == 401
    assert sign_in(other, "ada", ADMIN_PASSWORD, "123456").status_code == 401
    ok = sign_in(other, "ada", ADMIN_PASSWORD, next_code(secret.group(1)))
    assert ok.headers["location"] == "/staff/queue"


def test_an_authenticator_code_works_only_once(app: FastAPI, store: AppStore) -> None:
    client = TestClient(app)
    assert sign_in(client, "ada", ADMIN_PASSWORD).headers["location"] == "/staff/totp-setup"
    setup = client.get("/staff/totp-setup")
    found = re.search(r'id="totp-key">([A-Z2-7]+)<', setup.text)
    assert found
    totp = pyotp.TOTP(found.group(1))
    now = int(time.time())
    this_step, next_step = totp.at(now), totp.at(now + 30)
    client.post("/staff/totp-setup", data={"code": this_step, "csrf_token": csrf_of(setup.text)})
    assert client.get("/staff/audit").status_code == 200

    # The code that confirmed the authenticator cannot also sign in, though it is still current.
    replayed = sign_in(TestClient(app), "ada", ADMIN_PASSWORD, this_step)
    assert replayed.status_code == 401
    # The next step's code signs in once; the same code again, from anywhere, is refused.
    first = TestClient(app)
    assert sign_in(first, "ada", ADMIN_PASSWORD, next_step).headers["location"] == "/staff/queue"
    assert sign_in(TestClient(app), "ada", ADMIN_PASSWORD, next_step).status_code == 401
    # So is an older code still inside the drift window.
    assert sign_in(TestClient(app), "ada", ADMIN_PASSWORD, this_step).status_code == 401
    assert first.get("/staff/queue").status_code == 200  # the session it made is unaffected
    failures = [a.detail for a in reversed(store.list_audit()) if a.action == "sign_in_failed"]
    assert failures == ["security code used before"] * 3
    user = store.find_staff_user("ada")
    assert user is not None
    assert user.failed_sign_ins == 2  # replays count towards the lockout (the success in between reset it)


def test_disabled_accounts_are_signed_out_at_once(app: FastAPI, store: AppStore, caseworker: TestClient) -> None:
    user = store.find_staff_user("cas")
    assert user is not None
    store.set_staff_disabled(user.id, True)
    assert caseworker.get("/staff/queue", follow_redirects=False).status_code == 303
    assert sign_in(TestClient(app), "cas", CASEWORKER_PASSWORD).status_code == 401


def test_signing_out_ends_the_session(caseworker: TestClient) -> None:
    token = csrf_of(caseworker.get("/staff/queue").text)
    cookie = caseworker.cookies.get("staff_session")
    caseworker.post("/staff/logout", data={"csrf_token": token})
    again = TestClient(caseworker.app, cookies={"staff_session": cookie or ""})
    assert again.get("/staff/queue", follow_redirects=False).status_code == 303


def test_no_password_or_totp_secret_is_logged_or_stored(
    app: FastAPI,
    store: AppStore,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    client = TestClient(app)
    secret = enrol_admin(client)
    sign_in(TestClient(app), "ada", "a wrong password here")
    sign_in(TestClient(app), "cas", CASEWORKER_PASSWORD)
    engine = create_engine(settings.app_db_url)
    dumped = []
    with engine.connect() as connection:
        for (table,) in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'")):
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 (our own table names)
                dumped.append(" ".join(str(value) for value in row))
    engine.dispose()
    everything = "\n".join(dumped) + caplog.text + capsys.readouterr().out
    for secret_text in (ADMIN_PASSWORD, CASEWORKER_PASSWORD, "a wrong password here", secret):
        assert secret_text not in everything
    assert "$argon2id$" in everything  # the hashes are what is kept
    assert secret not in repr(store.find_staff_user("ada"))


# --- pages ---------------------------------------------------------------------------------------


def test_security_headers_on_every_page(app: FastAPI, store: AppStore, admin: TestClient) -> None:
    case = store.create_escalation(standard_escalation())
    urls = [
        "/staff/login",
        "/staff/queue",
        "/staff/report",
        f"/staff/cases/{case.id}",
        "/staff/audit",
        "/staff/export",
        "/staff/erase",
        "/staff/service",
    ]
    for url in urls:
        response = admin.get(url)
        assert response.status_code == 200, url
        csp = response.headers["content-security-policy"]
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store", url
        assert "<script>" not in response.text, url
        assert " style=" not in response.text, url
        assert "https://" not in re.sub(r'href="http://127\.0\.0\.1[^"]*"', "", response.text), url
    css = admin.get("/staff/assets/govuk-frontend.css")
    assert css.status_code == 200
    assert "govuk-button" in css.text
    assert "GDS Transport" not in css.text
    assert admin.get("/staff/assets/govuk/govuk-frontend.min.js").status_code == 200
    assert admin.get("/staff/assets/console/console.js").status_code == 200


def test_queue_is_urgent_first_then_oldest_with_filters_and_search(store: AppStore, caseworker: TestClient) -> None:
    first = store.create_escalation(standard_escalation("a-1"))
    second = store.create_escalation(standard_escalation("a-2").model_copy(update={"audience": "young_person"}))
    urgent = store.create_escalation(urgent_escalation())
    page = caseworker.get("/staff/queue").text
    order = [int(n) for n in re.findall(r'href="/staff/cases/(\d+)"', page)]
    assert order == [urgent.id, first.id, second.id]
    assert "Urgent" in page
    young = caseworker.get("/staff/queue", params={"audience": "young_person"}).text
    assert re.findall(r'href="/staff/cases/(\d+)"', young) == [str(second.id)]
    safety = caseworker.get("/staff/queue", params={"reason": "safety", "urgency": "urgent"}).text
    assert re.findall(r'href="/staff/cases/(\d+)"', safety) == [str(urgent.id)]
    found = caseworker.get("/staff/queue", params={"ref": f"send-{second.id}"}, follow_redirects=False)
    assert found.headers["location"] == f"/staff/cases/{second.id}"
    assert "No case has the reference SEND-999" in caseworker.get("/staff/queue", params={"ref": "SEND-999"}).text
    # Take next: the urgent one first, then the oldest.
    token = csrf_of(page)
    took = caseworker.post("/staff/queue/take-next", data={"csrf_token": token}, follow_redirects=False)
    assert took.headers["location"] == f"/staff/cases/{urgent.id}"
    took = caseworker.post("/staff/queue/take-next", data={"csrf_token": token}, follow_redirects=False)
    assert took.headers["location"] == f"/staff/cases/{first.id}"
    mine = caseworker.get("/staff/queue", params={"assignee": "me"}).text
    assert sorted(re.findall(r'href="/staff/cases/(\d+)"', mine)) == sorted([str(urgent.id), str(first.id)])
    nobody = caseworker.get("/staff/queue", params={"assignee": "unassigned"}).text
    assert re.findall(r'href="/staff/cases/(\d+)"', nobody) == [str(second.id)]


def test_closing_needs_an_outcome(store: AppStore, caseworker: TestClient) -> None:
    case = store.create_escalation(standard_escalation())
    page = caseworker.get(f"/staff/cases/{case.id}").text
    refused = caseworker.post(f"/staff/cases/{case.id}/close", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 400
    assert "Choose how the case ended" in refused.text
    stored = store.get_escalation(case.id)
    assert stored is not None
    assert stored.status == "new"
