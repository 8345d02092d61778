"""URL normalisation for kb5 sites, so one page has one URL whatever link led to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that name a kb5 page; everything else (sort order, session, tracking) is noise.
KB5_IDENTITY_PARAMS = frozenset({"id", "localofferchannel", "familychannel", "channel", "qt", "term", "page"})


def normalise_url(url: str, base: str | None = None) -> str:
    """Absolute URL without fragment, ``;jsessionid``, or noise parameters; host lower-cased."""
    absolute = urljoin(base, url) if base else url
    parts = urlsplit(absolute)
    path = parts.path.split(";", 1)[0] or "/"
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in KB5_IDENTITY_PARAMS)
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))
