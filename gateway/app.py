"""The gateway application: chat proxy, health, widget assets, the demo host pages and the staff console."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from app_store import AppStore
from gateway.message_pipeline import MessagePipeline
from gateway.rasa_client import RasaClient, RasaUnavailable
from gateway.rate_limit import ChatRateLimiter
from gateway.schemas import ChatReply, ChatRequest, ComponentHealth, Health, WidgetConfig
from gateway.search_api import search_router
from knowledge_base.store import current_manifest
from signposting.settings import REPO_ROOT, Settings, get_settings
from staff_console.alerts import AlertSender
from staff_console.web import create_console

log = logging.getLogger(__name__)

WIDGET_DIR = REPO_ROOT / "web_widget"
RASA_DOWN = "The assistant is not available right now. Please try again in a minute."
TOO_MANY = "You have sent a lot of messages in a short time. Please wait a moment and try again."


def paused_notice(settings: Settings) -> str:
    """What families see while SENDIASS staff have paused the assistant."""
    return (
        "The SEND support assistant is not available at the moment. To talk to someone, call "
        f"{settings.sendiass_name} on {settings.sendiass_phone}."
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; ``uvicorn gateway.app:create_app --factory`` runs it."""
    settings = settings or get_settings()
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
    limiter = ChatRateLimiter(
        settings.rate_limit_per_conversation, settings.rate_limit_per_client, settings.rate_limit_storage_uri
    )

    store = AppStore.from_settings(settings)
    pipeline = MessagePipeline(settings, rasa, store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Loading the detectors takes 10-20 s (the safety classifier embeds its training messages
        # with the sentence model; the accurate language detector loads its n-gram tables). A
        # thread keeps the event loop free, and waiting for it means the first family does not
        # pay for it (and the language detector's mode is set before any message is read).
        await asyncio.to_thread(pipeline.warm_up)
        # Urgent escalations wait in the app database's outbox; this task emails the duty inbox.
        stop_alerts = asyncio.Event()
        alerts = asyncio.create_task(AlertSender(settings, store).run(stop_alerts))
        yield
        stop_alerts.set()
        await alerts
        await rasa.close()
        store.close()

    app = FastAPI(
        title="Gloucestershire SEND signposting assistant",
        description="Chat gateway in front of the Rasa assistant, knowledge-base search, the widget and health checks.",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.post(
        "/api/chat",
        response_model=ChatReply,
        tags=["chat"],
        responses={
            429: {"description": "Too many messages"},
            502: {"description": "Rasa is not available"},
            503: {"description": "Paused by SENDIASS staff"},
        },
    )
    async def chat(request: ChatRequest, http_request: Request) -> ChatReply:
        """Send one message to the assistant and return its replies with their sources."""
        client = http_request.client.host if http_request.client else "unknown"
        if (await asyncio.to_thread(store.service_state)).paused:
            raise HTTPException(status_code=503, detail=paused_notice(settings))
        wait = limiter.retry_after(request.sender_id, client)
        if wait is not None:
            raise HTTPException(status_code=429, detail=TOO_MANY, headers={"Retry-After": str(wait)})
        try:
            messages = await pipeline.handle(request)
        except RasaUnavailable as exc:
            log.warning("chat failed: %s", exc)
            raise HTTPException(status_code=502, detail=RASA_DOWN) from exc
        return ChatReply(messages=messages)

    app.include_router(search_router(settings, limiter))

    @app.get("/api/widget-config", response_model=WidgetConfig, tags=["chat"])
    async def widget_config() -> WidgetConfig:
        manifest = current_manifest(settings.kb_dir)
        paused = (await asyncio.to_thread(store.service_state)).paused
        return WidgetConfig(
            demo_data=manifest is None or manifest.source == "demo",
            sendiass_phone=settings.sendiass_phone,
            paused=paused,
            paused_notice=paused_notice(settings) if paused else None,
        )

    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz() -> Health:
        """Whether Rasa, the action server and the knowledge base are up, and whether staff paused the assistant."""
        rasa_ok, rasa_detail = await rasa.probe("/")
        actions_ok, actions_detail = await rasa.probe("/health", base_url=settings.action_url)
        try:
            manifest = current_manifest(settings.kb_dir)
        except ValueError as exc:
            kb = ComponentHealth(ok=False, detail=f"manifest damaged: {exc}")
        else:
            kb = (
                ComponentHealth(ok=False, detail="no knowledge base built")
                if manifest is None
                else ComponentHealth(
                    ok=True,
                    detail=f"build {manifest.build_id}: {manifest.chunks} passages from "
                    f"{manifest.documents} pages ({manifest.source})",
                )
            )
        parts = (
            ComponentHealth(ok=rasa_ok, detail=rasa_detail),
            ComponentHealth(ok=actions_ok, detail=actions_detail),
            kb,
        )
        return Health(
            status="ok" if all(p.ok for p in parts) else "degraded",
            rasa=parts[0],
            action_server=parts[1],
            knowledge_base=parts[2],
            paused=(await asyncio.to_thread(store.service_state)).paused,
        )

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
