"""After the safety response, whether the family's next message carries on the same emergency.

Someone who has just been given the safety response often writes again at once, and briefly:
'police are here', 'she's 6', 'her kids are here at school with us right now', 'they said they'll
be angry if i dont', 'i dont want to ring anyone'. Alone, none of these says risk; after one, each
is part of the same situation, and what the writer needs is the safety response again, not 'not
sure' or the out-of-scope reply.

So a message that follows a turn at risk carries the risk on unless it closes the matter (thanks,
goodbye, 'I'm ringing them now', 'spoke to the duty social worker', 'she's home safe') or asks the
Local Offer something new, with no word of danger in it either way. A message that says the matter
is in hand is not at risk after such a turn even when the classifier or a rule flags it: the
words of the help itself ('999', 'police', 'ambulance') are what such messages are made of. The
caller says whether the turn before was at risk (``safety.detector.assess(..., after_risk=True)``);
this module only reads the words.

A turn carried on quietly (at risk only because the turn before was, with no word of danger of its
own: 'whats EOTAS' after a false alarm) hands the risk on only to a message that names a danger.
Otherwise one alarm, right or wrong, would hold every short reply after it: on the read answer sets,
3 of the 9 ordinary turns carried on were carried from a turn that was itself carried on quietly.
"""

from __future__ import annotations

import re

from safety.text import normalise
from vocabulary.local_offer_words import LOCAL_OFFER_STEMS, LOCAL_OFFER_WORDS
from vocabulary.words import word_set

