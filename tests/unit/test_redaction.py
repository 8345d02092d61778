"""Redaction of personal identifiers: each kind found, everyday SEND words left alone."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from privacy import PLACEHOLDERS, Redaction, Span, redact
from privacy.contacts import public_numbers
from privacy.dates import find_birth_dates
from privacy.nhs import is_valid_nhs_number
from settings import get_settings

# The helplines the assistant gives out, from the settings as the gateway and the app store get them.
HELPLINES = public_numbers(get_settings().public_phones)

# (message, the message as it must be stored)
REDACTED = [
    # Phone numbers: mobiles, landlines, +44, spaces, dashes, brackets, drama numbers, missing 0.
    ("call me on 07700 900123", "call me on [phone number]"),
    ("my mobile is 07700900123", "my mobile is [phone number]"),
    ("ring 07700-900-123 after 3", "ring [phone number] after 3"),
    ("home (01632) 960123 or work 01632 960 456", "home [phone number] or work [phone number]"),
    ("+44 7700 900123 is best", "[phone number] is best"),
    ("+44 (0)1632 960789", "[phone number]"),
    ("0044 1632 960001 from abroad", "[phone number] from abroad"),
    ("my number is 020 7946 0000", "my number is [phone number]"),
    ("try 0117 496 0123 please", "try [phone number] please"),
    ("I typed it as 7700900123 by mistake", "I typed it as [phone number] by mistake"),
    ("07700 900123 07700 900456", "[phone number] [phone number]"),
    # NHS numbers: valid anywhere, any ten digits near 'NHS'.
    ("NHS no 943 476 5919", "NHS no [NHS number]"),
    ("his number is 9434765919", "his number is [NHS number]"),
    ("nhs number: 123-456-7890 (I think)", "nhs number: [NHS number] (I think)"),
    ("943 476 5919 is her NHS number", "[NHS number] is her NHS number"),
    # Emails.
    ("email me jo.bloggs@gmail.com", "email me [email]"),
    ("Contact: sam_o'neil+school@example.org.", "Contact: [email]."),
    ("J.SMITH99@EXAMPLE.ORG", "[email]"),
    # Dates of birth: cued, and uncued full dates that make someone 0 to 25.
    ("dob 03/04/2015", "dob [date of birth]"),
    ("D.O.B. 3.4.15", "D.O.B. [date of birth]"),
    ("he was born on 3rd April 2015", "he was born on [date of birth]"),
    ("born April 3 2015 in Gloucester", "born [date of birth] in Gloucester"),
    ("date of birth 2015-04-03", "date of birth [date of birth]"),
    ("her birthday is 12 Sept 2009", "her birthday is [date of birth]"),
    ("Mia (14/02/2012) has ADHD", "Mia ([date of birth]) has ADHD"),
    ("DOB: 1/1/1980 (mine)", "DOB: [date of birth] (mine)"),
    # Postcodes and addresses.
    ("we live at 12 Acacia Road, Stroud GL5 1AA", "we live at [address], Stroud [postcode]"),
    ("postcode gl51 9ab", "postcode [postcode]"),
    ("GL51AA", "[postcode]"),
    ("flat 3, 45 high st", "[address]"),
    ("we moved to 14 Orchard Close last year", "we moved to [address] last year"),
    ("send it to 7a St John's Road", "send it to [address]"),
    # Names after kinship cues, upper or lower case.
    ("my son Jack has autism", "my son [name] has autism"),
    ("my son jack has autism", "my son [name] has autism"),
    ("my daughter, Amelia, is in year 9", "my daughter, [name], is in year 9"),
    ("my grandson oliver struggles at school", "my grandson [name] struggles at school"),
    ("my 7 year old Isla won't go in", "my 7 year old [name] won't go in"),
    ("my son (Alfie) was excluded", "my son ([name]) was excluded"),
    ("my children Jack, Amelia and Noah all have EHCPs", "my children [name], [name] and [name] all have EHCPs"),
    ("our foster son Kai-Ryan needs transport", "our foster son [name] needs transport"),
    ("my stepdaughter Zoë's school", "my stepdaughter [name]'s school"),
    ("MY SON JACK HAS AUTISM", "MY SON [name] HAS AUTISM"),
    # Names after naming cues, introductions, 'about', titles and sign-offs.
    ("her name is Mia", "her name is [name]"),
    ("he's called Ollie", "he's called [name]"),
    ("this is about Noah Smith", "this is about [name]"),
    ("I'm Sarah", "I'm [name]"),
    ("my name is sarah jones", "my name is [name]"),
    ("I'm Jack's mum", "I'm [name]'s mum"),
    ("Mrs Patel the SENCO said no", "Mrs [name] the SENCO said no"),
    ("thanks, Jo", "thanks, [name]"),
    ("Many thanks for your help\nSarah x", "Many thanks for your help\n[name] x"),
    ("Kind regards, Priya Sharma", "Kind regards, [name]"),
    # Names that are also words: only with a capital after a strong cue.
    ("my daughter Grace has dyslexia", "my daughter [name] has dyslexia"),
    ("she is called Rose", "she is called [name]"),
    ("his name is Will", "his name is [name]"),
    ("my son Mark goes to college", "my son [name] goes to college"),
    ("my daughter Hope", "my daughter [name]"),
    ("Regards, Mark", "Regards, [name]"),
    ("my sons name is leo and he is 6", "my sons name is [name] and he is 6"),
    ("my name is Sarah and my son is Jack", "my name is [name] and my son is [name]"),
    ("Jack's mum here", "[name]'s mum here"),
    ("told by Dr. Okafor that he has dyspraxia", "told by Dr. [name] that he has dyspraxia"),
    ("My son, Ethan James Walker, is 11", "My son, [name], is 11"),
    ("She turned 18 on 05/05/2024", "She turned 18 on [date of birth]"),
]

# Messages that hold no personal identifier and must be stored exactly as typed.
UNCHANGED = [
    "my son has autism",
    "my son is 7",
    "my daughter who is 12 won't go to school",
    "my son struggles with reading",
    "my son will start school in September",
    "my daughter may need an EHCP",
    "my son hopes to go to college",
    "my son didn't get an EHC needs assessment",
    "my son aspergers diagnosis took years",
    "my 7 year old has ADHD",
    "she is in year 9",
    "he finishes year 11 in 2025",
    "his GCSEs are next summer",
    "the review is in March",
    "the annual review was on 12/03/2025",
    "My son's EHCP was finalised 14 March 2024",
    "we applied on 3 January 2025",
    "the tribunal is on 14/07/2031",
    "paragraph 9.2.14 of the code",
    "it took 20 weeks",
    "he gets 20 hours a week",
    "the club costs £16",
    "section I of the plan",
    "section F says 1:1 support",
    "we are in Stroud",
    "anything in the Forest of Dean?",
    "this is about Cheltenham services",
    "I'm from Tewkesbury",
    "the SENCO says no",
    "what is an EHCP?",
    "he has ADHD and SPD",
    "I rang SENDIASS on 0800 158 3603",
    "the Front Door is 01452 426565",
    "Samaritans 116 123 or 999",
    "we live in the GL5 area",
    "2 kids at the park",
    "my 3 kids walk to school",
    "thanks for telling me about Portage",
    "Thank you so much",
    "thanks, will do",
    "he would love Lego",
    "my daughter goes to Belmont School",
    "I called SENDIASS yesterday",
    "i am worried about my son",
    "is there help with Makaton?",
    "she is in Reception and has 15 hours of support",
    "his name is missing from the letter",
    "thanks, Mum",
    "the council's SENCO",
    "my son is autistic and non-verbal",
    "my son, Stroud based, is 10",
    "I'm Grace",  # an ordinary word after a weak cue: left, by design
    "my son is EHCP'd",
]

LONG_MESSAGE = (
    "Hi, I'm Sarah Jones and I'm writing about my son Jack (dob 03/04/2015, NHS no 943 476 5919). "
    "He is in year 5 at a school in Stroud and has ADHD and autism. The SENCO says he doesn't need an EHCP "
    "but I disagree. His review was on 12/03/2025 and nothing changed. My daughter, Amelia, is 7 and also "
    "struggles. You can call me on 07700 900123 or email jo.bloggs@example.org. We live at 12 Acacia Road, "
    "Stroud GL5 1AA. I rang SENDIASS on 0800 158 3603 last week but they were busy. He gets 20 hours of "
    "support and the club costs £16. Section I of his plan names the school. Do I need a diagnosis? "
    "Thanks so much for your help, Sarah"
)
LONG_MESSAGE_IDENTIFIERS = [
    "Sarah",
    "Jones",
    "Jack",
    "03/04/2015",
    "9434765919",
    "Amelia",
    "07700900123",
    "jo.bloggs",
    "Acacia",
    "GL5 1AA",
]


@pytest.mark.parametrize(("message", "stored"), REDACTED)
def test_identifiers_are_replaced(message: str, stored: str) -> None:
    assert redact(message, HELPLINES).text == stored


@pytest.mark.parametrize("message", UNCHANGED)
def test_ordinary_messages_are_left_alone(message: str) -> None:
    result = redact(message, HELPLINES)
    assert result.text == message
    assert result.kinds == ()
    assert not result.changed


@pytest.mark.parametrize("message", [m for m, _ in REDACTED] + [LONG_MESSAGE])
def test_redacting_twice_changes_nothing_more(message: str) -> None:
    once = redact(message, HELPLINES)
    twice = redact(once.text, HELPLINES)
    assert twice.text == once.text
    assert twice.kinds == ()


def removed_parts(message: str, stored: str) -> list[str]:
    """The stretches of ``message`` that ``stored`` replaced with placeholders."""
    placeholders = "|".join(re.escape(p) for p in PLACEHOLDERS.values())
    literal = [re.escape(piece) for piece in re.split(placeholders, stored)]
    match = re.fullmatch("(.+?)".join(literal), message, re.DOTALL)
    assert match is not None
    return list(match.groups())


@pytest.mark.parametrize(("message", "stored"), REDACTED)
def test_no_removed_identifier_appears_in_the_output(message: str, stored: str) -> None:
    output = redact(message, HELPLINES).text
    parts = removed_parts(message, stored)
    assert parts
    for part in parts:
        assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", output, re.IGNORECASE), part


@pytest.mark.parametrize(("message", "stored"), REDACTED)
def test_no_digit_sequence_of_an_identifier_survives(message: str, stored: str) -> None:
    # Every number removed is gone for good: no run of 6+ digits from the message is left.
    digits_left = re.sub(r"\D", "", redact(message, HELPLINES).text)
    for run in re.findall(r"\d[\d ()\-./]{4,}\d", message):
        run_digits = re.sub(r"\D", "", run)
        if len(run_digits) >= 6 and run_digits not in re.sub(r"\D", "", stored):
            assert run_digits not in digits_left


def test_long_rambling_message() -> None:
    result = redact(LONG_MESSAGE, HELPLINES)
    flat = re.sub(r"[\s\-]", "", result.text)
    for identifier in LONG_MESSAGE_IDENTIFIERS:
        assert re.sub(r"[\s\-]", "", identifier) not in flat, identifier
    # What the assistant needs is still there.
    for kept in ("Stroud", "ADHD", "autism", "SENCO", "EHCP", "0800 158 3603", "year 5", "£16", "Section I"):
        assert kept in result.text, kept
    assert "His review was on 12/03/2025" in result.text
    assert result.kinds == (
        "name",
        "name",
        "date_of_birth",
        "nhs_number",
        "name",
        "phone",
        "email",
        "address",
        "postcode",
        "name",
    )


def test_kinds_are_in_order_of_appearance() -> None:
    result = redact("my son Jack, call 07700 900123 or jo@example.org", HELPLINES)
    assert result == Redaction(
        "my son [name], call [phone number] or [email]",
        (Span(7, 11, "name"), Span(18, 30, "phone"), Span(34, 48, "email")),
    )
    assert result.kinds == ("name", "phone", "email")
    assert result.changed


def test_placeholders_are_short_and_cover_every_kind() -> None:
    assert set(PLACEHOLDERS) == {"name", "phone", "email", "nhs_number", "date_of_birth", "address", "postcode"}
    assert all(p.startswith("[") and p.endswith("]") and len(p) <= 16 for p in PLACEHOLDERS.values())


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("9434765919", True), ("4010232137", True), ("9434765918", False), ("123456789", False), ("0000000000", True)],
)
def test_nhs_check_digit(digits: str, valid: bool) -> None:
    assert is_valid_nhs_number(digits) is valid


@pytest.mark.parametrize(
    ("message", "today", "found"),
    [
        # 0 to 25 years old on the day: a likely birthday.
        ("Mia 14/02/2012", dt.date(2026, 1, 1), True),
        ("Mia 14/02/2000", dt.date(2026, 1, 1), True),  # 25 since 14/02/2025
        ("Mia 14/02/2000", dt.date(2026, 2, 14), False),  # 26 today
        ("Mia 14/02/2001", dt.date(2026, 2, 14), True),  # 25 today
        ("Mia 14/02/2026", dt.date(2026, 1, 1), False),  # in the future: an appointment, not a birthday
        ("Mia 14/02/1990", dt.date(2026, 1, 1), False),
        ("born 14/02/1990", dt.date(2026, 1, 1), True),  # a birthday word wins over the age
        ("born 31/02/2015", dt.date(2026, 1, 1), False),  # no such date
    ],
)
def test_uncued_dates_count_as_birthdays_only_for_ages_0_to_25(message: str, today: dt.date, found: bool) -> None:
    assert bool(find_birth_dates(message, today)) is found
