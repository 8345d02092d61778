"""How the knowledge base scales: build time, size on disk, memory and query latency at 1k/10k/100k passages.

The larger knowledge bases are synthetic: the demo build's passages are copied under new page
addresses, and each copy's vector is the original's plus a little noise (normalised again), so the
index holds distinct vectors with the real data's spread. Embedding 100k real passages would take
hours on this machine, and embedding is not what grows with size: the query is embedded once.
Synthetic passages carry one sentence each (real ones carry about five) because sentence vectors
serve only the excerpt, which reads one page's sentences, not the whole store.

Each size is loaded and queried in a fresh process, so its memory is its own. Latency is the
issue's measure: embed the question, then search with filters, fusion and metadata. The demo
build, measured the same way in the same run, is the baseline for the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.query_latency import QUESTIONS
from bench.results_file import write_results
from ingestion.models import Chunk, ServiceRecord
from knowledge_base.build import write_build
from knowledge_base.search import KnowledgeBase
from settings import get_settings

SIZES = (1_000, 10_000, 100_000)
NOISE = 0.03

# Run in a child process: load a knowledge base, warm up, time queries, report memory as JSON.
_PROBE = """
import json, resource, statistics, sys, time
from pathlib import Path

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

from knowledge_base.embedding import Embedder
from knowledge_base.search import KnowledgeBase
embedder = Embedder()
embedder.encode(["warm up"])
before = rss_mb()
started = time.perf_counter()
kb = KnowledgeBase.load(Path(sys.argv[1]), embedder)
load_s = time.perf_counter() - started
after = rss_mb()
questions = json.loads(sys.argv[2])
repeat = int(sys.argv[3])
kb.search(questions[0], k=3)
samples = []
for _ in range(repeat):
    for q in questions:
        t = time.perf_counter()
        kb.search(q, k=3)
        samples.append((time.perf_counter() - t) * 1000)
samples.sort()
print(json.dumps({
    "passages": kb.size,
    "load_s": load_s,
    "kb_rss_mb": after - before,
    "process_rss_mb": rss_mb(),
    "p50_ms": statistics.median(samples),
    "p95_ms": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
}))
"""


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _synthetic(
    kb: KnowledgeBase, size: int, rng: np.random.Generator
) -> tuple[list[Chunk], dict[str, ServiceRecord], np.ndarray]:
    rows = kb.all_chunks()
    services = kb.all_services()
    base_vectors = kb.passage_vectors()
    chunks: list[Chunk] = []
    records: dict[str, ServiceRecord] = {}
    picks = np.arange(size) % len(rows)
    for i, j in enumerate(picks):
        copy = i // len(rows)
        chunk = rows[j]
        doc_url = chunk.doc_url if copy == 0 else f"{chunk.doc_url}&copy={copy}"
        chunks.append(replace(chunk, chunk_id=f"{chunk.chunk_id}-{copy}", doc_url=doc_url, url=doc_url))
        if chunk.doc_url in services and doc_url not in records:
            records[doc_url] = services[chunk.doc_url]
    vectors = base_vectors[picks] + rng.normal(0, NOISE, (size, base_vectors.shape[1])).astype(np.float32)
    vectors[: len(rows)] = base_vectors[picks[: len(rows)]]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return chunks, records, vectors.astype(np.float32)


def _probe(kb_root: Path, repeat: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(kb_root), json.dumps(QUESTIONS), str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="times each question is asked per size (default 5)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="passage counts to build")
    args = parser.parse_args(argv)

    settings = get_settings()
    kb = KnowledgeBase.load(settings.kb_dir)
    rng = np.random.default_rng(7)
    rows: list[dict[str, float]] = []
    baseline = _probe(settings.kb_dir, args.repeat)
    rows.append(
        {
            "passages": kb.size,
            "build_s": kb.manifest.build_seconds,
            "size_mb": _dir_mb(kb.build_dir),
            **baseline,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            root = Path(tmp) / str(size)
            chunks, services, vectors = _synthetic(kb, size, rng)
            sentences = [[c.text.split(". ")[0]] for c in chunks]
            started = time.monotonic()
            manifest = write_build(root, chunks, services, vectors, sentences, vectors, "demo", len(chunks), 0, started)
            build_s = time.monotonic() - started
            figures = _probe(root, args.repeat)
            rows.append(
                {
                    "passages": size,
                    "build_s": build_s,
                    "size_mb": _dir_mb(root / "builds" / manifest.build_id),
                    **figures,
                }
            )
            print(f"  {size} passages done", flush=True)
    base_p95 = rows[0]["p95_ms"]
    print(f"Scale curve (synthetic above the demo build's {kb.size} passages); latency = embed + search + metadata")
    print(f"{'passages':>9} {'build s':>8} {'disk MB':>8} {'KB RSS MB':>10} {'p50 ms':>8} {'p95 ms':>8} {'x demo':>7}")
    for row in rows:
        print(
            f"{int(row['passages']):>9} {row['build_s']:8.1f} {row['size_mb']:8.1f} {row['kb_rss_mb']:10.1f} "
            f"{row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['p95_ms'] / base_p95:7.2f}"
        )
    out = write_results("scale-curve", {"noise": NOISE, "repeat": args.repeat, "rows": rows})
    print(f"Wrote {out}")
    return 0
