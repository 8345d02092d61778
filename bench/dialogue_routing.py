"""Where realistic messages end up in the dialogue, and what the two-stage fallback does with them.

Two sets of messages a family might type: the retrieval evaluation questions (bench/eval/) and every
glossary term written on its own ("DLA", "Portage"). The trained Rasa model ranks the intents of each
(in .venv-rasa, one subprocess); this process then follows the fallback's own code
(``actions.fallback``) and the knowledge base to name the outcome a family would see:

- placed          the classifier was sure enough: the intent's own flow runs
- choices         two close intents offered as buttons, plus 'Something else'
- definition      a SEND word on its own, defined from the glossary
- answered        the pages answered with confidence
- not sure        'not sure', the closest pages and SENDIASS offered

The baseline, in the same run, is the fallback before 2026-11-24: it also offered small talk
('Just chatting', 'Say hello') as a choice, and sent bare SEND words to the pages.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from actions.fallback import AMBIGUITY, MIN_OFFERED, close_intents
from actions.messages import INTENT_TITLES
from bench.eval_set import load_eval_set
from bench.results_file import write_results
from glossary import Glossary, load_glossary
from knowledge_base.search import KnowledgeBase
from signposting.environment import RASA_VENV, rasa_env
from signposting.settings import get_settings
from signposting.training import MODEL_NAME

OUTCOMES = ("placed", "choices", "definition", "answered", "not sure")
# Rasa's FallbackClassifier threshold (config.yml).
FALLBACK_THRESHOLD = 0.3
# The titles the old fallback could offer: today's goals plus small talk.
OLD_OFFERABLE = {
    "ask_question",
    "find_service",
    "define_term",
    "request_human",
    "personal_case",
    "complaint",
    "feedback",
    "greet",
    "goodbye",
    "thank",
    "out_of_scope",
    "chitchat",
}

# Runs inside .venv-rasa: messages in (a JSON list in a file), rankings out (another file), so
# that nothing Rasa prints can get mixed into the data.
_PARSE = """
import asyncio, json, logging, sys
logging.disable(logging.CRITICAL)
from rasa.core.agent import Agent

async def main():
    agent = Agent.load(sys.argv[1])
    messages = json.load(open(sys.argv[2], encoding="utf-8"))
    parsed = []
    for text in messages:
        result = await agent.parse_message(text)
        parsed.append([{"name": r["name"], "confidence": r["confidence"]} for r in result["intent_ranking"]])
    json.dump(parsed, open(sys.argv[3], "w", encoding="utf-8"))

asyncio.run(main())
"""


def parse_with_rasa(model: Path, messages: list[str]) -> list[list[dict[str, Any]]]:
    """The trained model's intent ranking for each message, best first (nlu_fallback left out)."""
    with tempfile.TemporaryDirectory() as scratch:
        given, taken = Path(scratch) / "messages.json", Path(scratch) / "rankings.json"
        given.write_text(json.dumps(messages), encoding="utf-8")
        subprocess.run(
            [str(RASA_VENV / "bin" / "python"), "-c", _PARSE, str(model), str(given), str(taken)],
            check=True,
            env=rasa_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        rankings: list[list[dict[str, Any]]] = json.loads(taken.read_text(encoding="utf-8"))
    return [[r for r in ranking if r["name"] != "nlu_fallback"] for ranking in rankings]


def falls_back(ranking: list[dict[str, Any]]) -> bool:
    """Whether Rasa's FallbackClassifier turns this ranking into nlu_fallback (it compares strictly)."""
    first = float(ranking[0]["confidence"])
    second = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
    return first < FALLBACK_THRESHOLD or first - second < AMBIGUITY


def old_close_intents(ranking: list[dict[str, Any]]) -> list[str]:
    """The fallback's choices before 2026-11-24: small talk could be offered too."""
    if len(ranking) < 2:
        return []
    first, second = ranking[0], ranking[1]
    close = float(first["confidence"]) - float(second["confidence"]) < AMBIGUITY
    names = [str(first["name"]), str(second["name"])]
    if close and float(second["confidence"]) >= MIN_OFFERED and all(n in OLD_OFFERABLE for n in names):
        return names
    return []


def outcome(text: str, ranking: list[dict[str, Any]], kb: KnowledgeBase, words: Glossary, policy: str) -> str:
    """What a family sees for this message under the current fallback or the baseline."""
    if not falls_back(ranking):
        return "placed"
    if close_intents(ranking) if policy == "current" else old_close_intents(ranking):
        return "choices"
    if policy == "current" and words.named(text) is not None:
        return "definition"
    return "answered" if kb.search(text, k=3).confident else "not sure"


def main(argv: list[str] | None = None) -> int:
    """Print the outcome table for both message sets and both policies; write bench/results/dialogue_routing.json."""
    settings = get_settings()
    model = settings.models_dir / f"{MODEL_NAME}.tar.gz"
    if not model.is_file():
        print(f"No trained model at {model}. Run `make train` first.")
        return 2
    kb = KnowledgeBase.load(settings.kb_dir)
    words = load_glossary()
    sets = {
        "evaluation questions": [q.q for q in load_eval_set().questions],
        "glossary terms alone": [entry.term for entry in words],
    }
    figures: dict[str, Any] = {}
    print(f"{'messages':22} {'policy':9} " + " ".join(f"{name:>10}" for name in OUTCOMES) + "  small-talk choices")
    for label, messages in sets.items():
        rankings = parse_with_rasa(model, messages)
        figures[label] = {}
        for policy in ("baseline", "current"):
            pairs = zip(messages, rankings, strict=True)
            counts = Counter(outcome(text, ranking, kb, words, policy) for text, ranking in pairs)
            offered = [old_close_intents(r) if policy == "baseline" else close_intents(r) for r in rankings]
            small_talk = sum(1 for names in offered if any(n not in INTENT_TITLES for n in names))
            cells = " ".join(f"{counts[name] / len(messages):10.1%}" for name in OUTCOMES)
            print(f"{label:22} {policy:9} {cells}  {small_talk}")
            figures[label][policy] = {"messages": len(messages), **counts, "small_talk_choices": small_talk}
        falls = [t for t, r in zip(messages, rankings, strict=True) if falls_back(r)]
        print(f"{'':22} {len(falls)} of {len(messages)} fall back ({len(falls) / len(messages):.1%})")
    print(f"Wrote {write_results('dialogue-routing', figures)}")
    return 0
