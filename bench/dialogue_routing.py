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

from actions.fallback import close_intents
from actions.messages import INTENT_TITLES
from bench.eval_set import load_eval_set
from bench.results_file import write_results
from glossary import Glossary, load_glossary
from knowledge_base.search import KnowledgeBase
from settings import get_settings
from signposting.environment import RASA_VENV, rasa_env
from signposting.training import MODEL_NAME

OUTCOMES = ("placed", "choices", "definition", "answered", "not sure")
# The titles the old fallback could offer: today's goals plus small talk.
OLD_OFFERABLE = {*INTENT_TITLES, "greet", "goodbye", "thank", "out_of_scope", "chitchat"}

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
        ranking = [{"name": r["name"], "confidence": r["confidence"]} for r in result["intent_ranking"]]
        parsed.append({"intent": result["intent"]["name"], "ranking": ranking})
    json.dump(parsed, open(sys.argv[3], "w", encoding="utf-8"))

asyncio.run(main())
"""


def parse_with_rasa(model: Path, messages: list[str]) -> list[dict[str, Any]]:
    """What the trained model makes of each message: its intent and the ranking, best first."""
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
        parsed: list[dict[str, Any]] = json.loads(taken.read_text(encoding="utf-8"))
    return parsed


def offered(parse: dict[str, Any], policy: str) -> list[str]:
    """The intents the fallback offers as buttons for this parse, under the policy."""
    return close_intents(parse["ranking"], INTENT_TITLES.keys() if policy == "current" else OLD_OFFERABLE)


def outcome(text: str, parse: dict[str, Any], kb: KnowledgeBase, words: Glossary, policy: str) -> str:
    """What a family sees for this message under the current fallback or the baseline."""
    if parse["intent"] != "nlu_fallback":
        return "placed"
    if offered(parse, policy):
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
        parses = parse_with_rasa(model, messages)
        figures[label] = {}
        for policy in ("baseline", "current"):
            pairs = zip(messages, parses, strict=True)
            counts = Counter(outcome(text, parse, kb, words, policy) for text, parse in pairs)
            choices = [offered(parse, policy) for parse in parses if parse["intent"] == "nlu_fallback"]
            small_talk = sum(1 for names in choices if any(n not in INTENT_TITLES for n in names))
            cells = " ".join(f"{counts[name] / len(messages):10.1%}" for name in OUTCOMES)
            print(f"{label:22} {policy:9} {cells}  {small_talk}")
            figures[label][policy] = {"messages": len(messages), **counts, "small_talk_choices": small_talk}
        falls = sum(parse["intent"] == "nlu_fallback" for parse in parses)
        print(f"{'':22} {falls} of {len(messages)} fall back ({falls / len(messages):.1%})")
    print(f"Wrote {write_results('dialogue-routing', figures)}")
    return 0
