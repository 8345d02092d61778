"""Words that place a message in the Local Offer's world, and words for a family's leisure activities.

Out of scope is for what is clearly unrelated (council tax, jokes, homework). A message that talks
of disability, a diagnosis, care or benefits is about what the Local Offer covers even when
no page answers it ('do i have to tell my uni im autistic?', 'SEN trampolining near Stonehouse'):
it gets the closest pages or services and SENDIASS, never 'I can only help with SEND'.

Words are matched on their start ('disab' covers 'disabled', 'disability' and the misspelling
'disabilty'), so each entry is a stem long enough to mean one thing.
"""

from __future__ import annotations

from typing import Final

from vocabulary.words import word_set

# Disability, health and care, money and the SEND process: words that say what the Local Offer is
# for. Not the words of everyday school life ('school', 'teacher', 'exam': 'Teacher here, could you
# write me a lesson plan?', 'my car failed its MOT and I need it for the school run'), nor 'council'
# (council tax), 'help' or 'support' (every message has them). Whole words (a plural 's' allowed):
# short words and words whose start means something else. A hyphen stands for a space or a hyphen.
LOCAL_OFFER_WORDS: Final = word_set(
    """
    sen send senco sendco sendiass ehcp ehc iep idp apdr asd adhd dla pip camhs salt
    deaf blind grant respite carer sen-support annual-review social-worker blue-badge
    additional-needs learning-difficulty special-needs special-educational
    """
)
# Word starts ('disab' covers 'disabled', 'disability' and the misspelling 'disabilty').
LOCAL_OFFER_STEMS: Final = word_set(
    """
    disab autis dyslex dyspra dyscalc epilep wheelchair sensory neurodiv cerebral-palsy
    hearing-impair visual-impair visually-impair speech-and-lang stammer therapist physio paediatric
    diagnos apprentic traineeship internship exclusion tribunal mediation benefit adaptation inclusive
    accessib
    """
)

# Kinds of activity a family looks for in the directory: with a place, an age or a SEND word they
# ask for services ('disability football teams for under 12s near Bishops Cleeve').
LEISURE_STEMS: Final = word_set(
    """
    football rugby cricket netball tennis basketball swim gymnast trampolin dance dancing ballet
    karate judo martial-art boxing climbing cycling bike horse-riding drama theatre choir
    scouts cubs beavers brownies guides rainbows stay-and-play soft-play bowling forest-school
    """
)
