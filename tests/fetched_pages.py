"""Build FetchedPage records in tests, as the crawler would have stored them."""

from __future__ import annotations

import hashlib

from ingestion.models import FetchedPage


def fetched(url: str, body: bytes | str, content_type: str = "text/html; charset=utf-8") -> FetchedPage:
    """A successful fetch of ``url`` with this body (text is encoded as UTF-8)."""
    data = body.encode() if isinstance(body, str) else body
    return FetchedPage(
        url=url,
        final_url=url,
        status=200,
        fetched_at="2026-11-23T00:00:00+00:00",
        content_type=content_type,
        body=data,
        content_hash=hashlib.sha256(data).hexdigest(),
    )
