"""Could one embedding of a message serve both the safety classifier and the search?

``python -m bench shared-vector``

The gateway's safety classifier embeds the message in its prepared form (``safety.rules.prepare``:
lower case, folded spellings, punctuation as sentence breaks, hard negatives masked); the action
server's search embeds the redacted message with the pages' words added
(``knowledge_base.gazetteer.with_page_words``). For every question of the evaluation set this
counts how often the two texts are the same, how close their vectors are, and whether searching
with the safety vector finds the same first page as searching with the search's own vector (the
baseline, in the same run): a shared vector is only worth having if it leaves answers as they are.
Needs a built knowledge base (``python -m signposting build``).
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.eval_set import load_eval_set
from bench.results_file import write_results
from knowledge_base.embedding import set_torch_threads
from knowledge_base.gazetteer import with_page_words
from knowledge_base.search import KnowledgeBase
from privacy import redact
from privacy.contacts import public_numbers
from safety.rules import prepare
from settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench shared-vector", description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    set_torch_threads(get_settings().server_torch_threads)
    kb = KnowledgeBase.load(get_settings().kb_dir)
    questions = [q.q for q in load_eval_set().questions]
    same_text = same_page = 0
    cosines = []
    for question in questions:
        safety_text = prepare(question)[0]
        search_text = with_page_words(redact(question, public_numbers(get_settings().public_phones)).text)
        same_text += safety_text == search_text
        safety_vector, search_vector = kb.embed(safety_text), kb.embed(search_text)
        cosines.append(float(safety_vector @ search_vector))
        own = kb.search_vector(search_text, search_vector, k=6).hits
        shared = kb.search_vector(search_text, safety_vector, k=6).hits
        same_page += [h.doc_url for h in own[:1]] == [h.doc_url for h in shared[:1]]
    c = np.array(cosines)
    figures = {
        "questions": len(questions),
        "same_text": same_text,
        "cosine_min": round(float(c.min()), 3),
        "cosine_p5": round(float(np.percentile(c, 5)), 3),
        "cosine_median": round(float(np.median(c)), 3),
        "same_first_page": same_page,
        "first_page_changed": len(questions) - same_page,
    }
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    print(f"\nwritten to {write_results('shared-vector', figures)}")
    return 0
