"""Search with filters, lexical fusion and confidence on a small real build, and GET /api/search."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from ingestion.models import Chunk, ServiceRecord
from knowledge_base.build import build_knowledge_base
from knowledge_base.embedding import Embedder
from knowledge_base.filters import SearchFilters, districts_served
from knowledge_base.reranking import DEPTH, Reranker
from knowledge_base.search import KnowledgeBase
from settings import Settings
from tests.conftest import free_port

BASE = "http://demo/kb5/gloucs/glosfamilies/"
ADVICE = {
    "mediation": (
        "Mediation before an appeal",
        "Before you appeal to the SEND Tribunal you must think about mediation. Ask the mediation service "
        "for a mediation certificate. You need the certificate to register your appeal.",
    ),
    "transport": (
        "School transport",
        "Some children with SEND can get free travel to school. The council's policy explains who can get it.",
    ),
    "future-me-college": (
        "Future Me: going to college",
        "You can choose a college course after Year 11. Tell the college about your support needs.",
    ),
}
# (id, district text, ages, needs, description)
SERVICES = [
    ("stroud-autism-club", "Stroud", (5, 11), ("autism",), "A Saturday club for autistic children."),
    ("cheltenham-autism-club", "Cheltenham", (5, 11), ("autism",), "A Saturday club for autistic children."),
    ("stroud-teen-autism", "Stroud", (12, 18), ("autism",), "An evening group for autistic teenagers."),
    ("countywide-autism-line", "Countywide", (0, 25), ("autism",), "A helpline for families of autistic children."),
    ("stroud-deaf-club", "Stroud", (5, 11), ("sensory",), "A Saturday club for deaf children."),
]


def _chunk(doc_id: str, kind: str, title: str, text: str, audience: str = "all") -> Chunk:
    url = f"{BASE}{kind}.page?id={doc_id}"
    return Chunk(
        chunk_id=hashlib.sha256(f"{doc_id}{text}".encode()).hexdigest()[:20],
        doc_url=url,
        url=url,
        title=title,
        section="",
        text=text,
        page_type=kind,  # type: ignore[arg-type]
        last_updated="March 2026",
        embed_text=f"{title}: {text}",
        audience=audience,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def kb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kb")
    chunks = [
        _chunk(key, "advice", title, text, "young_person" if key.startswith("future-me") else "all")
        for key, (title, text) in ADVICE.items()
    ]
    services: dict[str, ServiceRecord] = {}
    for key, area, (low, high), needs, description in SERVICES:
        name = key.replace("-", " ").title() + " (example)"
        text = f"{name} offers {description.lower()} For ages {low}-{high} in {area}."
        chunk = _chunk(key, "service", name, text)
        chunks.append(chunk)
        services[chunk.doc_url] = ServiceRecord(
            name=name, description=description, area_served=area, min_age=low, max_age=high, needs=needs
        )
    build_knowledge_base(chunks, services, root, "demo", Embedder(), len(chunks), show_progress=False)
    return root


@pytest.fixture(scope="module")
def kb(kb_root: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase.load(kb_root)
    yield opened
    opened.close()


def _ids(kb: KnowledgeBase, query: str, **kwargs: object) -> list[str]:
    return [h.doc_url.rsplit("=", 1)[-1] for h in kb.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_district_and_age_filters_keep_only_services_that_fit(kb: KnowledgeBase) -> None:
    found = _ids(kb, "autism club", filters=SearchFilters(district="Stroud", age=7), k=10)
    assert "stroud-autism-club" in found
    assert "countywide-autism-line" in found  # serves every district
    assert "cheltenham-autism-club" not in found  # another district
    assert "stroud-teen-autism" not in found  # ages 12-18
    assert "mediation" in found  # advice pages are never filtered by district or age


def test_need_and_page_type_filters(kb: KnowledgeBase) -> None:
    found = _ids(kb, "saturday club", filters=SearchFilters(need="sensory", page_types=("service",)), k=10)
    assert found[0] == "stroud-deaf-club"
    assert "stroud-autism-club" not in found
    assert all(not f.startswith(("mediation", "transport")) for f in found)


def test_the_audience_filter_excludes_and_nothing_left_means_no_hits(kb: KnowledgeBase) -> None:
    assert _ids(kb, "college", filters=SearchFilters(audience="young_person"), k=5) == ["future-me-college"]
    result = kb.search("college", filters=SearchFilters(audience="young_person", page_types=("service",)))
    assert result.hits == []
    assert not result.confident


def test_filters_are_read_from_the_question_when_none_are_given(kb: KnowledgeBase) -> None:
    result = kb.search("autism club in stroud for my 7 year old", k=10)
    assert result.filters.district == "Stroud"
    assert result.filters.age == 7
    ids = [h.doc_url.rsplit("=", 1)[-1] for h in result.hits]
    assert ids[0] == "stroud-autism-club"
    assert "cheltenham-autism-club" not in ids
    plain = _ids(kb, "autism club in stroud for my 7 year old", k=10, understand_query=False)
    assert "cheltenham-autism-club" in plain


def test_lexical_fusion_finds_a_rare_exact_term(kb: KnowledgeBase) -> None:
    assert _ids(kb, "mediation certificate", mode="lexical", k=1) == ["mediation"]
    assert _ids(kb, "mediation certificate", mode="fused", k=1) == ["mediation"]


def test_confidence_is_high_for_a_question_the_pages_answer_and_low_for_one_they_do_not(kb: KnowledgeBase) -> None:
    answered = kb.search("do I need a mediation certificate before I appeal to the tribunal")
    assert answered.confident
    unrelated = kb.search("recipe for a gluten free birthday cake")
    assert not unrelated.confident
    assert unrelated.confidence < answered.confidence


def test_bad_filters_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="Unknown district"):
        SearchFilters(district="Bristol")
    with pytest.raises(ValueError, match="0-25"):
        SearchFilters(age=40)
    with pytest.raises(ValueError, match="Unknown need"):
        SearchFilters(need="tall")


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("Stroud", {"Stroud"}),
        ("Countywide", {"Cheltenham", "Cotswold", "Forest of Dean", "Gloucester", "Stroud", "Tewkesbury"}),
        ("All of Gloucestershire", {"Cheltenham", "Cotswold", "Forest of Dean", "Gloucester", "Stroud", "Tewkesbury"}),
        ("Gloucester and Tewkesbury", {"Gloucester", "Tewkesbury"}),
        ("Forest of Dean", {"Forest of Dean"}),
        (None, set()),
    ],
)
def test_the_area_served_text_is_read_as_districts(area: str | None, expected: set[str]) -> None:
    from knowledge_base.filters import DISTRICTS

    mask = districts_served(area)
    assert {d for i, d in enumerate(DISTRICTS) if mask & (1 << i)} == expected


def test_the_search_api(kb_root: Path, tmp_path: Path) -> None:
    var = kb_root.parent / "var"
    var.mkdir(exist_ok=True)
    if not (var / "kb").exists():
        (var / "kb").symlink_to(kb_root)
    settings = Settings(var_dir=var, rasa_port=free_port(), action_port=free_port())
    with TestClient(create_app(settings)) as client:
        found = client.get("/api/search", params={"q": "autism club for my 7 year old in stroud", "k": 10}).json()
        assert found["filters"] == {"district": "Stroud", "age": 7.0, "need": "autism"}
        assert found["understood"]["districts"] == ["Stroud"]
        assert found["hits"][0]["url"].endswith("id=stroud-autism-club")
        assert found["hits"][0]["service"]["area_served"] == "Stroud"
        assert isinstance(found["confident"], bool)
        given = client.get("/api/search", params=[("q", "club"), ("need", "sensory"), ("page_type", "service")]).json()
        assert given["hits"][0]["url"].endswith("id=stroud-deaf-club")
        assert client.get("/api/search", params={"q": "x", "district": "Bristol"}).status_code == 422
        assert client.get("/api/search", params={"q": "x", "age": 40}).status_code == 422
        assert client.get("/api/search", params={"q": ""}).status_code == 422
        assert "/api/search" in client.get("/openapi.json").json()["paths"]


def test_the_search_api_says_when_there_is_no_knowledge_base(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, rasa_port=free_port(), action_port=free_port())
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/search", params={"q": "ehcp"})
    assert response.status_code == 503
    assert response.json()["detail"] == "Search is not working just now. Please try again later."
    assert str(tmp_path) not in response.text  # no file path in any HTTP response


def test_the_reranker_reorders_the_first_pages_and_a_blended_follow_up_keeps_the_fused_order(kb: KnowledgeBase) -> None:
    query = "a saturday club for autistic children"
    vector = kb.embed(query)
    candidates = kb.page_candidates(query, vector)
    urls = [url for url, _ in candidates]
    assert 3 <= len(urls) <= DEPTH
    assert len(set(urls)) == len(urls)
    lags = [c.lag for _, c in candidates]
    assert lags[0] == 0.0
    assert lags == sorted(lags)
    assert all(0.0 <= c.lexical_share <= 1.0 and c.passages >= 1 for _, c in candidates)

    shipped = kb.reranker
    try:
        kb.reranker = None
        assert kb.search_vector(query, vector).hits[0].doc_url == urls[0]
        # A model that prefers the page furthest behind puts the last of the first pages on top.
        kb.reranker = Reranker(features=("lag",), coefficients=(5.0,), intercept=-10.0)
        assert kb.search_vector(query, vector).hits[0].doc_url == urls[-1]
        assert kb.search_vector(query, vector, use_examples=False).hits[0].doc_url == urls[0]
        assert kb.search_vector(query, vector, mode="dense").hits[0].doc_url != urls[-1]
    finally:
        kb.reranker = shipped


def test_a_message_embedded_again_in_the_same_turn_is_not_computed_again(kb: KnowledgeBase) -> None:
    first = kb.embed("can I ask for an assessment myself")
    again = kb.embed("can I ask for an assessment myself")
    assert again is first, "the second asking comes from the cache"
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 0.0  # shared between callers, so nobody may change it in place
    kb.forget_embeddings()
    fresh = kb.embed("can I ask for an assessment myself")
    assert fresh is not first
    assert np.allclose(fresh, first)
