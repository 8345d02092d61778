"""Words that place a message in the Local Offer's world, and words for a family's leisure activities.

Out of scope is for what is clearly unrelated (council tax, jokes, homework). A message that talks
of school, disability, a diagnosis, care or benefits is about what the Local Offer covers even when
no page answers it ('do i have to tell my uni im autistic?', 'SEN trampolining near Stonehouse'):
it gets the closest pages or services and SENDIASS, never 'I can only help with SEND'.

Words are matched on their start ('disab' covers 'disabled', 'disability' and the misspelling
'disabilty'), so each entry is a stem long enough to mean one thing.
"""

from __future__ import annotations

from typing import Final

from vocabulary.words import word_set

# Education, disability and health, care, money and the SEND process. Not 'council' (council tax),
# 'help' or 'support' (every message has them), nor 'child' or 'son' alone (a parent asking about
# bins says 'my son'). Whole words (a plural 's' allowed): short words and words whose start means
# something else ('uni' and 'uniform', 'grant' and 'granted'). A hyphen stands for a space or a hyphen.
LOCAL_OFFER_WORDS: Final = word_set(
    """
    sen send senco sendco sendiass ehcp ehc iep idp apdr asd adhd dla pip camhs salt ot
    deaf blind uni nursery pupil exam gcse a-level btec tutor grant respite carer foster kinship
    sen-support annual-review social-worker blue-badge bus-pass additional-needs learning-difficulty
    """
)
# Word starts ('disab' covers 'disabled', 'disability' and the misspelling 'disabilty').
LOCAL_OFFER_STEMS: Final = word_set(
    """
    special disab autis dyslex dyspra dyscalc epilep wheelchair sensory neurodiv cerebral palsy
    hearing-impair visual-impair visually speech-and-lang stammer therap physio paediatric diagnos
    school college universit preschool pre-school playgroup childmind childcare teacher classroom
    apprentic traineeship internship excluded exclusion timetable tribunal mediation caring
    fostering guardian benefit adaptation inclusive accessib
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