# Soon, not yet: 'hes home in 10 mins' said of the one they fear is the danger coming, not a person found.
_SOON = (
    r"(?:in (?:\d+|a few|a couple of|ten|five|twenty|half an?|an?) ?(?:mins?|minutes|hours?|hrs?)?|soon|any (?:minute"
    r"|second|time)|at \d+|tonight|later)"
)
# The emergency is over: the person is found, or safe.
_RESOLVED = re.compile(
    r"\b(?:found (?:him|her|them)|(?:home|back) (?:safe|now|safely)|(?:is|are|s|re) (?:home |back |now )?safe"
    rf"|safe (?:now|and sound)|(?:hes|shes|theyre|he is|she is|they are) (?:home|back)(?! late| {_SOON})"
    r"|false alarm|all fine now|all ok now|sorted now|panic over|(?:hes|shes|theyve|he has|she has|they have)"
    r" (?:turned up|been found|come home|come back)|(?:he|she|they) turned up"
    # Safe again in words that cannot mean the danger is back: 'stable in hospital', 'got him out'.
    # Not 'hes fine' (said by one who is not), 'hes with me' or 'he walked in' (said of an abuser).
    r"|(?:is|are|s|re|seems|seem|looks) stable|all safe|(?:was|were|been) found|got (?:him|her|them) out"
    r"|(?:home|safe) with (?:me|us)|sorted it"
    # 'shes safe at her grans', 'were all safe': safe, said of anyone (not 'fine' or 'ok', which the
    # one still at risk says too: 'im ok honestly, hes gone to bed').
    r"|(?:hes|shes|theyre|were|im|he is|she is|they are|we are|i am)(?: now| all| both)? safe\b(?! to\b)"
    r"|unharmed|(?:pink|breathing normally) again"
    # Someone safe came for them: 'my friend came and got me'.
    r"|(?:came|come) (?:and|to) (?:get|got|collect|collected|pick up|picked up|picked) (?:me|us)"
    # Come through it: 'hes 4.6 now and talking again', 'my husband talked him down', 'settled now'.
    r"|(?:talking|breathing|awake|responding|conscious) again|(?:came|come) round"
    r"|(?:talked|calmed) (?:him|her|them) down|(?:has|have|hes|shes|theyve) (?:come|calmed) down|calmed down"
    r"|settled now|(?:hes|shes|theyre|he is|she is|they are) breathing"
    r"(?: (?:fine|ok|okay|normally))?(?: and (?:crying|screaming))?(?! funny| weird| fast| badly| strangely)"
    # Somewhere safe to stay: 'a refuge space for me and my son today', 'somewhere safe for her and the
    # children tonight'.
    r"|(?:somewhere|a place|a space|a bed|a room) (?:safe|to stay)(?: for [a-z]+(?: and (?:the|my|her|his) [a-z]+)?)?"
    r"(?: (?:for )?tonight)?|refuge(?: space| place)?|safe house"
    # A safe adult with them now: 'the lady who works here is with me'.
    r"|(?:lady|man|woman|staff|teacher|nurse|neighbour|friend|security|officer|worker|someone)(?: [a-z]+){0,3}"
    r" (?:is|are|s) with (?:me|us|him|her|them))\b"
)
# When a call is put off to: 'ill ring them in the morning' leaves tonight as it was.
_LATER = r"(?:in the morning|tomorrow|later(?: on)?|first thing|on monday|next week|after the weekend)"
# Doing what the safety response says: calling the emergency number or the Front Door now.
_ACTING = re.compile(
    r"\b(?:calling|ringing|phoning|dialling|rang|rung|called|phoned|dialled|on the phone to|going to (?:call|ring)"
    r"|ill (?:call|ring)|i will (?:call|ring))"
    r" (?:999|111|the police|police|an ambulance|them|the front door|the number)\b"
    # A call put off is not a call made.
    rf"(?! {_LATER})"
)
# Help reached: the family, or someone with them, has done what the safety response said, or the
# services have been and done their part ('spoke to the out of hours social worker', '999 called',
# 'police did a welfare check', 'paramedics have taken over'). The writers of the follow-up sets
# (bench/safety/followups_*.yml) read all of these as the matter in hand.
_HELPERS = (
    r"999|111|101|police|ambulance|paramedics|shout|samaritans|crisis|social care|social worker|social services"
    r"|duty|front door|childrens services|gp|doctor|nurse|lado|dsl|safeguarding|domestic abuse|out of hours"
    # The adults at school a young person is told to talk to: 'i told my head of year'.
    r"|head of year|form tutor|tutor|teacher|pastoral|school nurse|head teacher|headteacher"
    r"|helpline|advice line|support line|call handler|operator"
    r"|mum|mam|dad|nan|gran|grandma|grandad|auntie|aunt|carer|parents"
)
_SERVICES = (
    r"(?:the )?(?:police|ambulance|paramedics|crisis team|social worker|duty team|someone|theyre|they)"
    r"(?: crew| officers?| team| staff)?"
)
_HELP_REACHED = re.compile(
    r"\b(?:rang|rung|called|phoned|dialled|texted|messaged|spoke to|spoken to|speaking to|told|contacted"
    r"|got through to|reported (?:it |this |him |her )?to|referred (?:it |this |him |her )?to)"
    rf"(?: [a-z]+){{0,3}}? (?:{_HELPERS})\b"
    r"|\b(?:made|done|did) (?:a |the )?(?:referral|welfare check|safety plan)|\bwelfare check (?:done|was done)"
    r"|\b(?:999|111|101|police|an ambulance|the ambulance|ambulance) (?:has been |have been |was |were )?"
    r"(?:called|rung|phoned)\b"
    rf"|\b{_SERVICES}(?: (?:have|has|had))?(?: just)? (?:been|came|took|taken over|taken (?:him|her|them|me))\b"
    r"|\bbeen arrested\b|\btaken (?:him|her|them|me) (?:in|to hospital|to a and e)\b"
    # 'police have arrested him', 'the police got to her first', 'they checked her over', 'police and
    # the lado are involved now', 'paramedics are with him', 'theyre taking us in'.
    r"|\b(?:police|officers|they) (?:have |has |had )?arrested (?:him|her|them)\b"
    r"|\b(?:police|paramedics|ambulance|they|the crew|officers) got to (?:him|her|them|us|me)\b"
    r"|\bchecked (?:him|her|them|me|us) over\b"
    r"|\b(?:police|lado|social services|social care|social worker|the dsl|dsl)(?: and (?:the )?[a-z]+)? (?:are|is|have"
    r" been|has been|got) involved\b"
    r"|\b(?:paramedics|police|the crew|a nurse|the nurse|the doctor|doctors|officers) (?:are|is) with (?:him|her"
    r"|them|us|me)\b"
    r"|\b(?:theyre|they are|theyve|they have) (?:taking|taken) (?:us|him|her|them|me) (?:in|to hospital|to a and e)\b"
)
# Help on its way or just there ('police are on their way', 'paramedics here'): the matter is in
# hand only with something more (the person safe, a call made, thanks). Alone it carries on: until
# help has taken over, the family may still need what the safety response says, and the writers of
# the read answer sets labelled 'police are here' and 'ok police are on their way' still at risk.
_HELP_COMING = re.compile(
    rf"\b{_SERVICES}(?: (?:is|are|s|re|have|has))?(?: just)? (?:here|there|arrived|coming|on (?:its|their|the) way"
    r"|taking (?:him|her|them|me)|sending|visiting|seeing (?:her|him|them|me)|bringing (?:him|her|them)"
    r"|\d+ mins? away|\d+ minutes away)\b|\b(?:is|are) taking (?:me|him|her|us)\b|\bdriving (?:us|me|him|her)\b"
)
# Thanks or goodbye: the family closing the exchange.
_THANKS = re.compile(r"\b(?:thanks?|thank you|thankyou|thank u|ty|cheers|bye|goodbye|ta|will do)\b")
# Adults at school or college a young person is told to talk to: seeing one tomorrow is a plan, not
# a call to the emergency services put off.
_TRUSTED_ADULT = re.compile(
    r"\b(?:head of year|form tutor|tutor|teacher|senco|sendco|pastoral|mentor|school nurse|head teacher"
    r"|headteacher|designated safeguarding lead|dsl)\b"
)
# Words that keep a situation urgent, whatever else the message says.
_ONGOING = (
    r"hurt|hurts|hurting|hit|hits|hitting|(?<!in )touch|touched|touches"
    r"|scared|afraid|frightened|terrified|angry|mad at|threat[a-z]*|knife|knives|blood|bleeding|tablets|pills"
    r"|overdose|neck|kill|die|dead|delete|deleting|checks? my phone|reads? my messages|watching me|right now"
    r"|due (?:home|back)|coming (?:home|back)|on (?:his|her|my) way|dont want (?:to|my|him|her"
    r"|anyone|them)|wont let|not safe|unsafe|still (?:not|no|hasnt|havent)|no answer|not answering|phone (?:is )?off"
    r"|alone|locked|(?<!was )(?<!were )hiding|run(?:ning)? away|ran away|bruis[a-z]*|injur[a-z]*|marks|cuts"
    r"|cut (?:him|her|them)self"
    r"|burns?|drunk|wasted|high|off (?:his|her|their) face|in a state|wont say|not making sense|unconscious"
    # The writer's own shock ('im still shaking') is aftermath; 'hes breathing' is good news.
    r"|passed out|fitting|seizure|sick|vomit[a-z]*|screaming|crying|sobbing|(?<!im )(?<!i am )(?<!still )shaking"
    r"|(?:not|isnt|struggling|trouble|difficulty|hard|harder|funny|weird|noisy|fast|stopped) (?:breathing|to breathe)"
    r"|breathing (?:funny|weird|fast|badly|strangely|is)|(?:cant|can not|couldnt) breathe"
    r"|(?:isnt|not) here yet|still waiting"
    # Still missing: 'he has been gone for three hours now', 'police are searching now'.
    r"|(?:been )?(?:gone|missing) (?:for|since)|still (?:gone|missing|out)|searching"
    r"|(?:still |out )?looking for (?:him|her|them)"
    r"|cant breathe|stopped breathing|wont wake|not waking|not responding|unresponsive"
    r"|nothing back|no reply|no response|still nothing|ringing round"
    r"|still (?:isnt|wont|cant|is not|will not) [a-z]+|(?:isnt|is not) (?:responding|breathing|waking)"
    # Waiting to see, or sure they will turn up: 'ill give it another hour, he might just be at the skate
    # park', 'ill just see how he goes', 'he does this sometimes, hell turn up'.
    r"|give it (?:another|an|a few|a bit|a couple of) [a-z]+|(?:might|may|could) (?:just )?be at"
    r"|see how (?:he|she|they|it) goes|wait and see|(?:hell|shell|theyll|he will|she will|they will) turn up"
    r"|(?:he|she|they) (?:does|do) this"
    # Taking back what was said: 'sorry i shouldnt have said anything', 'ignore that'.
    r"|shouldnt have (?:said|told|written|put|mentioned) (?:anything|that|it)|ignore (?:that|what i said|me)"
    r"|forget (?:i said|what i said|that)"
    r"|(?:hes|shes|theyre|he is|she is|they are) coming\b(?! (?:to (?:the|my|his|her|our) [a-z]+|round|over"
    r"|along))"
    # Told, and not believed or helped: 'told my teacher but she didnt believe me'.
    r"|(?:didnt|did not|doesnt|does not|wont|wouldnt|would not) (?:believe|listen to|do anything)"
    # The danger close again soon: 'hes home in 10 mins'.
    r"|(?:hes|shes|theyre|he is|she is|they are|hell be|shell be|he will be|she will be) (?:home|back|here)"
    r" (?:in \d+ ?(?:mins?|minutes)|any (?:minute|second)|soon)"
    # What was taken: 'whole box about an hour ago'.
    r"|(?:whole|full|entire) (?:box|packet|bottle|strip|pack)"
    # A goodbye that says the help did not help: 'thank you for trying anyway, bye'.
    r"|for trying|(?:doesnt|does not) matter (?:anymore|any more|now)"
    # It is happening again: 'hes doing it again'.
    r"|(?:hes|shes|theyre|he is|she is|they are) (?:doing it|at it|started) again|started again"
    r"|said (?:i was|im|i am|i) (?:lying|making it up|made it up)"
    r"|not heard|havent heard|(?<!for )tonight"
    r"|(?:its|it has) been \d+|(?:its|it has) been (?:an|a|nearly|over|almost) (?:hour|half)"
    # Someone dangerous close by, or doing harm: 'hes outside the front door now'.
    r"|(?:hes|shes|theyre|he is|she is|they are) outside|outside (?:the |my |our |her |his )?(?:house|front door"
    r"|back door|door|window|flat|room)|at the (?:front |back )?door|banging|kicking|smash[a-z]*|break(?:ing)? (?:in"
    r"|down|the door)|shouting|yelling|trying to get in|following (?:me|us|her|him)|grabbed|pushed|threw|throwing"
    r"|punch[a-z]*|slapp[a-z]*|strangl[a-z]*"
)
# Words of the help itself and of its aftermath ('we're at the hospital', 'I'm still shaking'): urgent
# while the matter is open, not once the family says it is in hand.
# A rescue medicine named, or a time just past ('his epipen is at nursery', 'an hour ago'), is of
# the same kind: open until the family says it is in hand ('gave the epipen, paramedics are with him').
_AFTERMATH = (
    r"police|ambulance|999|hospital|a and e|a ?& ?e|for tonight|on (?:their|the) way"
    r"|epi ?pens?|inhaler|buccal|midazolam|rescue (?:med|meds|medicine|medication)|(?:mins?|minutes|hours?|hrs?) ago"
)
_DANGER = re.compile(rf"\b(?:{_AFTERMATH}|{_ONGOING})\b")
_STILL_DANGEROUS = re.compile(rf"\b(?:{_ONGOING})\b")
# Closing words: thanks, goodbye, or saying who they are calling or telling now.
_CLOSES = re.compile(
    _THANKS.pattern
    + r"|\b(?:ringing|calling|phoning|rang|called|phoned|ring|call|phone|tell|told|telling|speak to|speaking to"
    r"|talk to|talking to)\b.*\b(?:now|them|him|her|my|111|999|police|school|gp|doctor|social worker|front door)\b"
)
# A call put off: 'ok. hes asleep now. ill ring them in the morning' leaves tonight as it was.
_PUT_OFF = re.compile(
    rf"\b(?:ring|call|phone|speak to|talk to|tell|contact|wait for|wait till|wait until)\b.*\b{_LATER}\b"
)
# A call weighed, not made: 'will they take him off me if i ring them', 'should i tell someone'. The
# fear of what a call brings is part of the emergency, so it carries the risk on.
_WEIGHS_A_CALL = re.compile(
    r"\b(?:if (?:i|we) (?:ring|call|phone|tell|contact|report)"
    r"|(?:should|shall|do|dare) (?:i|we) (?:ring|call|phone|tell)"
    r"|take (?:him|her|them|my kids|the kids|my children|my baby) (?:off|away from) (?:me|us))\b"
)
_WORD = re.compile(r"[a-z]+")
# ``safety.text.normalise`` keeps sentence breaks as ' . '.
_SENTENCE_BREAK = re.compile(r" \. ")
_NOW = re.compile(r"\b(?:now|right now|at the moment|still (?:not|no|hasnt|havent|isnt|wont|cant))\b")
# A new question has a few words at least: 'ehcp?' alone may be part of the story.
NEW_QUESTION_WORDS = 3
# 'is' and 'are' ask only at the head of a sentence, or as 'is there': 'his epipen is at nursery' tells.
_ASKS = re.compile(
    r"\?|\b(?:how|what|when|where|which|who|why|can|could|would|will|does|do|should)\b"
    r"|(?:^|\. )(?:(?:and|but|so|ok|okay|also|sorry) )?(?:is|are)\b|\b(?:is|are) there\b"
)
# The everyday subjects of a family's question to the Local Offer, beside its SEND words.
_FAMILY_TOPICS = word_set(
    """school nursery college sixth preschool childminder plan review transport bus taxi funding funded hours
    place places assessment appeal appeals club clubs group groups course job jobs holiday holidays benefits
    allowance budget payments break breaks therapy therapist doctor paediatrician referral waiting list
    advocate adviser advice person someone"""
)


