"""Benchmarks: ``python -m bench <name> [options]``. Each prints a table and writes JSON to bench/results/.

ingestion       crawl and extraction throughput on the demo snapshot, re-crawl ratio
query-latency   warm per-question latency of the knowledge base, stage by stage
retrieval       Recall@k, MRR, nDCG@10 and false confidence on the evaluation set
scale           build time, index size, memory and query latency at 1k, 10k and 100k passages
safety          recall and false positives of the safeguarding detector on its labelled set
dialogue        where realistic messages end up: placed, fallback choices, definitions, answers
rerank          fit the page re-ranker on the read family-message sets (knowledge_base/reranker.json)
rerank-follow-ups  fit how a follow-up's page is chosen, on the read sets (knowledge_base/follow_up_reranker.json)
salience        fit which sentences of a page the answer quotes, on the read sets (knowledge_base/salience.json)
calibrate       fit 'confident' on the read family-message sets (knowledge_base/confidence.json)
answers         a blind family-message set through the running stack: behaviour, key facts, safety
examples        write the pages' example questions (knowledge_base/example_questions.yml) from the read sets
safety-examples write the safety classifier's family messages (safety/data/family_messages.yml) from the read sets
mapper-pages    write every snapshot page as plain text for the mappers of a new answer set
safety-follow-ups  what a family writes after the safety response: carried on or in hand (follow-up sets)
safety-parts    what judging a long message's sentences alone adds, threshold by threshold, on the read sets
load            many families' conversations through the running stack: turns/s, latency, CPU per turn
shared-vector   whether the safety classifier's vector of a message could serve the search too
scale-out       the same load on one node and on two nodes behind nginx (PostgreSQL, Redis)
double-send     one conversation's messages sent to two nodes at once: replies and messages kept
"""

from __future__ import annotations

import importlib
import sys

# name -> module with main(argv) -> int; imported only when asked for (some load the model).
BENCHMARKS = {
    "ingestion": "bench.ingestion_throughput",
    "query-latency": "bench.query_latency",
    "retrieval": "bench.retrieval_quality",
    "scale": "bench.scale_curve",
    "safety": "bench.safety_eval",
    "dialogue": "bench.dialogue_routing",
    "answers": "bench.answer_quality",
    "rerank": "bench.page_reranking",
    "rerank-follow-ups": "bench.follow_up_reranking",
    "salience": "bench.sentence_salience",
    "calibrate": "bench.family_calibration",
    "examples": "bench.example_questions",
    "safety-examples": "bench.safety_examples",
    "mapper-pages": "bench.mapper_pages",
    "safety-follow-ups": "bench.safety_follow_ups",
    "safety-parts": "bench.safety_parts",
    "load": "bench.load",
    "shared-vector": "bench.shared_vector",
    "scale-out": "bench.scale_out",
    "double-send": "bench.double_send",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help") or args[0] not in BENCHMARKS:
        print(__doc__)
        return 0 if args and args[0] in ("-h", "--help") else 2
    module = importlib.import_module(BENCHMARKS[args[0]])
    return int(module.main(args[1:]))


if __name__ == "__main__":
    sys.exit(main())
