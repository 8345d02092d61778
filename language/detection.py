"""Tell whether a message is written in one of the languages we have a notice for.

The two possible mistakes cost very different amounts. Flagging an English message (a parent
typing "ehcp asessment cheltnam") shows a notice in a language they do not read, which is
confusing and can feel like being told they do not belong. Missing a foreign message only means
the family gets the English reply they would have had anyway. So every rule below leans towards
saying nothing when in doubt.

The decision has two routes:

- Scripts that only one supported language uses (Bengali, Gurmukhi, Chinese characters) decide
  the language on their own. Arabic and Cyrillic script are shared, so lingua chooses between
  Arabic, Urdu and Persian, or Ukrainian, Russian and Bulgarian.
- Latin-script text first loses the words that say nothing about its language (acronyms such as
  EHCP, names and places written with a capital, SEND loanwords such as "autism"). Lingua then
  scores what is left against English, the supported languages and a few unsupported look-alikes,
  and the winner must also use at least one everyday word of its language, which names do not.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Final

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from language.notices import SUPPORTED_LANGUAGES
from vocabulary.places import one_word_place_names
from vocabulary.words import word_set

# Unsupported languages that look like supported ones. Without them an Italian message scores as
# Spanish and a Bulgarian one as Russian, and the family would get a notice in the wrong language.
_LOOKALIKES: Final = (Language.ITALIAN, Language.GERMAN, Language.DUTCH, Language.BULGARIAN)

# Scripts, named by the first word of their letters' Unicode names.
_SINGLE_LANGUAGE_SCRIPTS: Final = {"BENGALI": "bn", "GURMUKHI": "pa", "CJK": "zh"}
_SHARED_SCRIPTS: Final = frozenset({"ARABIC", "CYRILLIC"})
# Kana or Hangul means Japanese or Korean even when Chinese characters outnumber them.
_JAPANESE_OR_KOREAN_SCRIPTS: Final = frozenset({"HIRAGANA", "KATAKANA", "HANGUL"})
# Other scripts of languages spoken in England that we have no notice for.
_UNSUPPORTED_SCRIPTS: Final = frozenset(
    {"DEVANAGARI", "GUJARATI", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "GREEK", "HEBREW"}
    | {"ETHIOPIC", "ARMENIAN", "GEORGIAN", "THAI", "KHMER", "LAO", "MYANMAR", "TIBETAN"}
)
_KNOWN_SCRIPTS: Final = (
    _SINGLE_LANGUAGE_SCRIPTS.keys() | _SHARED_SCRIPTS | _JAPANESE_OR_KOREAN_SCRIPTS | _UNSUPPORTED_SCRIPTS
)
# A non-Latin script decides the route when it has at least this many letters and this share of
# all letters, so "Hi 你好" counts but one stray symbol in an English message does not.
_MIN_SCRIPT_LETTERS: Final = 2
_MIN_SCRIPT_SHARE: Final = 0.2
_MIN_CONFIDENCE_SHARED_SCRIPT: Final = 0.6


# Words that turn up in messages in any language and so carry no evidence: SEND acronyms and
# terms, services, fillers and the county's places. Most look English, which is why they must go.
_NEUTRAL_WORDS: Final = one_word_place_names() | word_set(
    """
    ehcp ehcps ehc ehcna send sen senco sencos sendiass iass sendco ipsea camhs cahms salt ot pip dla
    adhd add asd asc pda semh slcn mld sld pmld spld odd ocd eotas ehe ep nhs gp sats gcse gcses
    autism autistic dyslexia dyspraxia dyscalculia
    ok okay okey k kk ty thx lol pls plz hmm hm ah oh uh um
    salaam salam salaams namaste ciao
    """
)

# English words that are not also everyday words of a supported language ("my" is Polish for
# "we", "are" Romanian for "has", "son" Spanish and French). When this share of a message's
# words is in the list, the message is English, whatever name or place it also contains.
_ENGLISH_WORDS: Final = word_set(
    """
    the and is was were has have had what how why when where who which with without about
    would should could will can't cannot don't doesn't didn't won't isn't i'm i've it's he's she's
    she her his him they them their your you we our this that these those there here
    of for from at by be been being not but or if than then just also very
    school child children kid kids daughter son boy girl year years help need needs want get
    please thanks thank hello hi hey dear morning afternoon evening
    """
)
_ENGLISH_WORD_SHARE: Final = 0.4

# Everyday words of each language on the Latin route. A real sentence almost always has one; a
# name does not, so this keeps "agnieszka kowalska ehcp" from being called Polish. Left out on
# purpose: words that are also English ("to", "man", "care", "pour"), common names ("ben", "les",
# "maya") and the particles of surnames ("de", "da", "la", "del"). Matched without diacritics,
# since many people type without them.
_EVERYDAY_WORDS: Final = {
    "pl": """w z ze nie się jest są mój moja moje mojego mojej moim syn syna synek córka córki córce
        szkoła szkole szkoły jak czy dla że jego jej już bardzo pomoc pomocy dziecko dziecka proszę
        mogę jestem potrzebuję wiem lat kiedy gdzie dlaczego może""",
    "ro": """și nu este sunt meu mea fiul fiica copilul copil copiii școala școală cu ce cum pentru să
        nevoie ajutor vă rog eu el ea sau vrea vorbește unde când cine""",
    "pt": """dos que não meu minha meus filho filha escola com por uma é está preciso ajuda ele ela
        como porque muito anos onde quando quem""",
    "es": """los que hijo hija escuela colegio por una es está tiene necesito ayuda él ella pero en
        cómo porque muy años dónde cuándo quién""",
    "fr": """que et mes fils fille école avec une il elle je mais en comment pourquoi très besoin aide
        aider aux fait rien ans où quand""",
    "tr": """ve bir bu için ile çok oğlum kızım kızıma okul okula yardım nasıl mı yok benim değil
        istiyorum lütfen ihtiyacım kime nerede neden""",
    "lt": """ir yra mano sūnus dukra dukrai vaikas vaikui mokykla mokykloje į kaip kodėl reikia
        pagalbos jis ji aš labai dėl kad metai kur kada iš""",
    "so": """waxaan wuxuu waxay iyo aan wiilkayga gabadhayda gabadhaydu ilmahayga dugsiga dugsigu
        caawimaad sideen sidee maxaa ayaa baahanahay xaggee goorma""",
}

# Scores on a few Latin-script words are not trusted below these. With twenty languages scored
# the winner's confidence is diluted, so its lead over the runner-up matters more than its value.
_MIN_LETTERS: Final = 5
_MIN_CONFIDENCE: Final = 0.35
_MIN_RATIO_TO_SECOND: Final = 2.5
_MIN_LEAD_OVER_ENGLISH: Final = 0.2
# Turkish and Lithuanian put much of their grammar in word endings, so a real sentence can miss
# the everyday list. Four or more words, none of them English, that lingua is nearly sure of are
# not a list of names.
_MIN_WORDS_WITHOUT_EVERYDAY: Final = 4
_MIN_CONFIDENCE_WITHOUT_EVERYDAY: Final = 0.9

# Greetings and thanks that families often send on their own. Scores are useless on one or two
# words ("Bom dia" scores 0.19 Portuguese, the name "Łukasz" 1.0 Polish), so whole short messages
# are matched against this list instead. Greetings English speakers also use in fun (hola, ciao,
# bonjour, gracias, merci) or that many languages share (salaam, salut) are left out on purpose.
_GREETINGS: Final = {
    "pl": ("dzień dobry", "dzien dobry", "witam", "cześć", "czesc", "dziękuję", "dziekuje", "dobry wieczór"),
    "ro": ("bună ziua", "buna ziua", "bună seara", "buna seara", "mulțumesc", "mulţumesc", "multumesc"),
    "pt": ("olá", "bom dia", "boa tarde", "boa noite", "obrigado", "obrigada"),
    "es": ("buenos días", "buenos dias", "buenas tardes", "buenas noches"),
    "fr": ("bonsoir", "bonjour madame", "bonjour monsieur"),
    "tr": ("merhaba", "iyi günler", "teşekkürler", "teşekkür ederim", "selamlar"),
    "lt": ("laba diena", "labas", "labas vakaras", "ačiū", "labai ačiū"),
    "so": ("iska warran", "mahadsanid", "subax wanaagsan", "galab wanaagsan"),
}

_MAX_CHARS: Final = 600
_URL_OR_EMAIL: Final = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_APOSTROPHE: Final = re.compile(r"['’]")
_SENTENCE_END: Final = re.compile(r"[.!?¿¡:;\n]")


def _fold(word: str) -> str:
    """``word`` in lower case without diacritics, so that 'córka' and 'corka' match."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ł", "l").replace("ı", "i"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_FOLDED_EVERYDAY_WORDS: Final = {code: frozenset(map(_fold, words.split())) for code, words in _EVERYDAY_WORDS.items()}
_GREETING_LANGUAGE: Final = {phrase: code for code, phrases in _GREETINGS.items() for phrase in phrases}


@dataclass(frozen=True)
class LanguageGuess:
    """What the detector decided and why, for logs and tests."""

    code: str | None
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Scores:
    code: str | None
    confidence: float
    runner_up: float
    english: float


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the supported language ``text`` is written in.

    Returns None for English, for languages we have no notice for, and whenever the text is too
    short or too mixed to tell.
    """
    return guess_language(text).code


def guess_language(text: str) -> LanguageGuess:
    """Like :func:`detect_language`, with the confidence and the rule that decided."""
    # The first few hundred characters show the language as well as the whole message does, and
    # scoring time grows with length: a pasted letter should not slow the reply.
    text = unicodedata.normalize("NFC", _URL_OR_EMAIL.sub(" ", text[:_MAX_CHARS]))
    script = _deciding_script(text)
    if script is None:
        return _guess_latin(text)
    if script in _SINGLE_LANGUAGE_SCRIPTS:
        return LanguageGuess(_SINGLE_LANGUAGE_SCRIPTS[script], 1.0, f"{script.lower()} script")
    if script in _SHARED_SCRIPTS:
        return _guess_shared_script(text, script)
    return LanguageGuess(None, 1.0, f"{script.lower()} script: no notice for this language")


def warm_up(*, low_memory: bool = False) -> float:
    """Build the detector and load its models now; return the seconds it took.

    A server calls this at start-up so that the first family to write does not wait. The default
    detector is large and slow to load; ``low_memory=True`` switches this process to lingua's
    low-accuracy mode, much smaller and quicker, at the price of missing a few more short
    messages (it flagged no English in our checks either way). Memory, load time and misses of
    both modes are in docs/performance.md.
    """
    global _low_memory
    _low_memory = low_memory
    started = time.perf_counter()
    _detector().compute_language_confidence_values("warm up")
    return time.perf_counter() - started


def _script_of(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _deciding_script(text: str) -> str | None:
    """The non-Latin script that decides the route, or None for the Latin route."""
    letters = [char for char in text if char.isalpha()]
    counts = Counter(script for script in map(_script_of, letters) if script in _KNOWN_SCRIPTS)
    japanese_or_korean = [script for script in counts if script in _JAPANESE_OR_KOREAN_SCRIPTS]
    if japanese_or_korean:
        script = max(japanese_or_korean, key=lambda name: counts[name])
        # Japanese writes many words in Chinese characters: they count towards it.
        count = counts[script] + counts["CJK"]
    elif counts:
        script, count = counts.most_common(1)[0]
    else:
        return None
    if count < _MIN_SCRIPT_LETTERS or count < _MIN_SCRIPT_SHARE * len(letters):
        return None
    return script


def _guess_shared_script(text: str, script: str) -> LanguageGuess:
    # Only that script's letters (and the marks and joiners between them): an English aside or
    # an acronym such as EHCP would only add noise.
    kept = "".join(
        char if _script_of(char) == script or unicodedata.combining(char) or char in "\u200c\u200d" else " "
        for char in text
    )
    scores = _scores(kept)
    name = script.lower()
    if scores.code is None or scores.code not in SUPPORTED_LANGUAGES:
        return LanguageGuess(None, scores.confidence, f"{name} script: no notice for this language")
    if scores.confidence < _MIN_CONFIDENCE_SHARED_SCRIPT:
        return LanguageGuess(None, scores.confidence, f"{name} script: unsure which language")
    return LanguageGuess(scores.code, scores.confidence, f"{name} script, scored")


def _informative_words(text: str) -> list[str]:
    """The words of ``text`` that say something about its language, lower-cased."""
    matches = list(_WORD.finditer(text))
    # In a message typed in capitals or in Title Case, a capital no longer marks a name.
    capitals_mean_nothing = all(match.group().isupper() for match in matches) or (
        len(matches) >= 3 and all(match.group()[0].isupper() for match in matches)
    )
    kept: list[str] = []
    previous_end = 0
    for match in matches:
        word = match.group()
        starts_sentence = previous_end == 0 or _SENTENCE_END.search(text, previous_end, match.start()) is not None
        previous_end = match.end()
        if word.lower() in _NEUTRAL_WORDS:
            continue
        if not capitals_mean_nothing and len(word) > 1 and word.isupper():
            continue  # an acronym: EHCP, SENCO, OT
        if not capitals_mean_nothing and word[0].isupper() and not starts_sentence:
            continue  # a name or a place: Wojciech, Tewkesbury
        kept.append(word.lower().replace("’", "'"))
    return kept


def _guess_latin(text: str) -> LanguageGuess:
    greeting = " ".join(word.lower() for word in _WORD.findall(text))
    if greeting in _GREETING_LANGUAGE:
        return LanguageGuess(_GREETING_LANGUAGE[greeting], 1.0, "greeting")
    words = _informative_words(text)
    if len(words) < 2 or sum(map(len, words)) < _MIN_LETTERS:
        return LanguageGuess(None, 0.0, "too short")
    english_share = sum(word in _ENGLISH_WORDS for word in words) / len(words)
    if english_share >= _ENGLISH_WORD_SHARE:
        return LanguageGuess(None, english_share, "mostly English words")
    scores = _scores(" ".join(words))
    if scores.code is None or scores.code == "en":
        return LanguageGuess(None, scores.confidence, "English")
    if scores.code not in SUPPORTED_LANGUAGES:
        return LanguageGuess(None, scores.confidence, f"no notice for {scores.code}")
    sure = (
        scores.confidence >= _MIN_CONFIDENCE
        and scores.confidence >= _MIN_RATIO_TO_SECOND * scores.runner_up
        and scores.confidence - scores.english >= _MIN_LEAD_OVER_ENGLISH
    )
    if not sure:
        return LanguageGuess(None, scores.confidence, f"unsure ({scores.code})")
    if not _reads_as_a_sentence(words, scores):
        return LanguageGuess(None, scores.confidence, f"no everyday {scores.code} word: names?")
    return LanguageGuess(scores.code, scores.confidence, "latin script, scored")


def _reads_as_a_sentence(words: list[str], scores: _Scores) -> bool:
    """Whether ``words`` read as a sentence in the scored language rather than a list of names."""
    everyday = _FOLDED_EVERYDAY_WORDS.get(scores.code or "", frozenset())
    if any(_fold(part) in everyday for word in words for part in _APOSTROPHE.split(word)):
        return True
    return (
        len(words) >= _MIN_WORDS_WITHOUT_EVERYDAY
        and scores.confidence >= _MIN_CONFIDENCE_WITHOUT_EVERYDAY
        and not any(word in _ENGLISH_WORDS for word in words)
    )


def _scores(text: str) -> _Scores:
    """The most likely language with its confidence, the runner-up's and English's."""
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value == 0.0:
        return _Scores(None, 0.0, 0.0, 0.0)
    english = next((value.value for value in values if value.language == Language.ENGLISH), 0.0)
    runner_up = values[1].value if len(values) > 1 else 0.0
    return _Scores(values[0].language.iso_code_639_1.name.lower(), values[0].value, runner_up, english)


_detector_lock = threading.Lock()
_detectors: dict[bool, LanguageDetector] = {}
_low_memory = False


def _detector() -> LanguageDetector:
    # Built once per process and mode, on first use: loading the models takes seconds and
    # hundreds of MB, which a process that never sees a message should not pay. The lock stops
    # two threads that arrive together from building it twice.
    low_memory = _low_memory
    detector = _detectors.get(low_memory)
    if detector is None:
        with _detector_lock:
            detector = _detectors.get(low_memory)
            if detector is None:
                detector = _detectors[low_memory] = _build_detector(low_memory)
    return detector


def _build_detector(low_memory: bool) -> LanguageDetector:
    languages = {Language.ENGLISH, *_LOOKALIKES}
    languages.update(
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in SUPPORTED_LANGUAGES
        if code not in _SINGLE_LANGUAGE_SCRIPTS.values()  # their script alone decides
    )
    builder = LanguageDetectorBuilder.from_languages(*languages)
    if low_memory:
        builder = builder.with_low_accuracy_mode()
    # Preloading makes the first message as fast as the rest instead of loading models mid-reply.
    return builder.with_preloaded_language_models().build()
