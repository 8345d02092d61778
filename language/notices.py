"""The notice a family sees when they write in a language other than English.

Every notice says the same two things and nothing more: this assistant answers only in English,
and SENDIASS (the county's free, impartial SEND information, advice and support service) can
arrange a free interpreter, with its phone number. The phone number comes from configuration
(``Settings.sendiass_phone``), never from this module.

Each translation was written for this project in plain words, formal where the language has a
polite form. A native speaker should still read each one before a public release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Unicode isolates. Without them a right-to-left paragraph shows "0800 123 4567" as
# "4567 123 0800", and a right-to-left notice inside the left-to-right chat puts its full stops
# on the wrong side.
_LEFT_TO_RIGHT_ISOLATE: Final = "\u2066"
_RIGHT_TO_LEFT_ISOLATE: Final = "\u2067"
_POP_DIRECTIONAL_ISOLATE: Final = "\u2069"


@dataclass(frozen=True)
class _Notice:
    language: str  # the language's English name
    template: str  # two sentences with one "{phone}"
    right_to_left: bool = False


_ENGLISH: Final = (
    "This assistant can only answer in English. SENDIASS gives free advice about SEND. "
    "They can get you a free interpreter. Call them on {phone}."
)

_NOTICES: Final = {
    "pl": _Notice(
        "Polish",
        "Ten asystent odpowiada tylko po angielsku. SENDIASS bezpłatnie doradza w sprawach specjalnych "
        "potrzeb edukacyjnych i niepełnosprawności oraz może zapewnić bezpłatnego tłumacza: "
        "zadzwoń pod numer {phone}.",
    ),
    "ro": _Notice(
        "Romanian",
        "Acest asistent poate răspunde doar în limba engleză. SENDIASS oferă sfaturi gratuite despre "
        "nevoi educaționale speciale și dizabilități și vă poate asigura gratuit un interpret: "
        "sunați la {phone}.",
    ),
    "pt": _Notice(
        "Portuguese",
        "Este assistente só responde em inglês. O SENDIASS dá aconselhamento gratuito sobre necessidades "
        "educativas especiais e deficiência, e pode conseguir um intérprete gratuito: "
        "ligue para o {phone}.",
    ),
    "es": _Notice(
        "Spanish",
        "Este asistente solo puede responder en inglés. SENDIASS ofrece asesoramiento gratuito sobre "
        "necesidades educativas especiales y discapacidad, y puede conseguirle un intérprete gratis: "
        "llame al {phone}.",
    ),
    "fr": _Notice(
        "French",
        "Cet assistant ne peut répondre qu'en anglais. SENDIASS donne des conseils gratuits sur les "
        "besoins éducatifs particuliers et le handicap, et peut vous trouver un interprète gratuitement : "
        "appelez le {phone}.",
    ),
    "tr": _Notice(
        "Turkish",
        "Bu asistan yalnızca İngilizce yanıt verebilir. SENDIASS, özel eğitim ihtiyaçları ve engellilik "
        "konusunda ücretsiz danışmanlık hizmeti verir ve sizin için ücretsiz bir tercüman sağlayabilir: "
        "{phone} numarasını arayın.",
    ),
    "lt": _Notice(
        "Lithuanian",
        "Šis asistentas gali atsakyti tik anglų kalba. SENDIASS nemokamai konsultuoja specialiųjų "
        "ugdymosi poreikių bei negalios klausimais ir gali nemokamai suorganizuoti vertėją: "
        "skambinkite {phone}.",
    ),
    "so": _Notice(
        "Somali",
        "Kaaliyahan wuxuu kaliya ku jawaabaa af Ingiriisi. SENDIASS waxay bixisaa talo bilaash ah "
        "oo ku saabsan baahiyaha waxbarasho ee gaarka ah iyo naafonimada, waxayna kuu diyaarin kartaa "
        "turjubaan bilaash ah: wac {phone}.",
    ),
    "uk": _Notice(
        "Ukrainian",
        "Цей помічник може відповідати лише англійською мовою. SENDIASS безкоштовно консультує з питань "
        "особливих освітніх потреб та інвалідності і може безкоштовно організувати для вас перекладача: "
        "телефонуйте за номером {phone}.",
    ),
    "ru": _Notice(
        "Russian",
        "Этот помощник может отвечать только на английском языке. SENDIASS бесплатно консультирует "
        "по вопросам особых образовательных потребностей и инвалидности и может бесплатно организовать "
        "для вас переводчика: звоните по номеру {phone}.",
    ),
    "ar": _Notice(
        "Arabic",
        "هذا المساعد يجيب باللغة الإنجليزية فقط. تقدم خدمة SENDIASS نصائح مجانية حول الاحتياجات "
        "التعليمية الخاصة والإعاقة، ويمكنها أن توفر لك مترجمًا مجانًا: اتصل بالرقم {phone}.",
        right_to_left=True,
    ),
    "ur": _Notice(
        "Urdu",
        "یہ معاون صرف انگریزی میں جواب دے سکتا ہے۔ SENDIASS خصوصی تعلیمی ضروریات اور معذوری کے بارے "
        "میں مفت مشورہ دیتا ہے اور آپ کے لیے مفت ترجمان کا انتظام کر سکتا ہے: {phone} پر کال کریں۔",
        right_to_left=True,
    ),
    "fa": _Notice(
        "Persian",
        "این دستیار فقط می‌تواند به زبان انگلیسی پاسخ دهد. SENDIASS درباره نیازهای آموزشی ویژه و "
        "معلولیت مشاوره رایگان می‌دهد و می‌تواند برای شما مترجم رایگان فراهم کند: با شماره {phone} "
        "تماس بگیرید.",
        right_to_left=True,
    ),
    "bn": _Notice(
        "Bengali",
        "এই সহকারী শুধু ইংরেজিতে উত্তর দিতে পারে। SENDIASS বিশেষ শিক্ষাগত চাহিদা ও প্রতিবন্ধিতা নিয়ে "
        "বিনামূল্যে পরামর্শ দেয় এবং আপনার জন্য বিনামূল্যে একজন দোভাষীর ব্যবস্থা করতে পারে: "
        "{phone} নম্বরে ফোন করুন।",
    ),
    "zh": _Notice(
        "Chinese",
        "本助手只能用英语回答。"
        "SENDIASS 免费提供有关特殊教育需要和残障的咨询，并可以为您免费安排口译员：请致电 {phone}。",
    ),
    "pa": _Notice(
        "Punjabi",
        "ਇਹ ਸਹਾਇਕ ਸਿਰਫ਼ ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ ਜਵਾਬ ਦੇ ਸਕਦਾ ਹੈ। SENDIASS ਵਿਸ਼ੇਸ਼ ਸਿੱਖਿਆ ਲੋੜਾਂ ਅਤੇ ਅਪੰਗਤਾ ਬਾਰੇ "
        "ਮੁਫ਼ਤ ਸਲਾਹ ਦਿੰਦਾ ਹੈ ਅਤੇ ਤੁਹਾਡੇ ਲਈ ਮੁਫ਼ਤ ਦੁਭਾਸ਼ੀਏ ਦਾ ਪ੍ਰਬੰਧ ਕਰ ਸਕਦਾ ਹੈ: {phone} 'ਤੇ ਫ਼ੋਨ ਕਰੋ।",
    ),
}

SUPPORTED_LANGUAGES: Final[dict[str, str]] = {code: notice.language for code, notice in _NOTICES.items()}
"""ISO 639-1 code -> English name of every language we have a notice for."""


def notice_for(code: str, sendiass_phone: str) -> str | None:
    """Return the notice in the language with ISO 639-1 ``code``, or None if we have none.

    Right-to-left notices come wrapped in a right-to-left isolate, with the phone number in a
    left-to-right one, so that they display correctly inside an English chat.
    """
    notice = _NOTICES.get(code.lower())
    if notice is None:
        return None
    phone = _checked(sendiass_phone)
    if not notice.right_to_left:
        return notice.template.format(phone=phone)
    text = notice.template.format(phone=f"{_LEFT_TO_RIGHT_ISOLATE}{phone}{_POP_DIRECTIONAL_ISOLATE}")
    return f"{_RIGHT_TO_LEFT_ISOLATE}{text}{_POP_DIRECTIONAL_ISOLATE}"


def english_notice(sendiass_phone: str) -> str:
    """Return the English version, shown after the translated notice for staff and for families
    who read both."""
    return _ENGLISH.format(phone=_checked(sendiass_phone))


def bilingual_notice(code: str, sendiass_phone: str) -> str | None:
    """Return the notice in the language with ``code`` and then in English, or None if we have
    no notice in that language."""
    notice = notice_for(code, sendiass_phone)
    if notice is None:
        return None
    return f"{notice}\n\n{english_notice(sendiass_phone)}"


def _checked(sendiass_phone: str) -> str:
    phone = sendiass_phone.strip()
    if not phone:
        # A notice that promises an interpreter but gives no number is worse than none.
        raise ValueError("the SENDIASS phone number is empty: set SIGNPOST_SENDIASS_PHONE")
    return phone
