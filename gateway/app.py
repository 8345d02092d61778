"""The gateway application: chat proxy, health, widget assets, the demo host pages and the staff console."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from app_store import AppStore
from app_store.outbox import Outbox
from gateway.hardening import Metrics, harden
from gateway.message_pipeline import MessagePipeline
from gateway.rasa_client import RasaClient, RasaUnavailable
from gateway.rate_limit import ChatRateLimiter
from gateway.schemas import ChatReply, ChatRequest, ComponentHealth, Health, WidgetConfig
from gateway.search_api import search_router
from knowledge_base.models import Manifest
from knowledge_base.search import KnowledgeBaseError, check_current, current_build_id
from knowledge_base.store import current_dir, current_manifest
from settings import REPO_ROOT, Settings, get_settings
from staff_console.alerts import AlertSender
from staff_console.web import create_console

log = logging.getLogger(__name__)

WIDGET_DIR = REPO_ROOT / "web_widget"
TOO_MANY = "You have sent a lot of messages in a short time. Please wait a moment and try again."


def unavailable_notice(settings: Settings) -> str:
    """What families see when Rasa or the action server cannot answer in time."""
    return (
        "Sorry, the assistant is not available right now. Please try again in a few minutes, "
        f"or call {settings.sendiass_name} on {settings.sendiass_phone}."
    )


def too_long_notice(max_chars: int) -> str:
    """A chat message over the deployment's length limit, in words a family can act on."""
    return f"Your message is too long. Please keep it under {max_chars} characters."


def bad_message_notice(errors: Sequence[Any]) -> str:
    """A chat request that failed validation, in words a family can act on (reading age 9-11)."""
    for error in errors:
        if error.get("loc", ())[-1:] != ("message",):
            continue
        if error.get("type") == "string_too_short" or "empty" in str(error.get("msg", "")):
            return "Your message is empty. Please type your question."
        return "Your message has characters I can't read. Please type it again in words."
    return "Something went wrong with that message. Please refresh the page and try again."


def paused_notice(settings: Settings) -> str:
    """What families see while SENDIASS staff have paused the assistant."""
    return (
        "The SEND support assistant is not available at the moment. To talk to someone, call "
        f"{settings.sendiass_name} on {settings.sendiass_phone}."
    )


async def replay_outbox(settings: Settings, store: AppStore, stop: asyncio.Event) -> None:
    """Store the escalations waiting in the outbox whenever the app database takes them again."""
    outbox = Outbox(settings.outbox_dir)
    while not stop.is_set():
        try:
            await asyncio.to_thread(outbox.replay, store)
        except Exception as exc:  # the database is still unavailable: the files wait for the next round
            log.warning(
                "%d escalation(s) still waiting in the outbox for the app database (%s)",
                outbox.pending(),
                exc.__class__.__name__,
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), settings.outbox_retry_seconds)


