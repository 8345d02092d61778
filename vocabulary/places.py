"""The county's places: its six districts, the towns and villages in each, and their misspellings.

Places map to one of the six district councils' areas. A town is listed only where we are sure
which district it lies in, because a wrong mapping would send a family to the wrong services.
Phrases are written in lower case. Hyphens and spaces are interchangeable ('moreton-in-marsh'
also matches 'moreton in marsh'). Long words (8 letters or more) also match common misspellings
through :mod:`vocabulary.fuzzy`, so only misspellings of shorter words need listing here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from vocabulary.words import word_set

DISTRICTS: Final = ("Cheltenham", "Cotswold", "Forest of Dean", "Gloucester", "Stroud", "Tewkesbury")

# District -> names (and misspellings) of the district and of places within it.
PLACES: Final = MappingProxyType(
    {
        "Cheltenham": (
            "cheltenham",
            "cheltnam",
            "cheltnham",
            "chelt",
            "cheltenam",
            "charlton kings",
            "prestbury",
            "leckhampton",
            "up hatherley",
            "hesters way",
            "hester's way",
            "pittville",
            "warden hill",
            "benhall",
            "swindon village",
        ),
        "Cotswold": (
            "cotswold",
            "cotswolds",
            "cotswald",
            "cotswalds",
            "cirencester",
            "ciren",
            "tetbury",
            "moreton-in-marsh",
            "stow-on-the-wold",
            "bourton-on-the-water",
            "bourton",
            "fairford",
            "lechlade",
            "chipping campden",
            "campden",
            "northleach",
            "south cerney",
            "kemble",
            "andoversford",
            "bibury",
        ),
        "Forest of Dean": (
            "forest of dean",
            "forrest of dean",
            "forest of dene",
            "fod",
            "cinderford",
            "coleford",
            "lydney",
            "lidney",
            "newent",
            "mitcheldean",
            "newnham",
            "newnham on severn",
            "drybrook",
            "ruardean",
            "lydbrook",
            "tidenham",
            "sedbury",
        ),
        "Gloucester": (
            "gloucester",
            "glouster",
            "gloster",
            "glocester",
            "quedgeley",
            "tuffley",
            "hucclecote",
            "barnwood",
            "abbeydale",
            "abbeymead",
            "kingsway",
            "longlevens",
            "matson",
            "kingsholm",
            "tredworth",
            "hempsted",
            "podsmead",
            "coney hill",
            "robinswood",
        ),
        "Stroud": (
            "stroud",
            "stroude",
            "strowd",
            "stonehouse",
            "nailsworth",
            "dursley",
            "wotton-under-edge",
            "minchinhampton",
            "painswick",
            "berkeley",
            "berkley",
            "chalford",
            "brimscombe",
            "rodborough",
            "slimbridge",
            "sharpness",
            "eastington",
            "frampton on severn",
            "forest green",
        ),
        "Tewkesbury": (
            "tewkesbury",
            "tewksbury",
            "tewkesbry",
            "tewksbry",
            "tewkes",
            "bishop's cleeve",
            "bishops cleeve",
            "cleeve",
            "winchcombe",
            "churchdown",
            "brockworth",
            "innsworth",
            "northway",
            "ashchurch",
        ),
    }
)

# Places whose name is also an everyday word ('a cam belt', 'stow the bags', 'forest school'):
# they count only where the text reads as a place (see knowledge_base.understanding.places).
PLACES_IN_CONTEXT: Final = MappingProxyType(
    {
        "Stroud": ("cam",),
        "Cotswold": ("stow",),
        "Forest of Dean": ("the forest", "forest"),
    }
)

# Words that may name a place but not one district. 'Glos' is the county to some writers and the
# city to others; 'Wotton' is both Wotton-under-Edge (Stroud) and an area of Gloucester; 'Moreton'
# is both Moreton-in-Marsh (Cotswold) and Moreton Valence (Stroud).
AMBIGUOUS_PLACES: Final = ("glos", "gloucs", "wotton", "moreton")

# What a family answers when any district will do ('anywhere in the county'): any of these words
# in the answer means any district.
ANYWHERE: Final = "anywhere"
ANYWHERE_WORDS: Final = (
    "anywhere",
    "anywhere in the county",
    "anywhere in gloucestershire",
    "countywide",
    "county wide",
    "whole county",
    "the whole county",
    "all of gloucestershire",
    "gloucestershire",
    "all areas",
    "any area",
)

# Words after a place name that make it a road or a team rather than where a family lives
# ('Gloucester Road' runs through Cheltenham).
NOT_A_PLACE_AFTER: Final = frozenset({"road", "rd", "street", "st", "lane", "avenue", "ave"})

# Single words that name the county's districts, towns and larger villages, and nearby places
# families mention, that are never taken as a person's name (privacy): a place alone identifies
# no one, even where it is also a name ('my son Cam' keeps 'Cam'). Hand-picked rather than every
# word of PLACES: 'Dean', 'Warden' and 'Green' are people's names too.
NEVER_A_NAME: Final = word_set(
    """
    gloucestershire glos cheltenham cotswold cotswolds gloucester stroud tewkesbury
    cirencester tetbury nailsworth dursley wotton berkeley stonehouse painswick minchinhampton lydney
    cinderford coleford newent mitcheldean moreton stow bourton chipping campden northleach fairford
    lechlade winchcombe cleeve bishops quedgeley brockworth churchdown hucclecote tuffley longlevens
    kingsholm barnwood abbeydale abbeymead matson podsmead hardwicke hempsted leckhampton prestbury
    charlton hesters whaddon springbank hatherley kingsditch cam frampton severn bristol bath
    swindon worcester hereford oxford birmingham cardiff wales england britain uk london
    yate thornbury sodbury ledbury evesham monmouth chepstow malvern
    """
)


def phrase_variants(phrase: str) -> tuple[str, ...]:
    """A phrase and its spelling with spaces for hyphens ('moreton-in-marsh', 'moreton in marsh')."""
    return tuple(dict.fromkeys((phrase, phrase.replace("-", " "))))


def one_word_place_names() -> frozenset[str]:
    """Every place name that is one word (districts, towns, misspellings, 'glos'), and the county.

    For telling a message's language: a place says nothing about it. Words that are also everyday
    words ('cam', 'stow') are left out.
    """
    names = {phrase for phrases in PLACES.values() for phrase in phrases if " " not in phrase}
    names.update(AMBIGUOUS_PLACES)
    names.update(word.lower() for district in DISTRICTS for word in district.split() if word != "of")
    return frozenset(names | {"gloucestershire"})
