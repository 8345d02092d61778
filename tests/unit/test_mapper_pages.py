"""The snapshot pages as the mappers of a new answer set read them (bench/mapper_pages.py)."""

from __future__ import annotations

from pathlib import Path

from bench.mapper_pages import CHANNEL_NOTE, INDEX_FILE, address_of, main
from demo_site.server import PAGES_DIR, snapshot_files


def test_a_snapshot_file_is_named_by_the_address_it_is_served_at() -> None:
    assert address_of(PAGES_DIR / "advice" / "appeals.html") == "advice.page?id=appeals"
    assert address_of(PAGES_DIR / "localoffer" / "0.html") == "localoffer.page?localofferchannel=0"


def test_every_page_is_written_with_its_address_title_and_text(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    rows = [line.split("\t") for line in (tmp_path / INDEX_FILE).read_text(encoding="utf-8").splitlines()[1:]]
    assert len(rows) == len(snapshot_files())
    for address, title, name in rows:
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.startswith(f"ADDRESS: {address}\nTITLE: {title}\n")
        if address.startswith("localoffer.page"):
            assert CHANNEL_NOTE in text  # a menu: the pages it links to hold the text
        else:
            assert len(text.split()) > 20, address
    appeals = (tmp_path / "advice.page_id_appeals.txt").read_text(encoding="utf-8")
    assert "SEND Tribunal" in appeals
    assert "## " in appeals


def test_a_service_page_shows_its_directory_details(tmp_path: Path) -> None:
    main([str(tmp_path)])
    services = sorted(tmp_path.glob("service.page_id_*.txt"))
    assert services
    text = services[0].read_text(encoding="utf-8")
    assert "## Details" in text
    assert "Area served: " in text