class KnowledgeBaseCheck:
    """Whether the current build opens whole; checked again only when its files change."""

    def __init__(self, kb_root: Path) -> None:
        self._kb_root = kb_root
        self._seen: tuple[object, ...] | None = None
        self._verdict = ComponentHealth(ok=False, detail="not checked yet")

    def _fingerprint(self) -> tuple[object, ...]:
        build = current_dir(self._kb_root).resolve()
        files = sorted(build.iterdir()) if build.is_dir() else []
        return (build, *((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files))

    def health(self) -> ComponentHealth:
        """ok with the build's counts, or not ok naming the build; never a file path (this goes over HTTP)."""
        try:
            seen = self._fingerprint()
        except OSError:
            seen = None
        if seen is None or seen != self._seen:
            self._verdict = self._check()
            self._seen = seen
        return self._verdict

    def _check(self) -> ComponentHealth:
        if current_manifest_or_none(self._kb_root) is None and not current_dir(self._kb_root).exists():
            return ComponentHealth(ok=False, detail="no knowledge base built")
        try:
            manifest = check_current(self._kb_root)
        except (KnowledgeBaseError, ValueError, OSError) as exc:
            build = current_build_id(self._kb_root)
            log.error("knowledge base build %s is damaged: %s", build, exc)
            return ComponentHealth(
                ok=False, detail=f"build {build} is missing or damaged: rebuild it (python -m signposting build)"
            )
        return ComponentHealth(
            ok=True,
            detail=f"build {manifest.build_id}: {manifest.chunks} passages from "
            f"{manifest.documents} pages ({manifest.source})",
        )


def current_manifest_or_none(kb_root: Path) -> Manifest | None:
    try:
        return current_manifest(kb_root)
    except ValueError:
        return None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; ``uvicorn gateway.app:create_app --factory`` runs it."""
    settings = settings or get_settings()
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds, settings.rasa_finish_seconds)
    limiter = ChatRateLimiter(
        settings.rate_limit_per_conversation, settings.rate_limit_per_client, settings.rate_limit_storage_uri
    )

    store = AppStore.from_settings(settings)
    pipeline = MessagePipeline(settings, rasa, store)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Loading the detectors takes seconds (the trained safety classifier and the sentence model;
        # the accurate language detector's n-gram tables). A thread keeps the event loop free, and
        # waiting for it means the first family does not pay for it (and the language detector's
        # mode is set before any message is read). A missing or stale safety classifier stops the
        # start here, with a message saying how to train it.
        await asyncio.to_thread(pipeline.warm_up)
        # Urgent escalations wait in the app database's outbox; this task emails the duty inbox.
        stop_alerts = asyncio.Event()
        alerts = asyncio.create_task(AlertSender(settings, store).run(stop_alerts))
        replayer = asyncio.create_task(replay_outbox(settings, store, stop_alerts))
        yield
        stop_alerts.set()
        await alerts
        await replayer
        await rasa.close()
        store.close()

    app = FastAPI(
        # Swagger UI and ReDoc load their code from a CDN: off unless asked for (settings.api_docs).
        docs_url="/docs" if settings.api_docs else None,
        redoc_url=None,
        title="Gloucestershire SEND signposting assistant",
        description="Chat gateway in front of the Rasa assistant, knowledge-base search, the widget and health checks.",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.exception_handler(RequestValidationError)
    async def plain_validation_errors(request: Request, exc: RequestValidationError) -> Response:
        # The chat's errors reach families: plain words. Other routes keep FastAPI's detailed body.
        if request.url.path == "/api/chat":
            return JSONResponse(status_code=422, content={"detail": bad_message_notice(exc.errors())})
        return await request_validation_exception_handler(request, exc)

    @app.post(
        "/api/chat",
        response_model=ChatReply,
        tags=["chat"],
        responses={
            422: {"description": "The message is empty, too long or not text (a sentence for the family)"},
            429: {"description": "Too many messages"},
            502: {"description": "Rasa is not available"},
            503: {"description": "Paused by SENDIASS staff"},
        },
    )
    async def chat(request: ChatRequest, http_request: Request) -> ChatReply:
        """Send one message to the assistant and return its replies with their sources."""
        if len(request.message) > settings.max_message_chars:
            raise HTTPException(status_code=422, detail=too_long_notice(settings.max_message_chars))
        client = http_request.client.host if http_request.client else "unknown"
        if (await asyncio.to_thread(store.service_state)).paused:
            raise HTTPException(status_code=503, detail=paused_notice(settings))
        wait = limiter.retry_after(request.sender_id, client)
        if wait is not None:
            raise HTTPException(status_code=429, detail=TOO_MANY, headers={"Retry-After": str(wait)})
        try:
            messages = await pipeline.handle(request)
        except RasaUnavailable as exc:
            log.warning("conversation %s: no reply (%s)", request.sender_id, exc)
            metrics.chat_replies.labels("unavailable").inc()
            raise HTTPException(status_code=502, detail=unavailable_notice(settings)) from exc
        safety = any(m.kind == "safety" for m in messages)
        metrics.chat_replies.labels("safety" if safety else "answered").inc()
        return ChatReply(messages=messages)

    app.include_router(search_router(settings, limiter))

    @app.get("/api/widget-config", response_model=WidgetConfig, tags=["chat"])
    async def widget_config() -> WidgetConfig:
        manifest = current_manifest_or_none(settings.kb_dir)
        paused = (await asyncio.to_thread(store.service_state)).paused
        return WidgetConfig(
            demo_data=manifest is None or manifest.source == "demo",
            sendiass_phone=settings.sendiass_phone,
            max_message_chars=settings.max_message_chars,
            paused=paused,
            paused_notice=paused_notice(settings) if paused else None,
        )

    kb_check = KnowledgeBaseCheck(settings.kb_dir)
    outbox = Outbox(settings.outbox_dir)
    harden(app, settings, metrics, outbox.pending)

    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz() -> Health:
        """Whether each part is up (``down`` names those that are not), and whether staff paused the assistant."""
        rasa_ok, rasa_detail = await rasa.probe("/")
        actions_ok, actions_detail = await rasa.probe("/health", base_url=settings.action_url)
        kb = await asyncio.to_thread(kb_check.health)
        try:
            paused = (await asyncio.to_thread(store.service_state)).paused
            database_ok, database_detail = True, "answering"
        except Exception as exc:  # any driver error: the health page must still answer
            paused, database_ok, database_detail = False, False, f"not answering ({exc.__class__.__name__})"
        waiting = await asyncio.to_thread(outbox.pending)
        if waiting:
            database_ok = False
            database_detail += f"; {waiting} escalation(s) waiting on local disk to be stored"
        parts = {
            "rasa": ComponentHealth(ok=rasa_ok, detail=rasa_detail),
            "action_server": ComponentHealth(ok=actions_ok, detail=actions_detail),
            "knowledge_base": kb,
            "app_database": ComponentHealth(ok=database_ok, detail=database_detail),
        }
        down = [name for name, part in parts.items() if not part.ok]
        return Health(status="degraded" if down else "ok", down=down, paused=paused, **parts)

    def page(name: str) -> FileResponse:
        return FileResponse(WIDGET_DIR / "demo" / name, media_type="text/html")

    @app.get("/", include_in_schema=False)
    async def demo_page() -> FileResponse:
        return page("index.html")

    @app.get("/future-me", include_in_schema=False)
    async def future_me_page() -> FileResponse:
        return page("future-me.html")

    # The SENDIASS staff console (docs/decisions/0005-staff-console.md).
    app.mount("/staff", create_console(settings, store), name="staff")
    app.mount("/widget", StaticFiles(directory=WIDGET_DIR / "static"), name="widget")
    app.mount("/demo-assets", StaticFiles(directory=WIDGET_DIR / "demo"), name="demo-assets")
    return app
