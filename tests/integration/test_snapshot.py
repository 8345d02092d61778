"""The demo snapshot keeps its promises: size, reachability, fictional contacts, and its deliberate trouble."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demo_site.server import DemoSite, snapshot_files
from ingestion.crawl import Crawler, CrawlScope
from ingestion.extract import extract
from ingestion.page_store import PageStore
from tests.facts import public_contacts

# Public numbers we may state as facts (docs/facts.md).
PUBLIC_NUMBERS = set(public_contacts().values())
UK_NUMBER = re.compile(r"\b0\d{2,4}[ ]?\d{3}[ ]?\d{2,4}(?:[ ]\d{2})?\b|\b116 123\b")
DRAMA_RANGE = re.compile(r"^01632 960\d{3}$")


def texts() -> dict[Path, str]:
    return {p: p.read_bytes().decode("utf-8" if "windows-1252" not in p.name else "cp1252") for p in snapshot_files()}


def test_the_snapshot_is_big_enough_in_each_part() -> None:
    files = snapshot_files()
    kinds = [f.parent.name for f in files]
    assert len(files) >= 150
    assert kinds.count("advice") >= 50
    assert kinds.count("service") >= 80
    assert sum(1 for f in files if f.stem.startswith("future-me")) >= 8


def test_only_public_or_drama_range_phone_numbers_and_example_org_addresses() -> None:
    for path, text in texts().items():
        for number in UK_NUMBER.findall(text):
            assert number in PUBLIC_NUMBERS or DRAMA_RANGE.match(number), (path.name, number)
        for domain in re.findall(r"[\w.-]+@([\w.-]+)", text):
            assert domain == "example.org", (path.name, domain)
        for host in re.findall(r"https?://([\w.-]+)", text):
            assert host in ("www.example.org", "example.org"), (path.name, host)


def test_fictional_services_say_so() -> None:
    real = {"sendiass-gloucestershire", "family-information-service"}
    for path in snapshot_files():
        if path.parent.name == "service" and path.stem not in real:
            assert "(example)" in path.read_text(), path.name


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> PageStore:
    store = PageStore(tmp_path_factory.mktemp("snapshot") / "crawl.sqlite")
    with DemoSite() as site:
        crawler = Crawler(
            CrawlScope([site.start_url], {site.root_url.removeprefix("http://")}), store, "Test/1.0", delay_seconds=0
        )
        stats = crawler.crawl()
        crawler.close()
    assert stats.finished
    return store


def test_every_page_is_reachable_and_the_trouble_is_handled(crawled: PageStore) -> None:
    states = {url.rsplit("/", 1)[-1]: state for url, state in crawled.states().items()}
    for path in snapshot_files():
        key = f"{path.parent.name}.page?{'localofferchannel' if path.parent.name == 'localoffer' else 'id'}={path.stem}"
        assert key in states, f"{path.name} is not reachable from the home channel page"
    assert states["advice.page?id=this-page-was-removed"][0] == "missing"
    assert states["advice.page?id=sen-support-copy"][0] == "duplicate"
    assert states["advice.page?id=flaky-page-example"][0] == "ok"  # after two 500s
    assert any(target.endswith("id=ehc-plans") for target in crawled.redirects().values())


def test_every_content_page_extracts_with_a_title_and_a_date(crawled: PageStore) -> None:
    for page in crawled.pages():
        doc = extract(page)
        assert doc is not None, page.final_url
        if doc.page_type in ("advice", "service"):
            assert doc.title, page.final_url
            assert doc.last_updated, page.final_url
    cp1252 = next(p for p in crawled.pages() if p.final_url.endswith("windows-1252-example"))
    doc = extract(cp1252)
    assert doc is not None
    assert "£" in " ".join(s.text for s in doc.sections)


def test_every_service_age_range_is_understood(crawled: PageStore) -> None:
    for page in crawled.pages():
        doc = extract(page)
        if doc is not None and doc.service is not None and doc.service.age_range:
            record = doc.service
            assert record.min_age is not None, (page.final_url, record.age_range)
            assert record.max_age is not None
            assert 0 <= record.min_age <= record.max_age <= 25, (record.age_range, record.min_age, record.max_age)


def test_service_records_know_their_needs_and_channels(tmp_path: Path) -> None:
    from settings import Settings
    from signposting.knowledge_build import crawl_site, extract_pages

    settings = Settings(var_dir=tmp_path)
    with DemoSite() as site:
        crawl_site(settings, [site.start_url], 0.0, show_progress=False)
    pages, _ = extract_pages(settings)
    services = {p.url.rsplit("=", 1)[-1]: p.service for p in pages if p.service is not None}
    autism = services["forest-autism-family-group"]
    assert autism is not None
    assert "autism" in autism.needs
    assert "Forest of Dean" in " ".join(autism.channels)
    assert sum(1 for s in services.values() if s is not None and s.needs) >= 60
