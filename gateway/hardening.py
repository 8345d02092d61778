"""Browser security headers, the CORS allowlist, and /metrics for the gateway (issue 12).

Headers are set on every response that does not already carry its own (the staff console sets a
stricter policy on its pages, with frame-ancestors 'none'). The policy allows nothing inline:
the demo pages and the widget use only files served from here.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from settings import Settings


def content_security_policy(settings: Settings) -> str:
    ancestors = " ".join(settings.frame_ancestors) or "'none'"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self'; form-action 'self'; frame-ancestors {ancestors}; base-uri 'none'; object-src 'none'"
    )


class Metrics:
    """The gateway's Prometheus metrics, in a registry of its own (one per app, so tests do not share)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gateway_requests",
            "HTTP requests answered, by route and status",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "gateway_request_seconds",
            "Time to answer, by route",
            ["route"],
            buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 4.0, 8.0),
            registry=self.registry,
        )
        self.chat_replies = Counter(
            "gateway_chat_replies",
            "Chat replies by outcome (answered, safety, unavailable)",
            ["outcome"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "gateway_outbox_pending", "Escalations waiting on local disk for the app database", registry=self.registry
        )


def harden(app: FastAPI, settings: Settings, metrics: Metrics, outbox_pending: Callable[[], int]) -> None:
    """Add the headers, CORS (when origins are configured) and the /metrics route to ``app``."""
    csp = content_security_policy(settings)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", None) or "other"
        metrics.requests.labels(path, str(response.status_code)).inc()
        metrics.latency.labels(path).observe(time.perf_counter() - started)
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response

    if settings.cors_allow_origins:
        # Outermost, so that a refused preflight never reaches the routes.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        metrics.outbox_pending.set(outbox_pending())
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
