"""Clauses whose harm is clearly over, or was never harm: set aside before the risk rules and the classifier.

Families often mention old harm to explain a need today ("she self harmed years ago and is doing well
now, what support is there at uni?"), and school staff sometimes mistake a skin condition for injuries
("the marks were eczema, the dermatologist confirmed it"). Phrase masks (``safety.rules``) cannot see
that a whole clause is in the past, so this module works on clauses of the normalised, already-masked
text.

Conservative by design, because a missed risk is worse than a false alarm:

- only a clause that itself says the harm is over (``years ago``, ``used to``, ``in the past``,
  ``recovered``, ``doing well now``...) is set aside, or the sentence just before one that points back
  at it ("... that was six years ago");
- nothing at all is set aside when anything in the message says the harm is here now or may come back
  ("again", "last night", "started", "still", "worse", "scared he will", "wants to"...). So "she used
  to self harm but last night she cut herself" keeps both clauses;
- clauses are cut at sentence breaks and at "but", "however", "although" and "now he/she", so a
  present risk in the next clause is never inside a clause that is set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "#"

# Words that say the harm is over. Each one must be clear on its own: "doing well" needs "now" (or a
# span of time) after it, because "he is doing well at school but says he wants to die" is not over.
_PAST_SOURCE = (
    r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|many|several|some|a couple of"
    r"|couple of|a good few) (?:years?|yrs?) (?:ago|back|before|earlier)"
    r"|years (?:ago|back|before|earlier)|a long time ago|long ago|ages ago|a lifetime ago"
    r"|in the past|all in the past|(?:is|s|was|are|its|it is|thats|that is) (?:all )?behind (?:us|her|him|them|me)"
    r"|used to (?:[a-z]+ ){0,2}(?:self harm|cut|hurt|harm|hit|beat|abuse|attack|run|go missing|overdose|starve"
    r"|burn|scratch|have|get|say|talk|think|feel|be|live|self injure|wander|bolt|go|take|drink)"
    r"|historic(?:al)?|old scars|(?:scars|marks) (?:are|were) (?:all )?(?:old|faded|healed|from years)"
    # 'who is in his thirties' says how old someone is now, not when something happened.
    r"|(?<!is )(?<!s )(?<!are )in (?:my|her|his|their|our) (?:teens|twenties|thirties|childhood|youth|early life)"
    r"|as a (?:child|kid"
    r"|little girl|little boy|teenager|baby)"
    r"|when (?:he|she|i|they|we) (?:was|were) (?:(?:only|just|really|very|still) )?(?:little|small|younger|tiny"
    r"|a baby|a toddler|a child|a kid|at primary|in primary|in reception|in nursery|in year (?:\d+|one|two"
    r"|three|four|five|six|seven)|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"|back in (?:19|20)\d\d|in (?:19|20)[01]\d"
    r"|recovered|in recovery|fully better|has healed|have healed|all healed"
    r"|(?:is|s|are|re|im|has been|have been|was|doing|feels|feeling|seems|been|looks|all) (?:so |really |much |a lot "
    r"|loads )?(?:fine|well|ok|okay|good|great|better|happy|settled|stable|safe|brilliant|fantastic|amazing"
    r"|much better|really well) (?:now|these days|nowadays|since)"
    r"|doing (?:really |so |very )?(?:well|great|brilliantly|fine|better|much better|ok|okay) (?:now|these days"
    r"|nowadays|since|for (?:years|ages|a long time|\d+ years|over a year))"
    r"|(?:been|stayed|kept|has been|have been) (?:well|fine|safe|stable|ok|okay|clean|sober|seizure free|free"
    r"|harm free|settled) (?:for|since) (?:over |more than |nearly |almost |about )?(?:\d+|one|two|three|four"
    r"|five|six|a few|a couple of|several|many|years|ages|a long time|a year|over a year)"
    r"|(?:hasnt|havent) (?:since|for (?:over |more than |nearly |almost )?(?:\d+|two|three|four|five|a few|several"
    r"|many) (?:years|yrs))"
    r"|(?:hasnt|havent|not|never|didnt) (?:done (?:it|that|anything like that|anything)|self harmed|cut|hurt|harmed"
    r"|tried|happened|had (?:one|a seizure|a fit|an episode)|been (?:back|near|in touch))<GAP4> (?:since|for|in)"
    r" (?:over |more than |nearly |almost )?(?:\d+ years|years|ages|a long time|a year|over a year|two years"
    r"|three years|primary|then)"
    r"|no longer|not any more|doesnt any more|dont any more|stopped (?:years|a long time|ages|when)"
    r"|long gone|long over|moved on|got through it|came through it|out of our lives|out of (?:her|his|my) life"
    # Locked up for it: over while they are inside ('out of prison', 'released' keep the clause).
    r"|(?:went|gone|sent|got sent|is|s|was|has been|been|got) (?:to |in )?(?:prison|jail)|locked up|behind bars"
    r"|(?:but|and) (?:we|staff|the school|school|i|a neighbour) (?:found|caught up with) (?:him|her|them)"
    r" (?:quickly|straight away|safe|safely|fine|ok|okay|unharmed|soon after|a few minutes later|minutes later"
    r"|within)|(?:found|returned|came back|turned up|brought back|home) (?:safe|safely|fine|unharmed|ok|okay"
    r"|safe and well)"
    # Lost for a while on an outing, and over: 'got lost at the zoo last summer', '... but we found him'.
    r"|(?:got lost|went missing|was missing|were missing|wandered off|ran off|bolted|was lost)(?: [a-z0-9]+){0,8}"
    r" last (?:summer|spring|autumn|winter|christmas|easter|half term|year|holidays?)"
    r"|(?:but|and) (?:we|staff|the school|school|i|they|the police|police|a neighbour) found (?:him|her|them)"
    r"(?=$| now\b| and\b| so\b| thank)"
    r"|(?:left|divorced|split from|separated from) (?:him|her|them|my <EX>|an abusive (?:relationship|marriage"
    r"|partner|husband|wife))<GAP2> (?:\d+|two|three|four|five"
    r"|six|a few|many|several|years) (?:years )?(?:ago|back))\b"
)
_EX = r"(?:ex|ex partner|ex husband|ex wife|husband|wife|partner|boyfriend)"
_PAST = re.compile(
    _PAST_SOURCE.replace("<EX>", _EX)
    .replace("<GAP4>", r"(?: [a-z0-9]+){0,4}")
    .replace("<GAP2>", r"(?: [a-z0-9]+){0,2}")
)

# Anything that says the harm is here now or may come back: then no clause is set aside.
_STILL_HERE = re.compile(
    r"\b(?:again|all over again|once more|relaps[a-z]*|worse|worsening|recent|recently|lately|latest"
    # 'Took some tablets earlier but im fine now': an overdose can feel fine for hours before it harms.
    r"|(?<!years )(?<!year )(?<!months )earlier(?: today| on| tonight)?"
    r"|last (?:night|week|weekend|month|time|few (?:days|weeks))|yesterday|tonight|today|this (?:morning"
    r"|afternoon|evening|week|weekend|month|term)|right now|at the moment|currently|these days"
    r"|just (?:now|found|seen|told|caught|discovered|noticed)"
    r"|(?:has|have|had|s|its|it s|theyre|thoughts are|urges are|started|starting|start|starts|begun|began"
    r"|beginning) (?:to )?(?:self harm|cut|hurt|harm|drink|hit|come back|comes back|coming back|came back"
    r"|back|creep|creeping|returning|returned)"
    r"|(?:started|starting|begun|began|beginning|start) (?:up )?(?:again|to)"
    r"|(?:coming|came|come|comes|is) back|back to (?:self|cutting|hurting|harming|drinking|his old|her old|my old"
    r"|the old|how it was|square one)|back in (?:touch|contact|our lives|my life|her life|his life)|out of prison"
    r"|released|(?:found|tracked) (?:us|me|where we)|turned up|turning up|showed up|showing up"
    r"|still (?:self|cuts|cutting|hurts|hurting|harm|harming|says|saying|talks|talking|wants|thinks|thinking"
    r"|scared|afraid|frightened|terrified|has (?:thoughts|urges|dark)|struggl[a-z]*|low|suicidal|not safe"
    r"|at risk|in danger|violent|abusive|drinking|drinks|hits|hitting|threaten[a-z]*|there|around|in contact"
    r"|contacts|messag[a-z]*|texts|follows|following|watching|has contact|sees|lives|living|missing|not home"
    r"|hasnt|gets|getting|feel|feels|feeling|having|has)"
    r"|(?:scared|afraid|frightened|terrified|worried|worry|worries|fear|fears|panicking|panicked|convinced"
    r"|think|thinking|feel|feeling|sure)(?: that)? (?:of what )?(?:he|she|they|i|it|we|hell|shell|theyll|ill)"
    r"(?: [a-z]+)? (?:will|would|might|may|could|is going|s going|are going|wants|want|is planning|will do)"
    r"|(?:will|wants? to|wanting to|going to|gonna|threaten[a-z]* to|plans? to|planning to|trying to|tries to"
    r"|about to|thinking about|thinking of|talks about|talking about|keeps saying|says (?:he|she|they|i)"
    r"|said (?:he|she|they) (?:would|will|wants)) (?:[a-z]+ )?(?:kill|hurt|harm|die|end (?:it|things|my|his|her)"
    r"|jump|cut|hit|attack|stab|take (?:his|her|my|their) (?:own )?life|take (?:the|all|an?) (?:pills|tablets"
    r"|overdose)|overdose|burn|shoot|strangle|find (?:us|me|her|him|them|where)|do it|be dead|not be here"
    r"|disappear)"
    r"|keeps? (?:saying|talking|asking|hurting|cutting|hitting|threaten[a-z]*|turning up|texting|messaging"
    r"|calling|following)"
    r"|now (?:he|she|they|i|we|it|my|hes|shes|theyre|im) (?:is |s |are |am |has |have )?(?:[a-z]+ )?(?:hurting"
    r"|hitting|cutting|harming|doing it|threaten[a-z]*|scared|afraid|frightened|saying|says|talking|wants"
    r"|thinking|missing|drinking|violent|abusive|back|self harm|not safe|in danger|gone|left|ran|run)"
    r"|cant keep|not safe|unsafe|in danger|help me|help us|emergency|999|ambulance|police (?:are|have|came"
    r"|were called)"
    # Someone who harmed, or a harm, still around or planned.
    r"|(?:abuser|perpetrator|attacker|offender|he|she|they|ex|dad|father|stepdad|partner) (?:is |s |has |have )?"
    r"(?:just )?(?:(?:living|lives|staying|stays) (?:with|near|nearby|next door|round the corner|close|in (?:our"
    r"|my|the same))|(?:moved|moving)(?! abroad| overseas| away)"
    r"|visits|visiting|sees|seeing|has contact|around|nearby"
    r"|next door|round the corner|watches|watching|follows|following|messages|messaging|texts|texting|calls"
    r"|calling|contacts|contacting|stalks|stalking)"
    r"|(?:planning|plans|planned|preparing|researching|saving|stockpiling) (?:[a-z]+ )?(?:another|it|to|a|an"
    r"|the|his|her|my)|another (?:one|attempt|overdose|go)"
    # The child still sees the person: a contact visit or an overnight stay to come.
    r"|(?:goes|going|go|is due|due|booked in|meant|supposed|has|have|back) (?:to |for |in for |back for )?"
    r"(?:contact|a contact visit|contact visits|an overnight|overnights|stay over|stays over)\b"
    r"|(?:contact|overnights?|visits?) (?:with (?:him|her|them|dad|mum) )?(?:on|this|next|tomorrow|at the weekend"
    r"|every)\b"
    # Harm told in the present tense, or as a habit.
    r"|(?:hits|hurts|beats|kicks|punches|slaps|smacks|threatens|cuts|burns|chokes|strangles|abuses|touches"
    r"|rapes|pushes|shoves|grabs|bites|scratches|starves|controls) (?:me|us|him|her|them|my|the|our|his|himself"
    r"|herself|myself|themselves)"
    r"|(?:is|s|are|am|im|keeps|keep|been|has been|have been) (?:hitting|hurting|beating|kicking|punching|cutting"
    r"|burning|scratching|starving|self harming|harming|drinking|threatening|abusing|controlling|going missing"
    r"|running away|overdosing|taking)"
    r"|every (?:night|day|week|weekend|time)|all the time|most (?:days|nights)|constantly|always|whenever|each"
    r" (?:night|day|time)"
    # A disclosure: someone has told of harm, whatever else the message says.
    r"|(?:told|tells|telling|disclosed|says|said) (?:me|us|her|him|them|the teacher|her teacher|his teacher"
    r"|staff|the school|school|a friend|her friend|his friend|the nurse|someone)(?: that)? (?:(?:a|the|his|her"
    r"|my|their|some|an|someone|somebody|he|she|they) )?(?:[a-z]+ )?(?:hurts|hurt|hits|hit|burns|burnt|touches"
    r"|touched|did|does|made|makes|kicks|kicked|grabs|grabbed|pinches|bites|locks|is hurting|has been))\b"
)

# A clause told in the past tense: "she had", "he tried", "she was", "he self harmed", "she cut herself".
# Only read before a clause that says the harm is over, so "cut" and "hurt" are taken as past there.
_PAST_TENSE = re.compile(
    r"\b(?:had|was|were|did|tried|took|went|got|attempted|spent|made|wrote|ran|left|fled|cut|hurt|hit|burnt"
    r"|[a-z]+ed)\b"
)

# A sentence that points back at the one before it ("that was six years ago").
_POINTS_BACK = re.compile(
    r"^(?:(?:and|but|thankfully|luckily|happily|honestly) )?(?:that|this|it|which|all (?:that|this)|both|those"
    r"|these|all of (?:that|this)|the (?:attempt|overdose|self harm|abuse|violence|seizure|incident))"
    r"(?: (?:was|were|happened|is|s|are|all|has|stopped|ended))\b"
)

# Skin conditions and other innocent causes of marks, when the message says that is what they were.
_BENIGN_MARKS = re.compile(
    r"\b(?:turned out|confirmed|diagnosed|its|it s|it is|it was|they are|theyre|they were|were|are|was|just|only"
    r"|has|have|had|got|with"
    r"|actually|said it was|says it is|said they were|dermatologist|gp|doctor|paediatrician|consultant|nurse)"
    r"(?: [a-z]+){0,4} (?:eczema|psoriasis|dermatitis|a rash|rash|hives|birthmarks?|mongolian (?:blue )?spots?"
    r"|a skin condition|skin condition|molluscum|impetigo|chicken ?pox|insect bites|bed bugs|scabies|ringworm"
    r"|allergic reaction|an allergy|hypermobility|ehlers danlos|a blood disorder|bruising disorder|itp"
    r"|his splints|her splints|splints|her brace|his brace|friction burns? from)\b"
)
# Someone took the marks for harm: without this, "he has eczema and he has been self harming" would hide.
_MISTAKEN = re.compile(
    r"\b(?:thought|think|thinks|assumed|assume|mistook|mistaken|asked (?:if|whether|about|me about)|wondered"
    r"|queried|flagged|reported|suspected|accused|concerned about|worried about|referral|referred|looked like"
    r"|look like|looks like|raised a concern|safeguarding concern)\b"
)
_MARKS = re.compile(
    r"\b(?:marks?|bruis[a-z]*|scratch[a-z]*|scars?|cuts?|burns?|sores?|rash|wounds?|self ?harm[a-z]*|abuse[a-z]*"
    r"|injur[a-z]*|welts?)\b"
)

# Clause breaks inside a sentence: a present risk after "but" or "now she" is its own clause.
_CLAUSE_BREAK = re.compile(
    r" (?=(?:but|however|although|though|whereas|except|yet|and now|now (?:he|she|they|i|we|it|my|hes|shes"
    r"|theyre|im)|and (?:he|she|they|i|we|my|his|her|their|our|its|it|hes|shes|theyre|im|the|this|that)|so (?:he"
    r"|she|they|i|we|my|hes|shes|theyre|im))\b)"
)


@dataclass(frozen=True)
class ContextOutcome:
    """The text with set-aside clauses replaced by MASK, and the ids of the reasons they were set aside."""

    text: str
    reasons: tuple[str, ...]


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in text.split(" . ")]


def _clauses(sentence: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_BREAK.split(sentence) if part.strip()]


def set_aside_past_and_benign(masked: str) -> ContextOutcome:
    """Replace clauses whose harm is clearly over, or clearly was never harm, by MASK.

    ``masked`` is normalised text with hard negatives already masked (``safety.rules.prepare``).
    Returns it unchanged, with no reasons, when anything in it says a harm is here now or may return.
    """
    if not masked or _STILL_HERE.search(masked):
        return ContextOutcome(masked, ())
    reasons: list[str] = []
    mistaken = bool(_MISTAKEN.search(masked))
    sentences = _sentences(masked)
    out_sentences: list[list[str]] = []
    for sentence in sentences:
        clauses = _clauses(sentence)
        # "He had dark thoughts in year 9 | but camhs helped | and he has been well for two years": the
        # clauses told in the past tense before the one that says it is over are over too.
        last_over = max((i for i, clause in enumerate(clauses) if _PAST.search(clause)), default=-1)
        kept: list[str] = []
        for index, clause in enumerate(clauses):
            following = clauses[index + 1] if index + 1 < len(clauses) else ""
            previous = clauses[index - 1] if index > 0 else ""
            if _PAST.search(clause) or (index < last_over and _PAST_TENSE.search(clause)):
                kept.append(MASK)
                if "context.past_resolved" not in reasons:
                    reasons.append("context.past_resolved")
            elif (
                mistaken
                and _MARKS.search(clause)
                and any(_BENIGN_MARKS.search(part) for part in (previous, clause, following))
            ):
                # Only the clause that names the innocent cause, or one next to it: a disclosure
                # in any other clause stays visible.
                kept.append(MASK)
                if "context.benign_marks" not in reasons:
                    reasons.append("context.benign_marks")
            else:
                kept.append(clause)
        out_sentences.append(kept)
    # "She took an overdose. That was six years ago." The first sentence is over too.
    for index in range(len(sentences) - 1):
        following = sentences[index + 1]
        if _POINTS_BACK.search(following) and _PAST.search(following):
            out_sentences[index] = [MASK]
    text = " . ".join(" ".join(clauses) for clauses in out_sentences)
    if not reasons:
        return ContextOutcome(masked, ())
    return ContextOutcome(" ".join(text.split()), tuple(reasons))
