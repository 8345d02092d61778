"""The Local Offer editors' pages through HTTP, on a real SQLite app database and the real
sentence model, and a content exclusion from the console to search through real builds.

Roles: editors open only their own pages (never families' cases or the admin pages); caseworkers
are refused the editors' pages (tests/integration/test_staff_console.py walks every route for
anonymous visitors and caseworkers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app_store import AppStore, TurnIn
from app_store.tables import utc_now
from demo_site.server import DemoSite
from gateway.app import create_app
from settings import Settings
from signposting.knowledge_build import build_from_site
from staff_console.accounts import create_account
from tests.conftest import free_port
from tests.integration.test_incremental_build import advice
from tests.integration.test_staff_console import (
    ADMIN_ONLY,
    CASEWORKER_PASSWORD,
    EDITOR_ONLY,
    concrete,
    console_routes,
    console_settings,
    csrf_of,
    mounted,
    sign_in,
    standard_escalation,
)

EDITOR_PASSWORD = "editor pass phrase 7713"
HEALTH = "http://127.0.0.1:8080/kb5/gloucs/glosfamilies/advice.page?id=health-referrals"
DENTAL = [
    "is there a dentist for children with autism",
    "special needs dentist near cheltenham",
    "my autistic son will not let the dentist look at his teeth",
]
TRANSPORT = ["the school transport page is confusing", "school transport help is hard to follow"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return console_settings(tmp_path)


@pytest.fixture
def store(settings: Settings) -> Iterator[AppStore]:
    with AppStore.from_settings(settings) as opened:
        create_account(opened, "eddie", "Eddie Editor", "editor", EDITOR_PASSWORD)
        create_account(opened, "cas", "Cas Worker", "caseworker", CASEWORKER_PASSWORD)
        yield opened


@pytest.fixture
def app(settings: Settings, store: AppStore) -> FastAPI:
    return mounted(settings, store)


@pytest.fixture
def editor(app: FastAPI) -> TestClient:
    client = TestClient(app)
    signed_in = sign_in(client, "eddie", EDITOR_PASSWORD)
    assert signed_in.headers["location"] == "/staff/editors/gaps"
    return client


def log(
    store: AppStore, question: str, outcome: str, days_ago: float, unhelpful: str | None = None, **extra: object
) -> int:
    """Log a turn as the gateway would; ``unhelpful`` gives the family's reason for 'That didn't help'."""
    conversation = f"conv-{len(store.turns_between(utc_now() - timedelta(days=400))):04d}"
    values: dict[str, object] = {
        "conversation_id": conversation,
        "question": question,
        "outcome": outcome,
        "kinds": [outcome],
        "asked_at": utc_now() - timedelta(days=days_ago),
    }
    values.update(extra)
    turn_id = store.log_turn(TurnIn.model_validate(values))
    if unhelpful:
        store.record_turn_feedback(conversation, helpful=False, reason=unhelpful)  # type: ignore[arg-type]
    return turn_id


def test_editors_open_only_their_own_pages(app: FastAPI, store: AppStore, editor: TestClient) -> None:
    case = store.create_escalation(standard_escalation())
    token = csrf_of(editor.get("/staff/editors/exclusions").text)
    for method, path, _ in console_routes(app):
        if path in ("/login", "/logout", "/totp-setup", "/assets/govuk-frontend.css") or (method, path) in EDITOR_ONLY:
            continue
        response = editor.request(method, concrete(path, case.id), data={"csrf_token": token}, follow_redirects=False)
        if path == "/":
            assert response.headers["location"] == "/staff/editors/gaps"
            continue
        assert response.status_code == 403, (method, path, response.status_code)
        assert "EHCP" not in response.text
        if (method, path) not in ADMIN_ONLY:
            assert "for SENDIASS caseworkers" in response.text
    for method, path in EDITOR_ONLY:
        if method == "GET":
            assert editor.get(concrete(path, case.id)).status_code == 200, path
    # A caseworker never sees the insights.
    caseworker = TestClient(app)
    sign_in(caseworker, "cas", CASEWORKER_PASSWORD)
    refused = caseworker.get("/staff/editors/gaps")
    assert refused.status_code == 403
    assert "for Local Offer editors" in refused.text


def test_the_gaps_page_groups_questions_by_meaning(store: AppStore, editor: TestClient) -> None:
    for days, question in enumerate(DENTAL):
        log(store, question, "out_of_scope", days * 6 + 1)
    log(store, TRANSPORT[0], "answer", 3, "hard_to_understand", page_url=HEALTH, page_title="Help with travel")
    log(store, TRANSPORT[1], "tentative", 4, page_url=HEALTH, page_title="Help with travel")
    log(store, "how do I ask for an EHC needs assessment", "answer", 2)  # answered: no gap
    log(store, "[name] wants to hurt himself", "safety", 1)  # never counted
    html = editor.get("/staff/editors/gaps").text
    assert "6 questions in the last 8 weeks" in html
    assert "5 not answered well" in html
    assert "2 topics" in html
    topics = html.split('class="govuk-summary-card__title"')[1:]
    assert len(topics) == 2
    dental, transport = topics
    assert 'Times asked</dt>\n        <dd class="govuk-summary-list__value">3' in dental
    assert all(question in dental for question in DENTAL)
    assert not any(question in dental for question in TRANSPORT)
    assert "None: the assistant found no page near it" in dental
    assert all(question in transport for question in TRANSPORT)
    assert "(1 marked unhelpful)" in transport
    assert "Help with travel" in transport
    assert "EHC needs assessment" not in html
    assert "hurt himself" not in html
    # The chart is an image drawn on the server, with the same figures in a table.
    assert '<svg class="insights-chart" role="img"' in html
    assert "Questions asked and not answered well, by week" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert any(a.action == "insights_view" and a.actor == "eddie" for a in store.list_audit())
    # The vectors are cached: a second look embeds nothing new and shows the same topics.
    assert len(store.question_vectors(t.id for t in store.turns_between(utc_now() - timedelta(days=60)))) == 5
    assert editor.get("/staff/editors/gaps").text.count('class="govuk-summary-card__title"') == 2


def test_the_publication_export_and_the_pages_view(store: AppStore, editor: TestClient, settings: Settings) -> None:
    for days, question in enumerate(DENTAL):
        log(store, question, "not_sure", days + 1)
    log(store, "what is a personal budget", "answer", 1, "hard_to_understand", page_url=HEALTH, page_title="Budgets")
    download = editor.get("/staff/editors/you-said-we-did.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == 1
    assert rows[0]["times_asked"] == "3"
    assert rows[0]["we_did"] == ""
    assert rows[0]["you_said"] in DENTAL
    printable = editor.get("/staff/editors/you-said-we-did").text
    assert "You said, we did" in printable
    assert rows[0]["you_said"] in printable
    assert any(a.action == "export" and "you said, we did" in a.detail for a in store.list_audit())
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    (settings.reports_dir / "stale_pages.csv").write_text(
        "url,title,last_updated,days_old\nhttp://x/a,Old page,March 2024,640\n"
    )
    (settings.reports_dir / "broken_links.csv").write_text(
        "page,link,status,state\nhttp://x/a,http://x/gone,404,missing\n"
    )
    pages = editor.get("/staff/editors/pages").text
    assert "Budgets" in pages
    assert "Hard to understand: 1" in pages
    assert "Old page" in pages
    assert "640" in pages
    assert "http://x/gone" in pages


def test_an_excluded_page_leaves_search_at_the_next_build_and_comes_back_when_lifted(tmp_path: Path) -> None:
    pages = {
        "localoffer/0": advice(
            "Home", "Start here.", "<a href='advice.page?id=ehc'>EHC</a><a href='advice.page?id=respite'>Respite</a>"
        ),
        "advice/ehc": advice("Asking for an EHC needs assessment", "You can ask the council in writing. " * 5),
        "advice/respite": advice(
            "Overnight respite for disabled children", "Overnight respite gives families a break at night. " * 5
        ),
    }
    root = tmp_path / "pages"
    for name, html in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.html").write_text(html)
    settings = Settings(var_dir=tmp_path / "var", rasa_port=free_port(), action_port=free_port())
    with DemoSite(pages_dir=root) as site, AppStore.from_settings(settings) as store:
        create_account(store, "eddie", "Eddie Editor", "editor", EDITOR_PASSWORD)
        build_from_site(settings, [site.start_url], 0.0, show_progress=False, excluded=store)
        respite = f"{site.start_url.split('localoffer.page')[0]}advice.page?id=respite"

        def found(client: TestClient) -> list[str]:
            reply = client.get("/api/search", params={"q": "overnight respite for my disabled child", "k": 5})
            assert reply.status_code == 200, reply.text
            return [hit["url"].split("#")[0] for hit in reply.json()["hits"]]

        client = TestClient(create_app(settings))  # no lifespan: the chat's detectors are not needed
        assert respite in found(client)

        sign_in(client, "eddie", EDITOR_PASSWORD)
        form = client.get("/staff/editors/exclusions", params={"url": respite})
        assert respite in form.text
        # The address as an editor copies it: a session id and a section anchor.
        copied = respite.replace("advice.page?", "advice.page;jsessionid=X1?") + "#:~:text=respite"
        excluded = client.post(
            "/staff/editors/exclusions",
            data={"url": copied, "reason": "wrong", "note": "old prices", "csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert excluded.status_code == 303
        assert store.excluded_urls() == {respite}
        assert respite in found(client)  # still there until the next build

        outcome = build_from_site(settings, [site.start_url], 0.0, show_progress=False, excluded=store)
        assert outcome.built
        assert outcome.extraction.excluded == 1
        assert respite not in found(client)

        page = client.get("/staff/editors/exclusions").text
        assert "old prices" in page
        assert "Put back" in page
        [exclusion] = store.list_exclusions()
        lifted = client.post(
            f"/staff/editors/exclusions/{exclusion.id}/lift", data={"csrf_token": csrf_of(page)}, follow_redirects=False
        )
        assert lifted.status_code == 303
        assert store.excluded_urls() == frozenset()
        assert store.list_exclusions()[0].lifted_by == "eddie"  # kept, with who put it back
        again = client.post(
            f"/staff/editors/exclusions/{exclusion.id}/lift", data={"csrf_token": csrf_of(page)}, follow_redirects=False
        )
        assert again.status_code == 404

        build_from_site(settings, [site.start_url], 0.0, show_progress=False, excluded=store)
        assert respite in found(client)
        actions = [(a.action, a.actor) for a in store.list_audit() if a.action in ("page_excluded", "exclusion_lifted")]
        assert actions == [("exclusion_lifted", "eddie"), ("page_excluded", "eddie")]
        assert any("wrong" in a.detail and respite in a.detail for a in store.list_audit())


def test_an_exclusion_needs_an_address_and_a_reason(store: AppStore, editor: TestClient) -> None:
    page = editor.get("/staff/editors/exclusions").text
    refused = editor.post("/staff/editors/exclusions", data={"url": "advice page", "csrf_token": csrf_of(page)})
    assert refused.status_code == 400
    assert "There is a problem" in refused.text
    assert "starting with https://" in refused.text
    assert "Choose why the page should be left out" in refused.text
    assert store.list_exclusions() == []
