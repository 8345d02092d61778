"""High-recall phrase rules for risk, and the hard-negative phrases set aside before them.

Rules run on the normalised text (``safety.text.normalise``): lower case, no apostrophes ("dont",
"hes", "im"), sentence breaks kept as " . ". Patterns are written with named word groups in angle
brackets (``<SELF>``, ``<CHILD>``...) and ``<GAPn>`` for "up to n words in between"; a gap never
crosses a sentence break or a masked phrase.

Hard negatives come first: idioms ("the wait is killing me", "dying to know") and SEND or
safeguarding jargon ("at risk of exclusion", "safeguarding plan", "risk assessment") are replaced by
``#`` so that neither the risk rules nor the classifier see them. Masking a phrase, rather than
vetoing the whole message, keeps a real risk found elsewhere in the same message: "he is killing it
at school but he told me he wants to kill himself" is still caught.

Hard negatives also cover game and pretend violence ("killing zombies in minecraft"), schoolwork and
research about a risky topic ("a school project on self harm services"), process words ("the missing
person protocol") and idioms such as "overdosed on sugar". Each masks the phrase only, and a game
mask never steps over "me", "us", "himself" or words of a real threat.

After the phrase masks, ``safety.context`` sets aside whole clauses whose harm is clearly over ("she
self harmed years ago and is doing well now") or was never harm (marks that turned out to be eczema),
unless anything in the message says a harm is here now.

Rules without a category ("someone hits me", "said he will kill us") are clear about risk but not
about its kind; the detector asks the classifier to name the kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safety.context import MASK, set_aside_past_and_benign
from safety.text import normalise

_GROUPS = {
    "SELF": (
        r"(?:my ?self|me ?self|my ?slef|mysef|him ?self|her ?self|them ?sel(?:f|ves)|your ?self|our ?selves"
        r"|hisself)"
    ),
    "CHILD": (
        r"(?:son|daughter|child|kid|kids|children|boy|girl|baby|toddler|little one|grandson|granddaughter|nephew"
        r"|niece|brother|sister|step ?son|step ?daughter|twins|teenager|teen|\d+ year old|\d+ year old (?:son|daughter"
        r"|boy|girl)|(?:little|younger|older|big|baby|teenage|autistic|disabled) (?:son|daughter|brother|sister|boy"
        r"|girl))"
    ),
    "PARENT": (
        r"(?:dad|father|mum|mother|step ?dad|step ?mum|step ?father|step ?mother|uncle|aunt|auntie|grandad"
        r"|grandpa|grandfather|nan|nana|nanny|gran|grandma|grandmother|cousin|carer|foster carer|foster mum"
        r"|foster dad|babysitter|childminder|(?:mums|dads|mothers|fathers) (?:boyfriend|girlfriend|partner"
        r"|husband|wife|mate|friend))"
    ),
    "PARTNER": (
        r"(?:partner|husband|hubby|wife|boyfriend|girlfriend|bf|gf|ex|ex partner|ex husband|ex wife|fiance"
        r"|fiancee|other half|(?:babys|childs|childrens|kids|sons|daughters) (?:dad|father|mum|mother))"
    ),
    "STRONG": (
        r"(?:hit|hits|hitting|punch|punched|punches|punching|kick|kicked|kicks|kicking|slap|slapped|slaps"
        r"|slapping|beat|beats|beating|beaten|strangle|strangled|strangles|strangling|choke|choked|chokes"
        r"|throttle|throttled|throttles|batter|battered|batters|smack|smacked|smacks|smacking|headbutt"
        r"|headbutted|stab|stabbed|stabs|rape|raped|rapes|raping|molest|molested|molests|whip|whipped|whips)"
    ),
    "SOFT": (
        r"(?:hurt|hurts|hurting|touch|touches|touched|touching|grab|grabbed|grabs|push|pushed|pushes|pushing"
        r"|shove|shoved|shoves|abuse|abused|abuses|abusing|bite|bites|bit|biting|burn|burnt|burned|burns"
        r"|attack|attacked|attacks|attacking|throws things at|threw things at|spat at|spits at)"
    ),
    "GAME": (
        r"(?:fortnite|minecraft|roblox|call of duty|cod|warzone|gta|grand theft auto|apex|valorant|among us"
        r"|pubg|overwatch|halo|brawl stars|fifa|rocket league|splatoon|zelda|mario kart|smash bros|pokemon"
        r"|(?:the|a|his|her|their|an|this|that) (?:online |video |computer |xbox |ps5 |switch )?game|games|video "
        r"games?|online games?|computer games?|(?:the|his|her) (?:xbox|playstation|ps4|ps5|switch|ipad|tablet|pc)"
        r"|xbox|playstation|ps4|ps5|the switch|role play|pretend play|the playground game|tig|tag|hide and seek"
        r"|laser tag|paintball|nerf wars?|airsoft)"
    ),
    "TIME": (
        r"(?:\d+|two|three|four|five|six|a few|several|hours|days|a day|ages|yesterday|last night|this morning"
        r"|friday|saturday|sunday|monday|tuesday|wednesday|thursday|the weekend|lunchtime|school|breakfast)"
    ),
}
_GAP = re.compile(r"<GAP(\d+)>")
_SAFE_GAP = re.compile(r"<SAFEGAP(\d+)>")
_THREAT_WORDS = (
    r"(?:me|us|my ?self|him ?self|her ?self|them ?sel(?:f|ves)|your ?self|real|really|actually|properly|said|says"
    r"|saying|told|tells|threaten[a-z]*|will|going|gonna|wants?|wanted|knife|knives|gun|guns|mum|dad|sister"
    r"|brother|baby|teacher|school|house|home|tonight|now)"
)
_GROUP = re.compile(r"<([A-Z]+)>")


def _expand(pattern: str) -> str:
    pattern = _GAP.sub(lambda m: rf"(?: [a-z0-9]+){{0,{m.group(1)}}}", pattern)
    # A gap that never steps over a word of a real threat or of harm to oneself.
    pattern = _SAFE_GAP.sub(lambda m: rf"(?: (?!{_THREAT_WORDS}\b)[a-z0-9]+){{0,{m.group(1)}}}", pattern)
    # Groups may name other groups (CHILD inside a subject), so expand until nothing changes.
    while _GROUP.search(pattern):
        pattern = _GROUP.sub(lambda m: _GROUPS[m.group(1)], pattern)
    return pattern


@dataclass(frozen=True)
class Rule:
    """One named pattern. ``category`` is None for hard negatives and for risk rules of no one kind."""

    id: str
    category: str | None
    pattern: re.Pattern[str]


def _rule(rule_id: str, category: str | None, *alternatives: str) -> Rule:
    joined = "|".join(f"(?:{_expand(alt)})" for alt in alternatives)
    return Rule(rule_id, category, re.compile(joined))


# Phrases that sound risky and are not: replaced by MASK before any risk rule or the classifier.
HARD_NEGATIVE_RULES: tuple[Rule, ...] = (
    _rule(
        "hn.risk_of_school_outcome",
        None,
        r"\b(?:at |at high |at real |at a high |at serious |in )?(?:risk|danger) of (?:[a-z0-9]+ ){0,2}?(?:exclu"
        r"|suspen|expel|fail|not (?:meeting|getting|passing|making|achieving)|losing (?:his|her|their|the|a) "
        r"(?:place|placement|school place|support|funding|ehcp|plan|taxi|transport)|dropping out|neet|falling "
        r"behind|underachiev|off ?roll|missing out|becoming neet|disengag|school refusal|poor attendance"
        r"|prosecution|a fine|fines|being fined|getting a fine)[a-z]*",
        r"\b(?:at risk|vulnerable) (?:register|list|panel|form|pupils? list|children list)\b",
        r"\bwhat (?:does|do|is) (?:at risk|risk|safeguarding|child protection|a child in need|child in need|cin"
        r"|lado|dsl|a dsl|cp)(?: mean| means| stand for)\b",
    ),
    _rule(
        "hn.kicked_out_of_education",
        None,
        # Being excluded ("can the college kick me out?") is not being kicked: without this mask
        # harm.someone_hurts_me reads "kick me". Only with a school or college as the one doing it, or
        # "out of" a class or course; "kicked me out" of home, or by a person, stays visible to the rules.
        r"\b(?:kick|kicks|kicked|kicking|chuck|chucks|chucked|throw|throws|threw|thrown) (?:me|us|him|her|them"
        r"|my <CHILD>) (?:out|off)(?= (?:of|from) (?:the |my |his |her |our |their |this |that )?(?:school|college"
        r"|sixth form|class|classroom|lessons?|course|uni|university|nursery|club|team|group|placement"
        r"|apprenticeship|exam|library|academy|unit|pru)\b)",
        r"\b(?:school|college|colleges|sixth form|academy|uni|university|nursery|pru|provider|course|teacher"
        r"|teachers|tutor|tutors|head|headteacher|head teacher|principal|senco)\b<GAP3> (?:kick|kicks|kicked"
        r"|kicking|chuck|chucks|chucked) (?:me|us|him|her|them|my <CHILD>) out\b(?! of (?:the |my |our |his |her "
        r"|their )?(?:house|home|flat))",
        r"\b(?:can|could|will|would|are|is|might|may|do|does)\b (?:they|the (?:school|college|nursery|academy"
        r"|uni|university|head|headteacher|teachers?))(?: just| really| actually| legally| still| even)? "
        r"(?:kick|chuck|throw) (?:me|us|him|her|them|my <CHILD>) out\b(?! of (?:the |my |our |his |her |their "
        r")?(?:house|home|flat))",
    ),
    _rule(
        "hn.risk_assessment",
        None,
        r"\brisk (?:assess[a-z]*|management(?: plan)?|register|rating|level|benefit)\b",
        r"\bassess(?:ing|ed|ment of)? (?:the )?risks?\b",
    ),
    _rule(
        "hn.safeguarding_process",
        None,
        r"\b(?:designated )?safeguarding (?:lead|leads|officer|officers|team|teams|policy|policies|plan|plans"
        r"|training|course|courses|procedure|procedures|process|processes|level [a-z0-9]+|partnership|board|form"
        r"|forms|concern form|referral form|statement|audit|check|checks|arrangements|duty|duties"
        r"|responsibilities|responsibility|children partnership|hub|adults board|concerns? log|document"
        r"|documents|information|info|rules|requirements|certificate|qualification)\b",
        r"\b(?:what|whats) (?:is |does )?safeguarding(?: mean| means)?\b",
        r"\bdsl\b",
        r"\bdesignated (?:safeguarding |senior )?(?:teacher|person|lead|officer)\b",
        r"\blado\b",
    ),
    _rule(
        "hn.child_protection_process",
        None,
        r"\bchild protection (?:training|policy|policies|procedures?|course|courses|conference|conferences|plan"
        r"|plans|register|officer|officers|lead|team|level [a-z0-9]+|meeting|meetings|process|investigation"
        r"|enquiry|social worker)\b",
        r"\b(?:child in need|cin) (?:plan|meeting|meetings|review)\b",
        r"\bearly help (?:plan|assessment|form|team|meeting|worker|hub)\b",
        r"\bteam around the (?:child|family)\b",
    ),
    _rule(
        "hn.training_about_risk",
        None,
        r"\b(?:suicide|self ?harm|domestic (?:abuse|violence)|abuse|exploitation|child exploitation|criminal "
        r"exploitation|sexual exploitation|cse|cce|county lines|grooming|mental health|first aid|prevent"
        r"|online safety|epilepsy|seizure|seizures|allergy|allergies|anaphylaxis|diabetes|asthma|knife crime"
        r"|drugs?|choking|fgm|forced marriage|radicalisation|e safety|water safety|fire safety|road safety"
        r"|stranger danger|bullying)(?: and [a-z]+)? (?:prevention |awareness |first aid |management )?(?:training"
        r"|course|courses|week|day|month|policy|policies|session|sessions|workshop|workshops|leaflet|leaflets"
        r"|resources|lesson|lessons|module|modules|certificate|talk|talks|assembly|assemblies|campaign|campaigns"
        r"|programme|program|teaching|education|awareness)\b",
    ),
    _rule(
        "hn.health_plan",
        None,
        r"\b(?:epilepsy|seizure|seizures|allergy|allergies|anaphylaxis|diabetes|diabetic|asthma|emergency"
        r"|individual|health|healthcare|care|medical|rescue medication|buccal|midazolam)(?: and [a-z]+)? "
        r"(?:health )?(?:care )?(?:plan|plans|protocol|protocols|medication|meds|training|nurse|nurses|team"
        r"|clinic|review|passport|card)\b",
    ),
    _rule(
        "hn.idiom_killing",
        None,
        r"\bkilling it\b",
        r"\bkill(?:ing|ed|s)? (?:my|him|her|them|your) ?sel(?:f|ves) (?:laughing|with laughter|giggling)\b",
        r"\b(?:wait|waiting|stress|paperwork|the stress|this|it|process|the process|system|council|school run"
        r"|back|feet|head|knees|legs|neck|suspense|commute|traffic|heat|noise|uncertainty|not knowing|anxiety"
        r"|hayfever|cold|tooth|teeth|hip|hips|migraine|headache|admin|forms|emails)(?: is| s| are)?(?: literally"
        r"| honestly| actually| really| absolutely| slowly)? killing (?:me|us)\b",
        r"\b(?:kill|killing) (?:time|the time|an hour|half an hour|the lights|the engine|two birds|the mood)\b",
        r"\bkiller\b",
        r"\bmurder (?:a|some) (?:cup|tea|coffee|pint|drink|glass|takeaway|pizza|curry)\b",
        r"\bcould (?:honestly |literally |actually |just )?(?:kill|murder|strangle|throttle) (?:him|her|them|the"
        r"|my|a|that|whoever|someone)\b(?! (?:with|if he|if she))",
        r"\b(?:will|would|is going to|going to|s going to) (?:literally |actually |honestly |absolutely )?kill "
        r"(?:me|us) (?:if|when)\b<GAP2> (?:find|finds|found|see|sees|saw|hear|hears|know|knows|late|forget"
        r"|forgot|lose|lost|fail|failed|miss|missed|break|broke)[a-z]*",
    ),
    _rule(
        "hn.idiom_dying",
        None,
        r"\bdying (?:to|for)\b",
        r"\b(?:die|died|dying|dead) (?:of|from|with) (?:embarrassment|shame|laughter|laughing|boredom|cringe"
        r"|happiness|excitement|jealousy|curiosity)\b",
        r"\b(?:nearly|almost|could have|couldve|literally|practically) (?:died|die|dying|dead)(?: laughing| of"
        r"| when| if| inside)?\b",
        r"\b(?:would|will|going to|i would|he would|she would) (?:literally |actually |honestly |probably )?die "
        r"(?:if|of|laughing|when|before)\b",
        r"\bto die for\b",
        r"\bdie hard\b",
        r"\bdead (?:tired|end|easy|good|nice|proud|excited|nervous|worried|keen|set|against|serious|on time"
        r"|slow|quiet|boring|heavy|lucky|right|chuffed|funny|cute|happy)\b",
        r"\b(?:bored|sick|worried|tired|fed up) to death\b",
        r"\bover my dead body\b",
        r"\bdie (?:her|his|my|their|your) hair\b",  # "dye", misspelt
    ),
    _rule(
        "hn.sense_of_danger",
        None,
        r"\b(?:no|little|any|poor|lack of(?: a)?|zero|limited|doesnt have (?:a|any)|has no|without (?:a|any)) "
        r"(?:sense|awareness|understanding|concept|idea) of (?:danger|risk|road safety|safety|stranger danger)\b",
        r"\bstranger danger\b",
        r"\b(?:road|water|online|internet|fire|kitchen|personal|e|home) safety\b",
        r"\b(?:dangerous|risky|unsafe) (?:behaviour|behaviours|behavior|activities|situations|play|climbing)\b",
        r"\b(?:a )?danger to <SELF> (?:in|at|on|during|doing|when (?:doing|playing|climbing|he|she)) (?:pe|games"
        r"|sport|sports|football|rugby|gym|gymnastics|the trampoline|trampolining|swimming|the playground"
        r"|playtime|forest school|the climbing frame|climbing|the kitchen|roads|cooking|athletics|lessons)\b",
    ),
    _rule(
        "hn.missing_school_or_things",
        None,
        r"\b(?:missing|missed|misses|miss) (?:out|school|lessons?|class|classes|education|learning|(?:a |the |his "
        r"|her |my |their |our |an )?(?:deadline|appointment|meeting|review|annual review|bus|taxi|transport|lunch"
        r"|breakfast|tea|dinner|exam|exams|assessment|trip|induction|session|sessions|therapy|call|email|letter"
        r"|chance|point|days?|weeks?|term|start|first|diagnosis|signs|window|referral|slot|date|lesson|lessons"
        r"|nursery|college|friends|home|grandma|nan)|(?:\d+|lots|loads|a lot|most|half|some|too much|so much"
        r"|weeks|days|months|a year|a term) (?:of )?(?:school|lessons?|days?|weeks?|months?|education|learning"
        r"|time|sessions?|college|nursery))\b",
        r"\b(?:children |child |pupils )?missing (?:from )?education\b",
        r"\bmissing in (?:his|her|their|my|a) (?:own )?(?:head|world|thoughts|daydream)\b",
        r"\bmissing (?:piece|pieces|link|paperwork|forms?|documents?|information|info|reports?|advice|section"
        r"|sections|evidence|words?|letters?|items?|shoes?|coat|jumper|uniform|homework|parts?|provision"
        r"|details)\b",
        r"\b(?:is|are|was|were|has been|have been|went|go|goes|keep going|keeps going|s) missing (?:from|in|off"
        r"|out of) (?:the|his|her|my|our|their|this|that) (?:ehcp|plan|report|draft|letter|bag|form|section"
        r"|list|file|paperwork|draft plan|final plan|book|reading record|lunch box|lunchbox|pe kit|kit)\b",
        r"\bmiss(?:es|ing)? (?:him|her|them|you|my (?:mum|dad|nan|grandad|friends|old school))\b",
    ),
    _rule(
        "hn.hit_idiom",
        None,
        r"\bhit (?:the roof|a wall|the wall|the ceiling|targets?|(?:his|her|their|my|all (?:his|her|their)) "
        r"(?:targets?|milestones?|goals?)|milestones?|puberty|the ground running|and miss|send|it off|the books"
        r"|the shops|the road|the jackpot|home|a nerve|a brick wall|the big time|snooze)\b",
        r"\b(?:it|that|this|reality|the news|the penny)(?: really| suddenly| just| finally)? (?:hit|hits|has hit) "
        r"(?:me|us|home|hard)\b",
    ),
    _rule(
        "hn.emotional_hurt",
        None,
        r"\b(?:it|this|that|which)(?: really| truly| honestly| so)? (?:hurts|hurt|upsets|upset|breaks|broke"
        r"|kills|killed) (?:me|us|my heart)\b",
        r"\bhurts? (?:my|our|his|her) (?:feelings|heart)\b",
    ),
    _rule(
        "hn.grooming_as_self_care",
        None,
        r"\b(?:personal|self|dog|hair|pet|nail) grooming\b",
        r"\bgrooming (?:skills|routine|routines|kit|tools|products|and (?:hygiene|washing|dressing|self care))\b",
        r"\b(?:washing|hygiene|dressing|self care)(?: and| or)? grooming\b",
    ),
    _rule("hn.burnt_out", None, r"\bburn(?:t|ed|ing)? ?out\b"),
    _rule(
        "hn.cutlery_and_lessons",
        None,
        r"\bknife and fork\b",
        r"\bknives and forks\b",
        r"\bcutlery\b",
        r"\bknife skills\b",
    ),
    _rule(
        "hn.hypothetical_question",
        None,
        r"\bwhat (?:happens|should (?:the school|school|staff|i|we|they) do|do (?:i|we|they|staff) do|is the "
        r"(?:policy|procedure|plan)) (?:if|when) (?:a |my |the )?(?:child|pupil|student|young person|he|she|son"
        r"|daughter|kid)\b",
        r"\b(?:what counts as|is it|is this|would it be|is that) (?:classed as )?(?:abuse|neglect|neglectful)"
        r"(?: if)?\b",
    ),
    _rule(
        "hn.project_or_research",
        None,
        # Schoolwork and research about a risky topic: the topic is masked, a disclosure elsewhere is not.
        r"\b(?:project|projects|essay|assignment|coursework|dissertation|presentation|research|epq|poster|survey"
        r"|questionnaire|thesis|case study|fact ?file|leaflet|display|homework)(?: is| was| will be)? (?:on"
        r"|about|into|looking "
        r"at|around|for)(?: [a-z]+){0,3}? (?:suicide|self ?harm|domestic (?:abuse|violence)|child abuse|abuse"
        r"|neglect|grooming|exploitation|county lines|knife crime|missing (?:children|people|persons?)"
        r"|overdoses?|drugs|eating disorders?|mental health|safeguarding|violence|bullying|crime|first aid"
        r"|epilepsy|seizures?|allergies|anaphylaxis)(?: (?:and|or) [a-z]+)?(?: (?:services|support|prevention"
        r"|awareness|charities|charity|statistics|rates|helplines?|organisations|laws?|signs|in (?:teenagers"
        r"|young people|the uk)))*\b",
        r"\b(?:explain|describe|define|understand|know) what (?:a |an )?(?:suicide|self ?harm|domestic (?:abuse"
        r"|violence)|child abuse|abuse|neglect|grooming|exploitation|county lines|knife crime|safeguarding"
        r"|coercive control|cse|cce)(?: [a-z]+)? (?:is|are|means?)\b",
        r"\b(?:a|the) (?:book|story|film|movie|show|programme|series|novel|play|song|cartoon) (?:about|where"
        r"|in which) (?:a|the|an) (?:[a-z]+ )?(?:girl|boy|child|man|woman|dog|cat|family|kid|teenager|princess"
        r"|prince|bear|rabbit) (?:who )?(?:goes|went|gone|is|was|gets|got|runs|ran) (?:missing|away|lost)\b",
        r"\b(?:researching|studying|revising) (?:for (?:a|my|his|her|our) [a-z]+ (?:on|about) )?(?:suicide|self "
        r"?harm|domestic (?:abuse|violence)|child abuse|abuse|neglect|grooming|exploitation|county lines|knife "
        r"crime|safeguarding)(?: [a-z]+)?(?: (?:services|support|prevention|awareness|statistics|law|laws))*\b",
    ),
    _rule(
        "hn.protocol_or_procedure",
        None,
        r"\b(?:missing (?:person|persons|people|child|children|pupil|pupils|from (?:care|home|education|school))"
        r"|absconding|runaway|self ?harm|suicide|domestic (?:abuse|violence)|lockdown|evacuation|fire|medical "
        r"emergency|emergency|anaphylaxis|overdose|first aid|restraint|physical intervention|seizure|epilepsy"
        r"|choking|bereavement|critical incident|serious incident|allegations?|whistleblowing)(?: and [a-z]+)?"
        r"(?: risk| safety| care| support| crisis| response| management)? "
        r"(?:protocol|protocols|procedure|procedures|policy|policies|pathway|pathways|form|forms|checklist"
        r"|guidance|guidelines|flowchart|flow chart|toolkit|document|documents|paperwork|drill|drills|log|poster"
        r"|posters|template|risk plan|response plan|agreement|consent form|section|clause|sign off)\b",
    ),
    _rule(
        "hn.overdosed_idiom",
        None,
        r"\boverdos[a-z]* on (?:all )?(?:the |his |her |their |my )?(?:sugar|sweets|candy|chocolate|choc|haribo"
        r"|cake|cakes|biscuits|crisps|party food|easter eggs|ice cream|pizza|carbs|screen time|screens|tv|telly"
        r"|netflix|youtube|tiktok|fortnite|minecraft|roblox|gaming|lego|pokemon|dinosaurs|trains|thomas|peppa"
        r"|disney|christmas|halloween|birthday|excitement|fun|attention|information|love|cuddles|glitter"
        r"|sunshine|fresh air|sport|football|paperwork|meetings|forms|acronyms|jargon|reading|books|stories"
        r"|songs|music|bubbles|coffee|tea|cups of tea|biscuits)\b",
    ),
    _rule(
        "hn.game_or_fiction",
        None,
        # Violence inside a game or pretend play. Never dying, never "me", "us" or "himself" as the target
        # and never words of a real threat in between: those stay visible to the risk rules.
        r"\b(?:kill|kills|killing|killed|shoot|shoots|shooting|shot|stab|stabs|stabbing|murder|murders"
        r"|murdering|blow up|blowing up|beat|beating)(?: (?:you|him|her|them|everyone|each other|people|zombies"
        r"|players|the other (?:team|players)|his mates|his friends|her friends|the enemy|enemies|monsters"
        r"|creepers|bots|noobs))?<SAFEGAP4> (?:on|in|playing|at|during|over|while playing) (?:<GAME>)\b",
        r"\b(?:on|in|playing|plays|play|during|over) (?:<GAME>)<SAFEGAP4> (?:kill|kills|killing|killed|shoot"
        r"|shoots|shooting|shot|stab|stabs|stabbing|murder|murders)(?: (?:you|him|her|them|everyone|each other"
        r"|people|zombies|players|the other (?:team|players)|his mates|his friends|her friends|the enemy"
        r"|enemies|monsters|creepers|bots|noobs))?\b(?! (?:<SELF>|me|us)\b)",
        r"\b(?:character|characters|villain|villains|baddie|baddies|zombie|zombies|monster|monsters|creeper"
        r"|creepers|avatar|his guy|her guy|his player|her player)<SAFEGAP4> (?:die|dies|died|dying|dead|kill|kills"
        r"|killed|killing|murder[a-z]*|stab[a-z]*|shoot[a-z]*|shot)\b(?! (?:<SELF>|me|us)\b)",
        r"\b(?:nerf|toy|water|plastic|foam|pretend|lego|wooden|cap|bb|airsoft|laser|cardboard|play) (?:gun|guns"
        r"|pistol|rifle|sword|swords|knife|knives|blaster|blasters|bow|axe|weapon|weapons)\b",
    ),
    _rule(
        "hn.past_self_harm_resolved",
        None,
        # "used to" with nothing about it coming back: the labelling guideline counts this as over.
        r"\bused to (?:self ?harm|cut <SELF>|hurt <SELF>)\b(?!(?: [a-z0-9.]+){0,6} (?:again|started|back|relaps"
        r"|worse|still))",
    ),
)


RISK_RULES: tuple[Rule, ...] = (
    # --- suicide and self-harm ---
    _rule(
        "suicide.kill_self",
        "suicide_self_harm",
        r"\b(?:kill|kil|kills|killed|killing|killin|kiling|kilin|hang|hangs|hanging|hanged|drown|drowning|poison"
        r"|poisoning|shoot|shooting|suffocate|suffocating|overdose) ?<SELF>",
        r"\bkms\b",
    ),
    _rule(
        "suicide.named",
        "suicide_self_harm",
        r"\bsu[iy]?[cs]+i?d(?:e|es|al|le|ial|el|ul)?\b",
        r"\bsewer ?slide\b",
        r"\bun ?aliv(?:e|ing|ed)\b",
    ),
    _rule(
        "suicide.want_to_die",
        "suicide_self_harm",
        r"\b(?:want|wants|wanted|wanting|ready|going|planning|plan|plans|trying|tried|deserve|deserves|wish to"
        r"|like to|would rather|wish i could|i could just) (?:to |2 )?(?:just )?(?:die|be dead|not exist|not be "
        r"alive|disappear for ?ever|disappear for good)\b",
        r"\b(?:feel|feels|felt|feeling) like (?:dying|ending it|giving up on life)\b",
        r"\bwish (?:i|he|she|they)(?: was| were| had| would| could)?(?: be| been| have been)? (?:dead|never "
        r"born|never been born|not born|not alive|not here)\b",
        r"\bwish (?:i|he|she|they) (?:wasnt|werent|hadnt|didnt)(?: been)? (?:born|alive|here|exist|around)\b",
        r"\bbetter off (?:dead|without me)\b",
        r"\b(?:better|happier)(?: off)? if i (?:wasnt|werent|didnt exist|was gone|was dead|wasnt around|wasnt "
        r"alive|wasnt here|was not here|died)\b",
        r"\bbetter without me\b",
        r"\b(?:nobody|no one) (?:would|will|would even|will even|would actually) (?:care|miss me|notice)\b",
        r"\bdisappear(?:ed|ing)? (?:for ?ever|for good|and never come back|permanently)\b",
    ),
    _rule(
        "suicide.end_life",
        "suicide_self_harm",
        r"\b(?:end|ending|ended|take|taking|took) (?:it all|my life|my own life|his life|his own life|her life"
        r"|her own life|their life|their own life|things for good|everything for good|it for good)\b",
        r"\b(?:thinking|thought|think|thinks|thinkin) (?:about|of|bout) (?:ending it|ending things|ending my"
        r"|dying|not being here|not being alive|killing|suicide)\b",
        r"\b(?:want|wants|wanted|going|planning) to end it\b",
    ),
    _rule(
        "suicide.no_point",
        "suicide_self_harm",
        r"\b(?:dont|cant|no longer|doesnt) see (?:the|any|a) point(?: (?:in|of|to) (?:anything|living|life|going"
        r" on|being here|being alive|carrying on|trying|it all|any of it))?(?: any more| no more)?(?= ?(?:\.|$))",
        # With a whole-life object ('any of it', 'living') the phrase needs no full stop after it.
        r"\b(?:dont|cant|no longer|doesnt|couldnt) see (?:the|any|a) point (?:in|of|to) (?:living|life|going on"
        r"|being here|being alive|carrying on|it all|any of it|anything any more)\b",
        # Asked about a plan and would not answer: the question professionals are taught to ask.
        r"\b(?:wouldnt|wont|would not|will not|didnt|did not|refused to|refuses to) (?:say|tell (?:me|us)|answer)"
        r" (?:whether|if) (?:she|he|they|shes|hes) (?:had|has|have|made|was making) (?:any )?(?:plans?|a plan)\b",
        r"\b(?:no|not any|isnt any|isnt a|there is no|theres no|dont have a|dont have any) (?:point|reason"
        r"|reasons) (?:in |to |for )?(?:living|being alive|being here|going on|carrying on|my life|life|to live"
        r"|to be here)\b",
        r"\bwhats the point (?:of |in )?(?:living|life|anything|going on|being alive|being here|any more"
        r"|carrying on|of it all|in it all)\b",
    ),
    _rule(
        "suicide.not_want_to_live",
        "suicide_self_harm",
        r"\b(?:dont|doesnt|didnt|no longer|dont even|dont really) (?:want|wish) (?:to )?(?:live|be alive|exist"
        r"|wake up|be on this earth|be in this world)\b",
        r"\b(?:dont|doesnt|no longer) (?:want|wish) (?:to )?be (?:here|around)(?= ?(?:\.|$|any more|no more))",
        r"\b(?:dont|doesnt) want to (?:go on|carry on)(?= ?(?:\.|$|any more|no more|living|like this))",
        r"\b(?:cant|cant bear to|cant face) (?:go on|carry on|keep going|keep living|live like this)(?= ?(?:\.|$"
        r"|any more|no more))",
        r"\b(?:never|not) wake up(?! (?:in time|early|on time|for))",
        r"\bsleep (?:for ?ever|and never wake)\b",
    ),
    _rule(
        "suicide.self_harm",
        "suicide_self_harm",
        r"\bself ?(?:harm|injur|mutilat)[a-z]*",
        r"\b(?:cut|cuts|cutting|cutted|burn|burns|burning|burnt|burned|scratch|scratches|scratching|scratched"
        r"|harm|harms|harming|harmed|hurt|hurts|hurting|bruise|bruising|starve|starving|strangle|strangling|choke"
        r"|choking|punish|punishing|mutilate|mutilating) <SELF>(?! (?:by accident|accidentally|shaving|while "
        r"playing|playing|on (?:the|a|his|her|my|some) |at (?:football|pe|rugby|training|the park|the "
        r"playground|forest school)|when (?:he|she|they|i) (?:fell|tripped|slipped)))",
        r"\b(?:cut|cuts|cutting|slit|slitting|slashed|slashing) (?:my|her|his|their) (?:wrists?|arms?|legs?"
        r"|thighs?|skin|stomach|tummy)\b(?! (?:on|by accident|accidentally|playing|at))",
        r"\b(?:found|finding|find|hiding|hides|hid|hidden|keeps)<GAP3> (?:blades|razor blades|razors|a razor"
        r"|a blade|a rope|a noose|sharpener blades)\b",
        r"\bscratch(?:es|ing)? (?:all )?(?:up|down) (?:her|his|my|their) (?:arms|legs|wrists)\b",
        r"\bscars on (?:her|his|my|their) (?:arms|wrists|legs|thighs)\b",
    ),
    _rule(
        "suicide.jump",
        "suicide_self_harm",
        r"\bjump(?:ing|ed|s)? (?:off|from) (?:a|the|that|my|our) (?:bridge|roof|building|cliff|car park|multi "
        r"storey|multistorey|balcony|tower|block|flats|window|motorway bridge|railway bridge)\b",
        r"\bjump(?:ing|ed|s)? (?:in front of|under|infront of) (?:a|the) (?:train|bus|car|lorry|truck|traffic)\b",
        r"\bjump(?:ing|ed|s)? out (?:of )?(?:the|a|his|her|my|our|bedroom) (?:window|car)\b",
        r"\bthrow(?:ing|s)? <SELF> (?:off|in front of|under|out of)\b",
        r"\bin front of (?:a|the) train\b",
        r"\bon (?:the|a) (?:roof|bridge|ledge)<GAP4> (?:wont|refuses to|will not|refusing to) (?:come|get) (?:down"
        r"|off|back)\b",
        r"\b(?:says|said|threatening|threatened|saying)(?: that)? (?:he will|she will|they will|he would|she would"
        r"|hes going to|shes going to|going to|to) jump\b",
    ),
    _rule(
        "suicide.means",
        "suicide_self_harm",
        r"\b(?:saving|saved|stockpiling|stockpiled|hoarding|collecting|hiding) (?:up )?(?:my |her |his |their "
        r"|all )?(?:pills|tablets|meds|medication|paracetamol)\b",
        r"\b(?:pills|tablets|paracetamol|blades|razor|rope)<GAP3> (?:next to|beside|in front of|ready|in my "
        r"hand)\b",
        r"\bhow many (?:paracetamol|pills|tablets|ibuprofen|sleeping pills|of (?:my|his|her|these) (?:pills"
        r"|tablets))<GAP2> (?:would it take|does it take|would kill|to (?:die|kill|od|overdose|end)|is (?:lethal"
        r"|deadly|fatal|an overdose))\b",
        r"\b(?:goodbye|suicide|farewell) (?:note|letter|letters|notes|message|messages|video)\b",
        r"\b(?:wrote|written|writing|left) (?:a |some )?(?:note|letter|letters|notes) (?:saying goodbye|to say "
        r"goodbye|goodbye)\b",
        r"\bgiving (?:away )?(?:all )?(?:her|his|my|their) (?:things|stuff|belongings) away\b",
        r"\b(?:note|letter|message|text|card)s? (?:saying|to say|that says|that said) (?:goodbye|bye)\b",
        r"\b(?:has|got|have|had|bought|keeps|keeping|hidden|hid) (?:a |some )?(?:rope|cord|noose)<GAP8> (?:worked"
        r" out how|figured out how|planned how|knows how to do it|how (?:he|she|they|i) would do it|where to do"
        r" it)\b",
    ),
    _rule(
        "suicide.quiet_plans",
        "suicide_self_harm",
        # Plans framed as admin: not being around by a date, affairs sorted "so mum doesnt have to", letters.
        r"\b(?:wont|will not|not going to|might not|may not|probably wont|not gonna|dont think ill|dont think i"
        r" will|dont plan to|dont plan on|not planning to|not planning on) (?:be|being|still be) (?:around|here"
        r"|alive)(?: any more| much longer| for much longer| for long| long)? (?:by|for (?:much |very )?long|much"
        r" longer|any more|to see|in (?:a|the) (?:few|couple)|when (?:it|this|the|they|my|you|school|college)|at "
        r"(?:christmas|my birthday|the end)|after (?:this|that|the|my|christmas|summer|the holidays))\b",
        r"\b(?:so|then|that way|because) (?:my |our )?(?:mum|dad|mother|father|family|parents|nan|sister|brother"
        r"|they|nobody|no one|everyone|people|she|he|you) (?:doesnt|dont|wont|will not|does not|do not|wouldnt"
        r"|wont need to|doesnt need to|dont need to|dont have to|doesnt have to|wont have to)(?: have)?(?: to)?"
        r"<GAP6> (?:after|afterwards|when im gone|once im gone|when i am gone|when im not here|after im gone)\b",
        r"\b(?:written|wrote|writing|left|leaving|finished) (?:some |a few |all |my |the )?(?:letters|notes"
        r"|goodbye (?:letters|notes|messages)|a letter for each|a note for each)(?: [a-z]+){0,2} (?:for|to) "
        r"(?:my |each of my |all of my |everyone|all |each )?(?:family|mum and dad|parents|kids|children|friends"
        r"|everyone|loved ones|them all|people|of them)\b",
        r"\b(?:giving|gave|given|give) away (?:all |most of |loads of )?(?:my|his|her|their) (?:things|stuff"
        r"|belongings|possessions|prized|favourite|games|xbox|clothes|pets?|cat|dog)\b",
        r"\b(?:sorted|sorting|sort|sorted out|sorting out|getting|got|put|putting) (?:out )?(?:all )?(?:my|his|her)"
        r" (?:stuff|things|affairs|belongings|accounts|passwords|room)<GAP6> (?:so (?:that )?(?:my |our )?(?:mum"
        r"|dad|family|parents|nobody|no one|everyone|they|people|she|he) (?:doesnt|dont|wont|will not|does not"
        r"|do not|wouldnt)|for when (?:im|i am) gone|for after|ready for when)\b",
        r"\b(?:this is|this will be|it will be|its) (?:the )?(?:last|final) (?:time|message|goodbye)(?: you ll| you"
        r" will| anyone will| youll)?(?: (?:see|hear from|speak to|talk to) me)?(?= ?(?:\.|$| from me| goodbye"
        r"| i love| sorry))",
        r"\b(?:you|they|nobody|no one|anyone) (?:wont|will not|will never|is not going to|arent going to) (?:see"
        r"|hear from|have to (?:deal|worry) (?:with|about)) me (?:again|any more|after (?:tonight|today|this)"
        r"|for much longer|soon)\b",
    ),
    _rule(
        "suicide.cutting_or_ligature",
        "suicide_self_harm",
        r"\b(?:there is|theres|i have|ive got|i see|i can see|i have got) no (?:future|life|way out) (?:for me|left"
        r"|ahead)?(?= ?(?:\.|$|so|and|any more|for me))",
        r"\bcutting (?:again|agen)\b",
        r"\b(?:started|start|starting|back to|been|keeps|keep|is|shes|hes|im) cutting\b(?! (?:out|up|down|back|off"
        r"|his|her|the|a|paper|hair|grass|food|costs|corners|class|school|lessons|through|it|them|shapes|and))",
        r"\b(?:tied|tying|ties|put|puts|putting|wrapped|wrapping|tightened|tightening) (?:something|a [a-z]+|his"
        r"|her|my|the|a|their) (?:[a-z]+ )?(?:round|around) (?:my|his|her|their) (?:own )?neck\b",
        r"\b(?:ligature|ligatures|noose)\b",
    ),
    # --- abuse and neglect of a child ---
    _rule(
        "abuse.sexual",
        "child_abuse_neglect",
        r"\bsexual(?:ly)? (?:abus|assault|touch|harass|exploit)[a-z]*",
        r"\b(?:rape|raped|raping|rapes|(?<!non )molest[a-z]*|paedo[a-z]*|pedo[a-z]*|indecent[a-z]*|sextortion"
        r"|upskirt[a-z]*)\b",
        r"\btouch(?:ed|es|ing)?<GAP4> (?:private|privates|private parts|down there|inappropriately|in places"
        r"|bottom|bum|willy|penis|vagina|fanny|boobs|breasts|chest|under (?:my|her|his|their) (?:clothes|pants"
        r"|knickers|top))\b",
        r"\bmakes? (?:me|her|him) touch (?:him|her|his|them)\b",
    ),
    _rule(
        "abuse.secret",
        "child_abuse_neglect",
        r"\b(?:says|said|told (?:me|her|him|us)|tells (?:me|her|him|us)|made (?:me|her|him) promise|makes "
        r"(?:me|her|him) promise|warned (?:me|her|him)) (?:to )?(?:keep (?:it|this|things) (?:a |our )?secret"
        r"|(?:its|it is) (?:our |a )?(?:little |special )?secret|not (?:to )?tell (?:anyone|anybody|no one|mum"
        r"|dad|the school|the teacher|you))\b",
    ),
    _rule(
        "abuse.online_images",
        "child_abuse_neglect",
        r"\b(?:nudes|nude (?:pics|pictures|photos|images|selfies)|naked (?:pics|pictures|photos|images|selfies)"
        r"|explicit (?:pics|pictures|photos|images)|sexting)\b",
        r"\b(?:someone|somebody|a man|a guy|a lad|an older|a stranger|strangers|people|a boy|a girl|he|she|they)"
        r"\b<GAP6> (?:ask[a-z]*|want[a-z]*|pressur[a-z]*|beg[a-z]*|keeps asking) (?:[a-z0-9]+ ){0,3}for "
        r"(?:pics|pictures|photos|selfies|videos)\b",
        r"\b(?:share|sharing|post|posting|send|sending|leak|leaking|show|showing) (?:them|the (?:pics|pictures"
        r"|photos|videos)|her pics|his pics|my pics) (?:if|unless|to everyone|online)\b",
    ),
    _rule(
        "abuse.grooming_exploitation",
        "child_abuse_neglect",
        r"\b(?:being|been|is being|was being|getting|got) groomed\b",
        r"\bgroom(?:ed|ing) (?:him|her|them|me|my|our|by|online|kids|children)\b",
        r"\b(?:older|adult|grown) (?:man|men|guy|guys|lad|lads|boys?|woman|women|blokes?|boyfriend|girlfriend"
        r"|friends?)\b<GAP8> (?:gifts|presents|money|cash|phones?|lifts?|car|alcohol|drink|drugs|weed|vapes?"
        r"|meet|meeting|messag[a-z]*|hotel|party|parties|staying over|stay over|sleep over)\b",
        r"\b(?:sending|sends|sent|buying|buys|bought|giving|gives|gave) (?:[a-z0-9]+ ){0,5}(?:gifts|presents"
        r"|money|cash)\b<GAP4> (?:meet|meeting|secret|alone|online)\b",
        r"\b(?:asking|asks|asked|wants|wanted|trying|tries|tried|arranged|arranging|keeps asking) to meet (?:up "
        r"with )?(?:her|him|them|me|my <CHILD>)<GAP2> (?:alone|on (?:her|his|their|my) own|in secret|secretly"
        r"|without (?:me|us|telling|anyone))\b",
        r"\bcounty lines\b",
        r"\b(?:criminal|sexual|child) exploitation\b",
        r"\bbeing exploited\b",
        r"\bexploit(?:ed|ing) (?:him|her|them|my|kids|children)\b",
        r"\b(?:made|making|makes|forced|forcing|forces|using|uses|used|getting|got|gets|paying|pays|paid) "
        r"(?:[a-z0-9]+ ){0,3}to (?:sell|deal|carry|move|hold|run|stash|drop off) (?:drugs|weed|packages|parcels"
        r"|stuff|gear|knives|bags)\b",
        r"\b(?:selling|dealing|running|carrying) (?:drugs|weed|gear|crack|coke)\b",
        r"\bmoney mule\b",
    ),
    _rule(
        "abuse.neglect",
        "child_abuse_neglect",
        r"\b(?:being|been|is|are|was|were) neglected\b",
        r"\bneglect(?:ing|s)? (?:him|her|them|the kids|the children|my|his|her|their|the baby)\b",
        r"\b(?:no|not enough|hardly any|never any|never enough|havent had|hasnt had|not had|without|nothing for"
        r"|no proper|not any) (?:proper |any |decent |hot )?(?:food|meals?|dinner|tea|breakfast|heating"
        r"|electric|electricity|clean clothes|nappies)\b<GAP4> (?:in days|for days|in the house|at home|in the "
        r"flat|since|for (?:\d+|two|three|four|a few|several) days|all (?:day|week|weekend)|again)\b",
        r"\b(?:left|leaves|leaving|leave) (?:[a-z0-9]+ ){0,3}(?:alone|on (?:his|her|their|my) own|home alone|by "
        r"(?:him|her|them)sel(?:f|ves)|unsupervised|unattended)<GAP5> (?:all (?:day|night|weekend|the time)"
        r"|overnight|for (?:hours|days|the night|the weekend|ages|\d+ hours)|while|when (?:she|he|they) "
        r"(?:go|goes|went)|every (?:night|day|weekend))\b",
        r"\block(?:s|ed|ing)? (?:me|him|her|them|us|my <CHILD>|the kids) (?:in|out|up)\b",
        r"\b(?:not|never|isnt|arent|doesnt|dont) (?:being )?(?:fed|feed|feeding|feeds) (?:him|her|them|the kids"
        r"|the children|us|me|the baby)\b",
        r"\b(?:not|isnt|arent|wasnt|werent|never|no longer) allowed (?:to )?(?:eat|have (?:any )?(?:food|dinner|tea"
        r"|breakfast|meals?))\b<GAP4> (?:at home|as (?:a )?punishment|for punishment|for (?:days|a day|\d+ days)"
        r"|until|if (?:he|she|they|i))\b",
        r"\b(?:food|meals?|dinner|tea|breakfast) (?:is |are |gets |get |was |were )?(?:taken away|withheld|stopped"
        r"|held back) (?:as (?:a )?punishment|to punish)\b",
    ),
    _rule(
        "abuse.adult_harms_child",
        "child_abuse_neglect",
        r"\b(?:<PARENT>|teacher|ta|staff|carer|coach|driver|taxi driver|escort|someone|somebody|a man|a woman)\b"
        r"<GAP3> (?:<STRONG>|<SOFT>) (?:me|us|him|her|them|(?:my|the|his|her|our) <CHILD>)\b(?! (?:to|into "
        r"doing|on the|back))",
        r"\b(?:saw|seen|see|heard|hear|watched|caught) (?:him|her|them|(?:my|the|his|her) (?:<PARENT>|<PARTNER>"
        r"|teacher|carer|ta))(?: [a-z0-9]+)? (?:hit|hitting|slap|slapping|punch|punching|kick|kicking|hurt"
        r"|hurting|beat|beating|shake|shaking|smack|smacking|grab|grabbing|drag|dragging|throttle|throttling"
        r"|strangle|strangling|choke|choking|attack|attacking) (?:him|her|them|my|the|his|a|their|me|us|mum"
        r"|dad)\b",
        r"\b(?:shake|shakes|shook|shaking) (?:the|my|our|his|her) baby\b",
        r"\b(?:came|come|comes|coming|got|gets|arrived|arrives) (?:home|back)<GAP4> with (?:a |some |more |new )?"
        r"(?:bruises|bruising|marks|burns|cuts|black eye|a black eye|scratches|welts|bite marks|fingertip marks"
        r"|injuries)\b",
        r"\b(?:says|said|told me|told us|tells me) (?:his|her|their|my|the) (?:<PARENT>|<PARTNER>|teacher|carer)"
        r"\b(?: [a-z0-9]+)? (?:did (?:it|that|this)|hit|hurt|grabbed|burnt|burned|pushed|kicked|punched|slapped"
        r"|bit|threw)\b",
        r"\b(?:scared|afraid|frightened|terrified|dont want|too scared|dread|dreading)(?: to| of)? (?:go|going"
        r"|be|being) (?:back )?home\b",
    ),
    _rule(
        "abuse.fear_of_harming_child",
        "child_abuse_neglect",
        # A parent at the end of their tether, afraid of what they might do: a child may be harmed soon.
        r"\b(?:scared|afraid|frightened|terrified|worried|worry|fear|fearing|panicking|panicked|petrified)"
        r"(?: that)?(?: i| im| i am| ill)(?: going to| will| might| could| would| may| actually| really| end up)*"
        r"(?: [a-z]+)? (?:hurt|hurting|harm|harming|shake|shaking|hit|hitting|smother|smothering|snap and hurt"
        r"|lose it with|do something to|lash out at|throw|strangle|suffocate) (?:the baby|my baby|him|her|them"
        r"|the kids|my kids|the children|my children|(?:my|our|the) <CHILD>)\b",
        r"\b(?:scared|afraid|frightened|terrified|worried) of what i (?:might|could|will|would|may|ll|am going to"
        r"|m going to) do(?: to (?:him|her|them|the baby|my baby|the kids|my <CHILD>))?\b",
        r"\b(?:i|ive|i have|i) (?:nearly|almost|came close to|came so close to|wanted to|feel like|felt like"
        r"|could have|couldve|want to) (?:shook|shaken|shaking|shake|hit|hitting|hurt|hurting|smacked|smacking"
        r"|threw|throwing|smother|smothering|strangle|strangling|suffocate) (?:the baby|my baby|him|her|the kids"
        r"|(?:my|our|the) <CHILD>)\b(?! (?:back|with (?:a|the|his|her) (?:ball|pillow|toy)))",
        r"\b(?:cant|can not|cannot|dont think i can|not able to) (?:cope|go on|do this|take (?:it|any more))"
        r"<GAP6> (?:(?:scared|afraid|frightened|worried) (?:i|ill|of what)|hurt (?:him|her|the baby|them))\b",
    ),
    _rule(
        "abuse.online_and_images",
        "child_abuse_neglect",
        r"\b(?:keep|keeping|keeps|kept) (?:their|our|the|these|those|his|her) (?:chats|messages|conversations"
        r"|texts|relationship|friendship|meetings|photos) (?:secret|a secret|private|hidden|quiet)\b",
        r"\b(?:sending|sends|sent|paying|pays|paid|offering|offered|offers|gives|giving|gave) (?:him|her|them|my "
        r"<CHILD>|me)?(?: [a-z]+)? (?:money|cash|gifts|vouchers|credit|robux|v bucks|vbucks|game credit|skins)"
        r"<GAP2> (?:for|in return for|to send|if (?:he|she|i|they) sends?) (?:pics|pictures|photos|selfies|videos"
        r"|nudes)\b",
        r"\b(?:threatening|threatened|threatens|threaten) to (?:post|share|send|leak|show|put) (?:his|her|their|my"
        r"|the|them|those) (?:photos|pictures|pics|videos|images)\b",
        r"\b(?:filmed|filming|films|photographed|recorded|recording) (?:her|him|them|me|my <CHILD>) (?:in the "
        r"(?:shower|bath|toilet|changing rooms?)|naked|getting (?:changed|undressed)|undressed)\b",
        r"\b(?:messages|texts|comments|snaps) about (?:my|her|his) (?:body|bum|boobs|chest|private)\b",
        r"\b(?:telling|tells|told|says|said to) (?:me|her|him|them|us) (?:not to|to never|never to) tell\b",
    ),
    _rule(
        "abuse.physical_and_neglect",
        "child_abuse_neglect",
        r"\b(?:shakes|shook|shaking|shake) (?:him|her|them|the baby|my baby) (?:really |so |very )?(?:hard"
        r"|violently|roughly)\b",
        r"\b(?:held|holds|holding|pushed|pushes|pushing|forced|forces) (?:her|his|my|their) head under\b",
        r"\b(?:finger ?(?:tip )?(?:shaped |shape |mark |marks )?bruis[a-z]*|belt marks|hand ?prints? (?:on|across)"
        r" (?:his|her|their|my) (?:face|cheek|back|leg|legs|arm|arms|bottom|neck))\b",
        r"\b(?:doesnt|dont|wont|never|refuses to|refused to|isnt|stopped) (?:give|giving|let (?:me|him|her) "
        r"have) (?:me|him|her|them) (?:my|his|her|their) (?:insulin|medication|meds|medicine|inhaler|epipen"
        r"|seizure meds)\b",
        r"\b(?:nobody|no one|not|hasnt|havent|hadnt|didnt|never) (?:has |have |been )?(?:fed|feeds) (?:him|her"
        r"|them|me|us|my|the|our)\b",
        r"\b(?:kept|keeps|keeping) (?:me|us|her|him|them|the kids)(?: and [a-z ]+?)? locked (?:in|up|out)\b",
        r"\b(?:disappearing|going off|goes off|gone off|went off|leaves|leaving|driving off|drives off) with "
        r"(?:a|an|some|this|that) (?:older |grown |adult )?(?:man|men|guy|guys|bloke|adult|stranger|lad|lads)\b",
        r"\b(?:parties|party|hotel|flat|flats|house parties|cars?)<GAP4> with (?:older|grown|adult) (?:men|man"
        r"|lads|guys|blokes)\b",
        r"\b(?:man|lad|guy|bloke|adult|woman) (?:of|aged) (?:1[89]|[2-9]\d)\b<GAP8> (?:messag[a-z]*|meet"
        r"|gifts|texting|snapchat|pick[a-z]* (?:her|him) up|car)\b",
        r"\b(?:picks?|picking|picked) (?:her|him|them) up<GAP4> (?:older|man|adult|boyfriend|secret)\b",
        r"\b(?:older|adult|grown) (?:boyfriend|girlfriend|man|men|lad|lads)<GAP4> (?:picks?|picking|picked)"
        r" (?:her|him|them) up\b",
        r"\b(?:sent|sends|sending|bought|buying|booked|booking) (?:her|him|them|my <CHILD>) (?:a )?(?:train "
        r"|bus |coach |plane )?(?:ticket|tickets|taxi|uber)<GAP3> (?:to meet|to see|to come|to visit)\b",
        r"\btaken (?:out of|across) (?:the )?(?:county|area|town|city)\b",
        r"\b(?:throws|threw|thrown|throwing|slammed|slams|slamming) (?:him|her|them|me|us|my <CHILD>) (?:against"
        r"|into|across|down) (?:the|a) (?:wall|floor|door|stairs|bed|table)\b",
    ),
    # --- domestic abuse ---
    _rule(
        "domestic.partner_harm",
        "domestic_abuse",
        r"\b<PARTNER>\b<GAP6> (?:<STRONG>|<SOFT>|threaten[a-z]*|assault[a-z]*|stalk[a-z]*|harass[a-z]*"
        r"|smash[a-z]*) (?:me|us|her|him|mum|my mum|the kids|my kids|the children|my children|the baby|them|my "
        r"<CHILD>|our <CHILD>)\b(?! (?:to|into doing))",
        r"\b<PARTNER> (?:[a-z0-9]+ ){0,3}(?:violent|abusive|controlling|dangerous)\b",
        r"\b(?:called|rang|phoned|call|ring) (?:the )?police (?:on|about) (?:my <PARTNER>|him|her)\b",
    ),
    _rule(
        "domestic.named",
        "domestic_abuse",
        r"\b(?:domestic (?:abuse|violence)|dv|abusive (?:relationship|partner|husband|wife|ex|boyfriend"
        r"|girlfriend|marriage|home)|coercive control|coercion|controlling relationship|honour based (?:abuse"
        r"|violence)|forced marriage|fgm)\b",
    ),
    _rule(
        "domestic.control",
        "domestic_abuse",
        r"\b(?:controls|checks|monitors|tracks|checking|controlling) (?:all |on )?(?:my (?:money|finances|phone"
        r"|messages|bank|texts)|the money|where (?:im|i go|im going|i am))\b",
        r"\b(?:wont|doesnt|never) let me (?:have (?:any )?money|see my (?:friends|family|mum)|leave the house|go "
        r"out|have a phone|talk to anyone)\b",
    ),
    _rule(
        "domestic.orders_and_leaving",
        "domestic_abuse",
        r"\b(?:non ?molestation|molestation|restraining|occupation) order\b",
        r"\binjunction\b",
        r"\bbail conditions\b",
        r"\b(?:refuge|womens aid)\b",
        r"\b(?:flee|fleeing|fled|escape|escaping|get away|getting away|leave|leaving) (?:from )?(?:him|her|my "
        r"<PARTNER>)<GAP3> (?:tonight|now|today|safely|for good|before he|before she)\b",
        r"\bget (?:me and )?(?:my|the|our) (?:kids|children|baby|son|daughter)(?: and me)? (?:away|out|to "
        r"safety) from\b",
        r"\baway from my <PARTNER>\b",
    ),
    _rule(
        "domestic.family_violence",
        "domestic_abuse",
        r"\b(?:hitting|hits|punching|punches|kicking|kicks|attacking|attacks|hurting|hurts|beating|beats"
        r"|strangling|biting|bites) (?:his|her|their|my) (?:little |younger |older |baby |big |twin )?(?:brother"
        r"|sister|siblings?|mum|dad|mother|father|grandma|nan|gran)\b",
    ),
    _rule(
        "domestic.indirect",
        "domestic_abuse",
        r"\b<PARTNER>\b<GAP6> (?:threw|throws|throwing|chucked|chucks|chucking|hurled|flung|lobbed|launched)"
        r"(?: [a-z0-9]+){0,4} (?:at|towards) (?:me|us|my head|my face|mum|my mum|the kids|my kids|the baby|her"
        r"|him)\b",
        r"\b<PARTNER>\b<GAP6> (?:breached|breaching|breaches|breach|broke|broken|breaks|breaking|ignored|ignores"
        r"|ignoring|keeps breaking|keeps ignoring)(?: [a-z]+){0,3} (?:order|orders|bail|injunction|conditions"
        r"|nmo|undertaking)\b",
        r"\b(?:nmo|non mol|protective order|occupation order|clares law|domestic violence disclosure)\b",
        r"\b<PARTNER>\b<GAP8> (?:takes|took|taking|keeps|kept|controls|controlled|has control of|holds|holding"
        r"|has all|had all|spends|spent|stole|steals) (?:all |most )?(?:of )?(?:my|our|the) (?:wages|money|pay"
        r"|benefits|universal credit|child benefit|carers allowance|bank card|card|cards|passport|bank account"
        r"|salary|savings|dla|pip|car keys)\b",
        r"\b(?:he|she) (?:takes|took|keeps|kept|controls|has control of|spends|spent) all (?:of )?my (?:wages"
        r"|money|benefits|universal credit|pay|salary|savings|child benefit|carers allowance)\b",
        r"\b(?:have|got|has|had) to ask (?:him|her|my <PARTNER>) (?:for|before (?:i )?(?:spend|buy)|if i can have)"
        r" (?:money|any money|every penny|a penny|cash|food money|nappies|the money)\b",
        r"\b(?:gives|give|gave) me (?:an|a tiny|a little|a small|a) (?:allowance|pocket money|budget)\b",
        r"\b(?:he|she|<PARTNER>) (?:controls|controlled|checks|counts) (?:every penny|all the money|the money"
        r"|my money|the finances|our money|what i spend|everything i spend)\b",
        r"\bhave to (?:show|give) (?:him|her) (?:the |all the |my )?receipts\b",
        r"\b<PARTNER>\b<GAP8> (?:silent treatment|wont speak to me|doesnt speak to me|stops speaking to me"
        r"|ignores me for days|not speaking to me for days|punishes me|punish me|makes me pay for it)\b",
        r"\b(?:<PARENT>|<PARTNER>)\b<GAP6> (?:smash|smashes|smashing|smashed|breaks|broke|throws|threw|punches"
        r"|punched|kicks|kicked|wrecks|wrecked|trashes|trashed) (?:things|stuff|the house|the place|plates|cups"
        r"|furniture|walls|doors|holes|things up|stuff up|everything|windows|the tv|the kitchen)\b<GAP8> "
        r"(?:drunk|drinking|drinks|had a drink|been drinking|high|off his face|off her face|in a rage|rages)\b",
        r"\b(?:when|if|after) (?:my )?(?:<PARENT>|<PARTNER>|he|she) (?:is|s|gets|has been|been|comes home) "
        r"(?:drunk|drinking|high|off his face|off her face)<GAP6> (?:smash|smashes|smashing|smashed|breaks"
        r"|broke|throws|threw|punches|punched|kicks|kicked|shouts at|screams at|scares|hurts|hits|goes for"
        r"|wrecks|trashes)\b",
    ),
    _rule(
        "domestic.more",
        "domestic_abuse",
        r"\b(?:being|been|was|im|i am|am) (?:abused|hurt|hit|beaten|assaulted|attacked|controlled|threatened"
        r"|raped|strangled|choked) by (?:my |our )?<PARTNER>\b",
        r"\b<PARTNER>\b<GAP4> (?:follows|followed|following|stalks|stalking|tracks|tracking|tracked|turns up at"
        r"|turned up at|keeps turning up at) (?:me|us|my|our|where)\b",
        r"\b(?:<PARENT>|<PARTNER>|he|she)<GAP4> (?:throws|threw|throwing) (?:things|stuff|plates|cups|food"
        r"|furniture|chairs) at (?:mum|my mum|her|dad|my dad|me|us|nan)\b",
        r"\b<PARTNER>\b<GAP8> (?:taken|has taken|hides|hid|hidden|hiding) (?:all )?(?:of )?(?:my|our|the)"
        r" (?:wages|money|bank card|card|cards|passport|car keys|keys|phone|medication|meds|benefits)\b",
        r"\b(?:forced|forces|forcing|made|makes|pressures|pressured) (?:me|her) (?:to )?(?:have sex|into sex"
        r"|sleep with|do sexual)\b",
    ),
    # --- risks of no one kind: the classifier names the kind ---
    _rule(
        "harm.someone_hurts_me",
        None,
        r"(?<!it )(?<!that )(?<!this )(?<!reality )\b<STRONG> (?:me|us)\b(?! (?:up|off|back|hard|like|that|how"
        r"|when|then|at|to it|why))",
        r"\b(?:he|she|they|<PARENT>|<PARTNER>|<CHILD>)<GAP2> (?:hurts|hurt|hurting|touches|touched|touching"
        r"|grabbed|grabs|pushes|pushed|shoves|shoved|abuses|abused|bites|bit|burns|burnt|attacks|attacked) "
        r"(?:me|us)\b(?! (?:to|into doing|by accident|accidentally))",
        r"\b(?:im|i am|were|we are|i feel|i get|im so|the kids are|my <CHILD> is|shes|hes)(?: so| really| very"
        r"| too)? (?:scared|afraid|frightened|terrified) (?:of|to be (?:around|near|with)) (?:him|her|them|my "
        r"<PARENT>|my <PARTNER>|his (?:dad|mum)|her (?:dad|mum))\b",
    ),
    _rule(
        "harm.being_abused",
        None,
        # "was"/"were": a plain report ("my daughter was assaulted") is a disclosure to act on; the
        # context pass masks harm that is plainly over ("was abused as a child", "two years ago").
        r"\b(?:being|been|is being|was being|getting|gets|got|keeps getting|keep getting|has been|have been|was"
        r"|were) (?:sexually |physically |emotionally |badly )?(?:abused|assaulted|molested|beaten up|battered|raped"
        r"|attacked|hurt by (?:a|an|the|his|her|their|my|staff|someone|somebody|adults?))\b",
        r"\babuse (?:of|against|towards) (?:my|her|his|our|a|the) <CHILD>\b",
        r"\bthe abuse (?:he|she|they|my <CHILD>|our <CHILD>) (?:suffers|is suffering|goes through|is going through"
        r"|gets|is getting|faces|has been)\b",
    ),
    _rule(
        "harm.held_or_choked",
        None,
        r"\b(?:squeez[a-z]*|grabb?[a-z]*|gripp?[a-z]*|held|hold|holds|choke[ds]?|choking|strangl[a-z]*|put|puts"
        r"|had|wrapped|pressed|pressing)(?: (?:me|her|him|us))? (?:by )?(?:his |her |their |both )?(?:hands? )?"
        r"(?:round|around|on|by) (?:my|her|his|their|the) (?:neck|throat)\b",
        r"\b(?:held|holds|holding|pinned|pins|pinning) (?:me|us|her|him) (?:down|against|to the)\b",
        r"\b(?:threatening|threatened|nasty|abusive|scary) (?:messages|texts|calls|voicemails|letters|emails"
        r"|notes)\b",
        r"\bthreaten(?:s|ed|ing)? to (?:drop|throw|smother|drown|suffocate) (?:the baby|him|her|them|the kids"
        r"|my <CHILD>)\b",
        r"\b(?:will|going to|gonna|threaten[a-z]* to|said he would|says he will) (?:finish (?:me|us|the job|us "
        r"off|me off)|crash (?:the car|it|us)|drive (?:into|off) (?:a|the))\b",
        r"\bfinish (?:it|the job|me|us) this time\b",
    ),
    _rule(
        "harm.threat_to_kill",
        None,
        r"\b(?:will|would|going to|threatened to|threatening to|threatens to|threaten to|wants to|swore to"
        r"|promised to|try to|tried to|trying to)\b(?: [a-z0-9]+)? (?:kill|murder|stab|shoot|strangle|burn"
        r"|batter|beat up|hurt|harm|attack) (?:me|us|you|the kids|my kids|the children|the baby|mum|my mum|dad"
        r"|him|her|them|everyone|someone|somebody|people|a teacher|his teacher|my <CHILD>|our <CHILD>|his "
        r"<CHILD>|her <CHILD>)\b",
        r"\bthreats? to (?:kill|stab|hurt|beat|shoot|batter|burn)\b",
        r"\b(?:being|been|was|got|getting|keep getting|im being) threatened\b(?! (?:with (?:exclusion|detention"
        r"|a fine|court|prosecution|legal|eviction)|by the (?:school|council|la)))",
    ),
    # --- danger now ---
    _rule(
        "danger.in_danger",
        "immediate_danger",
        r"\b(?:im|i am|were|we are|were all|we are all|hes|shes|they are|theyre|he is|she is|my <CHILD> is"
        r"|someone is|somebody is|everyone is|the kids are|people are|am i|is (?:she|he|my <CHILD>)) (?:in "
        r"danger|in (?:real |serious )?danger|not safe|unsafe|at risk (?:now|right now|tonight|from|at home"
        r"|of (?:harm|abuse|being (?:hurt|harmed|killed|attacked|abused))))\b(?! (?:crossing|near|to (?:be left"
        r"|cross|go|walk|use)|on (?:his|her|their) own|around|in the kitchen|online|with (?:scissors|knives)"
        r"|on (?:the )?(?:stairs|bus|buses|road|roads|apparatus|trampoline|climbing frame|equipment|escalator|train"
        r"|trains)|in (?:the )?(?:pool|water|playground|car park)|near (?:roads|water|the road)|by (?:the )?(?:road"
        r"|roads|water)|when (?:he|she|they) (?:runs|bolts|climbs|wanders)))",
        r"\b(?:dont|doesnt|do not|never) feel safe (?:at home|here|now|right now|with (?:him|her|them)|around "
        r"(?:him|her|them)|in (?:my|our|the) (?:home|house|flat))\b",
        r"\bnot safe (?:at|in (?:my|our|the)) (?:home|house|flat)\b",
        r"\b(?:a )?danger to <SELF>(?: and (?:others|everyone|us))?\b",
        r"\b(?:scared|afraid|frightened|terrified|fear|fearing|fearful) (?:for|of losing) (?:my|our|his|her"
        r"|their|the kids|my kids) (?:life|lives|safety)\b",
    ),
    # Plain statements of danger in the forms the normaliser leaves ('are not' -> 'arent').
    _rule(
        "danger.not_safe",
        "immediate_danger",
        r"\b(?:not|arent|isnt|aint|wasnt|werent|never) safe (?:at home|(?:at|in) (?:my|our|the|their|his|her) "
        r"(?:home|house|flat|place)|with (?:him|her|them|his dad|her dad|my (?:partner|husband|wife|ex|dad|mum"
        r"|stepdad|stepmum|boyfriend|girlfriend|brother|uncle)))\b",
        r"\b(?:child|children|kid|kids|baby|someone|somebody|person|girl|boy|<CHILD>|they|theyre|we|were|i|im"
        r"|he|she|hes|shes) (?:is |are |am )?in (?:real |serious |immediate )?danger\b",
        r"\b(?:child|children|kid|kids|baby|girl|boy|<CHILD>) (?:is|are) at risk\b(?! of)",
        r"\b(?:scared|afraid|frightened|terrified) (?:to go home|of (?:someone|somebody|him|her|them|my (?:dad|mum"
        r"|stepdad|partner|husband|brother|uncle)) at home)\b",
    ),
    _rule(
        "self_harm.fresh_marks",
        "suicide_self_harm",
        r"\b(?:new|fresh|more) (?:marks|cuts|scratches|burns|wounds|scars)\b(?:[a-z0-9 ,]{0,40})\b(?:arms?|legs?"
        r"|wrists?|thighs?|stomach|tummy)\b",
        r"\b(?:marks|cuts|scratches|burns) (?:on|up) (?:his|her|their|my) (?:arms?|legs?|wrists?|thighs?)\b"
        r"(?:[a-z0-9 ,]{0,40})\b(?:again|fresh|new ones|hiding|hides|hid|tried to hide)\b",
    ),
    _rule(
        "danger.keep_safe",
        "immediate_danger",
        r"\b(?:cant|cant even|dont think i can|dont know if i can|unable to|not able to|couldnt|struggling to)"
        r" keep (?:<SELF>|him|her|them|us|the kids|my kids|the children|my children|everyone|the baby|my "
        r"<CHILD>|my family|anyone) safe\b",
    ),
    _rule(
        "danger.weapon",
        "immediate_danger",
        r"\b(?:has|got|holding|pulled|waving|carrying|carries|took|taken|grabbed|brandishing|hes got|shes got"
        r"|has got|pointing|took out|pulled out) (?:a |the |his |her |my |a kitchen |a big |an )?(?:knife"
        r"|knives|gun|guns|blade|machete|weapon|weapons|axe|hammer|crossbow|sword)\b(?! (?:obsession|crime))",
        r"\b(?:threatening|threatened|threatens|attacked|attacking|went for|came at|coming at|chased|chasing"
        r"|cut|cutting|stabbed)(?: [a-z0-9]+){0,3} with (?:a|the|his|her|my) (?:knife|gun|blade|machete|weapon"
        r"|axe|hammer|bat|bottle|crossbow|sword)\b",
    ),
    _rule(
        "danger.intruder_or_siege",
        "immediate_danger",
        r"\b(?:someone|somebody|a man|men|people|he|she|they)<GAP3> (?:trying to|tried to|try to) (?:break"
        r"|get|force|kick) (?:in|into|the door|down the door)\b",
        r"\b(?:breaking|broke|kicking|kicked|smashing|smashed) (?:in|into|down) (?:the|my|our) (?:door|house"
        r"|flat|home|window|windows)\b",
        r"\b(?:outside|at) (?:my|our|the) (?:door|front door|house|window|flat|home)<GAP4> (?:shouting"
        r"|screaming|banging|threatening|wont leave|refusing to leave|trying to get in|with a)\b",
        r"\b(?:following|followed|stalking|stalked) (?:me|us|my <CHILD>|her|him)<GAP3> (?:home|from|everywhere"
        r"|to school)\b",
        r"\b(?:were|we are|im|i am) (?:hiding|locked in|barricaded)\b",
        r"\bhiding (?:from (?:him|her|them|my <PARTNER>)|in the (?:bathroom|bedroom|toilet|loft|cupboard"
        r"|wardrobe))\b",
        r"\block(?:ed)? (?:myself|ourselves) in\b",
    ),
    _rule(
        "danger.fire_or_road",
        "immediate_danger",
        r"\b(?:house|flat|home|kitchen|room|bedroom|building) (?:is |s )?on fire\b",
        r"\bset(?:ting|s)? fire\b",
        r"\b(?:started|starting|start) (?:a )?fires?\b",
        r"\bdrunk<GAP4> (?:driv[a-z]*|drive)\b",
        r"\b(?:driv[a-z]*|drive)<GAP4> drunk\b",
        r"\bdrink driv[a-z]*",
    ),
    _rule(
        "danger.call_for_help",
        "immediate_danger",
        r"\b(?:help me|help us|please help|someone help|somebody help|need help) (?:now|right now|quick|quickly"
        r"|asap)(?= ?(?:\.|$|i |we |he |she |they ))",
        r"\b(?:should i|do i|shall i|need to|have to|going to|about to|cant) (?:call|ring|phone|dial) (?:999"
        r"|the police|an ambulance|police|ambulance)\b",
        r"\b(?:gang|gangs)<GAP5> (?:threaten[a-z]*|after (?:him|her|me)|stab[a-z]*|beat[a-z]*|attack[a-z]*"
        r"|looking for)\b",
    ),
    _rule(
        "danger.attack_now",
        "immediate_danger",
        r"\b(?:man|men|lad|lads|boys|gang|group|people|someone|somebody|guy|guys|youths|bloke|stranger|person)"
        r" (?:with|carrying|holding|waving) (?:a |the |some )?(?:knife|knives|machete|machetes|gun|guns|weapons"
        r"|blades|bats|axe|hammer)\b",
        r"\b(?:shotgun|firearm|loaded gun|pistol|revolver|air rifle)\b",
        r"\b(?:swinging|swung|swings|lashing out with|waving|brandishing) (?:a|the|his|her) (?:bat|knife|hammer"
        r"|bottle|stick|axe|chair|golf club|crowbar|machete)\b",
        r"\b(?:barricaded|locked|shut) (?:<SELF>|himself|herself) in<GAP4> with (?:a|the|his|her) (?:[a-z]+ )?"
        r"(?:knife|blade|razor|scissors|rope|pills|tablets)\b",
        r"\b(?:kicking|kicked|smashing|smashed|breaking|broke|banging|hammering|pounding) (?:the|my|our) (?:front "
        r"|back |bedroom |bathroom )?(?:door|window|windows)(?: [a-z]+){0,2} (?:in|down|off)\b",
        r"\b(?:banging|hammering|pounding|kicking) on (?:the|our|my) (?:front |back )?(?:door|window|windows)\b",
        r"\b(?:threw|thrown|throwing|chucked) (?:a |an )?(?:brick|stone|rock|bottle|firework|petrol bomb)<GAP3> "
        r"(?:through|at) (?:the|our|my) (?:window|door|house|car)\b",
        r"\b(?:poured|pouring|pours|splashed|splashing) (?:petrol|lighter fluid|fuel|paraffin|diesel)\b",
        r"\b(?:turned|left|put|switched) the gas on\b",
        r"\b(?:smell|smells|smelling) (?:of )?gas\b",
        r"\bburn (?:the|our|my|this) (?:house|flat|home|place) down\b",
        r"\b(?:smoke|flames) (?:pouring|coming|billowing|everywhere)\b",
        r"\b(?:man|men|he|she|someone|somebody|guy|lad|lads|boyfriend|partner)<GAP2> (?:wont|will not|wouldnt"
        r"|isnt letting|is not letting) let (?:me|her|him|us) (?:leave|out|get out|go home)\b",
        r"\b(?:trying to|tried to|try to|tries to) (?:get|drag|pull|force|push|bundle|lure) (?:my|our|a|the) "
        r"<CHILD> into (?:his|a|the|their|her) (?:car|van|vehicle|house|flat)\b",
        r"\b(?:run|ran|jumped|jumping|fallen|fell|gone|walked|walking|running) into (?:the )?(?:canal|river|sea"
        r"|lake|pond|reservoir|traffic|road|motorway)\b",
        r"\bdrunk<GAP4> (?:car keys|behind the wheel|in the car with)\b",
    ),
    # --- missing ---
    _rule(
        "missing.not_home",
        "missing_person",
        r"\b(?:he|she|they|hes|shes|theyre|<CHILD>|friend|mate|partner|husband|wife|dad|mum|who|still|\d+)<GAP2>"
        r" (?:hasnt|havent|didnt|never|still not|still hasnt|not) (?:come|came|been|got|gotten|made it|returned"
        r"|turned up|arrived|shown up|showed up|come back|came back|gone|went) (?:back )?home\b",
        r"\b(?:is|isnt|not|still not|hes not|shes not|still isnt|hasnt got|not got) (?:home|back)<GAP4> "
        r"(?:and (?:not|isnt|hasnt|wont|no one|nobody|her phone|his phone|their phone|i cant)|since|hours|last "
        r"night|midnight|overnight|yet and|\d+ ?am)\b",
    ),
    _rule(
        "missing.late_and_unreachable",
        "missing_person",
        # Not home when expected and cannot be reached: the two together, anywhere in the message.
        r"^(?=.*\b(?:phone|phones|mobile)\b(?: [a-z]+){0,2} (?:is |s |has been |went |keeps |going )?(?:off"
        r"|switched off|turned off|dead|going (?:straight )?to voicemail|straight to voicemail|not connecting"
        r"|not ringing|goes to voicemail|unreachable))(?=.*\b(?:not|isnt|still not|hasnt (?:been|come|got)"
        r"|wasnt|no sign of (?:him|her|them)|havent seen (?:him|her|them)|supposed to be|should be|should have "
        r"been|meant to be|was due) (?:home|back|in)\b)",
        r"\b(?:its|it is|gone|past|after) (?:\d+|nine|ten|eleven|twelve|midnight|half \d+)(?: ?pm| oclock| at "
        r"night)?<GAP3> (?:and )?(?:he|she|they|hes|shes|theyre|my <CHILD>|our <CHILD>) (?:is |s )?(?:isnt"
        r"|not|still not|still isnt|hasnt|hasnt come|hasnt got|not got) (?:home|back)\b",
        r"\b(?:isnt|not|still not|still isnt|hasnt come|hasnt got|not got) (?:home|back)(?: yet)?<GAP3> (?:its|it"
        r" is|gone|past) (?:\d+|nine|ten|eleven|twelve|midnight)\b",
    ),
    _rule(
        "missing.not_back",
        "missing_person",
        r"\b(?:but|and) (?:never|didnt|hasnt|has not) (?:arrived|got there|turned up|made it|showed up)\b",
        r"\b(?:no one|nobody|none of us|we|i|they) (?:can|could|cant|couldnt|still cant) (?:reach|contact|get hold"
        r" of|find) (?:him|her|them)\b(?! (?:a|an|any|the|some|somewhere|support|help|place|school)\b)",
        r"\band (?:hasnt|havent|has not|never|didnt|still hasnt|still not|still isnt|isnt) (?:come|came|got"
        r"|been|returned|made it) (?:back )?(?:home|back)\b(?! to (?:me|us))",
        r"\b(?:hasnt|havent|didnt|not) (?:come|came|got) back from (?:his|her|their|the) (?:walk|run|bike ride"
        r"|paper round|shop|shops|park|school|college|work|friends|mates|party|club|youth club|football)\b",
        r"\b(?:no one|nobody|none of (?:us|his friends|her friends|them)) (?:has|have) (?:seen|heard from) (?:him"
        r"|her|them|my <CHILD>|my (?:<PARENT>|friend|mate))(?= ?(?:\.|$|since|for|all|today|yet|and))",
        r"\b(?:he|she|they|<CHILD>)<GAP2> (?:has |have |had |just )?(?:disappeared|vanished)\b(?! (?:into "
        r"(?:his|her|their) (?:room|bedroom|phone|games?)|upstairs|off the (?:system|list)))",
        r"\bpolice (?:are|have been|were|are out) (?:looking|searching) for (?:him|her|them|my <CHILD>|our "
        r"<CHILD>)\b",
        r"\b(?:isnt|is not|wasnt|not) in (?:his|her|their) (?:bed|bedroom|room)<GAP4> (?:and|door|window|gone"
        r"|open|cant|no one|nobody)\b",
        r"\b(?:has|have|had|he|she|they) absconded\b",
        r"\bbed (?:hasnt|has not|wasnt|not|havent) been slept in\b",
        r"\b(?:says|said|say) (?:hes|shes|theyre|he is|she is) not there\b",
        r"\b(?:hasnt|havent|not) been in touch (?:for|since) <TIME>\b",
        r"\b(?:hes|shes|theyre) (?:not|still not) (?:answering|picking up|replying|responding)\b",
        r"\b(?:we|i|they|staff) (?:have |has |ve )?lost (?:him|her|them)(?= ?(?:\.|$| in| at| and| again"
        r"| somewhere))",
        r"^(?=.*\b(?:cant|can not|cannot|couldnt|unable to) (?:reach|get hold of|contact|get through to) (?:him"
        r"|her|them|my <CHILD>|my (?:friend|mate|<PARENT>)))(?=.*\b(?:due|meant|supposed|should have been"
        r"|expected|was due) (?:back|home)\b|.*\b(?:its|it is|gone) (?:past )?(?:\d+|midnight)\b)",
    ),
    _rule(
        "missing.missing",
        "missing_person",
        r"\b(?:he|she|they|hes|shes|theyre|<CHILD>|friend|mate|brother|sister|partner|husband|wife|dad|mum|who"
        r"|\d+)<GAP2> (?:is|are|has|have|s|has been|have been|been|gone|went|has gone|is still|still|keeps "
        r"going|kept going|goes|keep going|go|had gone|was|were) ?missing\b",
        r"\b(?:hes|shes|theyre)(?: still| now)? missing\b",
        r"\bmissing (?:since|for (?:\d+|two|three|a few|several|hours|days)|person|child|teenager|from (?:home"
        r"|care|school|her placement|his placement|the house|hospital))\b",
        r"\breport(?:ed|ing)? (?:him|her|them|my <CHILD>) missing\b",
    ),
    _rule(
        "missing.cant_find",
        "missing_person",
        r"\b(?:cant|couldnt|still cant|unable to|we cant) find (?:him|her|them|my <CHILD>|our <CHILD>|my "
        r"(?:<PARENT>|friend|mate))\b(?! (?:a|an|any|the|some|somewhere|something|support|help|provision"
        r"|childcare|work|places?|school|college|anything|suitable|appropriate)\b)",
        r"\b(?:cant|couldnt|still cant) see (?:him|her|them|my <CHILD>) anywhere\b",
        r"\b(?:dont|doesnt|no one|nobody|none of us|we dont|i dont) (?:know|knows|has any idea|have any idea"
        r"|have a clue) where (?:(?:he|she|they|my <CHILD>|our <CHILD>) (?:is|are|has gone|went|has got to|have "
        r"gone|might be|could be)|hes|shes|theyre)\b(?! (?:going|will|should|would|can|could|gets|goes|fits"
        r"|stands|belongs|with|at|academically|in (?:his|her|their|terms)|up to|compared))",
        r"\blost (?:my|our) <CHILD>(?: [a-z0-9]+)? (?:at|in) (?!(?:19|20)\d\d)",
        r"\blost (?:him|her) (?:at|in) (?:the|town)\b",
    ),
    _rule(
        "missing.ran_away",
        "missing_person",
        r"\b(?:has|have|hes|shes|theyve|s) (?:just )?(?:run|gone|wandered|bolted|slipped|snuck|sneaked) (?:off"
        r"|away)\b",
        # Not when the sentence says it is a habit, or that the child was found.
        r"\b(?:ran|wandered|bolted|slipped|snuck|sneaked|absconded) (?:off|away|out)\b(?!<GAP3> (?:when"
        r"|whenever|every|all the time|a lot|sometimes|often|constantly|if)\b)(?!<GAP8> (?:(?:but|and) (?:we |they "
        r"|staff |the school |the police |police |i )?|(?:we|they|staff|the school|the police|police|i) )(?:found"
        r"|caught|got|brought) (?:him|her|them)\b)",
        r"\bran away from (?:home|care|the care home|her placement|his placement|foster|her foster|his foster)\b",
    ),
    _rule(
        "missing.no_contact",
        "missing_person",
        r"\b(?:havent|hasnt|not|no one has|nobody has|we havent|i havent) (?:heard from|seen|had contact with"
        r"|heard anything from) (?:him|her|them|my (?:<CHILD>|friend|mate))\b<GAP2> (?:since|for|in) <TIME>\b",
        r"\b(?:hasnt|havent|not) been seen since\b",
        r"\b(?:he|she|they|<CHILD>|and|but)(?: [a-z0-9]+)? (?:isnt|not|hasnt been|wont|keeps not|still not"
        r"|still isnt) (?:answering|picking up|replying|responding)\b(?! to (?:my|our|the|any) (?:emails?"
        r"|calls?|letters?|messages?|complaints?))",
        r"\b(?:looking|searching|looked|searched|out looking) (?:everywhere )?for (?:him|her|them|my <CHILD>|our "
        r"<CHILD>)<GAP2> (?:for (?:hours|ages|the last|over an hour|\d+ hours)|since|all (?:night|evening|day"
        r"|afternoon|morning))\b",
        r"\b(?:been gone|been out|gone) (?:for|since) (?:\d+|two|three|hours|days|a day|a few|several|ages"
        r"|yesterday|last night|this morning)\b",
        r"\b(?:he|she|they|<CHILD>) (?:never|didnt|hasnt) (?:arrive|arrived|turn up|turned up|show up|showed up"
        r"|get there|got there|make it|made it)\b",
    ),
    # --- medical emergency ---
    _rule(
        "medical.seizure",
        "medical_emergency",
        r"\b(?:having|is having|hes having|shes having|in the middle of|started having|still having|keeps "
        r"having) (?:a |another |a big |a long |a bad )?(?:seizure|fit|convulsion|tonic clonic)\b(?! (?:at "
        r"school|last|yesterday|in the night|every|when|a few|once|recently|plan))",
        r"\b(?:seizure|seizures|fit|fitting|convulsing|seizing|convulsions?)\b<GAP6> (?:wont stop|not stopping"
        r"|isnt stopping|still going|keeps going|over (?:\d+|five|ten|fifteen) ?min[a-z]*|for (?:over |more "
        r"than |about )?(?:\d+|five|ten|fifteen|twenty|a few) ?min[a-z]*|longer than (?:\d+|five) ?min[a-z]*"
        r"|back to back|one after another)\b",
        r"\b(?:is|hes|shes|keeps|still|started|been) fitting\b(?! in)",
    ),
    _rule(
        "medical.breathing_or_unresponsive",
        "medical_emergency",
        r"\b(?:not|isnt|stopped|cant|cant really|struggling to|unable to|hardly|barely|has stopped|can hardly"
        r"|can barely|isnt really) (?:breath|breathe|breathing|breathin|breth)\b(?! (?:exercises|techniques"
        r"|technique|space))",
        r"\b(?:turning|turned|gone|going|went) (?:blue|grey|gray|purple)\b",
        r"\b(?:lips|face) (?:are |is |have |has |look |looks |going |gone |turning |turned )?(?:blue|grey|gray"
        r"|purple)\b",
        r"\bblue lips\b",
        r"\b(?:blue|grey|floppy|limp|pale) and (?:floppy|limp|unresponsive|not responding|not breathing|cold"
        r"|blue)\b",
        r"\b(?:unconscious|unresponsive|wont wake up|not waking up|isnt waking up)\b",
        r"\bcant wake (?:him|her|them|my <CHILD>)\b",
        r"\b(?:not|isnt) responding\b(?! to (?:my|our|the|any|emails?|calls?|letters?|messages?|requests?"
        r"|complaints?|medication|treatment|therapy|meds))",
        r"\b(?:he|she|they|i|hes|shes|<CHILD>|dad|mum|husband|wife|partner|has|just|and) (?:has |just "
        r"|suddenly )?(?:collapsed|passed out|blacked out|keeled over|fainted)\b",
        r"\b(?:he|she|they|hes|shes|<CHILD>|and|but) (?:is |s )?(?:isnt|not|stopped|has stopped) moving\b",
    ),
    _rule(
        "medical.poisoning",
        "medical_emergency",
        r"\b(?:overdos[a-z]*|taken an od|took an od|had an od)\b",
        # Pills, then a reassurance nobody asked for: 'took some pills last night but im ok now i think'.
        r"\b(?:took|taken|swallowed) (?:some|a few|a couple of|loads of|lots of) "
        r"(?:pills|tablets|paracetamol|painkillers|meds|medication)(?! for (?:a |my |his |her |the |their )?(?:head"
        r"|headache|migraine|cold|temperature|fever|pain|toothache|back|period|hay fever|allergy))<GAP4> but "
        r"(?:i think |i guess )?(?:im"
        r"|i am|i feel|hes|shes|he is|she is|they are|theyre|theyre probably|im probably) (?:ok|okay|fine|alright"
        r"|all right)\b",
        r"\b(?:took|taken|swallowed|swallow|swallows|has had|had|eaten|ate|drank|drunk|downed|necked)\b(?: "
        r"[a-z0-9]+)? (?:a load of|loads of|lots of|all|all of|all the|a lot of|too many|too much|a handful of"
        r"|handfuls of|a whole|the whole|a full|a bottle of|a packet of|a box of|a pack of|a strip of|some of"
        r"|a bunch of|a pile of|extra|double|twice|[89]|[1-9]\d+)<GAP3> (?:pills|tablets|paracetamol|ibuprofen"
        r"|meds|medication|medicine|capsules|insulin|melatonin|sleeping pills|antidepressants|painkillers|calpol"
        r"|piriton)\b",
        r"\b(?:swallowed|drank|drunk|ate|eaten|drinking|eating|licked|swallowing) (?:some |a |the |a bit of |a "
        r"lot of |loads of |an )?(?:bleach|cleaning (?:stuff|products?|fluid|liquid|spray)|washing up liquid"
        r"|washing (?:tablet|pod|capsule)s?|dishwasher (?:tablet|pod)s?|antifreeze|detergent|poison|weed killer"
        r"|fairy liquid|battery|batteries|button battery|magnet|magnets|a coin|screen wash|white spirit|e "
        r"liquid|vape liquid|rat poison|slug pellets)\b",
    ),
    _rule(
        "medical.household_poison",
        "medical_emergency",
        r"\b(?:ate|eaten|eating|eats|swallow[a-z]*|chew[a-z]*|bit|bitten|biting|bite|licked|licking|sucked"
        r"|sucking|drank|drunk|drinking|had|got into|into|put|mouthful of|taste of|tasted)<GAP4> (?:dishwasher"
        r"|washing machine|laundry|washing|bleach|toilet|oven|drain|cleaning|descaler|dettol|fabric|white spirit"
        r"|antifreeze|paraffin|petrol|screen wash|weed killer|lighter fluid|turps|turpentine) ?(?:tablet"
        r"|tablets|pod|pods|capsule|capsules|liquid|powder|gel|cleaner|block|blocks|unblocker|conditioner"
        r"|spray|products?)?\b(?! (?:last (?:year|month)|years ago|when (?:he|she) was))",
        r"\b(?:dishwasher|laundry|washing|washing machine) (?:tablet|tablets|pod|pods|capsule|capsules)\b<GAP6>"
        r" (?:mouth|ate|eaten|swallow[a-z]*|chew[a-z]*|bit|bitten|licked|sucked|foaming|burst)\b",
        r"\b(?:ate|eaten|swallowed|chewed|drank|drunk|had|got into)<GAP4> (?:my|his|her|the|nans|grandmas"
        r"|mums|dads|grandads)(?: [a-z]+)? (?:pills|tablets|medicine|medication|meds|vitamins|iron tablets|sleeping"
        r" pills|methadone|antidepressants)\b(?! (?:at|with|before|after|every|each|as|like|on time|this morning"
        r"|today|fine))",
    ),
    _rule(
        "medical.more",
        "medical_emergency",
        r"\b(?:hard|difficult|impossible|cant|struggling) to wake\b",
        r"\bstopped (?:eating and drinking|drinking and eating|drinking)\b",
        r"\b(?:not|hasnt|havent|hasnt been|not been|wont|refusing to|refuses to) (?:eaten|eating|eat|drunk|drinking"
        r"|drink)(?: or (?:eaten|eating|eat|drunk|drinking|drink))? (?:anything )?(?:for|in) (?:days|\d+ days|two"
        r" days|three days|a week|over a day|24 hours|\d+ hours)\b",
        r"\b(?:fell|fallen|rolled|dropped|landed|banged|hit)<GAP4> (?:on|onto) (?:his|her|their) head\b<GAP8> "
        r"(?:sick|vomit[a-z]*|drowsy|confused|sleepy|floppy|unconscious)\b",
        r"\b(?:head injury|hit to the head|bang on the head|knock to the head|knock on the head|head knock)"
        r"<GAP8> (?:sick|vomit[a-z]*|being sick|drowsy|confused|cant remember|unconscious|sleepy)\b",
        r"\bstiff neck\b",
        r"\b(?:rash (?:that |which )?(?:wont|doesnt|does not|will not|didnt) fade|non blanching|purple rash)\b",
        r"\b(?:trach|tracheostomy|trachy|trachi) (?:tube )?(?:has |is )?(?:come|came|fallen|fell|pulled|blocked)"
        r"(?: out)?\b",
        r"\b(?:temperature|temp|fever|burning up)<GAP8> (?:not making sense|confused|delirious|floppy"
        r"|unresponsive|cant wake|wont wake|drowsy|fitting)\b",
        r"\b(?:seizure|seizures|fit|fits)<GAP4> (?:lasted|lasting|gone on for|been going (?:on )?for) (?:over "
        r"|more than |about )?(?:\d+|five|six|seven|eight|ten|fifteen|twenty) ?min[a-z]*",
        r"\b(?:seizures|fits) (?:in a row|back to back|one after (?:another|the other)|without (?:waking|coming "
        r"round|recovering))\b",
        r"\beyes (?:are |keep |have )?(?:rolling|rolled) (?:back|up)\b",
        r"\b(?:cut|gash|wound|bleeding|blood|it)<GAP6> (?:spurting|gushing|pumping|pouring)\b",
        r"\bthroat (?:feels |is |going |getting |has gone )?(?:tight|closing|closing up|swelling)\b",
        r"\b(?:gone|going|went|suddenly|all) (?:limp|floppy)\b",
        r"\bchest pains?<GAP6> (?:arm|numb|cant breathe|sweating|sweaty|collapsed|jaw|grey)\b",
        r"\b(?:went|gone|slipped|was|sank) under (?:the )?water\b",
        r"\b(?:dont|do not|no one|nobody) knows? how many (?:he|she|they) (?:has had|had|took|has taken|swallowed"
        r"|ate|has eaten)\b",
        r"\b(?:diabetic|diabetes|blood sugar|sugars|hypo)\b<GAP8> (?:vomiting|being sick|breathing (?:really "
        r"|very )?fast|floppy|going floppy|fitting|passing out|unresponsive)\b",
    ),
    _rule(
        "medical.other_emergency",
        "medical_emergency",
        r"\b(?:having|is having|hes having|shes having|going into|gone into) (?:an? )?(?:allergic reaction"
        r"|anaphyla[a-z]*|anaphylactic shock|asthma attack|bad asthma attack|hypo|diabetic coma)\b",
        r"\b(?:face|lips|tongue|throat|mouth|eyes) (?:is |are |s )?(?:swelling|swollen|swelled|closing)\b",
        r"\b(?:epipen|epi pen|jext|inhaler)\b<GAP2> (?:hasnt|didnt|isnt|not|doesnt|wont) (?:work|worked"
        r"|working|helping|helped|help)\b",
        r"\b(?:is|hes|shes|s|baby is|they are|theyre|started) choking\b",
        r"\b(?:bleeding|blood|bleed)\b<GAP6> (?:wont stop|not stopping|isnt stopping|everywhere|heavily|badly"
        r"|so much|loads|a lot)\b",
        r"\b(?:lots|loads|so much|a lot|pool|puddle) of blood\b",
        r"\b(?:hit|banged|bumped|smashed|cracked) (?:his|her|their|my) head\b<GAP8> (?:sick|vomiting|being sick"
        r"|drowsy|confused|unconscious|sleepy|wont wake|not making sense|dizzy|bleeding|fitting)\b",
        r"\b(?:fell|fallen|has fallen|fall)<GAP6> (?:and|now) (?:isnt|not|cant|wont) (?:moving|move|wake"
        r"|breathing|responding)\b",
        r"\b(?:diabetic|diabetes|blood sugar|sugars|hypo)\b<GAP8> (?:confused|shaking|shaky|not making sense"
        r"|drowsy|unconscious|sweaty|clammy|wont wake|really low|very low|dangerously low|slurring)\b",
        r"\b(?:need|needs|waiting for|wait for|send|sending|get me|get us) (?:an |the )?ambulance\b",
    ),
)


@dataclass(frozen=True)
class RuleOutcome:
    """What the rules found in one message, and the text with hard negatives masked."""

    masked: str
    matches: tuple[str, ...]
    categories: tuple[str, ...]
    hard_negatives: tuple[str, ...]


def mask_hard_negatives(normalised: str) -> tuple[str, tuple[str, ...]]:
    """Replace every hard-negative phrase by MASK; return the text and the ids of the phrases found."""
    found = []
    for rule in HARD_NEGATIVE_RULES:
        masked, count = rule.pattern.subn(f" {MASK} ", normalised)
        if count:
            found.append(rule.id)
            normalised = masked
    return " ".join(normalised.split()), tuple(found)


def prepare(text: str) -> tuple[str, tuple[str, ...]]:
    """The form both rules and classifier read, and the ids of what was set aside on the way.

    ``text`` is normalised, its hard-negative phrases are masked, then clauses whose harm is clearly
    over (or was never harm) are masked too (``safety.context``), unless anything in the message says
    a harm is here now.
    """
    masked, hard_negatives = mask_hard_negatives(normalise(text))
    context = set_aside_past_and_benign(masked)
    return context.text, hard_negatives + context.reasons


def apply_rules(text: str) -> RuleOutcome:
    """Run the hard-negative masks and the context pass, then every risk rule, on one message."""
    masked, hard_negatives = prepare(text)
    matches: list[str] = []
    categories: list[str] = []
    for rule in RISK_RULES:
        if rule.pattern.search(masked):
            matches.append(rule.id)
            if rule.category and rule.category not in categories:
                categories.append(rule.category)
    return RuleOutcome(masked, tuple(matches), tuple(categories), hard_negatives)
