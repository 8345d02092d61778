"""Word lists that tell a person's name from an ordinary word.

Ordinary words come from the project's English word list (:mod:`vocabulary.english`, spaCy's
WordNet-based lookup tables): every word form and lemma of the lemma lookup table, plus the
adjective, adverb and verb lemma indexes. Most of the noun index is left out because it lists
people from history and the Bible (Sarah, Noah, Jacob), which are exactly the names families type;
only nouns with endings no name has ('mutism', 'diabetes') are taken from it. Place names come
from :mod:`vocabulary.places`.

Some given names are also English words. 'Jack', 'Harry' and 'Tom' are almost never ordinary
words straight after 'my son', so they count as names. 'Will', 'Mark', 'Grace', 'Rose' and 'Hope'
often are ordinary words, so they stay ordinary, and the name rules accept them only when
capitalised after a strong cue ('my daughter Grace', 'called Will').
"""

from __future__ import annotations

from functools import cache

from vocabulary.english import base_forms, word_forms
from vocabulary.places import NEVER_A_NAME
from vocabulary.words import word_set

# Closed-class words (pronouns, determiners, auxiliaries, prepositions, conjunctions) and
# everyday chat words. None of them is ever a name when it follows 'my son' or 'I'm'.
# 'Will' and 'May' are left out: they are names too (see AUXILIARIES_ALSO_NAMES).
FUNCTION_WORDS = word_set(
    """
    a about above across after again against all almost alone along already also although always am among
    an and another any anyone anything are around as at be because been before being below beside between
    both but by can cannot could did do does doing done down during each either else enough even ever every
    for from further had has have having he her here hers herself him himself his how however i if in into
    is it its itself just least less like many me might mine more most much must my myself neither never
    next no nobody none nor not nothing now of off often on once one only onto or other others our ours
    ourselves out over own per perhaps please quite rather really same several shall she should since so
    some someone something sometimes soon still such than that the their theirs them themselves then there
    these they this those though through thus to today together too towards under until up upon us very via
    was we well were what whatever when where whether which while who whom whose why with within without
    would yet you your yours yourself yourselves
    aint arent cant couldnt didnt doesnt dont hadnt hasnt havent isnt mustnt shant shouldnt wasnt werent
    wont wouldnt im ive id ill hes shes theyre theyve weve youre youve thats whats whos lets
    gonna wanna gotta kinda sorta dunno ok okay hi hello hey yes yeah yep nope thanks thank thx ty pls plz
    tho cos coz bc lol omg tbh btw aka etc re ps
    aged age yr yrs yo
    """
)

# Words in SEND conversations that are not in an English dictionary but are never a person's name.
SEND_TERMS = word_set(
    """
    send sen senco sencos sendco sendiass iass ipsea ehcp ehcps ehc ehcna ehna adhd add asd asc autism
    autistic spd pda odd ocd fasd dld slcn semh mld sld pmld vi hi msi gdd dcd dyspraxia dyspraxic
    dyslexia dyslexic dyscalculia dysgraphia tourettes tourette camhs salt slt ot cp ld sensory makaton
    pecs portage teacch elsa lsa ta tas senso iep pep lac cla cin sgo nhs gp gps cahms sendist
    ofsted dfe la las coram mencap nas nasen ncb barnardos sendias
    pru ap ks1 ks2 ks3 ks4 ks5 gcse gcses btec btecs nvq sats fe he dla pip esa uc alevels
    asperger aspergers neurodivergent neurodiverse neurotypical nd autie stimming echolalia hypermobile
    ehlers danlos arfid eotas ehe flexi dysregulated preverbal nonverbal avoidant ebsa ebsna statemented
    homeschooled homeschooling keyworker sw
    """
)

# Auxiliaries that are also given names: ordinary words, so only a capital letter after a strong
# cue makes them names ('my son Will', but 'my son will start school').
AUXILIARIES_ALSO_NAMES = frozenset({"will", "may"})

# Words that follow a name-like word when it names a place or an institution, not a person:
# 'Belmont School', 'Oakfield Academy', 'Acacia Road'.
INSTITUTION_WORDS = word_set(
    """
    school schools academy college primary secondary infants infant junior juniors nursery preschool
    pre-school university hospital centre center clinic surgery practice trust council house road street
    lane avenue close way drive team service services unit hub group club federation church
    """
)

# Given names that are also (rare) English words: after a naming cue they are names, any case.
GIVEN_NAMES_ALSO_WORDS = word_set(
    """
    jack harry tom max henry teddy josh phoebe george archie alfie freddie freddy billy bobby jimmy johnny
    tommy danny sammy charlie ollie olly ben sam tim jake nick pete peter paul joe jo bob ted ed eddie
    jess jenny kate katie lizzie maddie millie molly polly sally betty kitty nell nelly abby maisie
    """
)

# Noun endings no given name has: 'mutism', 'diabetes', 'dysregulation', 'friendship'.
_ABSTRACT_NOUN_ENDINGS = tuple(word_set("ism tion sion ness ment ence ance ics ogy itis osis ship hood etes"))


@cache
def ordinary_words() -> frozenset[str]:
    """Lower-case English words from spaCy's lookup tables plus :data:`FUNCTION_WORDS` (loaded once)."""
    words = set(word_forms()) | FUNCTION_WORDS | AUXILIARIES_ALSO_NAMES
    words.update(base_forms(("adj", "adv", "verb")))
    # Nouns with no plural ('diabetes', 'mutism') are missing from the lookup table; the noun index
    # has them, but also people's names, so only nouns with a suffix no given name has are taken.
    words.update(noun for noun in base_forms(("noun",)) if noun.endswith(_ABSTRACT_NOUN_ENDINGS))
    return frozenset(word.lower() for word in words) - GIVEN_NAMES_ALSO_WORDS


@cache
def descriptive_words() -> frozenset[str]:
    """Adjectives and adverbs from spaCy's lemma index ('correct' and 'down' are; 'leo' is not)."""
    return frozenset(word.lower() for word in base_forms(("adj", "adv")))


def is_descriptive_word(word: str) -> bool:
    """Whether a word is an adjective or adverb: 'his name is correct' names no one."""
    return word.lower() in descriptive_words()


def is_ordinary_word(word: str) -> bool:
    """Whether a word (any case) is an ordinary English word rather than a name.

    A hyphenated word is ordinary when all its parts are: 'non-verbal', 'looked-after'.
    """
    words = ordinary_words()
    if any(form in words for form in _forms(word)):
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(part and is_ordinary_word(part) for part in parts)


def is_never_a_name(word: str) -> bool:
    """Whether a word is grammar or a SEND term: never redacted as a name, however strongly cued."""
    lower, joined = _forms(word)
    stem = lower.split("'")[0]  # "EHCP'd", "SENCo's"
    return any(form in FUNCTION_WORDS or form in SEND_TERMS for form in (lower, joined, stem))


def _forms(word: str) -> tuple[str, str]:
    # Chat drops apostrophes ('didnt') as often as it keeps them ("didn't", or with a curly apostrophe).
    lower = word.lower().replace("’", "'")
    return lower, lower.replace("'", "")


def is_place(word: str) -> bool:
    """Whether a word is one of the county's (or a neighbouring) place names."""
    return word.lower() in NEVER_A_NAME
