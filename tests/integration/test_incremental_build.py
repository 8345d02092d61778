"""Crawl + extract + build, repeated: only what changed is extracted, and removed pages leave the index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_site.server import DemoSite
from knowledge_base.search import KnowledgeBase
from settings import Settings
from signposting.knowledge_build import build_from_site


def advice(title: str, text: str, links: str = "") -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title></head><body>"
        f"<main id='main-content'><article class='advice'><h1>{title}</h1><div class='advice-body'>"
        f"<h2>About this</h2><p>{text}</p></div><p class='reviewed'>Page reviewed: March 2024</p></article>"
        f"{links}</main></body></html>"
    )


PAGES = {
    "localoffer/0": advice(
        "Home",
        "Start here.",
        "<a href='advice.page?id=ehc'>EHC</a><a href='advice.page?id=transport'>Transport</a>"
        "<a href='advice.page?id=gone'>Gone soon</a>",
    ),
    "advice/ehc": advice("Asking for an EHC needs assessment", "You can ask the council in writing. " * 5),
    "advice/transport": advice("Help with travel to school", "Some children can get help with travel. " * 5),
    "advice/gone": advice("Holiday play schemes", "Play schemes run in the summer holidays. " * 5),
}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[DemoSite, Path]]:
    root = tmp_path / "pages"
    for name, html in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.html").write_text(html)
    with DemoSite(pages_dir=root) as running:
        yield running, root


def test_rebuilds_extract_only_changes_and_drop_removed_pages(site: tuple[DemoSite, Path], tmp_path: Path) -> None:
    demo, root = site
    settings = Settings(var_dir=tmp_path / "var")
    first = build_from_site(settings, [demo.start_url], 0.0, show_progress=False)
    assert first.built
    assert first.extraction.extracted == 4
    assert first.manifest.documents == 3  # the home page is a channel page: links, no content
    assert len(first.stale_pages) == 3  # 'March 2024' is more than a year ago

    second = build_from_site(settings, [demo.start_url], 0.0, show_progress=False)
    assert not second.built
    assert second.extraction.extracted == 0
    assert second.extraction.reused == 4
    assert second.crawl.unchanged == 5  # the four pages and the sitemap
    assert second.crawl.not_requested == 4  # the sitemap's <lastmod> vouched for every page

    (root / "advice" / "gone.html").unlink()
    third = build_from_site(settings, [demo.start_url], 0.0, show_progress=False)
    assert third.built
    assert third.crawl.removed == 1
    assert third.extraction.extracted == 0
    assert third.manifest.documents == 2
    assert [(b.link.rsplit("=", 1)[-1], b.status) for b in third.broken_links] == [("gone", 404)]
    kb = KnowledgeBase.load(settings.kb_dir)
    try:
        hits = kb.search("summer holiday play schemes", k=5).hits
        assert all(not h.doc_url.endswith("id=gone") for h in hits)
    finally:
        kb.close()