def _asks_the_local_offer(text: str) -> bool:
    words = _WORD.findall(text)
    if len(words) < NEW_QUESTION_WORDS or not _ASKS.search(text):
        return False
    return any(
        w in LOCAL_OFFER_WORDS
        or w in _FAMILY_TOPICS
        or w.removesuffix("s") in _FAMILY_TOPICS
        or any(w.startswith(stem) for stem in LOCAL_OFFER_STEMS)
        for w in words
    )


def settles(message: str) -> bool:
    """Whether a message after the safety response says the matter is in hand, with no new danger in it.

    'ok im ringing the police now, thank you', 'spoke to the duty social worker, theyre visiting
    tomorrow', 'shes turned up, panic over': a call made, help reached, the person safe. The words
    of the help and its aftermath ('the police', 'we're at the hospital', 'I'm shaking') are not a
    new danger; anything that keeps a situation urgent ('he has a knife', 'its been an hour') is.
    """
    return _settles(normalise(message))


def _settles(text: str) -> bool:
    """``settles`` for text already normalised.

    In hand: the person is safe again ('police found him, hes home now'), help has been reached or
    is here or on its way ('spoke to the duty social worker', '999 called, ambulance 5 mins away'),
    or the family is making the call now. The words of the help and its aftermath ('we're at the
    hospital', 'I'm shaking') are then not a new danger; what is left must name none ('its been an
    hour', 'hes still outside', 'the ambulance isnt here yet'). A call put off ('ill ring them
    tomorrow') is not in hand unless help has already been reached as well.
    """
    resolved = bool(_RESOLVED.search(text))
    help_reached = bool(_HELP_REACHED.search(text))
    acting = bool(_ACTING.search(text))
    help_coming = bool(_HELP_COMING.search(text)) and (resolved or help_reached or acting or bool(_THANKS.search(text)))
    if not (resolved or help_reached or help_coming or acting):
        return False
    if _puts_off_a_call(text) and not (resolved or help_reached):
        return False
    rest = _HELP_COMING.sub(" ", _HELP_REACHED.sub(" ", _ACTING.sub(" ", _RESOLVED.sub(" ", text))))
    # Once the matter is in hand, a question to the Local Offer may name what happened ('can she still
    # go to her short break after a big seizure'): its danger words are the story, not a new danger,
    # unless it says the danger is there now.
    return not any(
        _STILL_DANGEROUS.search(sentence) and not (_asks_the_local_offer(sentence) and not _NOW.search(sentence))
        for sentence in _SENTENCE_BREAK.split(rest)
    )


def _names_danger(text: str) -> bool:
    """A word that keeps a situation urgent, or a call to help put off or weighed (text already normalised)."""
    return bool(_DANGER.search(text)) or _puts_off_a_call(text) or bool(_WEIGHS_A_CALL.search(text))


def _puts_off_a_call(text: str) -> bool:
    """A call to help put off till later, not a plan to see a trusted adult at school (text already normalised)."""
    return bool(_PUT_OFF.search(text)) and not _TRUSTED_ADULT.search(text)


def names_danger(message: str) -> bool:
    """Whether a message names a danger of its own: what lets a turn carried on quietly hand the risk on."""
    return _names_danger(normalise(message))


def carries_on(message: str, quietly_before: bool = False) -> bool:
    """Whether a message that follows a turn at risk is still about that risk (see the module's docstring).

    ``quietly_before``: that turn was itself at risk only because it carried on the one before it,
    with no word of danger of its own; then only a message that names a danger carries on.
    """
    text = normalise(message)
    if _settles(text):
        return False
    if _names_danger(text):
        return True
    if quietly_before or _CLOSES.search(text):
        return False
    return not _asks_the_local_offer(text)
