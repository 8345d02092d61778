"""Security headers, the CORS allowlist, /metrics and /docs on the real gateway app (issue 12)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from gateway.app import create_app
from settings import Settings
from tests.conftest import free_port


def settings_for(tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "var_dir": tmp_path,
        "rasa_port": free_port(),
        "action_port": free_port(),
        "rasa_timeout_seconds": 2,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def test_every_page_and_api_reply_carries_the_security_headers(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, frame_ancestors=["'self'", "https://www.glosfamiliesdirectory.org.uk"])
    with TestClient(create_app(settings)) as client:
        for path in ("/", "/future-me", "/api/widget-config", "/healthz", "/widget/widget.js"):
            headers = client.get(path).headers
            csp = headers["content-security-policy"]
            assert "unsafe-inline" not in csp, path
            assert "script-src 'self'" in csp
            assert "frame-ancestors 'self' https://www.glosfamiliesdirectory.org.uk" in csp
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_staff_console_keeps_its_own_stricter_policy(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path))) as client:
        csp = client.get("/staff/login").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp


def test_the_demo_pages_have_no_inline_styles_or_scripts_for_the_policy_to_block() -> None:
    for page in ("index.html", "future-me.html"):
        html = (Path("web_widget/demo") / page).read_text()
        assert "style=" not in html
        assert "<style" not in html
        assert "<script>" not in html


def test_only_listed_sites_may_call_the_api_from_a_browser(tmp_path: Path) -> None:
    listed = "https://www.glosfamiliesdirectory.org.uk"
    with TestClient(create_app(settings_for(tmp_path, cors_allow_origins=[listed]))) as client:
        allowed = client.options("/api/chat", headers={"Origin": listed, "Access-Control-Request-Method": "POST"})
        refused = client.options(
            "/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        plain = client.get("/api/widget-config", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == listed
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in plain.headers


def test_no_site_may_call_the_api_from_a_browser_unless_configured(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path))) as client:
        reply = client.get("/api/widget-config", headers={"Origin": "https://www.glosfamiliesdirectory.org.uk"})
    assert "access-control-allow-origin" not in reply.headers


def test_metrics_are_in_prometheus_format(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path))) as client:
        client.get("/api/widget-config")
        client.post("/api/chat", json={"sender_id": "abcdefgh", "message": "hello"})  # Rasa is down here
        reply = client.get("/metrics")
    assert reply.headers["content-type"].startswith("text/plain")
    text = reply.text
    assert 'gateway_requests_total{route="/api/widget-config",status="200"} 1.0' in text
    assert 'gateway_chat_replies_total{outcome="unavailable"} 1.0' in text
    assert "gateway_request_seconds_bucket" in text
    assert "gateway_outbox_pending 0.0" in text


def test_api_docs_from_a_cdn_are_off_unless_asked_for(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path))) as client:
        assert client.get("/docs").status_code == 404
        assert client.get("/openapi.json").status_code == 200
    with TestClient(create_app(settings_for(tmp_path, api_docs=True))) as client:
        assert client.get("/docs").status_code == 200
