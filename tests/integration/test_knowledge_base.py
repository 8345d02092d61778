"""Build and search with the real embedding model and FAISS."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingestion.models import Chunk, ServiceRecord
from knowledge_base.build import BuildError, build_knowledge_base, write_build
from knowledge_base.embedding import Embedder
from knowledge_base.excerpt import best_excerpt
from knowledge_base.search import KnowledgeBase, KnowledgeBaseError
from knowledge_base.store import EMBEDDING_CACHE_FILE, current_dir, current_manifest, current_page_urls

PASSAGES = {
    "ehc": (
        "Asking for an EHC needs assessment",
        "You can ask the council for an EHC needs assessment by "
        "writing to them. You do not need a diagnosis. The council must decide within 6 weeks.",
    ),
    "ehc2": (
        "Asking for an EHC needs assessment",
        "A young person aged 16 to 25 can ask for an assessment "
        "themselves. The school does not have to agree before you ask.",
    ),
    "ehc3": ("Asking for an EHC needs assessment", "Keep a copy of your letter and the date you sent it."),
    "senco": (
        "SEN support in school",
        "Every mainstream school has a SENCO. The SENCO is the teacher who "
        "organises help for children with special educational needs.",
    ),
    "transport": (
        "School transport",
        "Some children can get help with travel to school. The council's policy explains who can get it.",
    ),
    "club": (
        "Example Chatter Club (example)",
        "Example Chatter Club (example): a weekly group for children "
        "who find talking hard. Ages: 5-11 years. Area: Stroud. Cost: Free.",
    ),
}


def make_chunks(extra: str = "") -> list[Chunk]:
    chunks = []
    for key, (title, text) in PASSAGES.items():
        body = text + (extra if key == "transport" else "")
        doc_url = f"http://demo/{'service' if key == 'club' else 'advice'}.page?id={key.rstrip('23')}"
        chunks.append(
            Chunk(
                chunk_id=hashlib.sha256(f"{key}{body}".encode()).hexdigest()[:20],
                doc_url=doc_url,
                url=doc_url,
                title=title,
                section="",
                text=body,
                page_type="service" if key == "club" else "advice",
                last_updated="March 2026",
                embed_text=f"{title}: {body}",
            )
        )
    return chunks


SERVICES = {
    "http://demo/service.page?id=club": ServiceRecord(name="Example Chatter Club (example)", area_served="Stroud")
}


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def build(kb_root: Path, embedder: Embedder, extra: str = "") -> int:
    manifest = build_knowledge_base(make_chunks(extra), SERVICES, kb_root, "demo", embedder, 5, show_progress=False)
    return manifest.embedded


def test_search_finds_the_answering_page_first_with_its_citation(tmp_path: Path, embedder: Embedder) -> None:
    build(tmp_path, embedder)
    kb = KnowledgeBase.load(tmp_path, embedder)
    hits = kb.search("how do i ask for an ehc assessment", k=5).hits
    assert hits[0].doc_url == "http://demo/advice.page?id=ehc"
    assert hits[0].title == "Asking for an EHC needs assessment"
    assert hits[0].last_updated == "March 2026"
    assert hits[0].score > hits[-1].score
    # At most two passages from one page, even though three match.
    assert sum(h.doc_url.endswith("id=ehc") for h in hits) == 2
    club = kb.search("speech group for my 6 year old in Stroud", k=1).hits[0]
    assert club.service is not None
    assert club.service.area_served == "Stroud"


def test_the_current_builds_page_addresses_are_read_without_loading_the_index(
    tmp_path: Path, embedder: Embedder
) -> None:
    assert current_page_urls(tmp_path) is None
    build(tmp_path, embedder)

    assert current_page_urls(tmp_path) == frozenset(
        {
            "http://demo/advice.page?id=ehc",
            "http://demo/advice.page?id=senco",
            "http://demo/advice.page?id=transport",
            "http://demo/service.page?id=club",
        }
    )


def test_a_rebuild_embeds_only_changed_passages(tmp_path: Path, embedder: Embedder) -> None:
    # Passages and their sentences are embedded: the first build embeds every one of them.
    assert build(tmp_path, embedder) > len(PASSAGES)
    first = current_manifest(tmp_path)
    # One passage gained one sentence: that passage and the new sentence are all that is embedded.
    assert build(tmp_path, embedder, extra=" Ask the school first.") == 2
    second = current_manifest(tmp_path)
    assert first is not None
    assert second is not None
    assert first.build_id != second.build_id
    assert second.reused_embeddings == first.embedded - 1
    # The previous build is kept for rollback.
    assert (tmp_path / "builds" / first.build_id / "manifest.json").is_file()


def test_builds_in_two_places_share_one_embedding_cache_when_told_to(tmp_path: Path, embedder: Embedder) -> None:
    # The test suite's stacks each build their own knowledge base; only the first one embeds.
    shared = tmp_path / "shared" / "vectors.sqlite"
    shared.parent.mkdir()
    first = build_knowledge_base(
        make_chunks(), SERVICES, tmp_path / "a", "demo", embedder, 5, show_progress=False, cache_file=shared
    )
    second = build_knowledge_base(
        make_chunks(), SERVICES, tmp_path / "b", "demo", embedder, 5, show_progress=False, cache_file=shared
    )
    assert first.embedded > len(PASSAGES)
    assert second.embedded == 0
    assert second.reused_embeddings == first.embedded
    assert shared.is_file()
    assert not (tmp_path / "a" / EMBEDDING_CACHE_FILE).exists()
    assert KnowledgeBase.load(tmp_path / "b", embedder).search("how do i ask for an ehc assessment", k=1).hits


def test_a_failed_build_leaves_current_untouched(tmp_path: Path, embedder: Embedder) -> None:
    build(tmp_path, embedder)
    before = current_dir(tmp_path).resolve()
    with pytest.raises(BuildError):
        build_knowledge_base([], {}, tmp_path, "demo", embedder, 0, show_progress=False)
    assert current_dir(tmp_path).resolve() == before
    assert not any(p.name.startswith(".staging") for p in (tmp_path / "builds").iterdir())


def test_a_build_that_fails_validation_is_removed_and_current_stays(tmp_path: Path, embedder: Embedder) -> None:
    build(tmp_path, embedder)
    before = current_dir(tmp_path).resolve()
    chunks = make_chunks()
    vectors = embedder.encode([c.text for c in chunks])
    # One vector short: the index and the passage store disagree, which validation must catch.
    with pytest.raises(BuildError, match="vectors"):
        write_build(tmp_path, chunks, SERVICES, vectors[:-1], [[c.text] for c in chunks], vectors, "demo", 5, 0, 0.0)
    assert current_dir(tmp_path).resolve() == before
    assert not any(p.name.startswith(".staging") for p in (tmp_path / "builds").iterdir())
    assert KnowledgeBase.load(tmp_path, embedder).search("ehc assessment", k=1).hits


def test_loading_a_missing_or_damaged_knowledge_base_fails_clearly(tmp_path: Path, embedder: Embedder) -> None:
    with pytest.raises(KnowledgeBaseError, match="Build it first"):
        KnowledgeBase.load(tmp_path)
    build(tmp_path, embedder)
    (current_dir(tmp_path) / "index.faiss").write_bytes(b"not an index")
    with pytest.raises(KnowledgeBaseError, match="damaged"):
        KnowledgeBase.load(tmp_path)
    (current_dir(tmp_path) / "manifest.json").write_text("{}")
    with pytest.raises(KnowledgeBaseError, match="manifest"):
        KnowledgeBase.load(tmp_path)


def test_excerpts_are_the_pages_own_sentences_nearest_the_question(tmp_path: Path, embedder: Embedder) -> None:
    build(tmp_path, embedder)
    kb = KnowledgeBase.load(tmp_path, embedder)
    vector = kb.embed("does the school have to agree?")
    hits = kb.page_passages(vector, "http://demo/advice.page?id=ehc", within=1.0)
    assert len(hits) == 3
    excerpt = best_excerpt(kb, vector, hits, max_sentences=2)
    assert "The school does not have to agree before you ask." in excerpt.text
    assert excerpt.hit.text == PASSAGES["ehc2"][1]
    for line in excerpt.text.splitlines():
        assert line in excerpt.hit.text


def test_a_service_is_quoted_whole_from_its_summary(tmp_path: Path, embedder: Embedder) -> None:
    build(tmp_path, embedder)
    kb = KnowledgeBase.load(tmp_path, embedder)
    question = "is there a free talking group in stroud"
    vector = kb.embed(question)
    hits = kb.search_vector(question, vector, k=3).hits
    assert hits[0].page_type == "service"
    excerpt = best_excerpt(kb, vector, kb.page_passages(vector, hits[0].doc_url))
    assert excerpt.text == PASSAGES["club"][1]


def test_the_askers_audience_settles_near_ties(tmp_path: Path, embedder: Embedder) -> None:
    pages = {
        "parent": ("Asking for an EHC needs assessment", "all", "Parents can ask the council for an assessment."),
        "young": (
            "Asking for an EHC needs assessment as a young person",
            "young_person",
            "You can ask the council for an assessment.",
        ),
        "other": ("School transport", "all", "Some children can get help with travel to school."),
    }
    chunks = [
        Chunk(
            chunk_id=key,
            doc_url=f"http://demo/advice.page?id={key}",
            url=f"http://demo/advice.page?id={key}",
            title=title,
            section="",
            text=text,
            page_type="advice",
            embed_text=f"{title}: {text}",
            audience=audience,  # type: ignore[arg-type]
        )
        for key, (title, audience, text) in pages.items()
    ]
    build_knowledge_base(chunks, {}, tmp_path, "demo", embedder, 3, show_progress=False)
    kb = KnowledgeBase.load(tmp_path, embedder)
    question = "how can I ask for an EHC needs assessment"
    assert kb.search(question, k=1, asker="parent").hits[0].doc_url.endswith("id=parent")
    assert kb.search(question, k=1, asker="young_person").hits[0].doc_url.endswith("id=young")
    # The preference moves ranks only: each hit keeps its true similarity.
    plain = {h.chunk_id: h.score for h in kb.search(question, k=3).hits}
    for hit in kb.search(question, k=3, asker="young_person").hits:
        assert hit.score == pytest.approx(plain[hit.chunk_id])
