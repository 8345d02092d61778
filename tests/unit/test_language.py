"""Language detection and the notices for families who write in another language.

Detection must never flag English (however it is typed), should flag realistic messages in the
supported languages, and must stay quiet for languages we have no notice for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from language import (
    SUPPORTED_LANGUAGES,
    bilingual_notice,
    detect_language,
    english_notice,
    guess_language,
    notice_for,
    warm_up,
)

PHONE = "01632 960123"  # an Ofcom drama number, so a test can never leak a real one

# Messages a parent might type, two or three per language, short ones included.
MESSAGES = [
    ("pl", "Dzień dobry"),
    ("pl", "Mój syn ma autyzm i szkoła nie chce mu pomóc"),
    ("pl", "Jak złożyć wniosek o EHCP?"),
    ("ro", "Bună ziua"),
    ("ro", "Fiul meu are autism și școala nu îl ajută"),
    ("ro", "Cum pot cere o evaluare EHCP pentru fiica mea?"),
    ("pt", "Olá, o meu filho tem autismo"),
    ("pt", "A escola não ajuda a minha filha"),
    ("pt", "Bom dia"),
    ("es", "Hola, mi hijo tiene autismo y no habla"),
    ("es", "Necesito ayuda con el plan EHCP de mi hija"),
    ("fr", "Bonjour, mon fils est autiste"),
    ("fr", "Je ne comprends pas la lettre de l'école"),
    ("tr", "Merhaba, oğlum otizmli"),
    ("tr", "Okul kızıma yardım etmiyor"),
    ("lt", "Laba diena"),
    ("lt", "Mano sūnus turi autizmą, mokykla jam nepadeda"),
    ("so", "Wiilkayga wuxuu qabaa autism"),
    ("so", "Waxaan u baahanahay caawimaad ku saabsan EHCP"),
    ("uk", "Доброго дня"),
    ("uk", "Мій син має аутизм, і школа йому не допомагає"),
    ("ru", "Здравствуйте"),
    ("ru", "У моего сына аутизм, школа не помогает"),
    ("ar", "مرحبا"),
    ("ar", "ابني مصاب بالتوحد والمدرسة لا تساعده"),
    ("ar", "كيف أطلب تقييم EHCP؟"),
    ("ur", "السلام علیکم"),
    ("ur", "میرے بیٹے کو آٹزم ہے اور اسکول مدد نہیں کر رہا"),
    ("ur", "EHCP کے لیے درخواست کیسے دوں؟"),
    ("fa", "سلام، پسرم اوتیسم دارد"),
    ("fa", "مدرسه به دخترم کمک نمی‌کند"),
    ("bn", "নমস্কার"),
    ("bn", "আমার ছেলের অটিজম আছে, স্কুল সাহায্য করছে না"),
    ("zh", "你好"),
    ("zh", "我的儿子有自闭症，学校不帮助他"),
    ("zh", "我的兒子有自閉症"),
    ("pa", "ਸਤ ਸ੍ਰੀ ਅਕਾਲ"),
    ("pa", "ਮੇਰੇ ਪੁੱਤਰ ਨੂੰ ਔਟਿਜ਼ਮ ਹੈ ਅਤੇ ਸਕੂਲ ਮਦਦ ਨਹੀਂ ਕਰ ਰਿਹਾ"),
]

# English as families really type it: jargon, typos, names, places, one word, emoji.
ENGLISH = [
    "ehcp asessment cheltnam",
    "my son has adhd",
    "ok",
    "thanks",
    "SENCO?",
    "hi",
    "Tewkesbury",
    "annual review",
    "my son Wojciech has autism",
    "my son wojciech has autism",
    "Hello",
    "no",
    "EHCP",
    "SEN support",
    "Forest of Dean",
    "cotswold",
    "can i apeal the decision",
    "the senco sed she dosnt need one",
    "whats a ehcp",
    "👍",
    "🙂 thanks",
    "😭 please help",
    "Ahmed's school won't do an EHCP",
    "Mrs Kowalska the SENCO said no",
    "Ionela cannot go to school",
    "agnieszka kowalska ehcp",
    "mihaela popescu senco",
    "My Son Łukasz has ADHD",
    "Our daughter Ștefania is autistic",
    "Łukasz",
    "Muñoz",
    "Salaam",
    "tribunal",
    "mediation",
    "EOTAS",
    "CAMHS waiting list",
    "Mohammed is in year 6 at Tewkesbury primary",
    "we moved from Romania last year, can my son get help?",
    "im from poland but my english is ok",
    "https://www.glosfamiliesdirectory.org.uk",
    "",
    "   ",
    "07700 900123",
]

# Messages in languages we have no notice for: a notice in a look-alike language would be wrong.
UNSUPPORTED = [
    "Mio figlio ha l'autismo e la scuola non lo aiuta",
    "Mein Sohn hat Autismus und die Schule hilft ihm nicht",
    "Mijn zoon heeft autisme en de school helpt niet",
    "Здравей, синът ми има аутизъм",
    "नमस्ते, मेरे बेटे को ऑटिज़्म है",
    "こんにちは、息子は自閉症です",
    "안녕하세요",
    "Γεια σας, ο γιος μου έχει αυτισμό",
]


@pytest.mark.parametrize(("code", "message"), MESSAGES)
def test_a_supported_language_is_detected(code: str, message: str) -> None:
    assert detect_language(message) == code


@pytest.mark.parametrize("message", ENGLISH)
def test_english_is_never_flagged(message: str) -> None:
    assert detect_language(message) is None, guess_language(message)


@pytest.mark.parametrize("message", UNSUPPORTED)
def test_a_language_without_a_notice_is_not_mistaken_for_one(message: str) -> None:
    assert detect_language(message) is None, guess_language(message)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("hello, mój syn ma autyzm", "pl"),
        ("Hi, can you help? Mój syn ma autyzm i nie chodzi do szkoły", "pl"),
        ("Bună ziua, fiul meu Ionuț are ADHD", "ro"),
        ("Hello, ابني مصاب بالتوحد", "ar"),
        ("Hi 你好", "zh"),
        ("MÓJ SYN MA AUTYZM", "pl"),
        ("Dzień dobry!!!", "pl"),
    ],
)
def test_mixed_and_oddly_typed_messages_follow_the_foreign_part(message: str, code: str) -> None:
    assert detect_language(message) == code


def test_a_name_beside_english_words_does_not_outweigh_them() -> None:
    guess = guess_language("my son Wojciech has autism")
    assert guess.code is None
    # The same name in a Polish sentence is still Polish.
    assert detect_language("Mój syn Wojciech ma autyzm") == "pl"


def test_punjabi_in_shahmukhi_script_gets_the_urdu_notice() -> None:
    # Lingua's Punjabi model knows only Gurmukhi; Shahmukhi readers read Urdu script.
    assert detect_language("میرے پتر نوں آٹزم اے تے سکول مدد نئیں کردا") == "ur"


@pytest.fixture
def low_memory_detector() -> Iterator[None]:
    warm_up(low_memory=True)
    try:
        yield
    finally:
        warm_up(low_memory=False)


@pytest.mark.usefixtures("low_memory_detector")
def test_the_low_memory_detector_still_tells_english_from_polish() -> None:
    assert detect_language("Mój syn ma autyzm i szkoła nie chce mu pomóc") == "pl"
    assert detect_language("میرے بیٹے کو آٹزم ہے اور اسکول مدد نہیں کر رہا") == "ur"
    for message in ("ehcp asessment cheltnam", "my son Wojciech has autism", "annual review"):
        assert detect_language(message) is None


def test_a_long_message_is_judged_by_its_start() -> None:
    assert detect_language("Mój syn ma autyzm i szkoła nie chce mu pomóc. " * 200) == "pl"


def test_every_detected_language_has_a_notice() -> None:
    detected = {detect_language(message) for _, message in MESSAGES}
    assert detected == set(SUPPORTED_LANGUAGES)
    for code in detected:
        assert code is not None
        assert notice_for(code, PHONE) is not None


@pytest.mark.parametrize("code", sorted(SUPPORTED_LANGUAGES))
def test_each_notice_gives_the_phone_number_in_two_sentences(code: str) -> None:
    notice = notice_for(code, PHONE)
    assert notice is not None
    assert notice.count(PHONE) == 1
    assert "SENDIASS" in notice
    assert notice != english_notice(PHONE)
    # It claims nothing else: no other number, and exactly two sentences.
    assert not re.search(r"\d", notice.replace(PHONE, ""))
    assert len(re.findall(r"[.。۔।]", notice)) == 2


@pytest.mark.parametrize("code", sorted(SUPPORTED_LANGUAGES))
def test_each_notice_is_written_in_its_own_language(code: str) -> None:
    notice = notice_for(code, PHONE)
    assert notice is not None
    assert detect_language(notice) == code


@pytest.mark.parametrize("code", ["ar", "ur", "fa"])
def test_right_to_left_notices_keep_the_phone_number_in_order(code: str) -> None:
    notice = notice_for(code, PHONE)
    assert notice is not None
    assert notice.startswith("\u2067")
    assert notice.endswith("\u2069")
    assert f"\u2066{PHONE}\u2069" in notice


def test_left_to_right_notices_carry_no_direction_marks() -> None:
    notice = notice_for("pl", PHONE)
    assert notice is not None
    assert not re.search("[\u2066-\u2069]", notice)


@pytest.mark.parametrize("code", ["en", "it", "de", "xx", ""])
def test_a_code_without_a_notice_gives_none(code: str) -> None:
    assert notice_for(code, PHONE) is None
    assert bilingual_notice(code, PHONE) is None


def test_codes_are_matched_in_any_case() -> None:
    assert notice_for("PL", PHONE) == notice_for("pl", PHONE)


def test_the_english_notice() -> None:
    text = english_notice(PHONE)
    assert text == (
        "This assistant can only answer in English. SENDIASS gives free advice about SEND. "
        f"They can get you a free interpreter. Call them on {PHONE}."
    )


def test_the_bilingual_notice_puts_the_translation_first() -> None:
    text = bilingual_notice("ro", PHONE)
    assert text is not None
    translated, english = text.split("\n\n")
    assert translated == notice_for("ro", PHONE)
    assert english == english_notice(PHONE)


def test_an_empty_phone_number_is_refused() -> None:
    with pytest.raises(ValueError, match="SENDIASS phone number"):
        notice_for("pl", "  ")
    with pytest.raises(ValueError, match="SENDIASS phone number"):
        english_notice("")


def test_supported_languages_name_each_code_in_english() -> None:
    assert SUPPORTED_LANGUAGES["pl"] == "Polish"
    assert SUPPORTED_LANGUAGES["pa"] == "Punjabi"
    required = {"pl", "ro", "ur", "ar", "bn", "pt", "uk", "es", "fr", "zh", "pa", "tr", "lt", "so"}
    assert required <= SUPPORTED_LANGUAGES.keys()
    assert all(re.fullmatch("[a-z]{2}", code) for code in SUPPORTED_LANGUAGES)
