"""Which of the 25 taxonomy elements a social media policy covers, and where it is risky.

`classify(document)` reads a policy sentence by sentence and scores each sentence against a
lexicon of weighted cue patterns per element (the `LEXICON` below, readable as data). A sentence
that lays down a rule counts a little more than one that describes; a list item is read with the
sentence that introduces it ("You must not:"). An element is found when one sentence supports it
strongly, or two sentences support it weakly; every finding points at the sentences whose own
words support it (a heading alone is not evidence), quoted as they stand, each sentence filed
under at most the two elements it says most about, so a consultant can check it.

On top of the elements it reports the participation stance (encourage / permit / restrict), the
mechanism the policy uses for employees to disclose their affiliation, and red flags: rules whose
wording regulators and the NLRB have treated as risky (overbroad confidentiality, non-disparagement,
media bans, logo bans, advocacy without disclosure, surveillance of personal accounts, blanket
pre-approval, off-duty reach...), each with a plain-English reason, what a fix looks like, and
the law it rests on with its jurisdiction (all US law today).

Pure Python and regular expressions: no model, no network, a few milliseconds per policy. To
stay fast with hundreds of cues, each pattern is read once (`smpp.cue_index`) for the words any
match must contain; a sentence is then only tried against cues whose words it has, and only
where those words begin. A test checks that this never changes a score.

Sentences come from `smpp.reading` (the one splitter); `classify_text` reads plain text through
it, as `smpp classify` does a text file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

from smpp import cue_index
from smpp.document import Document, Sentence
from smpp.reading import read_document
from smpp.taxonomy import element, load_taxonomy

__all__ = [
    "LEXICON",
    "Classification",
    "ElementFinding",
    "RedFlag",
    "classify",
    "classify_text",
]

STRONG = 2.0  # one sentence scoring this much is enough to find the element
WEAK = 1.0  # a sentence scoring this much supports the element; two of them find it
HEADING_BONUS = 1.0  # standing under a heading that names the element
MAX_EVIDENCE = 5

# ---------------------------------------------------------------------------------------------
# Vocabulary shared by several elements. Patterns are matched against the sentence lower-cased,
# with curly quotes straightened, whitespace collapsed and the organisation's own name replaced
# by "company" (so "on behalf of Brightway" reads "on behalf of company").
# ---------------------------------------------------------------------------------------------

ORG = (
    r"(?:(?:the|our|this|its|your) )?(?:company|corporation|organi[sz]ation|firm|bank|group|"
    r"business|employer|brand|trust|council|university|college|school|hospital|health system|"
    r"agency|department|institution|authority|government|practice|charity|foundation|store|"
    r"enterprise|network|ministry|service)(?:'s)?"
)
PEOPLE = (
    r"(?:employees?|staff|colleagues?|associates?|team members?|workers?|workforce(?: members?)?|"
    r"personnel|contractors?|consultants?|volunteers?|interns?|officers?|directors?|managers?|"
    r"executives?|faculty|students?|members? of staff|partners?|physicians|clinicians|nurses|"
    r"representatives?|everyone|anyone|you)"
)
# "must not", "never", "are not permitted to"...: the start of a prohibition.
NEG = (
    r"(?<![a-z])(?:must not|mustn't|may not|should not|shouldn't|shall not|cannot|can't|can not|"
    r"do not|don't|never|not (?:be )?(?:permitted|allowed|authori[sz]ed)|(?:is|are) prohibited|"
    r"prohibited from|forbidden|refrain from|are not to|is not to|no one may|nobody may|no "
    r"(?:employee|associate|staff member|one) (?:may|shall|should)|(?:under|in) no "
    r"circumstances|at no time)"
)
DISCLOSE = (
    r"(?:disclos|divulg|shar|post|reveal|publish|leak|discuss|talk about|releas|mention|communicat|"
    r"transmit|expos|tweet|upload|comment on|give out|pass on|spill)\w*"
)
CONF = (
    r"(?:confidential|proprietary|non-?public|internal|sensitive|secret|privileged|classified|"
    r"restricted)"
)
INFO = (
    r"(?:information|info|data|details|documents?|materials?|matters|plans?|figures|results|"
    r"numbers|reports?|communications|memos?|emails?|discussions|projects?|strateg(?:y|ies)|"
    r"announcements?)"
)
OTHERS = (
    r"(?:customers?|clients?|patients?|colleagues?|co-?workers?|coworkers?|students?|pupils?|"
    r"members of the public|service users?|residents?|guests?|visitors?|consumers?|shoppers?|"
    r"suppliers?|vendors?|third parties|other people|others|individuals|people|children|minors|"
    r"famil(?:y|ies)|family members|employees|associates|donors|passengers|tenants|citizens|alumni|"
    r"parents)"
)
# Where issues and press go: the people a policy routes things to.
ROUTE_VERB = (
    r"(?:report|notify|alert|inform|tell|contact|refer|forward|send|flag|escalat|ping|email|e-mail|"
    r"routed|routes?|routing|pass(?:ed)? (?:it |them |this )?(?:on )?to|let\b[^.]{0,40}\bknow|"
    r"hand(?:s|ed|ing)? (?:it |them |this |that )?over|(?:go|goes) (?:straight |directly )?to|"
    r"share (?:the post|it|a link|them) with|sent to|rais(?:e|ed|es|ing) (?:it |them |this )?with|"
    r"directed to|message)\w*"
)
ROUTE_TO = (
    r"(?:communications|comms|corporate affairs|press office|media relations|public relations|"
    r"\bpr\b|social media team|digital team|marketing|legal|compliance|privacy (?:office|officer|"
    r"team)|security|(?:line )?manager|supervisor|headquarters|\bhq\b|incident|police|#[a-z][\w-]*|"
    r"[\w.-]+@[\w.-]+|(?:press|news|digital|web|online|social|content|brand|fraud|risk|"
    r"communications?|comms) (?:team|desk|office|officer|lead|unit)|duty (?:manager|officer|"
    r"editor)|"
    r"(?:social media|digital|communications) (?:lead|manager|director)|director of communications|"
    r"(?:the|our|your) (?:[a-z-]+ ){1,3}(?:team|desk|office|officer|department|unit)\b)"
)
CARE = (
    r"(?:customer (?:service|care|support|experience|relations|services|success)|client (?:service|"
    r"services|relations|support)|patient (?:relations|experience|advocacy|services)|guest "
    r"(?:services|relations)|member services|support (?:team|desk|cent(?:re|er)|channels?)|"
    r"care team|help ?desk|help (?:center|centre)|contact cent(?:er|re)|call cent(?:er|re)|"
    r"service desk|help ?lines?|referral lines?|support lines?|hotlines?|advice lines?|(?:support|"
    r"help|care|service)@|in-app (?:chat|support)|(?:online )?reporting forms?|official (?:support|"
    r"help|service|customer) (?:channels?|accounts?)|complaints (?:procedure|process|team|"
    r"department))\b"
)
OFFICIAL_ACCOUNT = (
    r"(?:official|corporate|company|branded|business|departmental|institutional|unit|service|brand|"
    r"organi[sz]ational|university|council|firm|hospital)(?:'s)?(?: \w+)?(?: social media| social|"
    r" online)? (?:accounts?|channels?|pages?|profiles?|presences?|handles?|groups?)|"
    # "channels in the university's name", "pages that carry the brand"
    r"(?:accounts?|channels?|pages?|profiles?|presences?|handles?|groups?) (?:in|under|bearing|"
    rf"carrying|using|that carry|that use|that bear) (?:the |our )?{ORG} (?:name|brand|logo|"
    r"branding)|(?:accounts?|channels?|pages?|profiles?) (?:in|under) the name of (?:the |our )?"
    rf"{ORG}|(?:pages?|accounts?|channels?|profiles?) that carry the brand"
)
# Words that show a sentence is about taking part online (an invitation to "use good judgment" is
# not an invitation to post).
SOCIAL = (
    r"social|online|shar\w*|post\w*|network\w*|linkedin|twitter|facebook|instagram|tiktok|youtube|"
    r"blog\w*|channels?|platforms?|content|stor(?:y|ies)|news|communit\w*|ambassador\w*|advoca\w*|"
    r"digital|internet|web\w*|followers|hashtags?"
)
# What the NLRA protects, and what whistleblowing laws protect elsewhere.
PROTECTED = (
    r"(?:wages?|\bpay\b|salar\w*|compensation|(?:wages|pay),? (?:and |or )?hours|hours of work|"
    r"hours,? (?:and|or) (?:other )?(?:terms|working conditions)|working conditions|conditions of "
    r"(?:employment|work)|terms (?:and|&) conditions|terms of (?:your )?employment|concerted|"
    r"section 7|national labou?r relations act|\bnlra\b|labou?r (?:law|rights|relations|unions?)|"
    r"unions?\b|union activit\w*|collective(?:ly)? (?:action|bargaining|activity)|organi[sz]e|"
    r"protected activit\w*|legally protected|protected (?:by|under) (?:applicable |federal |state |"
    r"the )?law|rights under (?:applicable |federal |state |the )?(?:law|nlra)|whistle-?blow\w*|"
    r"protected disclosures?|public interest disclosure|mutual aid|right to (?:discuss|organi[sz]e|"
    r"speak out|unionise|unionize))"
)
# What a savings clause says of the policy: it does not restrict, is not meant to, leaves you free.
SAVINGS = (
    r"nothing in|(?:is|are) not (?:intended|meant|designed)|(?:(?:does|do|will|shall|"
    r"should|would|must|is|are|can) not|doesn't|don't|won't|shan't|shouldn't|wouldn't|"
    r"isn't|aren't|can't|cannot|never) (?:be )?(?:\w+ )?(?:\w+ )?(?:restrict|prevent|"
    r"interfer|limit|prohibit|restrain|discourag|deter|infring|stop|imped|preclude|"
    r"appl|interpret|constru|used|cover|affect|bar|disciplin|penali|punish|retaliat|"
    r"sanction)|not (?:be )?(?:interpreted|construed|applied|read|used)|(?:you are|"
    r"you're|employees are|remain) free to|(?:have|has|retain) the right to|"
    r"entitled to|(?:your|their) (?:legal )?rights?"
)
# What may need an official response: negative or false content, crises, incidents, threats.
E20_SITUATION = (
    r"(?:negative|critical|false|inaccurate|incorrect|misleading|erroneous|damaging|"
    r"harmful|hostile|concerning|threatening|abusive|defamatory|untrue|fake|angry|furious|"
    r"heated|offensive) (?:posts?|comments?|content|coverage|stor(?:y|ies)|information|reviews?|"
    r"mentions?|statements?|rumou?rs?|news|publicity|attention|messages?|replies|reactions?|"
    r"claims?|allegations?|accounts?|profiles?)|data leaks?|leaked|news stor(?:y|ies)|"
    r"controvers(?:y|ies)|imperson\w*|(?:anything|something|posts?|content|comments?) "
    r"(?:\w+ )?(?:alarming|worrying|suspicious|urgent|serious|dangerous)|(?:goes|went|go|going) "
    r"wrong|cyber-?attacks?|hack(?:ed|ing|s)?\b|compromised|phishing|by mistake|in error|"
    r"(?:urgent|serious|safety) (?:issues?|matters?|problems?|concerns?)|pile-?ons?|(?:been|is|"
    r"was|were|being) (?:harmed|hurt|injured|abused|threatened)|job cuts|layoffs|redundanc\w*|"
    r"(?:harm|damag|hurt|threaten)\w* (?:the |our )?(?:[\w']+ )?"
    r"(?:standing|reputation)|\brumou?rs?\b|\bcris[ie]s\b|emergenc\w*|"
    r"\bincidents?\b|outages?|data breach\w*|privacy breach\w*|(?:goes|went|going) viral|"
    r"blows? up|news coverage|media attention|attracting (?:\w+ ){0,2}attention|threats? "
    r"(?:against|to)|threatens? (?:harm|violence)|safety (?:incidents?|issues?|concerns?|"
    r"problems?)|(?:getting|gets|got) out of hand|(?:something|anything|posts?|content|"
    r"comments?|information) (?:\w+ )?(?:negative|incorrect|inaccurate|false|misleading|"
    r"damaging|concerning|critical|untrue)|criticism|critici[sz]e|criticis(?:es|ing)|"
    r"(?:receive|receiving|get|getting|subjected to) (?:online )?(?:abuse|threats|"
    r"harassment)|(?:needs?|requires?|may need|might need) (?:a |an )?(?:official )?"
    r"(?:response|reply)"
)
# Words a rule uses to show what it is narrowly about: their presence cures a broad ban.
EXAMPLES = (
    r"(?:such as|for example|for instance|e\.g\.|including|includes|include\b|examples?|like\b|"
    r"trade secrets?|unreleased|unannounced|financial (?:results|information|data)|customer "
    r"(?:data|lists|information)|pricing|roadmap|source code|earnings|merger|acquisition|patient|"
    r"client (?:data|information)|passwords|security procedures)"
)

# ---------------------------------------------------------------------------------------------
# The lexicon: per element, cue patterns with weights, and the headings that name the element.
# A cue is a pattern, or a tuple of patterns that must all occur in the sentence (in any order).
# Negative weights mark look-alikes ("this document is confidential"). "case" cues are matched
# against the original text, for acronyms that are ordinary words in lower case (SEC, FCA).
# ---------------------------------------------------------------------------------------------

Cues = dict[str | tuple[str, ...], float]

LEXICON: dict[str, dict[str, Any]] = {
    "E01": {  # scope & applicability
        "cues": {
            r"(?:policy|guidelines?|standard|procedure|rules|guidance|principles|code|protocol|"
            r"they|it) (?:reach(?:es)?|(?:is|are) relevant (?:both )?to|concerns?|holds?|hold "
            r"(?:good|true)) (?:whenever|wherever|every|all|any|both|to|for)\b": 2,
            r"(?:is|are) bound by (?:this|these|the|our) (?:policy|rules|guidelines|guidance|"
            r"standards?|principles|code)": 2,
            rf"{PEOPLE}\b[^.]{{0,80}}\b(?:must|should|are expected to|is expected to|are required "
            r"to|need to|shall) (?:also )?(?:follow|comply with|abide by|observe|adhere to|"
            r"respect) "
            r"(?:this|these|the|our) (?:social media )?(?:policy|guidance|guidelines|rules|"
            r"standard|principles|code)": 1.5,
            rf"(?:sets? out|lays? down|describes?) (?:the )?(?:standards?|rules|expectations|"
            r"guidance|requirements) (?:for|that apply to) (?:all |any |every )?(?:[\w,-]+ "
            rf"){{0,4}}"
            rf"{PEOPLE}": 2,
            r"(?:is|are) (?:written|intended|meant|designed|aimed) (?:for|at) (?:all |any |every "
            r")?"
            rf"(?:[\w,-]+ ){{0,3}}{PEOPLE}|(?:policy|guidance|guidelines|standard) (?:is|are) "
            rf"(?:only )?for (?:all |our )?(?:[\w,-]+ ){{0,3}}{PEOPLE}": 2,
            r"covered by (?:a |an |their own )?(?:separate|different|another|their own|its own) "
            r"(?:policy|protocol|code|guidance|guidelines|rules|standard)": 2,
            r"(?:policy|guidelines?|standard|procedure|rules|guidance|principles|code|directive|"
            r"protocol)(?: also)? (?:applies|apply|is applicable|are applicable|covers?|"
            r"extends? to|governs?)\b": 2,
            r"(?:policy|guidelines?|standard|rules|guidance|principles|code|they|it) (?:is|are) "
            r"(?:equally |also )?relevant (?:both )?to\b": 1.5,
            r"(?:they|these (?:guidelines|rules|principles)|it) (?:apply|applies) (?:whenever|"
            r"wherever|when|to)\b": 1.5,
            r"whether (?:you (?:are|post|write) )?(?:\w+ ){0,3}(?:during|in|at|on) (?:working|work|"
            r"business) (?:hours|time)\b[^.]{0,20}\bor (?:in |on |during )?(?:your|their) (?:own|"
            r"personal|free) time": 1.5,
            r"(?:this|these|our) (?:social media )?(?:policy|guidelines|standard|guidance)"
            r"(?: also)? (?:applies|apply|covers?|extends? to|governs?)\b": 0.5,
            r"(?:personal|private)\b[^.]{0,40}\b(?:as well as|and|or)\b[^.]{0,20}\b(?:official|"
            r"professional|business|corporate|company|work)\b": 1,
            r"(?:are|is|not) (?:not )?covered by (?:this|these|the) (?:policy|guidelines?|standard|"
            r"rules)|falls? (?:outside|within) (?:the )?scope": 2,
            rf"(?:applies|apply|applicable|is addressed|are addressed)(?: equally| only)? to "
            rf"(?:all |any |every |both |our )?(?:[\w,-]+ ){{0,4}}{PEOPLE}": 2,
            r"appl(?:ies|y) to (?:[\w,'-]+ ){0,7}(?:accounts?|channels?|platforms?|sites?|use of|"
            r"activity|content|posts?|communications?)": 1.5,
            r"(?:in conjunction with|alongside|supplements?|complements?|does not replace|"
            r"(?:should|must|is to) be read (?:together )?with|"
            r"in addition to)\b[^.]{0,90}\b(?:code of (?:business )?(?:conduct|ethics)|polic(?:y|"
            r"ies)|handbook|procedures?|standards?)": 2,
            r"(?:whether|both) (?:you are |you're )?(?:on|during|at) (?:or|and) (?:off|outside) "
            r"(?:duty|work|working hours)|on (?:or|and) off duty": 2,
            r"(?:personal|private) (?:and|or|as well as) (?:professional|official|business|work|"
            r"corporate|company) (?:use|accounts?|capacity|purposes|social media)": 1,
            r"(?:professional|official|business|work|corporate) (?:and|or) (?:personal|private) "
            r"(?:use|accounts?|capacity|purposes|social media)": 1,
            r"['\"]?social media['\"]? (?:includes?|means|refers to|is defined as|covers|"
            r"encompasses|describes)|(?:for the purposes? of|in) this (?:policy|standard|"
            r"guidance),? \"?social media|\"(?:workforce members?|employees?|staff|social media|"
            r"users?)\" (?:means|includes|refers to)": 2,
            r"(?:facebook|instagram|tiktok|linkedin|youtube|twitter|snapchat|reddit|pinterest|"
            r"whatsapp)\b[^.]{0,60}\b(?:facebook|instagram|tiktok|linkedin|youtube|twitter|"
            r"snapchat|reddit|pinterest|whatsapp|blogs?|forums?|wikis?)": 1,
            rf"(?:this|the) (?:policy|guidance|standard|guidelines?) (?:does not|doesn't|do not) "
            rf"(?:apply|cover|govern)|(?:does not|doesn't) govern {PEOPLE}": 2,
            r"(?:expected|required) to (?:follow|comply with|observe) (?:it|this policy)": 1.5,
            rf"(?:is|are) (?:intended|designed|meant|written) for (?:all |any |every |our )?"
            rf"(?:[\w,-]+ ){{0,3}}{PEOPLE}": 2,
            r"(?:policy|guidance|guidelines|standard|code|document) (?:is|are) (?:for|aimed at|"
            r"addressed to) (?:all |any |every |everyone|anyone|our )": 2,
            r"\bscope\b": 0.5,
            r"(?:full-time|part-time|temporary|seasonal|casual|permanent|"
            r"fixed-term)\b[^.]{0,60}\b(?:staff|employees|workers|contractors|interns|volunteers|"
            r"consultants|associates)|everyone (?:at|who works|working|employed)": 1,
            r"(?:are|is|remain|remains) subject to (?:all |any |the )?(?:related |other |"
            r"applicable |"
            r"relevant |existing |our )(?:[\w-]+ )?(?:polic(?:y|ies)|rules|codes?|procedures|"
            r"standards)": 2,
            r"(?:guidelines|policy|principles|rules|standard|guidance) (?:describe|set out|sets "
            r"out|"
            r"outline|explain|address|cover)s?\b[^.]{0,60}\b(?:participation|use of|activit\w*|"
            r"conduct|behaviou?r)": 1.5,
            r"(?:comes?|falls?) (?:under|within) (?:this|these|the) (?:policy|guidelines|rules|"
            r"standard)": 2,
            r"(?:manner|way) that identifies you (?:with|as)": 1.5,
            r"whether or not\b[^.]{0,60}\b(?:devices?|work(?:ing)? hours|working time|on duty|"
            r"at work)": 1.5,
            r"(?:this|these|the) (?:policy|guidelines|guidance|rules|standard|procedure) (?:is|"
            r"are) "
            r"(?:also )?(?:binding on|for everyone|for all)|(?:are|is) (?:also )?bound by (?:this|"
            r"these)": 2,
            r"(?:local law|local laws|local legislation)\b[^.]{0,40}\b(?:precedence|prevails?|"
            r"stricter)": 1.5,
            r"(?:both|either) (?:in )?(?:a )?(?:professional|official|work) (?:and|or) (?:in )?"
            r"(?:a )?(?:personal|private) capacity|in (?:a )?(?:personal|private) (?:and|or) "
            r"(?:a )?(?:professional|official|work) capacity": 2,
            r"\bdefinitions?\b|\bmeans\b[^.]{0,40}\b(?:website|platform|service|application|"
            r"use|account)": 1,
            rf"(?:policy|guidance|guidelines|standard) (?:provides?|gives?|offers?|sets out) "
            rf"(?:\w+ ){{0,3}}(?:guidance|direction|advice|rules|expectations)\b[^.]{{0,30}}\b"
            rf"(?:to|for) (?:all )?(?:[\w-]+ ){{0,2}}{PEOPLE}": 2,
            r"(?:standards? of business conduct|code of (?:business )?(?:conduct|ethics))": 1,
        },
        "heading": r"\bscope\b|who (?:this|the) (?:policy )?(?:applies|covers)|applicab|who is "
        r"(?:this|it) for|who (?:it|this) is for|who it's for|who should (?:read|follow)|"
        r"who must follow|who (?:does|is covered)|who does (?:this|it|the policy) (?:cover|"
        r"apply to)|what this policy covers|definitions?|coverage|"
        r"^applies to",
    },
    "E03": {  # training & education
        "cues": {
            r"training|e-?learning|certification|certified|webinars?|induction|onboarding|"
            r"tutorials?|primer|academy|bootcamp": 1,
            (
                r"(?:complete|completed|completing|completes|undergo|attend|take|pass|passed|"
                r"finish|receive|received|offers?|provides?|runs?)\b",
                r"training|(?<!of )course|module|certification|e-?learning|assessment|workshop|"
                r"induction|"
                r"primer|webinar",
            ): 1,
            r"social media (?:training|course|certification|academy|101|bootcamp|workshop|"
            r"e-?learning|primer)": 1,
            r"(?:must|will|should) be trained|(?:have been|be|are) (?:properly |appropriately |"
            r"specially )?trained\b": 1.5,
            r"educat(?:e|ion|ional)\b (?:programmes?|programs?|resources|sessions|materials|"
            r"courses?)": 1.5,
            r"(?:training|courses?|e-?learning|modules?|workshops?|webinars?|"
            r"guidance)\b[^.]{0,60}\b(?:is|are) (?:available|offered|provided|run)": 1,
            r"(?:register|sign up|enrol|enroll)\w* (?:for|in|on) (?:[\w-]+ ){0,4}(?:training|"
            r"course|programme|program|workshop|webinar|academy)": 1,
            r"training data|training (?:schedules?|records?) (?:are|is) confidential": -2,
            r"(?:mandatory|compulsory|annual|required|refresher|induction) (?:\w+ )?(?:training|"
            r"learning|course|modules?|sessions?)": 2,
            r"(?:(?<!of )courses?|workshops?|webinars?|sessions?|coaching|modules?|guidance "
            r"sessions)\b"
            r"[^.]{0,50}\b(?:social media|posting|online|safe|responsible|linkedin|digital|"
            r"professional presence|channels?)": 1.5,
            r"(?:take part in|attend|complete|undertake|join)\w* (?:the |an? |our )?(?:\w+ ){0,2}"
            r"(?:courses?|sessions?|workshops?|webinars?|modules?|programmes?|training)": 1.5,
            r"\btrained\b|\bcoaching\b": 1,
        },
        "heading": r"training|education|certification|learning|skills",
    },
    "E04": {  # work time & company resources
        "cues": {
            r"(?:during|on|after|before|outside) (?:your |their |a |the )?(?:shifts?|lunch "
            r"hours?|working day)\b": 1.5,
            r"(?:time (?:you are|you're|they are|employees are) paid (?:to work|for)|paid "
            r"(?:work(?:ing)?|"
            r"company) time|eat(?:s|ing)? into (?:your |their )?(?:work(?:ing)?|paid) (?:time|"
            r"hours|"
            r"day)|eat(?:s|ing)? into the time)": 2,
            rf"(?:office|company|work|corporate|firm|business|{ORG})(?:'s)? (?:network|wi-?fi|"
            r"internet|broadband|laptops?|phones?|devices?)\b[^.]{0,60}\b(?:social|stream\w*|"
            r"brows\w*|personal|networking)": 1.5,
            r"(?:distract|take|takes|taking) (?:you |them |staff |employees )?(?:away )?from "
            r"(?:your |their )?(?:work|job|duties|patient care|customers|the job|role)": 2,
            r"(?:phones?|devices?) (?:in|into) (?:their|your) lockers|work tool|guest wi-?fi": 1.5,
            r"(?:during|in|on|at) (?:your |their |normal |paid )?(?:work(?:ing)?|business|office|"
            r"company|paid|scheduled|contracted) (?:time|hours|day|shifts?)": 1.5,
            r"working time|work time|on the clock|company time|while (?:you are |they are )?"
            r"(?:on duty|at work|working|on shift|on the job|providing (?:patient )?care)": 1.5,
            rf"(?:company|work|employer|firm|bank|trust|council|university|corporate|office|our|"
            rf"business|school|hospital|{ORG})[- ](?:owned |issued |provided |supplied )?"
            rf"(?:equipment|devices?|computers?|phones?|laptops?|registers|tablets?|mobile "
            rf"phones?|hardware)": 1.5,
            # "our systems" is as often where data lives as what staff use: only its use counts
            rf"(?:use|using|used|access\w*|on|via|through)\b[^.]{{0,20}}\b(?:company|work|employer|"
            rf"firm|corporate|office|our|business|{ORG})[- ](?:owned |issued |provided )?"
            rf"(?:networks?|systems?|resources|technology|internet|wi-?fi)": 1.5,
            r"computers?,? (?:registers|networks?|devices|phones)|computers and networks": 1,
            (
                rf"(?:company|work|employer|firm|corporate|office|business|{ORG})[- ](?:owned |"
                r"issued |provided )?(?:equipment|devices?|computers?|phones?|laptops?|networks?|"
                r"systems?|internet|wi-?fi|tablets?)",
                r"social media|social networking|personal (?:use|social|accounts?|browsing|"
                r"purposes)",
            ): 0.5,
            r"personal (?:use|social media|activity|browsing|access)": 0.75,
            r"(?:interfere|interferes|interfering|conflict|get in the way|distract)\w* (?:with |"
            r"of )?(?:your |their |the |his |her )?(?:work|job|duties|responsibilities|"
            r"productivity|performance|patient care|serving customers|assigned work|role)": 2,
            r"(?:as long as|provided (?:that )?|so long as) (?:your |their )?(?:work|job|duties) "
            r"(?:gets? done|(?:is|are) (?:done|completed|not affected))": 2,
            r"\bbreaks?\b|meal periods?|lunch(?:time)?(?: breaks?)?": 0.75,
            (
                r"\bbreaks?\b|lunch|meal (?:periods?|breaks?)",
                r"social media|social networking|personal (?:use|purposes|browsing|activity|calls)",
            ): 1.25,
            r"acceptable use(?: of (?:technology|information technology|it|computers|the internet|"
            r"ict))?(?: policy)?": 1,
            r"part of (?:your|their|his|her|some) (?:job|role|duties|work|responsibilities|roles)|"
            r"(?:job|role)s? (?:that )?(?:involves?|includes?|requires?) (?:posting|"
            r"using social media|social media)": 1.5,
            r"(?:reasonable|limited|occasional|minimal|incidental|moderate) (?:personal )?(?:use|"
            r"access)": 1.5,
            r"unless (?:it is |it's )?(?:work[- ]related|for work|for business|required for "
            r"(?:your|their) (?:job|role))|unless your manager": 1.5,
            r"\bproductivity\b": 1,
            r"(?:work|your job|the job|duties|customers?) comes? first": 2,
            r"get in the way of\b[^.]{0,40}\b(?:job|work|duties|responsibilities)": 2,
            r"incidental to (?:your|their|the) (?:work|job|duties|role)": 2,
            r"electronic communications? (?:tools?|systems?|devices?|equipment)": 1.5,
            r"distract\w*\b[^.]{0,30}\b(?:duties|work|job|customers|patients|responsibilities)": 2,
            r"part of (?:the|your|their) (?:job|role|duties)": 1.5,
            r"(?:on|during) (?:your |their |a )?shifts?\b|on the shop floor|while (?:you are |they "
            r"are )?(?:providing|caring for|serving|driving|on the clock)": 1.5,
            r"business (?:purposes|use)\b": 0.75,
            r"(?:at work|in the workplace|on site|on (?:the )?premises)\b": 0.75,
            r"(?:work|job|duties) (?:should )?(?:always )?come(?:s)? (?:first|before)": 2,
            r"counts? as (?:working|work) time|working hours|work hours": 1,
            r"approved (?:company |work |business )?(?:tools|devices|systems|channels) (?:for|"
            r"only)|only (?:through|via|on|using) approved (?:company |work )?(?:tools|devices|"
            r"systems)": 1.5,
            r"limit (?:the )?(?:amount of )?time (?:spent|you spend)|time spent (?:on|using) "
            r"social": 2,
        },
        "heading": r"(?:work|working) (?:time|hours)|at work|company (?:equipment|resources|time)|"
        r"use of (?:company|work|council|firm)|time and resources|equipment|during work",
    },
    "E05": {  # employee advocacy & amplification
        "cues": {
            r"(?:brand |company |employee |social media |digital )?ambassadors?\b": 2,
            r"(?:employee|brand|social|social media|digital) advoca(?:cy|tes?)": 2,
            rf"advocates? for {ORG}|advocates? for (?:our )?products?": 2,
            r"(?:share|sharing|shares|repost|reposting|retweet|retweeting|re-?share|amplify|"
            r"amplifying|boost|spread|promote|promoting|highlight|celebrate|showcase|"
            r"like and share)\b[^.]{0,60}\b(?:(?:the )?(?:firm|bank|trust|council|university|"
            r"organi[sz]ation|group|charity|school|hospital|department|agency)(?:'s)?|our|company|"
            r"company's|official|approved|corporate|brand|pre-?approved|ready-made|"
            r"branded)\b[^.]{0,45}\b(?:content|posts?|news|stories|story|appeals?|fundrais\w*|"
            r"causes?|recruitment|updates?|campaigns?|launch(?:es)?|announcements?|job (?:openings|"
            r"postings|vacancies|ads)|open roles|vacancies|achievements?|messages?|blog|videos?|"
            r"events?|successes|products?|mission|accounts?)": 2,
            rf"(?:share|sharing|showcase|highlight|celebrate|tell) (?:the |our )?(?:work|story|"
            rf"stories|news|mission|successes|achievements|research) of {ORG}": 2,
            r"spread (?:the word|our (?:\w+ )?(?:appeals?|news|messages?|campaigns?|stories|"
            r"mission))|tell (?:our|company's|company) story|(?:help|share) (?:our|the company's) "
            r"(?:story|mission)": 2,
            r"(?:share|repost|retweet|like|amplify|boost|promote)\w*\b[^.]{0,60}\b(?:content|"
            r"posts?|news|stories|updates?|messages?|campaigns?|announcements?|events?|appeals?|"
            r"videos?) (?:from|by|on|of) @?(?:our|company'?s?|the company'?s?|the official|"
            r"official)": 2,
            r"campaign hashtags?|(?:official|branded|campaign|company) hashtags?": 1.5,
            r"(?:encourage|invite|want|would love|we'd love|love it when|happy|"
            r"glad)\b[^.]{0,50}\b(?:share|repost|retweet|promote|talk about|post about|like|follow|"
            r"amplify|boost|spread)": 1.5,
            r"(?:reviews?|ratings?|recommend\w*|endorse\w*|testimonials?)\b[^.]{0,40}\b(?:our|"
            r"company's?) (?:products?|services?|apps?|brand)|five-star reviews": 1,
            r"\b(?:good|great|positive) news\b|proud (?:of|to work)|you're proud|"
            r"you are proud": 0.5,
            r"\bhype\b|\bloud about\b": 1,
            r"hiring is everyone|share (?:our )?open roles|(?:job|role) (?:openings|postings)": 1,
            rf"{NEG}\b[^.]{{0,30}}\b(?:share|repost|promote)": -1,
            r"#(?:ad|employee|sponsored|paid)\b|disclos": -1,
            r"promot\w* (?:their|your|our) (?:own )?(?:published )?(?:work|stories|articles|"
            r"research|journalism|reporting)|share links to (?:our|your|their) (?:published )?"
            r"(?:work|stories|articles)": 2,
            r"celebrate and share|(?:let's|let us) (?:celebrate|share|tell)": 1.5,
            r"(?:violat|breach)\w*": -1.5,
            r"(?:share|post|comment)\w* (?:\w+ ){0,3}(?:on|in|to) (?:our|the company's|company) "
            r"(?:\w+ )?(?:blogs?|pages?|channels?|sites?|forums?|communit\w*)": -1.5,
            r"(?:ambassadors?|advocates?|champions?)\b": 1.5,
            r"(?:share|spread|tell|let people know|post)\w*\b[^.]{0,40}\b(?:what you enjoy|"
            r"great things|good news|proud|achievements?|successes|vacancies|job (?:ads|openings)|"
            r"careers page|launch(?:es)?|campaigns?)": 1.5,
            r"ready-?made (?:posts|content)|(?:share|post)\w* in one click|advocacy platform": 2,
            r"recommend\w* our (?:products?|services?)|discover what we do|help recruitment": 1.5,
            r"encouraged to (?:talk|post|write|speak) about (?:company|us|our (?:work|brand|"
            r"products?|news))": 2,
        },
        "heading": r"advoca|ambassador|sharing (?:our|company)|share our|spread the word|hype|"
        r"amplif|promot(?:e|ing) (?:our|the company)|our news|company news|recruiting",
    },
    "E06": {  # authorised spokespeople
        "cues": {
            rf"(?:give|giving|gives|state|stating|present|presenting|express|expressing) (?:the )?"
            rf"(?:{ORG}|company)'s (?:view|position|response|opinion|stance)|in the name of "
            rf"(?:the |our )?(?:{ORG}|company)|(?:present|presenting|pass|passing) (?:yourself|"
            r"themselves|yourselves) (?:off )?as (?:speaking for|representing|a spokes)": 2,
            r"(?:comment|post|speak|write|respond|reply)\w* as (?:a |an )?(?:representative|"
            r"spokes\w*|agent|official|voice) (?:of|for)": 2,
            r"(?:speak|statement|comment|post|respond|communicat|talk|writ|publish|express|voice|"
            r"represent|answer)\w*\b[^.]{0,40}\bon behalf of": 2,
            rf"speak(?:s|ing)? (?:officially |publicly )?for {ORG}|speak(?:s|ing)? for us\b": 2,
            r"spokes(?:person|people|persons|man|men|woman|women)": 2,
            r"(?:authori[sz]ed|designated|approved|official|appointed|accredited|nominated) "
            r"(?:company |corporate |media )?(?:representatives?|spokes\w+|voices?)": 2,
            r"(?:media|press|news|journalists?'?|reporters?'?)\s+(?:enquir\w*|inquir\w*|requests?|"
            r"queries|calls?|contacts?|interviews?|questions)": 2,
            r"(?:requests?|enquir\w*|inquir\w*|questions|queries|calls|messages) from (?:the )?"
            r"(?:media|press|journalists?|reporters?|news organi[sz]ations|bloggers)": 2,
            r"(?:journalists?|reporters?|the media|the press|a member of the press|bloggers?|"
            r"podcast\w*(?: hosts?)?)\b[^.]{0,40}\b(?:contacts?|contacted|reaches out|reach out|"
            r"approach\w*|asks? you|gets? in touch|got in touch|getting in touch)": 2,
            r"contacted by (?:the )?(?:media|press|a journalist|a reporter|journalists|reporters)|"
            r"(?:speak|talk|contact)(?:ing)? (?:to |with )?(?:the )?(?:media|press|journalists|"
            r"reporters)": 1.5,
            r"(?:posts?|content|comments?|tweets?)\b[^.]{0,80}\b(?:(?:must|need to|needs to|should|"
            r"shall|has to|have to) be (?:pre-?)?(?:approved|reviewed|cleared|signed off|vetted)|"
            r"(?:require|requires|need|needs) (?:prior |advance |written )?(?:approval|sign-?off|"
            r"clearance|authori[sz]ation))": 0.5,
            (
                r"(?:refer|direct|forward|pass|send|route|redirect)\w*",
                r"press office|media relations|public affairs|corporate affairs|communications "
                r"(?:team|office|department)|press@|media@|news office",
            ): 1,
            r"official (?:company |corporate )?(?:statements?|positions?|responses?|comments?|"
            r"views?)": 1,
            r"(?:purport|claim|pretend|appear|imply|suggest|give the impression|"
            r"create the impression)\w*\b[^.]{0,40}\b(?:speak|represent|on behalf|official|"
            r"authori[sz]ed)": 1.5,
            r"speak(?:ing)? for (?:yourself|themselves|myself)": -2,
            r"(?:as if|as though|appear to be|pretend to be|give the impression (?:that )?) ?(?:you"
            r"(?:'re| are| were) )?(?:speaking for|representing|an? (?:official )?"
            r"(?:representative|spokes\w+))": 2,
            r"only (?:[\w,]+ ){0,4}(?:authori[sz]ed|designated|approved|nominated|accredited|"
            r"appointed)\b[^.]{0,40}\b(?:may|can|should|are (?:allowed|"
            r"permitted) to)\b[^.]{0,30}\b(?:speak|post|comment|respond|make|issue|publish|release|"
            r"represent)": 1.5,
            r"(?:comment|speak|post|act|engag|participat|writ|respond|appear)\w* as (?:a|an|the) "
            r"(?:official )?(?:representative|spokes\w+|voice|ambassador) of": 2,
            (
                r"(?:unless|until|before|without being|if you are not|if you have not been) "
                r"(?:you are |you have been |they are |they have been |you |they )?(?:\w+ )?"
                r"(?:authori[sz]ed|designated|approved|appointed|permitted|become authori[sz]ed)",
                r"comment|speak|post|respond|represent|statements?|on behalf",
            ): 1.5,
            r"designated (?:editors|presenters|staff|employees|people|individuals|persons|"
            r"colleagues|officers|members of staff|accounts)": 1.5,
            r"(?:present|hold|represent)\w* (?:yourself|themselves|himself|herself) (?:out )?as "
            r"(?:representing|speaking|a representative|an official)": 2,
            r"(?:on (?:the )?(?:company'?s?|\w+'s) behalf|official (?:responses?|comments?|"
            r"replies))": 1.5,
            r"(?:comment|speak|post|respond)\w* (?:publicly )?for (?:the )?(?:company|"
            r"organi[sz]ation|"
            r"firm|council|university|trust|group|bank|department|agency)": 2,
            r"(?:interviews?|comments?) from (?:the )?(?:press|media|journalists|reporters)": 2,
            r"not (?:authori[sz]ed|allowed|permitted) to (?:comment|speak|respond)|company'?s "
            r"position": 1.5,
            rf"(?:made|given|issued|published) on behalf of (?:the |their |our |its )?(?:{ORG}|"
            rf"government)": 1.5,
            rf"(?:comment|speak|post|act|engag|participat|writ|respond|appear)\w* as (?:the |our "
            rf"|a |"
            rf"an )?(?:{ORG}|[a-z]+'s) (?:official )?(?:representative|spokes\w+|voice)": 2,
        },
        "heading": r"spokes|speak(?:ing)? (?:for|on behalf)|media (?:enquir|inquir|relations|"
        r"contact|requests)|\bpress\b|official (?:comment|statements?)|who (?:can|may) speak|"
        r"the media|journalists|reporters",
    },
    "E07": {  # personal voice & disclaimer
        "cues": {
            r"(?:views|opinions|thoughts|posts|comments|tweets)\b[^.]{0,25}\b(?:are|is|as) "
            r"(?:solely |entirely |purely |strictly )?(?:my|your|their|his|her) own": 2,
            r"(?:views|opinions|thoughts)(?: are)? (?:my|your|their) own|(?:my|your|their) own "
            r"(?:views|opinions|thoughts)|(?:views|opinions|thoughts)\b[^.]{0,25}\b(?:are|is) "
            r"(?:yours|mine|theirs)\b": 2,
            r"disclaimers?\b": 2,
            r"(?:do(?:es)? not|don't|doesn't) (?:necessarily )?(?:reflect|"
            r"represent)\b[^.]{0,50}\b(?:views?|opinions?|positions?|those)": 2,
            rf"not (?:those|the (?:views|opinions|positions?)) of {ORG}": 2,
            r"(?:speak|speaking|write|writing|post|posting|talk|talking)(?: only)? for (?:yourself|"
            r"themselves|myself|himself|herself)": 2,
            r"first[- ]person": 2,
            r"(?:your|their|my) own voice|write in your own voice": 2,
            r"(?:in|with|under) (?:your|their|my) own (?:name|words)": 1.5,
            r"(?:personal|private|individual) capacity": 0.5,
            r"(?:speak|post|write|act)\w* as (?:an |a private )?individuals?\b": 1.5,
            (
                r"make (?:it )?clear|making (?:it )?clear|clarify|be clear|state|indicate",
                r"personal capacity|(?:for|as) (?:yourself|an individual)|your own|not (?:those|"
                r"on behalf|the views?) of",
            ): 1,
            r"(?:your|their|my) (?:own )?personal (?:views|opinions)|personal (?:views|"
            r"opinions)": 1,
            r"your posts are yours": 1,
            r"(?:are|is) my (?:own |personal )?(?:opinions?|views?|thoughts)|my personal "
            r"(?:opinions?|views?)": 2,
            r"(?:expressing|express|state|stating|giving|represent\w*) (?:the )?(?:firm|company|"
            r"organi[sz]ation|employer|council|university)'?s? (?:position|view|opinion)s?": 2,
            r"(?:speak|post|comment|write)\w* as (?:an |a private )?individual|commenting "
            r"personally|(?:speaking|posting) personally": 2,
            r"use \"?we\"? when you mean yourself": 2,
            r"(?:personal|own) (?:views?|opinions?)\b[^.]{0,40}\b(?:made clear|make (?:it |this )?"
            r"clear|clear that)|(?:expressing|express) a personal view": 2,
        },
        "heading": r"disclaimer|speak(?:ing)? for yourself|personal voice|your own voice|"
        r"be yourself|first person|personal views|you are you|who is talking",
    },
    "E08": {  # confidential & proprietary information
        "cues": {
            r"(?:share|post|disclose|reveal|mention|discuss|say)\w* (?:nothing|"
            r"anything)\b[^.]{0,40}"
            r"\b(?:has not|hasn't|have not|haven't|is not|isn't) (?:yet )?(?:been )?(?:announced|"
            r"released|published|made public|public)": 2,
            r"(?:stick to|limit yourself to|keep to) (?:\w+ ){0,3}(?:that (?:has|have) (?:already "
            r")?"
            r"been|already) (?:published|announced|made public|released)|stays? (?:inside|within) "
            r"(?:the )?(?:company|firm|organi[sz]ation|business)": 1.5,
            (
                DISCLOSE,
                rf"{CONF}(?: (?:or|and|and/or) {CONF})?(?: \w+)?(?: \w+)? {INFO}|{INFO} (?:that|"
                rf"which) (?:is|are) (?:\w+ )?{CONF}|secrets\b",
            ): 2,
            rf"{CONF}(?: (?:or|and|and/or) {CONF})?(?: business| company| corporate| financial|"
            rf" commercial| client| customer)? {INFO}": 1.5,
            r"trade secrets?": 2,
            r"(?:are|is) not (?:yet )?public|not yet public|until (?:we|they|it|the company) "
            r"(?:publish|announce|release|launch)\w*": 1.5,
            r"(?:unreleased|unannounced|unpublished|undisclosed|pre-?release|(?:not|haven't|"
            r"hasn't) (?:yet )?(?:been )?(?:announced|released|published|launched|"
            r"public))\b[^.]{0,40}\b(?:products?|features?|results|earnings|financials?|figures|"
            r"launch(?:es)?|plans?|deals?|transactions?|acquisitions?|mergers?|reports?|campaigns?|"
            r"prices?|pricing|roadmap|projects?|announcements?|information|screens?|games?|titles?|"
            r"builds?|versions?|releases?|designs?|prototypes?|apps?|devices?|models?|services?|"
            r"programm?es?|initiatives?|partnerships?|contracts?|news|dates?|details|data|work|"
            r"research|findings|content|materials?)": 2,
            r"(?:upcoming|forthcoming|pending|future)\b[^.]{0,30}\b(?:products?|results|earnings|"
            r"financials?|launch(?:es)?|deals?|transactions?|acquisitions?|mergers?|announcements?|"
            r"releases?|pricing|price changes|roadmap|reorgani[sz]ations?|layoffs)": 2,
            r"(?:products?|features?|screens?|plans?) (?:that )?(?:haven't|have not|hasn't|"
            r"has not) (?:yet )?(?:been )?(?:launched|announced|released)": 2,
            r"(?:material,? )?non-?public information|inside(?:r)? information|\bmnpi\b": 2,
            r"financial (?:results|information|performance|data|projections|forecasts)|"
            r"\bearnings\b|revenue (?:numbers|figures)|sales (?:figures|data|results)|roadmap|"
            r"fundrais\w*|pricing strategy|business plans?|trading positions|contract (?:terms|"
            r"tenders|negotiations)|legal advice|security procedures|deal sizes": 0.75,
            r"confidentiality (?:agreements?|obligations?|undertakings?|duties)": 1.5,
            r"(?:keep|kept|treat|treated|protect|protecting|safeguard)\w* (?:[\w']+ ){0,3}"
            r"(?:confidential|secret|proprietary)": 1,
            r"(?:already )?been (?:announced|made public|publicly (?:announced|released|"
            r"disclosed))|announced publicly|(?:already|officially) (?:public|announced)|"
            r"public yet": 1,
            r"(?:before|until) (?:they are|it is|it has been|they have been|being) (?:officially )?"
            r"(?:published|announced|made public|released|launched)": 1,
            r"(?:this|the) (?:document|policy|guide|guidance|standard|email|message|page|handbook|"
            r"manual|presentation|form) (?:is|are|remains?) (?:strictly |also |not )?"
            r"(?:confidential|internal|proprietary)": -3,
            r"(?:handled|treated|kept|dealt with|reported|investigated|held|made) (?:in "
            r"(?:strict )?confidence|confidentially)|confidential (?:hotline|helpline|reporting|"
            r"line|advice|counsell?ing|support)|for internal use only": -2,
            r"only (?:share|post|discuss|use|disclose|publish|talk about|refer to)\w* (?:\w+ ){0,3}"
            r"(?:publicly available|publicly released|public|published|already public) "
            r"(?:information|data|content|materials?|facts|news)": 2,
            r"unauthori[sz]ed (?:disclosures?|release|sharing)|disclos\w* without "
            r"(?:prior )?(?:authori[sz]ation|approval|permission)": 2,
            r"(?:information|news|content|data) (?:that is|which is|that's) not (?:proprietary|"
            r"confidential|secret|sensitive)": 2,
            r"competitors?'? (?:\w+ )?(?:proprietary|confidential|secret)": -2,
            r"(?:financial results|forecasts|results|plans|launch(?:es)?|prices|designs|figures|"
            r"deals?|news)\b[^.]{0,40}\b(?:before|until) (?:they|it|these|we) (?:are|is|have|has)"
            r"(?: been)? (?:announced|published|public|released|made public)|(?:before|until) "
            r"(?:they|it) (?:are|is) public": 2,
            r"(?:already|been) (?:been )?made public|(?:has|have) not (?:yet )?(?:been )?published|"
            r"(?:that|which) we have not (?:yet )?(?:published|announced|released)": 2,
            r"(?:duty|obligation)s? of confidentiality|confidentiality (?:agreement|clause|"
            r"undertaking)s?|\bconfidential\b": 1.5,
            r"marked (?:internal|confidential|restricted)|stay (?:inside|within) the (?:company|"
            r"organi[sz]ation|firm)": 2,
            r"(?:tenders?|contracts?|negotiations?|bids?)\b[^.]{0,30}\b(?:details|terms)|details "
            r"of "
            r"(?:tenders?|contracts?|negotiations?|deals?)": 1.5,
            r"speculat\w*\b[^.]{0,40}\b(?:share price|results|earnings|stock|takeover|merger)": 2,
            r"\bkeep\b[^.]{0,40}\b(?:secret|under wraps|confidential)": 1.5,
            r"official information|without (?:proper )?authority": 1.5,
            r"confidentiality (?:requirements?|rules)": 1.5,
            r"\bscoop\w*|(?:broken|break|breaking) (?:first )?(?:via|on|through) (?:the )?(?:wire|"
            r"our)|break news": 1.5,
            r"only (?:share|post|discuss|use|disclose|publish|talk "
            r"about)\w*\b[^.]{0,50}\b(?:publicly "
            r"available|already public|in the public domain|been made public)": 2,
        },
        "heading": r"confidential|proprietary|secret|non-?public|not (?:yet )?public|roadmap|"
        r"inside information|sensitive information",
    },
    "E09": {  # legal & regulatory compliance
        "cues": {
            r"(?:securities|insider (?:trading|dealing)|market abuse|antitrust|competition|"
            r"consumer protection|data protection|privacy|employment|defamation|libel|copyright|"
            r"health(?:care)?|advertising|anti-?bribery|anti-?corruption|election|electoral|"
            r"equality|human rights|export control|financial services|banking|federal|trademark)"
            r"\s+(?:laws?|legislation|regulations?|"
            r"statutes?|acts?)\b": 2,
            r"federal trade commission|endorsement guides?|"
            r"guides concerning the use of endorsements": 2,
            r"data protection|general data protection regulation|freedom of information|"
            r"public records act|official secrets|health insurance portability|"
            r"sarbanes|dodd-?frank|regulation fd|reg fd|rule 17a-4|17a-4|rule \d{4}\b|"
            r"fair disclosure|financial promotions?|consumer duty|market abuse|misleading "
            r"advertising|substantiat\w*|truth in advertising|lanham act|dmca|"
            r"digital millennium|housing act|labou?r code": 2,
            r"(?:insurance|banking|securities|financial|health(?:care)?|privacy|advertising|"
            r"consumer|employment|data|state|federal|industry|regulatory|marketing|tax|"
            r"environmental|professional) (?:regulations?|rules|laws?|statutes?|"
            r"codes? of practice)": 2,
            r"\b(?:laws?|legislation|regulations?|statutes?)\b": 0.75,
            r"subject to (?:[\w-]+ ){0,4}(?:laws?|regulations?|legislation|regulatory)": 1,
            r"(?:legal|regulatory) (?:requirements?|obligations?|action|liability|risks?|"
            r"proceedings|matters|claims?|consequences|penalties|sanctions|implications|duties|"
            r"responsibilities)": 1.5,
            r"\bliable\b|\bliability\b|lawsuits?|litigation|\bsued\b|legal proceedings|\bfines?\b|"
            r"penalt(?:y|ies)|prosecut\w*|criminal (?:offen[cs]es?|charges)": 1,
            # "comply with applicable laws" names no law: it supports, it does not find
            r"(?:comply|complies|complying|compliance|compliant|accordance) with (?:all |any |"
            r"the )?(?:applicable |relevant |local |federal |state )?(?:laws?|regulations?|"
            r"legislation|legal requirements)": 1,
            r"rules of (?:the )?(?:platform|site|network)": 2,
            r"terms of (?:service|use)|user agreements?|platform(?:'s|s')? (?:rules|terms|"
            r"policies)|(?:site|platform|network)(?:'s)? (?:terms|rules)": 2,
            r"regulators?\b|regulatory (?:bodies|authorities|agencies)|supervisory authorit\w+|"
            r"law enforcement": 1.5,
            r"(?:investment|financial|legal|medical|tax) advice": 1.5,
            r"\billegal\b|\bunlawful\b|against the law|break(?:s|ing)? (?:the )?law|(?:violat|"
            r"breach)\w* (?:of )?(?:the )?law": 0.75,
            r"testimonials?|performance claims|forward-looking statements?|pay-to-play|"
            r"political contributions? (?:policy|rules)|insider (?:trading|dealing)|"
            r"\btipping\b": 1.5,
            r"(?:as|where) required by law|required by law": 1.5,
            r"national labou?r relations act|section 7 of|\bnlra\b|concerted activit": -1.5,
        },
        "case": {
            r"\b(?:SEC|FINRA|FCA|PRA|FTC|NLRB|HIPAA|HIPPA|HITECH|GDPR|CCPA|CPRA|FERPA|COPPA|ASA|"
            r"MiFID|"
            r"FDA|CFTC|FDIC|CFPB|ICO|CQC|GMC|NMC|SRA|EEOC|OSHA|CASL|PIPEDA|LGPD)\b": 2,
            r"\b[A-Z][a-z]+ Act(?: of)? (?:19|20)\d\d\b": 2,
            r"\b[A-Z][a-z]+ Act\b": 1,
            r"(?:into|in|cause|create) legal (?:trouble|jeopardy|difficulties)|legal "
            r"(?:issues|trouble|exposure)": 1.5,
            r"(?:policies|terms|rules|conditions|guidelines) of (?:the |each |every |any |all )?"
            r"(?:social )?(?:networks?|platforms?|sites?|services?|communit(?:y|ies))|(?:each|"
            r"every) "
            r"(?:platform|network|site)'?s? (?:own )?(?:policies|terms|rules)": 2,
            r"civil service code|code of conduct for (?:civil|public) servants|misleading "
            r"claims": 1,
            r"(?:personally |legally )?liable\b|legal advice|medical advice|investment advice": 1.5,
            r"insider (?:trading|dealing) (?:rules|laws?)|contempt of court|sub judice|court "
            r"(?:cases?|proceedings|orders?)|pending litigation|prejudice the case": 2,
            r"(?:civil|criminal) (?:and (?:civil|criminal) )?(?:liability|penalties|charges)": 2,
            r"legal restrictions": 1.5,
            r"(?:applicable|relevant|local|international|national|state) (?:laws?|legislation|"
            r"regulations?)": 1,
        },
        "heading": r"legal|\blaws?\b|regulat|compliance|securities|financial promotion|hipaa|gdpr|"
        r"data protection",
    },
    "E10": {  # copyright, trademarks & attribution
        "cues": {
            r"(?:images?|photos?|photographs?|graphics?|music|videos?|artwork|pictures?|logos?|"
            r"content|materials?|footage)\b[^.]{0,50}\b(?:belong(?:s|ing)? to|owned by|created by|"
            r"made by) (?:someone else|others|other people|third parties|another (?:person|"
            r"company|organi[sz]ation))|(?:you do not|you don't|you did not|you didn't|that "
            r"(?:is|are)n't|that (?:is|are) not|which (?:is|are) not) (?:own|owned|your own|"
            r"create|created)\b": 2,
            r"copyright\w*": 2,
            r"trademarks?|trade marks?|service marks?": 1.5,
            r"intellectual property|\bip rights\b": 1.5,
            r"fair (?:use|dealing)": 2,
            r"plagiari[sz]\w*": 2,
            r"(?:credit|cite|attribute|acknowledge)\w* (?:the |your |their |its |original )?"
            r"(?:creators?|authors?|sources?|owners?|original|photographers?|artists?|work)|"
            r"(?:give|giving|provide|providing) (?:proper |appropriate )?(?:credit|attribution)|"
            r"\battribution\b|link (?:back )?to (?:the )?(?:original|source)": 2,
            r"(?:have|has|hold|obtain|get|secure)\w* (?:the )?rights? to (?:use|share|post)|"
            r"permission to use|licen[cs]ed?\b|licen[cs]es|royalt\w*|creative commons|"
            r"public domain|stock (?:images|photos)": 1.5,
            (
                r"(?:obtain|get|seek|secure|ask for)\w* (?:\w+ ){0,2}(?:permission|consent|rights?|"
                r"licen[cs]es?)",
                r"(?:photos?|images?|videos?|video|music|content|material|work|logos?|graphics?|"
                r"artwork|writing|articles?)\b[^.]{0,30}\b(?:created|owned|produced|belonging|"
                r"by others|of others|from others|third[- ]part)",
            ): 2,
            r"(?:someone else'?s|other people'?s|others'|third[- ]party|another person'?s) "
            r"(?:\w+ ){0,2}(?:content|work|material|photos?|images?|music|videos?|writing|"
            r"intellectual property|trademarks?|logos?|brands?)": 1.5,
            r"rights? of publicity|publicity rights|image rights": 2,
            (
                r"respect\w*|infring\w*|violat\w*|breach\w*|honou?r\w*|misus\w*",
                r"intellectual property|copyright\w*|trademarks?|trade marks?",
            ): 1,
            (
                r"rights? to (?:use|share|post)|permission to (?:use|share|post)|licen[cs]",
                r"music|songs?|videos?|images?|photos?|pictures?|gifs|footage|fonts?|artwork|"
                r"content|material|clips?",
            ): 1,
            r"(?:isn't|is not|aren't|are not|not) (?:your|their) own (?:intellectual property|"
            r"intellectual prop\w*|work|content|creations?|photos?|images?|material)": 2,
            r"(?:our|(?:the )?company'?s?) (?:own )?(?:trademark\w*|copyright\w*|logos?|"
            r"intellectual "
            r"property|"
            r"brand (?:assets|names?))": -1.5,
            r"(?:photos?|music|videos?|images?|content|material|work)\b[^.]{0,20}\b(?:made|created|"
            r"taken|produced|written|owned) by (?:someone else|others|other people|another person|"
            r"third parties)": 2,
            r"(?:other companies'?|other organi[sz]ations'?|third[- ]party|competitors'?) (?:\w+ )?"
            r"(?:logos?|trademarks?|brands?)": 2,
            r"(?:no|without a|have no) licen[cs]e|did not create it|didn't create it": 1.5,
            r"how (?:their|his|her) (?:image|likeness|name) is used": 2,
            r"another (?:organi[sz]ation|company|brand|business|person)'?s? (?:\w+ )?(?:logos?|"
            r"trademarks?|content|work|photos?|images?|brand)": 1.5,
        },
        "heading": r"copyright|intellectual property|trademark|attribution|other people'?s work|"
        r"others'? (?:work|content|stuff)|fair use",
    },
    "E11": {  # privacy of others & professional boundaries
        "cues": {
            rf"(?:personal|private|identifying|identifiable|contact|health|medical|payment|"
            rf"sensitive personal|confidential) (?:information|data|"
            rf"details)\b[^.]{{0,40}}\b(?:about |of |on )?{OTHERS}": 2,
            rf"{OTHERS}'?s?\b[^.]{{0,30}}\b(?:personal|private|identifying|identifiable|contact|"
            rf"health|medical) (?:information|data|details)": 2,
            r"(?:customer|client|patient|student|pupil|resident|consumer|member|service user|guest)"
            r"(?:s|'s|s')? (?:names?|addresses?|phone numbers?|details|records|information|data|"
            r"privacy|confidentiality|identit\w+|images?|photos?|stories|cases?)": 1.5,
            (
                r"(?:patient|client|customer|student|member|resident|personal|health|medical)(?:s'|"
                r"'s|s)? (?:information|data|details|records)",
                r"protect\w*|confidential\w*|privacy|private|secure|safeguard\w*|must not|never|"
                r"do not|don't",
            ): 1,
            r"(?:could|can|might|may|would) (?:be used to )?identify (?:them|him|her|a person|"
            r"someone|an individual|individuals|people)": 1,
            rf"identit(?:y|ies) of (?:a |an |the |any )?(?:{OTHERS}|anyone|someone)": 1.5,
            r"(?:reveal|disclose|expose|share|show)\w*\b[^.]{0,40}\bidentit(?:y|ies)\b": 1,
            (
                rf"(?:data|information|details|records) (?:about|on|of|concerning) (?:our |your |"
                rf"their )?{OTHERS}",
                r"never|do not|don't|must not|may not|should not|not (?:be )?(?:published|posted|"
                r"shared|disclosed)|protect\w*|privacy|confidential\w*",
            ): 2,
            r"protected health information|\bphi\b|personally identifiable information|\bpii\b|"
            r"personal data|education records|health records|medical records": 2,
            rf"(?:photos?|photographs?|pictures?|images?|videos?|recordings?|footage|"
            rf"selfies)\b[^.]{{0,40}}\b(?:of )?(?:{OTHERS}|anyone|someone|patient care areas|"
            rf"classrooms?|residence halls|wards?)": 1.25,
            (
                rf"(?:photos?|photographs?|pictures?|images?|videos?|recordings?|footage|"
                rf"selfies)\b[^.]{{0,40}}\b(?:of )?(?:{OTHERS}|anyone|someone)",
                r"without|consent|permission|never|do not|don't|must not|may not|should not|avoid",
            ): 1,
            r"(?:without|with) (?:their |his or her |the person'?s |the individual'?s |"
            r"the patient'?s |the client'?s |the customer'?s |the subject'?s |a parent'?s |"
            r"the parent'?s )(?:written |explicit |prior |express )?(?:consent|permission|"
            r"agreement|authori[sz]ation)|\bconsent\b|(?:obtain|get|seek|secure|ask for)\w* "
            r"(?:\w+ ){0,2}consent|(?:consent|permission) (?:of|from) (?:the )?(?:person|"
            r"individual|people|patient|customer|client|student|parent|subject)s?": 1,
            r"(?:(?:friend|befriend|connect|follow|contact|messag|accept|initiat)\w*|add|adds|"
            r"adding|added)\b[^.]{0,40}\b(?:patients?|clients?|students?|pupils?|service users?|"
            r"minors|children|vulnerable|parents|families|family members)": 1.5,
            r"(?:friend|connection) requests?|social media connections": 1,
            r"(?:recommendations?|references?|endorsements?) (?:for|of|about) "
            r"(?:current or former )?(?:colleagues|co-?workers|employees|subordinates|suppliers|"
            r"vendors|contractors)": 2,
            rf"(?:respect|protect)\w* (?:the |their |others' )?privacy|privacy of (?:others|our|"
            rf"your|their|{OTHERS})|professional boundaries": 2,
            r"(?:do not|don't|never|must not|should not|may not)\s+(?:\w+ ){0,2}(?:name|identify|"
            r"refer to|mention|cite|tag|discuss|post about)\s+(?:a |an |any |individual |specific |"
            r"current )?(?:clients?|customers?|patients?|students?|service users?|partners?|"
            r"suppliers?|vendors?|residents?)": 2,
            r"(?:information|details) about individual (?:cases|patients|clients|residents|"
            r"customers)|individual cases": 1.5,
            r"(?:can|could|might|may) (?:be used to )?(?:identify|be identified)\b[^.]{0,20}"
            r"(?:patient|client|customer|student|person|individual)|(?:patient|client|"
            r"customer) could be identified": 1.5,
            r"(?:others'?|other users'?|other people'?s?|someone else'?s|another person'?s|"
            r"people'?s) (?:\w+ )?privacy|invad\w* (?:\w+ ){0,3}privacy": 2,
            (
                r"subordinates|direct reports|(?:people|staff|employees) who report to you|"
                r"(?:people|staff|those) you (?:manage|supervise)",
                r"interact\w*|connect\w*|friend\w*|follow\w*|relationships?|caution|careful",
            ): 2,
            r"(?:posts?|comments?|content|messages?|replies) (?:that |which )?(?:contains?|"
            r"includes?|reveals?|shares?|discloses?) (?:\w+ )?(?:personal|private) (?:information|"
            r"data|details)": 2,
            rf"(?:identify|identifies|identifying|recogni[sz]e)\w* (?:a |an |the |any )?"
            rf"(?:patients?|clients?|customers?|pupils?|students?|service users?|{OTHERS})": 2,
            r"(?:connect|connecting|friend|follow)\w* with (?:clients|customers|patients|suppliers|"
            r"students|pupils|parents)|(?:send|accept)\w* friend requests? (?:to|from)": 2,
            r"(?:tag|tagging|name|naming|mention|mentioning)\w* (?:colleagues|co-?workers|"
            r"customers|"
            r"clients|patients|pupils|people)\b[^.]{0,40}\b(?:without|ask|consent|permission)": 2,
            r"individual cases|people who report to (?:you|them)": 1.5,
            r"\bhip(?:aa|pa)\b|patient privacy": 1.5,
        },
        "heading": r"privacy|client confidentiality|patient confidentiality|photos of (?:people|"
        r"others)|professional boundaries|relationships with (?:patients|students|clients)|"
        r"students and minors",
    },
    "E12": {  # respect, civility & non-harassment
        "cues": {
            r"harass\w*|bully\w*|cyber-?bully\w*|discriminat\w*|hate speech|hateful|\bslurs?\b|"
            r"racist|sexist|homophobic|transphobic|xenophob\w*|intimidat\w*|victimi[sz]\w*|"
            r"stalk\w*": 2,
            r"threat(?:s|en|ens|ening|ened)?\b(?! (?:or (?:actual|pending) )?(?:litigation|legal|"
            r"lawsuits?|claims?|proceedings|action))": 1.5,
            r"obscen\w*|profan\w*|vulgar|pornograph\w*|sexually explicit|lewd|abusive|offensive|"
            r"derogatory|demeaning|defamatory|defame|libel\w*|malicious|inflammatory|\bhostile\b|"
            r"insult\w*|personal attacks?|name-?calling|pile-?ons?|trolling|flame wars?|pick"
            r"(?:ing)? fights?|disparag\w*|belittl\w*|\bhate\b": 1.5,
            r"treat\w* (?:[\w,]+ ){0,6}with (?:dignity and )?respect|(?:be|are|remain) respectful|"
            r"show respect|respect (?:for )?(?:others|each other|one another|everyone|colleagues|"
            r"the opinions)": 2,
            r"respectful(?:ly)?|courteous|courtesy|\bcivility\b|\bcivil\b(?! (?:service|servants?|"
            r"society|law|rights|liberties|partnerships?|engineering|war|courts?|claims?|"
            r"proceedings|liability|penalt\w*|defen[cs]e|emergenc\w*|protection|contingenc\w*))|"
            r"polite(?:ly|ness)?|"
            r"considerate|\bbe (?:kind|nice|decent)\b|kindness|dignity|disagree (?:respectfully|"
            r"politely)": 1,
            r"professional(?:ly|ism)?\b": 0.5,
            r"protected characteristics?|\brace\b|religion|gender|sexual orientation|disabilit\w*|"
            r"ethnicity|national origin": 0.5,
            r"\bviolen(?:ce|t)\b": 1,
            rf"damag\w* (?:the |our )?(?:{ORG} )?reputation(?! (?:as an? (?:\w+ )?|for )"
            r"(?:neutral\w*|impartial\w*|objectiv\w*|independen\w*|fairness|accura\w*|balance|"
            r"unbiased))|embarrass\w*|detrimental": 1,
            r"(?:tarnish|sull(?:y|ies|ied|ying)|besmirch|discredit|undercut)\w* (?:[\w']+ ){0,3}"
            r"(?:reputation|image|good name|standing)|reflect\w* (?:poorly|badly|negatively|"
            r"unfavou?rably) (?:on|upon)|in a (?:negative|bad|poor|unfavou?rable) light": 1,
            rf"(?:run|runs|running|put|puts|putting|talk|talking) down (?:{ORG}|(?:your |our |"
            r"the )?(?:colleagues|co-?workers|coworkers|managers?|employer|leadership))": 1.5,
            r"slander\w*": 1.5,
            r"(?:bring|brings|bringing) (?:\w+ ){0,4}into disrepute": 0.75,
            r"undermin\w* (?:[\w']+ ){0,3}(?:goodwill|reputation|good name|standing)|(?:damag|harm|"
            r"hurt|tarnish|injur)\w* (?:\w+ ){0,3}goodwill": 1.5,
            r"(?:don'?t|do not|never) be (?:a jerk|rude|nasty|mean)": 1.5,
            r"treat (?:others|people|everyone|colleagues|each other|one another) (?:as|the way|"
            r"how) you": 2,
            r"critici[sz]\w*|criticis\w*|bad-?mouth\w*|negative (?:comments?|remarks?|things)|"
            r"anything negative|say\w* negative|complain\w*|unflattering|ridicul\w*": 0.5,
            r"(?:security|cyber|phishing|malware) threats?": -1.5,
            # grounds for removing the public's comments from official pages, not a conduct rule
            (
                r"comments?|posts?|replies|content",
                r"(?:hidden|removed|deleted|hide|remove|delete|moderat\w*)\b",
            ): -2,
            r"\bbe (?:[\w-]+,? ){0,4}(?:and )?respectful": 2,
            r"(?:offensive|abusive|derogatory|defamatory|obscene|hateful|insulting|vulgar|"
            r"discriminatory) (?:comments?|posts?|remarks?|content|language|material|statements?|"
            r"messages?|jokes?)": 2,
            r"profanity|profane|libel(?:l)?ous": 1.5,
            r"personal attacks?|insults?|pick(?:ing)? (?:a )?fights?|attack (?:people|others|"
            r"individuals)|disagree with ideas": 2,
            r"(?:with|show) (?:courtesy|respect|dignity)|(?:polite|considerate|courteous|"
            r"respectful) (?:in|to|towards|with)": 1.5,
            r"trash-?talk\w*|bad-?mouth\w*|respectful manner|(?:respond|reply)\w* (?:\w+ ){0,3}"
            r"respectfully": 1.5,
        },
        "heading": r"^respect(?:ful)?(?:ness)?(?: (?:and|&)|$)|be respectful|treat (?:everyone|"
        r"others|people|each other)|respect (?:for )?(?:others|each other|one another|everyone)|"
        r"civility|courtesy|harass|discriminat|be (?:nice|kind|decent)|decent human|"
        r"professional conduct|behaviou?r|(?<!code of )\bconduct\b|professionalism",
    },
    "E13": {  # politics, controversial topics & impartiality
        "cues": {
            r"politic\w*|partisan|electoral|\bballot\b|lobby\w*|campaigning for": 1.5,
            r"political (?:views?|opinions?|parties|party|activit\w*|candidates?|campaigns?|"
            r"causes?|"
            r"issues|debates?|content|posts?|comments?|affiliations?|neutrality|impartiality|"
            r"restrictions?|speech|advocacy|beliefs?|statements?|endorsements?|figures)|"
            r"politically (?:restricted|neutral|impartial|sensitive)|party political": 2,
            r"\belections?\b|pre-?election|purdah": 1.5,
            r"controversial|divisive|polari[sz]\w*|contentious|hot-?button|sensitive (?:topics|"
            r"subjects|issues)|(?:social|current) (?:issues|causes)": 2,
            r"religio\w*": 0.75,
            r"(?:religious|religion) (?:views|beliefs|debates?|topics|discussions?)|"
            r"religion and politics": 1.5,
            r"impartial\w*|neutrality|objectivity|(?:politically|remain|stay|be) neutral": 2,
            r"(?:likes?|liking|shares?|sharing|retweets?|retweeting|repost\w*|"
            r"follows?)\b[^.]{0,60}\b(?:seen as|viewed as|interpreted as|taken as|perceived as|"
            r"considered|construed as|amount to|constitute)\b[^.]{0,20}\b(?:endors\w*|support\w*|"
            r"agreement)": 2,
            r"matters of public concern|public debate|activis\w*": 1,
            r"emotions (?:run|are running|can run|may run) high|emotive (?:topics|issues|"
            r"subjects)": 2,
            r"(?:contested|contentious|divisive|controversial|hot|sensitive) (?:public |political |"
            r"social )?(?:issues|topics|debates|matters|subjects)|(?:candidates?|parties|causes)"
            r"\b[^.]{0,20}\b(?:support|oppose|endorse)|(?:support|oppose|endorse)\w* (?:\w+ ){0,2}"
            r"(?:candidates?|parties|causes|campaigns)": 2,
            r"(?:declare|express|share|air|voice)\w* (?:their |your |personal )?(?:views|opinions)"
            r"\b[^.]{0,30}\b(?:issues|topics|politics|debates?)": 1.5,
        },
        "heading": r"politic|controversial|impartial|election|sensitive (?:topics|subjects|issues)|"
        r"religion|public debate|neutrality",
    },
    "E14": {  # personal responsibility, permanence & accuracy
        "cues": {
            rf"(?:you are|you're|you will be|{PEOPLE} (?:are|is|will be)|each of us is|authors? "
            rf"(?:are|is)|everyone is) (?:solely |personally |fully |ultimately |legally |"
            rf"individually )?(?:responsible|accountable|liable) for (?:the |any |all |your |"
            rf"their )?(?:content|what|anything|everything|posts?|comments?|material|words|actions|"
            rf"statements|the consequences|their own|your own|whatever)": 2,
            r"personal(?:ly)? (?:responsib\w*|accountab\w*)": 1.5,
            # a duty to read the policy is not responsibility for what one posts
            r"(?:responsibility|responsible) (?:\w+ ){0,2}(?:to|for) (?:be familiar|comply|read|"
            r"follow|understand|know|abide|adhere)\w*": -1.5,
            r"(?:internet|web|online)\b[^.]{0,30}\b(?:never forgets|is forever|is permanent|"
            r"lasts forever|has a long memory)|never forgets": 2,
            r"(?:last|lasts|live|lives|remain|remains|stay|stays|available|public|visible|"
            r"searchable) (?:online )?(?:forever|permanently|indefinitely|for years|"
            r"for a long time)|years later|long after|can(?:not|'t)? (?:ever )?be (?:fully |"
            r"completely |truly )?(?:deleted|erased|undone|retracted|taken back)|(?:even )?(?:if|"
            r"after|once) you (?:later )?delete|\bcached\b": 2,
            r"permanent(?:ly)?\b(?! (?:employees?|staff|contracts?|members?|positions?|roles?|"
            r"workers?|residents?|and temporary|or temporary))": 1.5,
            r"think (?:twice |carefully )?before (?:you )?(?:post|publish|share|hit|click|tweet|"
            r"comment|send|upload)\w*|pause before (?:posting|you post)|when in doubt,? "
            r"(?:leave it out|don't post)": 2,
            r"(?:use|exercise|apply) (?:good |sound |your best |common )?(?:judgment|judgement|"
            r"sense|discretion)|common sense|good judg(?:e)?ment": 1,
            r"(?<!in)accura(?:te|cy)\b|fact[- ]check\w*|check (?:your |the )?facts|facts straight|"
            r"truthful|not misleading|(?:keep|stick) to (?:the )?facts|check (?:the )?(?:figures|"
            r"numbers|statistics|claims)": 1.5,
            r"\bby mistake\b|\bin error\b|mistakenly": 1,
            (
                r"(?<!in)accura(?:te|cy)\b|fact[- ]check\w*|check (?:your |the )?facts|"
                r"facts straight|truthful|not misleading",
                r"post\w*|publish\w*|shar\w*|comment\w*|online|social media|write|say",
            ): 0.5,
            r"cite your sources": 1,
            r"correct (?:any |your |the )?(?:mistakes?|errors?|inaccurac\w*)|(?:fix|correct|"
            r"acknowledge|admit|own)\w* (?:it|them|your (?:mistakes?|errors?))\b|(?:if|when) you "
            r"(?:make a mistake|get something wrong|get it wrong|err\b)|correct errors|"
            r"correct it\b": 2,
            r"(?:posts?|content|anything|everything|what(?:ever)? you (?:post|share|write|"
            r"publish))\b[^.]{0,40}\b(?:is|are|becomes?|may be|can be|will be|"
            r"could be)\b[^.]{0,20}\b(?:public|visible|seen|shared|forwarded|copied|found|"
            r"searchable|discoverable|read by)": 1.5,
            r"privacy settings (?:do not|don't|won't|are not|cannot|can't)|(?:no such thing as|"
            r"nothing is) (?:truly )?private (?:online|on the internet|on social media)|nothing "
            r"(?:on the internet|online|on social media) is (?:truly |really |completely )?private|"
            r"beyond (?:your )?intended audience": 2,
            r"once (?:it's|it is|something is|you've posted|you have posted|"
            r"posted)\b[^.]{0,20}\b(?:online|out there|public|shared)|out there forever": 1.5,
            r"reflects? on (?:you|company|us|your employer)|(?:could|can|may) (?:affect|harm|"
            r"damage) your (?:career|reputation)": 1,
            r"(?:think|believe|assume|consider|feel)\w* (?:is|are|to be|will be|will stay) "
            r"(?:private|restricted|closed|secure|confidential)": 2,
            r"(?:carr(?:y|ies)|comes? with|brings?) (?:with (?:it|them) )?(?:certain |some |great |"
            r"real |important )?responsibilit\w*|(?:your|their) (?:own )?responsibility": 1.5,
            r"(?:misleading|deceptive|untrue|false)(?: or (?:misleading|deceptive|untrue|false))? "
            r"(?:posts?|claims?|statements?|information|content|news|rumou?rs)": 1.5,
            r"(?:tweeted|posted|published|made|shared) (?:an? )?(?:error|mistake|inaccurac\w*)|"
            r"acknowledge (?:the )?(?:deletion|error|mistake|correction)": 2,
            r"separate (?:\w+ )?(?:opinions?|views?) from (?:the )?facts|(?:distinguish|"
            r"differentiate) between (?:facts?|opinions?)": 2,
            r"\bbe (?:[\w-]+,? ){0,3}(?:and )?(?:accurate|truthful)|(?:get|check) (?:the|your) "
            r"facts": 2,
            r"(?:is|are) (?:a |an )?public (?:place|space|forum|medium|arena|square)|(?:are|is) "
            r"(?:just )?as public as": 2,
            r"(?:if|when) (?:you|we|they) (?:make|made) (?:a |an )?(?:mistake|error)|\brectify": 2,
            r"(?:searchable|retrievable|archived|accessible|available|visible|online)\b[^.]{0,30}"
            r"\bfor (?:a (?:very )?long time|years|ever|decades)": 2,
            r"screenshot(?:s|ted|ting)?\b[^.]{0,40}\b(?:shared|spread|forwarded|resurface|widely|"
            r"kept|saved)|(?:can|may|could) be (?:screenshotted|copied|forwarded|shared widely)": 2,
            r"(?:deleted|removed) (?:posts?|content|comments?|tweets?)\b[^.]{0,40}\b(?:still|"
            r"found|archived|cached|survive)": 2,
            r"(?:no guarantee|not a guarantee|do not guarantee|don't guarantee)\b[^.]{0,40}\b"
            r"(?:private|privacy)|(?:will|would) (?:not )?stay private": 2,
            r"(?:affect|damage|harm|hurt)\w* (?:your )?(?:professional |personal )?(?:reputation|"
            r"career|standing|prospects)": 1.5,
            r"(?:would not|wouldn't|would never) want (?:\w+ ){0,4}(?:to (?:read|see)|reading|"
            r"seeing)|front page|(?:your )?(?:manager|boss|grandmother|mother|journalist) "
            r"(?:to )?(?:read|see)": 2,
            r"(?:spread|share|post|repeat)\w* (?:\w+ )?(?:rumou?rs|unverified|gossip|"
            r"speculation)": 1.5,
            r"(?:wider|larger|bigger|broader|unintended) (?:audience|readership)|than you "
            r"(?:intended|expected|meant)": 2,
            r"(?:are|is) public\b(?! (?:records?|bodies|body|authorit))|in (?:any|a) public place|"
            r"public (?:conversations?|spaces?)": 1.5,
            r"(?:fact|facts) from (?:opinion|opinions)|stick to (?:the )?facts": 2,
        },
        "heading": r"responsib|accountab|permanen|think before|accuracy|accurate|own what you post|"
        r"you own|forever|mistakes|judg(?:e)?ment",
    },
    "E15": {  # protected-activity (NLRA s.7) carve-out & non-retaliation
        "cues": {
            (SAVINGS, PROTECTED): 2,
            # "nothing in this policy stops you from reporting fraud to a regulator"
            (
                SAVINGS,
                r"(?:report|rais|disclos|communicat|fil|cooperat|provid|contact|speak)\w*\b"
                r"[^.]{0,60}\b(?:regulators?|government (?:agenc|bod|authorit|official)\w*|"
                r"(?:the )?authorities|law enforcement|ombudsm[ae]n|inspectors?|\bsec\b|"
                r"securities and exchange)",
            ): 2,
            r"national labou?r relations act|\bnlra\b|section 7 (?:rights|of the)|"
            r"protected concerted activit\w*|concerted activit\w*|mutual aid or protection": 2,
            r"(?:will not|won't|does not|do not|shall not|never|must not) (?:\w+ ){0,2}retaliat\w*|"
            r"non-?retaliation|without (?:fear of )?retaliation|free from retaliation|"
            r"no retaliation": 1,
            (r"retaliat\w*", PROTECTED): 1,
            r"whistle-?blow\w*|protected disclosures?|public interest disclosure": 1,
            r"(?:discuss|talk about|share)\w* (?:their|your) (?:own )?(?:pay|wages|salary|salaries|"
            r"working conditions|terms and conditions|employment)": 2,
            r"legally protected (?:activity|activities|rights)|protected (?:concerted "
            r")?activity": 2,
            r"(?:will not|won't|never) (?:\w+ )?retaliat\w*|in good faith": 1.5,
            r"(?:raising|raise|report)\w* (?:\w+ )?concerns?\b[^.]{0,40}\b(?:whistleblow\w*|"
            r"regulator|ombudsman)": 2,
            r"(?:collectively|together) with (?:your |their )?(?:co-?workers|colleagues)": 1.5,
        },
        "heading": r"your rights|protected activit|employee rights|legal rights|\bnlra\b|section 7|"
        r"rights under|whistleblow",
    },
    "E16": {  # disclosure of affiliation & real identity
        "cues": {
            r"(?<!if you )(?<!where you )(?<!when you )(?<!once you )(?<!whether you )(?<!unless "
            r"you )(?:identify|introduce) yourself\b": 2,
            r"(?:disclose|disclosing|state|stating|say|saying|mention|mentioning|make "
            r"(?:it )?clear|making (?:it )?clear|be (?:clear|open|transparent|upfront|"
            r"honest) about|reveal|note|show|display|indicate|acknowledge|include|identify)(?:s|d|"
            r"ed|es|ing)?\b[^.]{0,25}\b(?:that you (?:are|work|volunteer)(?! (?:speaking|posting|"
            r"writing|expressing|not|talking|only|giving))|you(?:'re| are) an? (?:employee|"
            r"associate|member of staff|team member|staff member|\w+ (?:employee|associate))|you "
            r"(?:work|volunteer) (?:for|at|with)|(?:your|their|his or her|his|her) (?:employment|"
            r"affiliation|relationship|connection|role|position|job|employer|association|status)\b|"
            r"who you work for|who you are|where you work|(?:the |any |a )?"
            r"(?:material )?connection|the relationship|(?:your|the) (?:company )?affiliation)": 2,
            r"material connections?|clear(?:ly)? and conspicuous(?:ly)?": 2,
            r"(?:know|aware|clear|obvious|see) (?:that )?you (?:work|are employed) (?:here|for|"
            r"at)": 1,
            r"let (?:people|them|readers|everyone|your (?:followers|audience|readers)) know "
            r"(?:that )?you (?:work|are employed)": 1,
            r"#(?:ad|employee|emp|sponsored|spon|partner|paid|gifted)\b|#\w*(?:employee|associate|"
            r"partner|staff)s?\b": 1.5,
            r"anonymous(?:ly)?|anonymity": 1.5,
            r"post\w* anonymously|anonymous(?:ly)? (?:posts?|accounts?|comments?|reviews?|"
            r"profiles?|blogs?)|(?:use|using|post under|under) your (?:real|own|true|"
            r"full) name": 0.5,
            (
                r"endors\w*|testimonial|review\w*|promot\w*|recommend\w*",
                r"#(?:ad|employee|sponsored|partner|paid)\b|disclos\w*|identify yourself",
            ): 1,
            r"pseudonyms?|aliases|fake (?:accounts?|names?|profiles?|identit\w*|reviews?)|false "
            r"(?:names?|identit\w*|personas?)|sock ?puppets?|astroturf\w*|(?:hide|hiding|"
            r"conceal\w*|disguis\w*|misrepresent\w*) (?:your |their )?(?:identity|affiliation|"
            r"employment|who you are)": 1.5,
            r"(?:ftc|federal trade commission)\b[^.]{0,100}\b(?:disclos\w*|endorse\w*)": 1.5,
            r"transparent(?:ly)? about (?:who you are|your (?:identity|role|employment|"
            r"affiliation))": 1,
            r"\btransparency\b": 0.5,
            r"anonymous(?:ly)? (?:report\w*|hotline|line|survey|tips?|feedback)": -2,
            r"fake (?:accounts?|reviews?|profiles?)|false names?|real name": 2,
            r"(?:hide|hiding|conceal\w*|disguis\w*) (?:your |their )?(?:affiliation|connection|"
            r"employment|identity|role)": 2,
            r"(?:paid|given free (?:products|gifts|samples)|receiv\w* free)\b[^.]{0,40}\b(?:make "
            r"(?:that|this|it) clear|disclose|say so|tell)": 2,
            r"(?:know|aware) that you (?:are|work)\b|you are (?:a member of staff|an employee|a "
            r"colleague)": 1.5,
            r"disclos\w* (?:any )?(?:conflicts? of interest|material connections?|relationships? "
            r"with)|misrepresent\w* (?:yourself|themselves|himself|herself|who you are)": 2,
        },
        "heading": r"disclos(?:e|ing|ure of) (?:your )?(?:affiliation|employment|relationship|"
        r"connection)|disclosure (?:of affiliation|requirements?)|identify(?:ing)? yourself|"
        r"transparen|tell people|who you are|your identity|affiliation|material connection",
    },
    "E17": {  # personal account naming, profiles & brand marks
        "cues": {
            r"user ?names?|screen ?names?|display names?|account names?|profile names?|"
            r"vanity urls?": 1.5,
            r"(?:social media|twitter|x|instagram|tiktok|personal|your|account|"
            r"their) handles?\b": 1.5,
            rf"(?:company|corporate|our|brand|firm|university|council|employer|{ORG})(?:'s)? "
            rf"(?:name|logos?|trademarks?|marks?|branding|seal|insignia|crest|uniforms?)\b": 1,
            r"(?:personal|private|own|individual) (?:social media )?(?:accounts?|profiles?|pages?|"
            r"sites?|blogs?|handles?|channels?|websites?)": 0.75,
            r"(?:name|logos?|trademarks?|seal|branding)\b[^.]{0,60}\b(?:personal|private|own) "
            r"(?:social media )?(?:accounts?|profiles?|pages?|posts?|sites?|handles?)": 1.5,
            r"(?:list|name|mention|include|show|identify)\w* (?:\w+ ){0,2}as (?:your|their) "
            r"(?:current )?employer": 2,
            (
                r"(?:personal|private|home|work|company|business|corporate) e-?mail|"
                r"@[\w-]+\.[\w.]+ (?:e-?mail )?address",
                r"accounts?|register|sign up|profiles?",
            ): 2,
            r"(?:profiles?|bios?|biography|headlines?|job titles?)\b[^.]{0,40}\b(?:update|change|"
            r"reflect|leave|left|leaving|departure|no longer|current|show|state|say|list|"
            r"mention)": 1.5,
            (
                r"\b(?:profiles?|bios?)\b",
                r"you work (?:at|for|here)|your (?:employer|job title|role)|employed (?:at|by)",
            ): 0.5,
            r"(?:updat|chang|edit|add)(?:e|es|ed|ing|s)? (?:[\w\"']+ ){0,4}(?:to )?(?:your |their )"
            r"(?:\w+ )?(?:profiles?|bios?)\b": 1,
            r"(?:work|company|corporate|business|office|university|official) e-?mail(?: address"
            r"(?:es)?)?\b[^.]{0,60}\b(?:personal|register|sign up|create|open|set up)|(?:register|"
            r"sign up|create|open|set up)\w*\b[^.]{0,60}\b(?:work|company|corporate|business|"
            r"office|university) e-?mail": 2,
            r"impersonat\w*|parody accounts?|mistak\w*\b[^.]{0,30}\b(?:account )?for (?:ours|"
            r"an official|the company)|(?:believe|think) they are official": 1,
            r"pseudonyms?": 1,
            r"headshots?|profile (?:photos?|pictures?|images?)|avatars?": 1.5,
            r"(?:real|own|actual) (?:headshot|photo of yourself|picture of yourself)": 0.5,
            r"(?:keep|maintain|have)\w* (?:your |their )?(?:personal|private) and (?:professional|"
            r"work|business|official) (?:accounts?|profiles?|lives|personas?|"
            r"identit\w+)\b[^.]{0,20}"
            r"\bseparate|separate (?:your )?(?:personal|private) (?:and|from) (?:your )?"
            r"(?:professional|work|business|official) (?:accounts?|profiles?)": 2,
            rf"on behalf of (?:the )?{ORG}|official (?:\w+ )?accounts?|(?:company|university|"
            rf"department|unit|council|agency)[- ](?:affiliated|branded|owned|sponsored) "
            rf"(?:\w+ )?accounts?": -1.5,
            r"(?:keep|kept)\w* (?:your )?(?:personal|private) accounts? separate": 2,
            r"(?:handles?|usernames?|names?) that (?:could|might|may) be (?:mistaken|confused)": 2,
            r"job titles?\b[^.]{0,40}\b(?:linkedin|profile|accurate|current)|(?:linkedin|profile)"
            r"\b[^.]{0,40}\bjob titles?": 2,
            r"(?:personal accounts?|profiles?)\b[^.]{0,30}\b(?:include|contain|use)\w* (?:the "
            r"|our )?(?:brand|company name|logo)": 2,
            r"(?:employer|company|job|workplace|where (?:i|you) work)\b[^.?]{0,30}\b(?:profiles?|"
            r"bios?)\b": 2,
            r"(?:keep|kept|maintain)\w* (?:your |their )?(?:professional|work|business|official) "
            r"and "
            r"(?:personal|private) (?:accounts?|profiles?)\b[^.]{0,20}\bseparate": 2,
            r"(?:accounts?|profiles?)\b[^.]{0,40}\bseparate (?:from )?(?:your |their )?(?:\w+ )?"
            r"(?:accounts?|profiles?)": 2,
        },
        "heading": r"(?:account|user|screen|display) ?names?|handles|usernames?|profiles?|logos?|"
        r"(?:our|company|the company'?s?|university) name|personal branding",
    },
    "E18": {  # official / branded account governance
        "cues": {
            r"(?:only|solely|exclusively) (?:be )?(?:set up|created|opened|launched|run|managed|"
            r"administered|operated)\b[^.]{0,40}\b(?:by|through)": 1,
            (
                OFFICIAL_ACCOUNT,
                r"approv\w*|authori[sz]\w*|regist\w*|permission|sign[- ]off|request\w*|set up|"
                r"setting up|creat\w*|\bopen\w*|establish\w*|manag\w*|administ\w*|\bown(?:s|ed|"
                r"ership)?\b|property|belong\w*|inventory|\blist\b|directory|brand(?:ing)? "
                r"(?:standards|guidelines)|visual identity|guidelines|standards|governance|"
                r"coordinat\w*|business case|oversight|naming conventions|deactivat\w*|"
                r"decommission\w*|activated",
            ): 2,
            OFFICIAL_ACCOUNT: 0.5,
            r"cent(?:er|re) of excellence|social media (?:hub|council|office|governance|"
            r"working group|coordinator|steering)": 1,
            r"brand (?:guidelines|standards|identity (?:guidelines|standards)|style guide|guide)|"
            r"visual identity (?:standards|guidelines)|style guide|naming conventions": 1.5,
            r"(?:register|registry|directory|inventory|list)\w* (?:of )?(?:all )?(?:official |"
            r"approved )?(?:accounts|channels|social media (?:accounts|sites))|(?:keeps?|"
            r"maintains?) (?:a |the )?(?:list|register|directory|inventory)": 1.5,
            (
                r"(?:accounts?|pages?|profiles?|channels?|groups?)\b[^.]{0,40}\b(?:uses?|using|"
                r"bears?|carr(?:y|ies)|represents?|representing|on behalf|in the name)",
                r"approv\w*|regist\w*|authori[sz]\w*|permission",
            ): 2,
            r"administrators?\b|\badmins?\b|(?:account|page) (?:owners?|managers?)": 0.75,
            r"(?:accounts?|pages?|groups?|channels?|profiles?|handles?) (?:\w+ ){0,3}in (?:the )?"
            r"(?:company'?s?|our) name|in the name of (?:the )?company": 1.5,
            (
                r"(?:creat|open|set up|setting up|establish|launch|start)\w* (?:a |an |any )?"
                r"(?:new )?(?:social media )?(?:accounts?|pages?|channels?|profiles?|groups?|"
                r"blogs?|sites?)",
                r"approv\w*|regist\w*|authori[sz]\w*|permission|request\w*|submit\w*|sign-?off|"
                r"consult\w*|talk to|speak to|check with|first\b|ask (?:us|\w+ team|communications|"
                r"comms|marketing)|in (?:the )?(?:company'?s?|our) name|in the name of",
            ): 2,
            r"(?:accounts?|channels?|pages?|profiles?|presences?|"
            r"handles?)\b[^.]{0,40}\b(?:(?:created|"
            r"set up|opened|managed|run|operated|administered|maintained|owned|approved|"
            r"registered) "
            r"(?:\w+ ){0,2}by|belong(?:s|ing)? to) (?:the |our )?(?:company|communications|comms|"
            r"corporate|marketing|digital|social media|press|public affairs|civil servants|[\w-]+ "
            r"(?:team|department|office|managers?|unit))": 2,
            r"editorial (?:oversight|control|sign-?off|approval|standards|responsibility)": 2,
            r"company-sponsored (?:social media|sites?|accounts?|channels?|pages?|blogs?|"
            r"content)": 1,
            r"business case|submit\w* (?:a )?(?:request|proposal|form)\b[^.]{0,40}\b(?:accounts?|"
            r"channels?|pages?)": 2,
            r"(?:centre|center) of excellence\b[^.]{0,40}\b(?:coordinat|manag|approv|oversee)|"
            r"coordinat\w* (?:all )?(?:branded|official|corporate) (?:social media )?"
            r"(?:activity|accounts|channels)": 2,
            r"(?:accounts?|pages?|channels?)\b[^.]{0,20}\bwithout (?:prior )?(?:approval|"
            r"authori[sz]ation|permission|agreement)|(?:launch|set up|open|create)\w* (?:\w+ )?"
            r"(?:channels?|accounts?|pages?) without": 2,
            r"centrally (?:coordinated|managed|controlled|approved|run)|central (?:coordination|"
            r"register|approval)": 2,
            rf"content (?:produced|published|posted|created) (?:by|on behalf of|for) (?:the |our )?"
            rf"(?:\w+ )?(?:{ORG}|government)": 2,
        },
        "heading": r"official (?:\w+ )?(?:accounts?|channels?|pages?|presences?)|corporate "
        r"(?:accounts?|social media|channels?)|branded accounts?|business use|company accounts|"
        r"account (?:governance|registration|creation)|setting up accounts|registration|branding",
    },
    "E19": {  # account & personal information security
        "cues": {
            r"passwords?|pass-?codes?|passphrases?": 2,
            r"two-?factor|\b2fa\b|multi-?factor|\bmfa\b|two-?step (?:verification|authentication)|"
            r"authenticat\w*|log-?in (?:codes?|details|credentials)|credentials|one-?time "
            r"(?:codes?|passwords?)|security keys?": 2,
            r"phishing|malware|\bviruses\b|\bvirus\b|spyware|ransomware|malicious (?:links?|"
            r"software|attachments?|messages?)|suspicious (?:links?|messages?|attachments?|"
            r"requests?|emails?)|\bscams?\b|\bhack(?:ed|ers?|ing)?\b|compromised|"
            r"account takeovers?|social engineering|identity theft|spoof\w*|compromis\w*": 2,
            r"privacy (?:and security )?settings|security settings|lock (?:your|the) (?:phone|"
            r"device|screen|accounts?)|(?:secure|protect|safeguard)\w* (?:your |the |their )?"
            r"(?:own )?(?:accounts?|devices?|log-?ins?)|device security|encrypt\w*": 1.5,
            r"(?:home|personal) address(?:es)?|(?:your|personal) (?:phone numbers?|date of birth|"
            r"location)|geo-?tag\w*|location (?:services|sharing|data|tags?)|personal safety|your "
            r"(?:own )?safety|doxx\w*|(?:share|reveal|post)\w* (?:too much )?about yourself|"
            r"(?:protect|safeguard)\w* (?:your )?(?:own )?(?:personal|private) (?:information|"
            r"details|data)": 1.5,
            r"(?:information|cyber|it|account|data) security": 0.75,
            r"access to (?:\w+ )?(?:personal|private) (?:social media )?(?:accounts?|profiles?)": 1,
            (
                r"cautious|careful|avoid|don't|do not|never|think twice|limit|be wary",
                r"your (?:home )?address|your phone number|your date of birth|your location|"
                r"about yourself|your (?:own )?(?:personal|private) (?:information|details)",
            ): 1,
            r"personal details such as your|your (?:home )?address or (?:phone|"
            r"telephone) number": 1,
            r"(?:give out|giv\w* away|shar\w*|post\w*|reveal\w*|disclos\w*|publish\w*) (?:\w+ "
            r"){0,2}"
            r"your (?:own )?(?:personal|private) (?:information|details|data)": 2,
            r"protect\w* your (?:own )?privacy|security (?:features|options|controls)": 2,
            r"check (?:your )?privacy settings|privacy settings regularly": 2,
            r"personal safety|share (?:your )?location|sharing (?:your )?location": 2,
            r"\block (?:your |the )?(?:devices?|phones?|screens?|laptops?)|lock devices": 2,
            r"scam(?:mer)?s?|pose as|impersonat\w* (?:colleagues|staff|the company)": 1.5,
            r"(?:limit|minimi[sz]e|restrict)\w* (?:the )?(?:personal )?(?:information|details) you "
            r"(?:give out|share|post|reveal)": 2,
            r"(?:unapproved|unauthori[sz]ed) (?:apps?|software|plug-?ins)\b[^.]{0,40}\b"
            r"(?:access|accounts?)": 2,
            r"(?:personal|personally identifiable) information (?:you|they) (?:share|post|disclose|"
            r"give)|(?:information|details) (?:you|they) (?:disclose|share|post) about "
            r"(?:yourself|themselves)": 2,
            r"(?:provide|give|share|post)\w* (?:any of )?your (?:\w+ ){0,2}(?:account details|"
            r"personal (?:information|details))": 2,
        },
        "heading": r"security|passwords?|protect(?:ing)? (?:your accounts?|yourself)|lock it down|"
        r"(?:online|personal|your|internet|digital) safety|safety online|stay(?:ing)? safe|keeping "
        r"(?:yourself|your accounts?) safe",
    },
    "E20": {  # escalation & crisis routing
        "cues": {
            # the situation: something that may need an official response
            E20_SITUATION: 0.75,
            (E20_SITUATION, ROUTE_VERB, ROUTE_TO): 0.5,  # with routing: a strong pair
            # routed somewhere (on its own, routine: "questions to HR")
            (ROUTE_VERB, ROUTE_TO): 0.75,
            (
                ROUTE_VERB,
                ROUTE_TO,
                r"immediately|straight away|right away|at once|without delay|as soon as possible|"
                r"promptly|urgently|the same day",
            ): 0.75,
            r"questions\b|queries about|for (?:more |further )?(?:information|guidance|advice)|if "
            r"(?:you are |you're )?(?:unsure|in doubt|not sure)|sickness|absence|holiday": -1,
            # and not answered alone
            r"(?:do not|don't|never|resist the (?:urge|temptation) to) (?:respond|reply|engage|"
            r"comment|react)\w*(?: to (?:\w+ ){1,4}?)?(?: ?yourself| on your own| personally|"
            r" directly| alone|\.|;|,|:|$)|rather than (?:responding|replying|engaging|commenting) "
            r"(?:yourself|directly|personally)|let (?:the |our )?\w+(?: \w+)? (?:team )?(?:handle|"
            r"respond|deal with|decide)|(?:only|solely) (?:share|post|repost|use) (?:information|"
            r"updates|content) (?:issued|provided|approved|released) by|must not post their own": 1,
            r"escalat\w*|issues? management": 1.25,
            (
                r"\bcris[ie]s\b|emergenc\w*|\bincidents?\b",
                r"coordinat\w*|handled by|managed by|led by|issued by|(?:comms|communications|"
                r"incident|crisis|emergency) (?:management )?team|until|official word|wait for|"
                r"official (?:information|updates?|confirmation|statements?)",
            ): 1.5,
            r"(?:become|are|becoming) aware (?:of|that)\b[^.]{0,60}\b(?:notify|report|inform|"
            r"tell|contact|"
            r"alert|escalate|let)": 2,
            r"(?:must|should|shall|needs? to|is to) be (?:informed|notified|alerted|told|contacted|"
            r"reported) (?:immediately|promptly|without delay|at once|straight away|right away)": 2,
            (
                r"report\w*|notify|inform|forward|refer|pass|send",
                r"adverse (?:events?|reactions?|drug|experiences?)|side effects",
            ): 2,
            r"report\w* (?:\w+ ){0,2}(?:threats?|abusive|abuse|harassment|data breach\w*|"
            r"suspected breach\w*|incidents?)\b[^.]{0,60}\b(?:to|immediately)": 2,
            r"(?:pass|refer|forward|send|hand)\w* (?:it|them|this) (?:on )?to (?:the )?(?:\w+ )?"
            r"(?:team|department|office|officer|manager)": 1.5,
            r"(?:notify|alert|tell|inform) (?:the )?(?:legal|communications|press|security|"
            r"social media|digital|data protection|crisis|on-?call)": 1.5,
            r"(?:if|when) something (?:serious|bad|unexpected) happens|out of hours|on-?call": 1,
            r"targeted by (?:online )?(?:abuse|harassment|trolls)|speak to your manager for "
            r"support": 2,
            r"(?:routed|route|passed|referred) to the right (?:team|person|department)": 2,
            r"(?:if|should) (?:any )?problems? arise": 1,
            r"(?:must|should|shall|needs? to) be reported\b[^.]{0,50}\b(?:immediately|promptly|"
            r"without delay|at once|straight away|right away)": 2,
        },
        "heading": r"escalat|cris[ie]s|emergenc|incident|something (?:that )?needs a response|"
        r"blows up|negative (?:posts|comments)|issues management",
    },
    "E21": {  # customer-service routing
        "cues": {
            (
                r"(?:refer|direct|route|forward|pass|send|redirect|point|connect|escalat|hand|"
                r"transfer|share|steer|guide|answer|handl|deal|resolv)\w*|through|via",
                CARE,
            ): 2,
            CARE: 0.75,
            r"(?:customers?|clients?|consumers?|patients?|families|guests?|shoppers?|members|users|"
            r"residents|service users|buyers|passengers|"
            r"policyholders)'?\b[^.]{0,25}\b(?:complaints?|complain|questions?|queries|enquir\w*|"
            r"inquir\w*|problems?|concerns?|requests? (?:for (?:help|support|service)|about))": 1,
            r"(?:complaints?|questions?|queries|problems?|issues?)\b[^.]{0,30}\b(?:about|with|"
            r"regarding) (?:an? |their |your |the )?(?:orders?|products?|returns?|refunds?|"
            r"deliver\w*|accounts?|bills?|billing|bookings?|care)\b|requests for services|"
            r"service requests?|product (?:issues|problems|defects|concerns|questions)": 1,
            r"(?:customers?|clients?|users?|patients?|someone|anyone|people|members of the public|"
            r"the public|followers?|residents?|families) (?:asks?|asking|requests?|needs?|wants?|"
            r"seeks?|seeking) (?:for )?(?:\w+ ){0,3}(?:help|support|assistance|advice)": 1,
            r"(?:track|tracked|logged|tickets?|resolv\w*|resolution|follow(?:ed)?[- ]up)\b": 0.5,
            (
                r"product (?:issues|problems|defects|concerns|questions)|complaints?",
                r"track\w*|log(?:ged|s)?\b|resol\w*|follow(?:ed)?[- ]up",
            ): 1,
            r"(?:do not|don't|never) (?:try to )?(?:troubleshoot|process refunds?|"
            r"handle complaints|resolve|fix (?:the|their) (?:issue|problem))": 1,
            r"(?:enquir\w*|inquir\w*|questions?|complaints?|queries|"
            r"requests?)\b[^.]{0,60}\b(?:redirect"
            r"\w*|referred|forwarded|passed on|directed|routed|signposted)": 2,
            (
                r"report\w*|notify|inform|forward|refer|pass|send",
                r"adverse (?:events?|reactions?|drug|experiences?)|side effects|product complaints",
            ): 2,
            r"(?<!social )\bmedia\b|\b(?:press|journalists?|reporters?)\b": -1.5,
            r"(?:account|order|billing|delivery|booking) (?:issues|problems|queries|questions)\b"
            r"[^.]{0,60}\b(?:private|direct message|secure|contact|support|help)": 2,
            r"move the conversation to a (?:private|direct) (?:channel|message)|secure "
            r"messaging": 2,
            r"(?:enquiries|queries|questions) (?:we|you) (?:cannot|can't) answer": 2,
            r"service[- ]related (?:questions|concerns|issues|enquiries|inquiries)": 2,
        },
        "heading": r"^customers?$|customer (?:service|care|support|questions|complaints|enquiries|"
        r"inquiries)|complaints|helping customers|support requests",
    },
    "E22": {  # engagement, response & moderation protocol
        "cues": {
            r"(?<!self-)moderat(?:e|ed|es|ing|ion|ors?)\b(?! (?:amount|use|level|language|"
            r"drinking))": 1.5,
            r"community (?:guidelines|standards|rules|management|managers?)|house rules|comment"
            r"(?:ing)? polic\w*|terms of participation|posting guidelines|rules of engagement|"
            r"engagement guidelines": 2,
            (
                r"(?:hide|hidden|remov|delet|take down|taken down|block|\bban\b|banned|moderat)\w*",
                r"comments?|replies|posts?|content|users?|followers?|messages?",
                r"abusive|spam|offensive|obscene|threatening|harass\w*|off-?topic|discriminatory|"
                r"defamatory|inappropriate|commercial|illegal|trolls?|personal information",
            ): 2,
            (
                r"(?:respond|reply|replies|responses?|answer)\w*\b[^.]{0,60}\b(?:within|timely|"
                r"promptly|quickly|as soon as|business days?|working days?|\bhours?\b|tone|"
                r"courteous|polite|helpful|factual|facts|plain english|friendly|empath\w*|calm|"
                r"constructive|professional)",
                r"comments?|questions?|messages?|posts?|enquir\w*|inquir\w*|followers|customers|"
                r"public|users|mentions|complaints?|tweets?|online|social|accounts?|channels?|"
                r"pages?|communit\w*|residents|reviews?|responding",
            ): 2,
            r"\btrolls?\b|trolling|feed the trolls|disengage|walk away|let (?:it|the (?:post|"
            r"comment)) (?:stand|go)|(?:do not|don't|never) (?:get drawn|argue|engage) (?:into|"
            r"with) (?:trolls|arguments|hostile)|agree to disagree|take (?:it|"
            r"the conversation) offline|move the conversation": 2,
            r"(?:if|when) you (?:do not|don't) know the answer|say so and find out|(?:acknowledge|"
            r"admit) (?:that )?you (?:do not|don't) know": 1.5,
            r"(?:engag\w*|interact\w*|convers\w*) (?:with )?(?:our |the )?(?:followers|audiences?|"
            r"community|communities|fans|commenters|the public)": 0.5,
            r"access\b[^.]{0,30}\b(?:revoked|withdrawn|suspended)|disciplin\w*|(?:breach\w*|"
            r"violat\w*) (?:of )?(?:this|these|the) (?:policy|guidelines|rules)": -1.5,
            r"(?:avoid|refrain from|resist)\w* (?:\w+ )?(?:respond|reply|engag|argu)\w* (?:to|"
            r"with) "
            r"(?:\w+ ){0,2}(?:negative|critical|hostile|angry|rude|abusive|nasty)": 2,
            r"(?:appropriate|knowledgeable|timely|prompt|helpful|thoughtful) responses?|commit to "
            r"follow-?up": 1.5,
            rf"(?:request|requests|requested|require|requires|required|ask|asks|asked|instruct|"
            rf"instructs|instructed|direct|directs|directed) (?:that )?(?:you|{PEOPLE})": -2,
            r"(?:responses?|replies|answers?)\b[^.]{0,30}\b(?:polite|factual|helpful|courteous|"
            r"friendly|professional|calm|respectful)": 2,
            r"(?:comments?|posts?|replies)\b[^.]{0,20}\b(?:are|is|will be|may be) (?:pre-?)?"
            r"moderated|before (?:they|it) appears?": 2,
            r"(?:respond|reply|replying|responding)\w* to (?:criticism|complaints|negative|"
            r"provocative|hostile|angry)|stay calm|keep calm": 2,
            r"(?:promise|offer) to find out|find out and (?:get back|reply|respond)": 2,
            r"let (?:a |the )?(?:fair )?(?:criticism|comment|post) stand": 2,
            r"(?:read|see) (?:all |every )?(?:comments?|messages?)\b[^.]{0,30}\b(?:reply|respond)|"
            r"cannot reply to (?:each|every|all)": 2,
            r"(?:respond|reply|react)\w* in anger|resist the temptation to (?:respond|reply)": 2,
            r"(?:material|content|comments?|posts?) (?:posted )?by others\b[^.]{0,80}\b(?:deleted|"
            r"removed|hidden)|monitor (?:your|their) (?:own )?(?:profile|page|account)s?": 2,
        },
        "heading": r"moderat|responding|engag(?:e|ing|ement) with|community guidelines|house rules|"
        r"comments on|replying|comments and",
    },
    "E23": {  # monitoring, measurement & reporting
        "cues": {
            r"keeps? an eye on|(?:listen|listening|follow|following|track|tracking) (?:\w+ ){0,2}"
            r"(?:conversations?|mentions?|what (?:is|people are) (?:said|saying))|(?:checked|"
            r"reviewed|watched|scanned) (?:\w+ ){0,2}(?:around the clock|daily|regularly|every day|"
            r"24/7|continuously|for (?:comments|posts|mentions))": 2,
            r"(?:engagement|reach|shares|sentiment|impressions|followers)\b[^.]{0,60}\b(?:tracked|"
            r"measured|reported|summari[sz]ed|analy[sz]ed|reviewed)": 2,
            rf"(?:keep|kept|keeps) (?:a )?(?:record|log|copy|copies) of (?:\w+ ){{0,2}}(?:posts|"
            rf"content|comments|mentions)\b[^.]{{0,40}}\b(?:{ORG}|us\b|our)": 1.5,
            r"(?:activity|posts|content) (?:on|of) (?:[\w-]+ ){0,2}(?:accounts?|channels?|pages?) "
            r"(?:is|are) (?:audited|reviewed|checked|monitored)": 2,
            r"(?:monitoring|measurement|measuring) of (?:air|water|noise|temperature|energy|"
            r"emissions|quality|health|blood|patients?|vital)": -2,
            (
                r"monitor\w*|supervis(?:e|ed|es|ing|ion)\b|surveil\w*|audit\w*|\bscan\w*|listening",
                r"social media|mentions?|conversations?|online|internet|channels?|accounts?|"
                r"activity|posts?|content|brand|reputation|sites?|platforms?|sentiment|"
                r"communications|coverage|comments?|replies|\buse\b|usage|compliance",
            ): 2,
            rf"(?:we|company|{ORG}) (?:may|will|can|reserves? the right to|routinely|regularly|"
            rf"also|does|do) (?:\w+ )?(?:monitor\w*|inspect\w*|audit\w*|track\w*|(?:review|"
            rf"access)\w* (?:any |all |the |your |employees'? )?(?:content|posts?|activity|"
            rf"accounts?|use|usage|communications?|messages?|social media|information|sites?))": 2,
            r"social listening|listening tools?|media monitoring|brand monitoring|"
            r"sentiment analysis": 2,
            r"metrics|analytics|\bkpis?\b|key performance indicators|dashboards?|impressions|"
            r"engagement (?:rates?|data|metrics)|\broi\b|return on investment": 1.5,
            r"\bmeasur(?:e|es|ed|ing)\b (?:the |our |its )?(?:success|impact|performance|results|"
            r"effectiveness|engagement|reach)|\bmeasurement\b": 1.5,
            r"(?:monthly|weekly|quarterly) reports? (?:on|of) (?:\w+ ){0,3}(?:social|engagement|"
            r"reach|channels?|accounts?|mentions|performance|activity)|report\w* (?:on )?(?:the )?"
            r"(?:results|performance|reach|engagement|trends|metrics|activity)|reports? (?:trends|"
            r"results|findings|metrics)": 1.5,
            r"track\w* (?:the )?(?:reach|engagement|results|performance|mentions|sentiment|leads|"
            r"clicks|coverage)": 1.5,
            r"no (?:reasonable )?expectation of privacy|(?:subject to|may be subject to) "
            r"(?:monitoring|review|inspection|audit)": 2,
            r"post-?use review": 1.5,
            (
                r"report\w*|track\w*|measur\w*|review\w*|analys\w*",
                r"engagement|\breach\b|follower\w*|impressions|clicks|sentiment|metrics|kpis?|"
                r"analytics",
            ): 2,
            r"(?:accounts?|channels?|pages?|posts?)\b[^.]{0,30}\b(?:reviewed|checked|audited|"
            r"inspected) (?:regularly|periodically|for compliance)": 2,
            r"keep an eye on|watch (?:their|your|our) (?:pages?|channels?|accounts?)|what is said "
            r"about (?:the )?(?:company|us|council|university|organi[sz]ation)": 2,
            r"(?:results|performance|engagement|reach)\b[^.]{0,30}\b(?:tracked|measured|"
            r"reported|monitored)": 2,
            r"(?:may|will) be checked to (?:make sure|ensure|confirm)": 1.5,
            r"(?:retrospectively |regularly |periodically )?review\w* (?:your |their "
            r")?(?:professional "
            r")?(?:output|posts|content|activity)": 1.5,
            r"(?:important|need|needs|remember) to monitor your|\bmonitor your (?:own )?(?:profile|"
            r"page|account)": -2,
        },
        "heading": r"monitor|measur|metrics|analytics|evaluation|supervision|listening|\blisten\b",
    },
    "E24": {  # records & retention
        "cues": {
            r"records? (?:retention|management|keeping)|record-?keeping|retention (?:schedules?|"
            r"polic\w*|periods?|requirements?)|(?:public|business|official|government|university|"
            r"council|firm|company|corporate|federal|state|agency)(?:'s)? records?\b|"
            r"books and records|legal holds?|litigation holds?|preservation (?:notices?|"
            r"obligations?)|freedom of information|\bfoia?\b|public records? (?:act|law|requests?)|"
            r"open records|subject access requests?|e-?discovery|discoverable": 2,
            r"\b(?:retain\w*|retention|archiv\w*)\b": 1,
            r"\b(?:preserv\w*|captur\w*)\b": 0.5,
            (
                r"retain\w*|retention|archiv\w*|preserv\w*|captur\w*",
                r"posts?|content|messages?|communications?|comments?|records?|copies",
            ): 1,
            r"(?:delete|deleted|deleting|deactivat\w*|decommission\w*|close|closed|closing|"
            r"shut down)\b[^.]{0,40}\b(?:inactive|dormant|unused|old|abandoned|outdated)? ?"
            r"(?:accounts?|pages?|channels?|profiles?)\b|(?:inactive|dormant|unused|abandoned) "
            r"(?:accounts?|pages?|channels?)": 1,
            r"(?:ephemeral|disappearing|self-destructing) messag\w*|(?:cannot|can't|unable to) "
            r"(?:be )?(?:capture|captured|retain|retained|archived)": 1.5,
            r"(?:archived|cached) (?:by others|forever|online)|screenshots?": -1,
            r"(?:delete|close|deactivate|shut down|remove)\w* (?:our|the company's|company|"
            r"official|"
            r"its|the) (?:\w+ )?(?:accounts?|pages?|channels?|profiles?)": 2,
            r"(?:keep|kept|retain|retained|store|stored)\w* (?:a )?cop(?:y|ies) of|records of "
            r"(?:\w+ )?"
            r"(?:posts?|content|messages?)|kept for (?:at least )?\w+ (?:years|months)": 2,
            r"(?:must|should|will) be preserved|preserv\w* (?:for|in) (?:litigation|legal)|"
            r"requested in litigation": 2,
            r"(?:capture|save|print|keep|retain|store)\w*(?:,? (?:and )?(?:capture|save|print|"
            r"keep)\w*)* "
            r"(?:a )?cop(?:y|ies)\b": 2,
        },
        "heading": r"records?\b|retention|archiv|freedom of information",
    },
    "E25": {  # enforcement & consequences
        "cues": {
            r"disciplinary (?:action|procedure|process|measures?|proceedings|policy|sanctions?|"
            r"matter|offen[cs]e|issue|hearing)|\bdiscipline\b|\bdisciplined\b": 2,
            r"up to and including|(?:termination|dismissal) of (?:employment|your employment|"
            r"contract|engagement)|\bterminat(?:ed|ion)\b|\bdismiss(?:al|ed)\b|\bfired\b|"
            r"\bmisconduct\b|corrective action|expul\w*|\bexpelled\b|\bsuspen(?:sion|ded)\b": 1.5,
            r"gross misconduct": 0.5,
            r"(?:violat\w*|breach\w*|non-?complian\w*|fail\w* to (?:comply|"
            r"follow))\b[^.]{0,60}\b(?:this|these|the|our) (?:policy|guidelines?|standard|rules|"
            r"procedure)\b[^.]{0,60}\b(?:may|will|could|can|shall)\b[^.]{0,20}\b(?:result|lead|be "
            r"(?:dealt|treated|subject|handled|reported|considered)|face|give rise)": 2,
            r"(?:violat\w*|breach\w*)\b[^.]{0,40}\b(?:may|will|could|can) (?:\w+ ){0,2}(?:result|"
            r"lead)": 1.5,
            r"(?:violat|breach)\w*\b[^.]{0,40}\b(?:are|is|will be|may be) subject to": 1.5,
            r"consequences|sanctions?\b": 0.5,
            r"(?:will not|won't|cannot|can't|shall not|never|not) be (?:disciplined|penali[sz]ed|"
            r"punished|dismissed|retaliated|sanctioned)": -2,
            r"access\b[^.]{0,30}\b(?:revoked|withdrawn|removed|suspended)": 1.5,
            r"(?:ask|require|tell|instruct|direct)\w* you to (?:remove|delete|take down)": 1,
            r"(?:inappropriate|offending|non-compliant) (?:posts?|content) (?:may|will|can) be "
            r"(?:removed|deleted|taken down)": 1,
            r"(?:remove|removal of|take down|delete)\w*\b[^.]{0,30}\b(?:posts?|"
            r"content)\b[^.]{0,40}\b(?:breach\w*|violat\w*|breaks?|contrary to|does not comply|"
            r"in breach)": 1.5,
            r"(?:loss|revo\w*|withdraw\w*|remov\w*) (?:of )?(?:your )?(?:access|privileges|"
            r"posting rights|participation|administrator rights|admin rights)|"
            r"removal from assignments": 1.5,
            (
                r"breach\w*|break\w*|violat\w*|contrary to|(?:does|do) not (?:comply|follow|meet)",
                r"(?:hidden|removed|deleted|blocked|banned|reported|taken down|suspended)\b",
            ): 2,
            r"reserves? the right to (?:\w+ ){0,2}(?:block|ban|report|suspend|bar)\w*": 2,
            (
                r"(?:withdraw|remov|delet|take down|taking down)\w* (?:\w+ ){0,3}(?:posts?|"
                r"comments?|content|tweets?)",
                r"request|require|ask|asks|asked|instruct|direct|reserves? the right",
            ): 1.5,
            r"(?:noted|reflected|recorded|considered) (?:on|in) (?:\w+ )?performance "
            r"(?:reviews?|evaluations?|appraisals?)": 2,
            r"(?:failure|failing|fail) to (?:do so|comply|follow|adhere|observe|"
            r"abide)\w*\b[^.]{0,40}"
            r"\b(?:may|will|could|can|shall) (?:\w+ ){0,2}(?:result|lead)": 2,
            r"(?:lose|loss of|removal of|withdraw\w*) (?:their |your )?(?:access|admin\w* rights|"
            r"privileges|account)": 2,
            r"(?:taken into account|considered) in (?:\w+ )?(?:performance reviews?|"
            r"appraisals?)": 2,
            r"(?:reported|referred) to (?:the )?(?:relevant )?(?:regulators?|police|"
            r"authorities)": 1.5,
            r"(?:contracts?|engagements?) (?:ended|terminated)|(?:end|terminate)\w* (?:their|the|"
            r"your) contracts?": 2,
            r"(?:take|taking) action against|result in (?:corrective |disciplinary |legal "
            r")?action": 2,
            r"\bmisuse\b": 0.5,
            r"adverse (?:institutional |employment )?actions?": 2,
            r"(?:termination|dismissal) of (?:your )?(?:employment|engagement|contract)": 2,
            r"(?:comments?|posts?|content)\b[^.]{0,100}\bwill be (?:taken down|removed|deleted|"
            r"hidden)": 1.5,
            r"(?:material|content|comments?|posts?) (?:posted )?by others": -1.5,
        },
        "heading": r"enforcement|violations?|breach(?:es)?|consequences|disciplin|non-?compliance|"
        r"what happens if|sanctions",
    },
}

# Participation stance (E02): the strongest signal wins.
STANCE_CUES: dict[str, Cues] = {
    "encourage": {
        rf"(?:we|company|{ORG}) (?:strongly |actively |really |warmly )?(?:encourage|invite|urge|"
        rf"would love|love|want)s? (?:you|{PEOPLE}|all of you|everyone)?\b[^.]{{0,60}}\b(?:to )?"
        rf"(?:share|participate|engage|join|take part|post|be (?:active|loud|vocal|part)|"
        rf"get involved|talk|tell|contribute|spread)\b": 2,
        (
            rf"(?:we|company|{ORG}) (?:strongly |actively |really |warmly )?(?:encourage|invite|"
            rf"urge|would love|love|want)s? (?:you|{PEOPLE}|all of you|everyone)?\b[^.]{{0,60}}\b"
            r"(?:to )?use\b",
            SOCIAL,
        ): 2,
        (
            r"(?:are|is) (?:strongly |actively )?encouraged to (?:use|share|participate|engage|"
            r"join|take part|post|get involved|contribute|follow|like|repost|be (?:active|part))",
            SOCIAL,
        ): 2,
        (
            r"encourages? (?:[\w,]+ ){0,6}(?:to )?(?:use|share|participate|engage|join|take part)",
            SOCIAL,
        ): 2,
        rf"we(?:'d| would) love (?:for )?(?:you|{PEOPLE}) to": 2,
        r"we love it when|spread the word|brand ambassadors?|employee advoca\w*": 1.5,
        r"^(?:please )?(?:post|share|talk|write|blog|tweet) (?:and comment )?(?:about|on) (?:your|"
        r"our) (?:work|jobs?|products?|experiences?|posts?)|^(?:please )?share (?:and comment on )?"
        r"(?:posts|photos|our)": 2,
        r"supports? (?:[\w']+ ){0,3}(?:participation|engagement|involvement) (?:in|on|"
        r"with) social media": 1.5,
        rf"(?:we|company|{ORG}) (?:\w+ )?(?:encourage|welcome|embrace)s? (?:the )?(?:\w+ "
        rf"){{0,2}}"
        r"(?:communication|participation|engagement|dialogue|conversations?|its use|their use|"
        r"the use of social media|use of social media)": 2,
        r"encouraged to (?:tell|talk|write|blog|speak) (?:\w+ ){0,3}(?:about|of) (?:your|their|"
        r"our) (?:work|jobs?|research|experiences?)": 2,
        r"go ahead and (?:share|post|tweet|blog)": 1.5,
        rf"(?:we|company) would love (?:you|{PEOPLE}) to|we want (?:our )?(?:people|you|"
        r"employees|staff|colleagues) to be part": 2,
        r"encourage\w* (?:\w+ ){0,3}(?:to be )?(?:active )?(?:participants?|participat\w*|involved|"
        r"engaged) (?:in|on|with)": 2,
        r"(?:welcome|free) and encouraged to": 2,
    },
    "permit": {
        rf"(?:you|{PEOPLE}|[a-z]+s) (?:are|is) (?:free|welcome|permitted|allowed|entitled) to "
        rf"(?:use|participate|post|have|maintain|engage|share|talk|keep|express|access|visit|"
        rf"browse|check)": 2,
        r"(?:personal|private|limited|reasonable|occasional) use\b[^.]{0,50}\b(?:is|are) "
        r"(?:permitted|allowed|acceptable|fine|ok|okay|tolerated)": 2,
        r"social (?:media|networking) (?:use|usage|access)\b[^.]{0,40}\b(?:is|are) (?:permitted|"
        r"allowed|acceptable|fine|welcome)": 2,
        rf"(?:we|company|{ORG}) (?:respect|recogni[sz]e|acknowledge|understand)s? (?:your|"
        rf"{PEOPLE}'?s?|the) (?:right|freedom|choice)": 2,
        rf"(?:we|company|{ORG}) (?:recogni[sz]e|acknowledge|understand)s? that (?:many |most |"
        rf"some )?(?:of you|{PEOPLE}) (?:use|enjoy|participate)": 1.5,
        r"(?:does not|doesn't|do not|don't) (?:wish|want|intend|seek) to (?:discourage|prevent|"
        r"stop|prohibit|restrict)": 2,
        rf"(?:you|{PEOPLE}) (?:may|can) (?:use|access|have|maintain|"
        rf"participate)\b[^.]{{0,40}}\b(?:social media|personal accounts?|own time|personal "
        rf"(?:purposes|use|capacity))": 1.5,
        r"supports? the (?:responsible |appropriate )?use of social media": 1.5,
        r"(?:you )?(?:do not|don't) need (?:our |any |the company's )?permission|(?:do not|"
        r"don't) need to (?:ask|get approval|get permission|check with)": 1.5,
        r"(?:checking|using|browsing|reading) (?:your )?(?:feeds?|social media|"
        r"timeline)\b[^.]{0,40}\b(?:is|are) (?:fine|ok|okay|allowed|permitted)": 2,
        r"scrolling is fine|is fine as long as": 1.5,
        r"(?:not|never) (?:intended|meant|designed) to (?:prevent|stop|discourage|restrict|"
        r"prohibit) "
        r"(?:\w+ ){0,4}(?:use|using|participat\w*|engag\w*)|(?:does not|doesn't|do not|don't|"
        r"will not|won't) discourage (?:\w+ ){0,3}from (?:using|participat\w*|engag\w*|posting|"
        r"blogging|joining)": 2,
        rf"{PEOPLE} (?:can|may|are able to|are free to) (?:promote|share|talk about|discuss) "
        r"(?:their|your) (?:own )?work": 2,
        r"participation (?:in social media )?is voluntary|(?:staff|employees|officers|you) "
        r"(?:may|can) (?:maintain|have|keep) (?:personal )?(?:social media )?accounts": 2,
        r"(?:feel free|you are free) to (?:blog|tweet|post|share)": 2,
        r"social media (?:may|can) be used (?:by|for)\b": 2,
    },
    "restrict": {
        r"only (?:\w+ ){0,3}(?:authori[sz]ed|approved|designated|nominated|accredited|trained|"
        r"certified|registered)\b[^.]{0,40}(?:may|can|are (?:permitted|allowed) to) (?:use|access|"
        r"post|participate|engage)": 1.5,
        r"(?:may|can) (?:only )?use social media (?:for business purposes )?only (?:through|via|on|"
        r"with)": 1.5,
        r"(?:use of|access to|using) (?:personal )?social (?:media|networking)"
        r"(?: sites)?\b[^.]{0,50}\b(?:is|are) (?:strictly )?(?:prohibited|not (?:permitted|"
        r"allowed)|forbidden|banned|restricted|blocked)": 2,
        r"social (?:media|networking) (?:use|usage|access)\b[^.]{0,40}\b(?:is|are) (?:strictly )?"
        r"(?:prohibited|not (?:permitted|allowed)|forbidden|banned|restricted|blocked)": 2,
        r"(?:blocks?|blocked|restricts?|restricted) (?:access )?(?:to )?(?:some |certain |all |"
        r"most )?(?:social media|social networking)": 2,
        rf"{PEOPLE} (?:must not|may not|are not (?:permitted|allowed) to|should not) (?:use|"
        rf"access) social media (?:at work|during (?:work(?:ing)?|business) (?:time|hours)|while "
        rf"(?:at|on) "
        r"(?:work|duty|shift))": 1.5,
        r"(?<!to )(?<!not )(?<!n't )discourag(?:e|es|ed) (?:\w+ ){0,3}from": 1,
    },
}

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementFinding:
    id: str
    evidence: tuple[str, ...]  # supporting sentences as they stand, best first


@dataclass(frozen=True)
class RedFlag:
    element: str
    sentence: str
    reason: str  # why it is risky and what a fix looks like, readable to a client
    jurisdiction: str  # where the law the flag rests on applies ("US")
    law: str  # that law and the authority that read it so, as cited in the taxonomy


@dataclass(frozen=True)
class Classification:
    source: str
    elements: tuple[ElementFinding, ...]  # only elements found, ordered by id
    red_flags: tuple[RedFlag, ...]
    stance: str  # "encourage" | "permit" | "restrict" | "unclear"
    stance_evidence: tuple[str, ...]
    disclosure: str | None  # how employees must disclose their affiliation; None when not asked
    disclosure_evidence: tuple[str, ...]

    def present(self) -> set[str]:
        return {f.id for f in self.elements}

    def evidence(self, id: str) -> tuple[str, ...]:
        for finding in self.elements:
            if finding.id == id:
                return finding.evidence
        return ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "elements": [{"id": f.id, "evidence": list(f.evidence)} for f in self.elements],
            "red_flags": [
                {
                    "element": r.element,
                    "sentence": r.sentence,
                    "reason": r.reason,
                    "jurisdiction": r.jurisdiction,
                    "law": r.law,
                }
                for r in self.red_flags
            ],
            "stance": self.stance,
            "stance_evidence": list(self.stance_evidence),
            "disclosure": self.disclosure,
            "disclosure_evidence": list(self.disclosure_evidence),
        }


# ---------------------------------------------------------------------------------------------
# Compiled lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    search: re.Pattern[str]  # finds a match starting at a word start anywhere in the sentence
    at_word: re.Pattern[str]  # the same without the word-start check, to try at one position
    anchors: frozenset[str] | None  # word beginnings a match starts with (None: unknown)
    needs: tuple[frozenset[str], ...]  # for each set, a word every match contains begins so
    hint: str | None  # a character every match starts with, for patterns such as "#ad"


@dataclass(frozen=True, slots=True)
class _Cue:
    target: str  # an element id, or "stance:<stance>"
    parts: tuple[_Part, ...]  # all must match, in any order
    weight: float
    on_original: bool  # matched against the original-case text (acronyms)
    group: int  # the lexicon entry it comes from: alternatives of one pattern count once


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """Every cue, indexed by the word beginnings it needs.

    A regex search over a sentence costs microseconds and there are hundreds of cues, so a
    sentence is only tried against the cues whose words it contains, and a cue is tried only at
    the positions where such a word starts (a match there is a fraction of a search)."""

    cues: tuple[_Cue, ...]
    # The same cues as plain tuples for the hot loop: (group, target, weight, on_original,
    # needs of all parts but the one the index already checked, ((anchors, match, search,
    # hint), ...)).
    flat: tuple[tuple[Any, ...], ...]
    headings: dict[str, re.Pattern[str]]
    any_heading: re.Pattern[str]  # every heading pattern as one: no match, no element named
    by_anchor: dict[str, tuple[int, ...]]  # word beginning -> cues whose words start so
    anchors: frozenset[str]  # the keys of by_anchor
    unanchored: tuple[int, ...]  # cues that must always be tried


@dataclass(frozen=True, slots=True)
class _View:
    """A sentence as the lexicon reads it."""

    lowered: str
    original: str
    beginnings: frozenset[str]  # every word's first 4 and first 6 characters (see _beginnings)


def _compile(
    target: str, cues: Cues, first_group: int, on_original: bool = False
) -> list[tuple[_Cue, int]]:
    """Cues of one element (or stance), each with the index of the part to index it on.

    A one-part pattern made of alternatives ("harass\\w*|bully\\w*|...") is split into one cue
    per alternative, all in the same group, so that each is indexed on its own words."""
    compiled = []
    # Every pattern starts at the start of a word ("inform" must not match inside "misinform");
    # the lower-cased text is matched case-sensitively, acronym cues keep their case.
    start = "(?<![A-Za-z0-9])" if on_original else "(?<![a-z0-9])"
    for group, (key, weight) in enumerate(cues.items(), start=first_group):
        variants: list[tuple[str, ...]] = [key] if isinstance(key, tuple) else [(key,)]
        if isinstance(key, str) and not on_original:
            variants = [(alternative,) for alternative in _alternatives(key)]
        for sources in variants:
            parts = tuple(
                _Part(
                    search=re.compile(f"{start}(?:{p})"),
                    at_word=re.compile(f"(?:{p})"),
                    anchors=None if on_original else cue_index.anchors(p),
                    # an acronym cue still needs its words, whatever their case
                    needs=cue_index.needs(p.lower()) if on_original else cue_index.needs(p),
                    hint=cue_index.leading_character(p),
                )
                for p in sources
            )
            costs = [cue_index.anchor_cost(part.needs[0] if part.needs else None) for part in parts]
            cue = _Cue(target, parts, float(weight), on_original, group)
            compiled.append((cue, costs.index(min(costs))))
    return compiled


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    pieces, depth, in_class, begin, i = [], 0, False, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(pattern[begin:i])
            begin = i + 1
        i += 1
    pieces.append(pattern[begin:])
    return pieces


@cache
def _lexicon() -> _Lexicon:
    known = {e.id for e in load_taxonomy()}
    pairs: list[tuple[_Cue, int]] = []
    headings = {}
    groups = 0
    for id_, entry in LEXICON.items():
        if id_ not in known:
            raise ValueError(f"lexicon names {id_}, which the taxonomy does not define")
        for cues, on_original in ((entry["cues"], False), (entry.get("case", {}), True)):
            pairs += _compile(id_, cues, groups, on_original)
            groups += len(cues)
        if entry.get("heading"):
            headings[id_] = re.compile(entry["heading"])
    for stance, cues in STANCE_CUES.items():
        pairs += _compile(f"stance:{stance}", cues, groups)
        groups += len(cues)
    by_anchor: dict[str, list[int]] = {}
    unanchored = []
    for number, (cue, indexed) in enumerate(pairs):
        needs = cue.parts[indexed].needs
        anchors = needs[0] if needs else None
        if anchors is None:
            unanchored.append(number)
        else:
            for anchor in anchors:
                by_anchor.setdefault(anchor, []).append(number)
    cues = tuple(cue for cue, _ in pairs)
    flat = tuple(
        (
            cue.group,
            cue.target,
            cue.weight,
            cue.on_original,
            # every word any part needs, checked before any pattern is tried (but for the set
            # the cue is indexed on: a sentence it is tried on has one of those words)
            _other_needs(cue, indexed),
            # the parts whose words are rarest first: a part that cannot be indexed is a
            # search of the whole sentence, tried last, once the others have matched
            tuple(
                (p.anchors, p.at_word.match, p.search.search, p.hint)
                for p in sorted(
                    cue.parts, key=lambda p: cue_index.anchor_cost(p.needs[0] if p.needs else None)
                )
            ),
        )
        for cue, indexed in pairs
    )
    return _Lexicon(
        cues=cues,
        flat=flat,
        headings=headings,
        any_heading=re.compile("|".join(f"(?:{p.pattern})" for p in headings.values())),
        by_anchor={k: tuple(v) for k, v in by_anchor.items()},
        anchors=frozenset(by_anchor),
        unanchored=tuple(unanchored),
    )


def _other_needs(cue: _Cue, indexed: int) -> tuple[frozenset[str], ...]:
    """The word sets a sentence must have for `cue`, without the one it is indexed on (which a
    sentence it is tried on always has), each set once."""
    own = cue.parts[indexed].needs
    skipped = own[0] if own else None
    others = [needed for part in cue.parts for needed in part.needs]
    if skipped is not None:
        others.remove(skipped)
    return tuple(dict.fromkeys(others))


_WORD = re.compile(r"[a-z0-9]+")
_LONG = itemgetter(slice(0, cue_index.LONG_ANCHOR))  # the whole word when it is shorter
_SHORT = itemgetter(slice(0, cue_index.ANCHOR_LENGTH))


def _view(lowered: str, original: str) -> _View:
    words = _WORD.findall(lowered)
    return _View(lowered, original, frozenset(map(_LONG, words)).union(map(_SHORT, words)))


def _scores(lexicon: _Lexicon, view: _View) -> dict[str, float]:
    """Cue weights summed per element (and per stance) for one sentence.

    The classifier's hot loop, written flat: candidate cues come from the index; for each part
    of a cue, a missing needed word rules it out at once; otherwise the pattern is tried only
    at the word starts it can begin with (a `match` there is much cheaper than a `search`)."""
    lowered, beginnings = view.lowered, view.beginnings
    find = lowered.find
    candidates = set(lexicon.unanchored)
    by_anchor = lexicon.by_anchor
    for anchor in beginnings & lexicon.anchors:
        candidates.update(by_anchor[anchor])
    totals: dict[str, float] = {}
    matched: set[int] = set()
    flat = lexicon.flat
    for number in candidates:
        group, target, weight, on_original, needs, parts = flat[number]
        if group in matched:
            continue  # another alternative of the same pattern already counted
        for needed in needs:
            if needed.isdisjoint(beginnings):
                break  # a word every match contains is absent
        else:
            for anchors, match, search, hint in parts:
                if anchors is None:
                    if hint is not None and hint not in lowered:
                        break
                    if search(view.original if on_original else lowered) is None:
                        break
                    continue
                for anchor in anchors & beginnings:
                    position = find(anchor)
                    while position >= 0:
                        if (position == 0 or not lowered[position - 1].isalnum()) and match(
                            lowered, position
                        ) is not None:
                            break  # the part matches at a word start
                        position = find(anchor, position + 1)
                    else:
                        continue  # not at this word: try the part's next word
                    break
                else:
                    break  # the part matches nowhere: the cue does not
            else:
                matched.add(group)
                totals[target] = totals.get(target, 0.0) + weight
    return totals


# ---------------------------------------------------------------------------------------------
# Normalising a sentence for matching
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
     "\u00a0": " ", "\u2010": "-", "\u2011": "-"}
)  # fmt: skip
_SPACES = re.compile(r"\s+")

# Capitalised words that are not the organisation's name even when frequent: platforms, functions
# and policy vocabulary. Replacing them by "company" would break cues such as "Corporate
# Communications" or "Customer Care".
_NOT_ORG_NAMES = frozenset(
    """
    the this that these those our your their we you they it its if when where while what which who
    all any each every for and but or not no do don't never only please note also however
    policy policies standard standards guidelines guideline guidance procedure procedures code
    conduct social media team teams office offices department communications corporate compliance
    legal marketing security privacy relations press public affairs customer customers care
    support services service human resources people information data protection technology chief
    executive officer director head manager management board committee council university college
    school trust firm bank company group employee employees staff associate associates member
    members workforce faculty student students patient patients client clients contact centre
    center help desk health insurance act section rule federal trade commission national labor
    labour united states kingdom european union general regulation freedom internet web
    facebook instagram twitter linkedin tiktok youtube snapchat reddit pinterest whatsapp threads
    bluesky mastodon discord telegram wechat glassdoor yelp google microsoft apple amazon slack
    zoom monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december effective owner version approved
    purpose scope applies overview introduction definitions questions resources enforcement
    violations breaches related responsible last reviewed state government police learning
    disciplinary equal employment opportunity acceptable use electronic cyber emergency
    registration training branding administrators records measurement respect accuracy copyright
    photos speaking confidential personal official business general principles purpose
    personnel workers worker users user content platforms platform channels channel accounts
    account network networks website websites internet online digital brand brands products
    product services service guidance note notes section sections part appendix annex schedule
    definitions definition introduction summary background context responsibilities
    """.split()
)
ORG_NAME_REPEATS = 5
_CAPITALISED = re.compile(r"(?<![\w'])([A-Z][a-z][A-Za-z&-]{2,})\b")
_ORG_SUFFIX = (
    r"(?:\s+(?:inc\.?|ltd\.?|llc|plc|corp\.?|corporation|group|stores?|health(?: system)?|bank|"
    r"financial(?: group)?|university|council|trust|foundation|hospital|systems?|holdings|company|"
    r"co\.?|harbor|harbour))*"
)


_Organisation = tuple[str, re.Pattern[str]]  # the name in lower case, and how to find it


def _organisation_pattern(document: Document) -> _Organisation | None:
    """The policy owner's own name, found as the capitalised word it repeats most (not counting
    sentence starts), provided it also appears in the title or opening lines."""
    counts: Counter[str] = Counter()
    for sentence in document.sentences[:80]:  # the name recurs early; enough to count there
        for match in _CAPITALISED.finditer(sentence.text):
            if match.start() == 0:
                continue
            word = match.group(1)
            if word.lower() not in _NOT_ORG_NAMES:
                counts[word] += 1
    first_line = document.text.strip().split("\n", 1)[0].strip() if document.text.strip() else ""
    if len(first_line.split()) > 10 or first_line.endswith((".", "!", "?")):
        first_line = ""  # a sentence, not a title
    title = f"{document.title or ''} {first_line}".lower()
    text = document.text.lower()
    opening = document.text[:600].lower()
    # A word of the title beats a frequent word of the opening lines.
    ranked = sorted(counts.items(), key=lambda item: (item[0].lower() not in title, -item[1]))
    for rank, (word, count) in enumerate(ranked[:3]):
        in_title = word.lower() in title and text.count(word.lower()) >= 2
        # a name repeated throughout, as excerpts and third-party copies of a policy keep it
        recurring = rank == 0 and count >= ORG_NAME_REPEATS
        if in_title or (count >= 3 and word.lower() in opening) or recurring:
            name = re.escape(_full_name(word, document.text).lower())
            return word.lower(), re.compile(rf"\b(?:st\.? |saint )?{name}{_ORG_SUFFIX}(?:'s)?\b")
    return None


def _full_name(word: str, text: str) -> str:
    """Extend "Alpine" to "Alpine Crest" when the same capitalised word mostly follows it."""
    # The word first and the word boundary before it checked behind it: a pattern that starts
    # with a literal is searched for as fast as str.find.
    name = re.escape(word)
    following = Counter(re.findall(rf"{name}(?<!\w{name})\s+([A-Z][a-z]+)\b", text))
    total = len(re.findall(rf"{name}(?<!\w{name})\b", text))
    if following:
        second, count = following.most_common(1)[0]
        if count >= 2 and count >= 0.5 * total and second.lower() not in _NOT_ORG_NAMES:
            return f"{word} {second}"
    return word


def _normalise(text: str, organisation: _Organisation | None) -> tuple[str, str]:
    """(lower-cased text for the lexicon, original-case text for acronyms)."""
    original = " ".join(text.translate(_QUOTES).split())
    lowered = original.lower()
    if organisation is not None and organisation[0] in lowered:
        lowered = organisation[1].sub("company", lowered)
    return lowered, original


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------


@dataclass
class _Scored:
    sentence: Sentence
    lowered: str
    original: str
    scores: dict[str, float]  # from its words, its list's lead-in and its heading
    own: dict[str, float]  # from its own words (and its list's lead-in) only


# Examples a sentence gives in passing ("breaches, such as disclosing confidential information,
# may lead to discipline"): when the rest of the sentence is clearly about something else, they
# count for less, so the sentence is filed under what it is about (a list of policy names after
# "including" does not make a policy about each of them).
_EXAMPLE_CLAUSE = re.compile(
    r"\b(?:such as|including(?: but not limited to)?|for example|for instance|e\.g\.)[^.;:()]*",
    re.IGNORECASE,
)
EXAMPLE_WEIGHT = 0.5
LEAD_IN_WEIGHT = 0.5


# A sentence that lays down a rule (a modal of obligation or prohibition, or an instruction)
# says more about the element its words name than one that describes: "avoid insults" is a
# civility rule, "insults hurt" is not. Such a sentence's cue weights count a little more.
_RULE = re.compile(
    r"\b(?:must|mustn't|should|shouldn't|shall|may not|cannot|can't|need to|needs to|have to|"
    r"has to|required to|expected to|permitted|allowed|prohibited|forbidden|never|always|do not|"
    r"don't|please|ensure|make sure|remember|avoid|refrain|won't|will not)\b"
)
# Instructions: a sentence opening with one of these verbs ("Keep it civil", "Report it").
_INSTRUCTIONS = frozenset(
    "be do keep use think make respect protect ask check report follow only get take treat "
    "disclose identify refer direct let stay stick separate limit lock consider choose update "
    "register add write speak tell contact send pass seek obtain credit cite link share post give "
    "include mind escalate flag notify delete remove correct admit disagree respond reply know no "
    "resist".split()
)
RULE_BONUS = 0.5


def _is_instruction(lowered: str) -> bool:
    first = lowered.lstrip("\"'([*- ").split(" ", 1)[0]
    return first.rstrip(",:;") in _INSTRUCTIONS


def _sentence_scores(
    lexicon: _Lexicon, text: str, organisation: _Organisation | None
) -> tuple[str, str, dict[str, float]]:
    """A sentence's text as matched (lowered, original) and the cue weights of its words."""
    lowered, original = _normalise(text, organisation)
    scores = _scores(lexicon, _view(lowered, original))
    if scores and (_is_instruction(lowered) or _RULE.search(lowered)):
        for id_, value in scores.items():
            if WEAK <= value < STRONG and not id_.startswith("stance:"):
                scores[id_] = value + RULE_BONUS
    # Only a sentence supporting two elements or more can be filed under the wrong one.
    supported = sum(1 for value in scores.values() if value >= WEAK)
    if supported >= 2 and _EXAMPLE_CLAUSE.search(text):
        main = _scores(lexicon, _view(*_normalise(_EXAMPLE_CLAUSE.sub(" ", text), organisation)))
        if max(main.values(), default=0.0) >= STRONG:
            for id_, value in scores.items():
                rest = main.get(id_, 0.0)
                if rest < WEAK and value > rest:
                    scores[id_] = rest + EXAMPLE_WEIGHT * (value - rest)
    return lowered, original, scores


def _supporting(scored: Sequence[_Scored], id_: str) -> list[tuple[float, _Scored]]:
    found = [(s.scores[id_], s) for s in scored if s.scores.get(id_, 0.0) >= WEAK]
    found.sort(key=lambda pair: (-pair[0], pair[1].sentence.index))
    return found


def _is_present(support: Sequence[tuple[float, _Scored]], id_: str) -> bool:
    """One strong sentence, or two weak ones of which one has words of its own for the element
    (a section heading alone, under which any sentence stands, is not enough)."""
    if not support:
        return False
    if support[0][0] >= STRONG:
        return True
    return len(support) >= 2 and any(s.own.get(id_, 0.0) > 0 for _, s in support)


def _score_all(document: Document) -> list[_Scored]:
    lexicon = _lexicon()
    organisation = _organisation_pattern(document)
    heading_cache: dict[str, set[str]] = {}
    lead_cache: dict[str, dict[str, float]] = {}
    scored: list[_Scored] = []
    for sentence in document.sentences:
        if sentence.heading is not None and sentence.text.strip() == sentence.heading.strip():
            continue  # a heading repeated as a sentence: it only labels what follows
        if len(sentence.text.split()) < 2:
            continue  # "Disclaimers." alone is a label, not a statement
        lowered, original, own = _sentence_scores(lexicon, sentence.text, organisation)
        if sentence.text.rstrip().endswith(":"):
            # "Employees who post for us must:" introduces what follows, like a heading
            own = {id_: LEAD_IN_WEIGHT * value for id_, value in own.items()}
        if sentence.lead_in:
            # "You must not:" / "- share customer data": the item read with its lead-in, less
            # what the lead-in says by itself.
            if sentence.lead_in not in lead_cache:
                lead_cache[sentence.lead_in] = _sentence_scores(
                    lexicon, sentence.lead_in, organisation
                )[2]
            lead = lead_cache[sentence.lead_in]
            both = _sentence_scores(lexicon, f"{sentence.lead_in} {sentence.text}", organisation)[2]
            for id_, value in both.items():
                added = value - lead.get(id_, 0.0)
                if added > own.get(id_, 0.0):
                    own[id_] = added
        scores = dict(own)
        if sentence.heading:
            if sentence.heading not in heading_cache:
                heading = _normalise(sentence.heading, organisation)[0]
                heading_cache[sentence.heading] = (
                    {id_ for id_, pattern in lexicon.headings.items() if pattern.search(heading)}
                    if lexicon.any_heading.search(heading)
                    else set()
                )
            for id_ in heading_cache[sentence.heading]:
                scores[id_] = scores.get(id_, 0.0) + HEADING_BONUS
        scored.append(_Scored(sentence, lowered, original, scores, own))
    return scored


# A sentence is filed under at most this many elements, unless it is the only evidence of
# another one it strongly supports.
MAX_ELEMENTS_PER_SENTENCE = 2


def _file_evidence(
    candidates: dict[str, list[tuple[float, _Scored]]],
) -> dict[str, tuple[str, ...]]:
    """Evidence per element found, each sentence under the (at most two) elements its own words
    support most; `candidates` are (score from its own words, sentence), best first."""
    filings: dict[int, list[tuple[float, str]]] = {}
    for id_, support in candidates.items():
        for own, s in support:
            filings.setdefault(s.sentence.index, []).append((own, id_))
    allowed = {
        index: {id_ for _, id_ in sorted(filed, reverse=True)[:MAX_ELEMENTS_PER_SENTENCE]}
        for index, filed in filings.items()
    }
    evidence: dict[str, tuple[str, ...]] = {}
    for id_, support in candidates.items():
        kept = [s for _, s in support if id_ in allowed[s.sentence.index]]
        if not kept:
            kept = [support[0][1]]  # every finding shows the sentence that supports it best
        evidence[id_] = tuple(s.sentence.text for s in kept[:MAX_EVIDENCE])
    return evidence


def classify(document: Document) -> Classification:
    """Elements found, red flags, stance and disclosure mechanism of one policy."""
    scored = _score_all(document)
    supported: dict[str, list[_Scored]] = {}
    for s in scored:
        for id_, value in s.scores.items():
            if value >= WEAK:
                supported.setdefault(id_, []).append(s)
    candidates: dict[str, list[tuple[float, _Scored]]] = {}
    for id_ in LEXICON:
        support = _supporting(supported.get(id_, ()), id_)
        if _is_present(support, id_):
            # Evidence has words of its own for the element: a heading alone is not evidence.
            own = [(s.own.get(id_, 0.0), s) for _, s in support]
            candidates[id_] = [(v, s) for v, s in own if v > 0] or own

    stance, stance_support = _stance(scored)
    if stance != "unclear":
        candidates["E02"] = stance_support  # stance cues are a sentence's own words
    findings = _file_evidence(candidates)
    stance_evidence = findings.get("E02", ())

    disclosure, disclosure_evidence = _disclosure(scored, findings)
    flags = _red_flags(scored, set(findings), disclosure)
    return Classification(
        source=document.source,
        elements=tuple(ElementFinding(id_, findings[id_]) for id_ in sorted(findings)),
        red_flags=tuple(flags),
        stance=stance,
        stance_evidence=stance_evidence,
        disclosure=disclosure,
        disclosure_evidence=disclosure_evidence,
    )


def classify_text(text: str, source: str = "text") -> Classification:
    """Classify a policy given as plain or markdown-ish text, read the way `smpp classify`
    reads a text file (so tests and benchmarks go through the production path)."""
    if not text.strip():
        return classify(Document(source, None, text, (), "text"))
    return classify(read_document(text.encode("utf-8"), "text/plain", source))


def _stance(scored: Sequence[_Scored]) -> tuple[str, list[tuple[float, _Scored]]]:
    """The participation stance whose strongest sentence is strongest (then: most support),
    with its supporting sentences, strongest first."""
    per_stance: dict[str, list[tuple[float, _Scored]]] = {}
    for stance in STANCE_CUES:
        key = f"stance:{stance}"
        hits = [
            (s.scores[key], s)
            for s in scored
            # "you remain free to discuss your pay" is a carve-out (E15), not a stance
            if s.scores.get(key, 0.0) >= 1.5 and s.own.get("E15", 0.0) < WEAK
        ]
        hits.sort(key=lambda pair: (-pair[0], pair[1].sentence.index))
        if hits:
            per_stance[stance] = hits
    if not per_stance:
        return "unclear", []
    # Ties: an invitation outweighs a permission, and a permission outweighs limits on work time.
    order = ("encourage", "permit", "restrict")
    best = max(
        per_stance,
        key=lambda k: (per_stance[k][0][0], sum(v for v, _ in per_stance[k]), -order.index(k)),
    )
    return best, per_stance[best]


# How a policy asks employees to disclose their affiliation, most specific first (after a
# disclosure hashtag such as #ad or #employee, which is looked for separately).
_DISCLOSURE_TAG = re.compile(
    r"#(?:ad|employee|emp|sponsored|spon|partner|paid|gifted)$|#\w*(?:employee|associate|staff|"
    r"team|crew|insider)s?$|#team\w+$",
    re.IGNORECASE,
)
_DISCLOSURE_MECHANISMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hashtag", re.compile(r"hashtag")),
    ("clear and conspicuous statement", re.compile(r"clear(?:ly)? and conspicuous")),
    ("disclaimer statement", re.compile(r"disclaimer")),
    (
        "profile bio",
        re.compile(
            r"(?<!only in your )(?<!just in your )(?<!not in your )(?<!only in the )\b(?:profile|"
            r"bio|biography|about (?:me|section))\b(?![^.;]{0,40}\b(?:not enough|alone|"
            r"insufficient|not sufficient|doesn't count|does not count))"
        ),
    ),
)
_SELF_IDENTIFY = re.compile(
    r"identify yourself|introduce yourself|let (?:it|that|this) be known|make (?:it|that) known|"
    r"(?:disclos|state|mention|identify|reveal|note|say|tell|make clear|"
    r"making clear|be clear about|be transparent about)\w*\b[^.]{0,40}\b(?:that (?:you|they)|"
    r"(?:your|their) (?:employment|affiliation|relationship|connection|role|employer))|that you "
    r"(?:are|work)|material connection|who you work for|you work (?:here|for|at)"
)


def _disclosure(
    scored: Sequence[_Scored], findings: dict[str, tuple[str, ...]]
) -> tuple[str | None, tuple[str, ...]]:
    if "E16" not in findings:
        return None, ()
    e16 = [s for _, s in _supporting(scored, "E16")]
    tags = [t for s in e16 for t in re.findall(r"#\w+", s.original) if _DISCLOSURE_TAG.match(t)]
    if tags:
        hits = [s for s in e16 if any(t in s.original for t in tags)]
        label = f"hashtag ({'/'.join(dict.fromkeys(tags))})"
        return label, tuple(s.sentence.text for s in hits[:MAX_EVIDENCE])
    for label, pattern in _DISCLOSURE_MECHANISMS:
        hits = [s for s in e16 if pattern.search(s.lowered)]
        if hits:
            return label, tuple(s.sentence.text for s in hits[:MAX_EVIDENCE])
    identifying = [s for s in e16 if _SELF_IDENTIFY.search(s.lowered)]
    if not identifying:
        return None, ()  # only a ban on anonymous or fake accounts: no affiliation disclosure
    disclaimers = [s for _, s in _supporting(scored, "E07") if "disclaimer" in s.lowered]
    if disclaimers:
        evidence = identifying[:2] + disclaimers[:2]
        return "disclaimer statement", tuple(s.sentence.text for s in evidence)
    return "self-identification in the post", tuple(
        s.sentence.text for s in identifying[:MAX_EVIDENCE]
    )


# ---------------------------------------------------------------------------------------------
# Red flags
# ---------------------------------------------------------------------------------------------


# Why each red flag matters, in words a consultant can read to a client, and what fixes it.
_CONFIDENTIAL_UNDEFINED = (
    "This bans sharing 'confidential' (or 'internal', 'non-public') information without saying "
    "what that covers, and the policy gives no examples and no protected-activity carve-out, so "
    "an employee could read it as forbidding talk about pay or working conditions. Fix: define "
    "it with examples such as trade secrets, unreleased financial results and customer data, and "
    "say it does not cover wages, hours or working conditions."
)
_CONFIDENTIAL_EMPLOYEES = (
    "This treats information about employees as confidential, which employees can read as a ban "
    "on discussing colleagues' pay, schedules or treatment, and the policy has no "
    "protected-activity carve-out. Fix: limit it to records the company holds in confidence "
    "(personnel files, medical data) and state that employees may discuss their own and their "
    "colleagues' terms and conditions."
)
_NON_DISPARAGEMENT = (
    "This forbids criticising or reflecting badly on the organisation, its management or "
    "colleagues, and nothing in the policy protects employees' right to discuss or complain "
    "about working conditions. Regulators have treated such civility and non-disparagement rules "
    "as unlawful. Fix: replace it with a narrow ban on harassment, threats, discrimination and "
    "knowingly false statements, and add a protected-activity carve-out."
)
_MEDIA_BAN = (
    "This stops employees talking to journalists at all, not just from speaking for the "
    "organisation; employees keep the right to talk to the press about their working "
    "conditions. Fix: say that only authorised spokespeople speak on behalf of the company and "
    "that media requests for an official comment go to Communications."
)
_LOGO_BAN = (
    "This bans any use of the organisation's name or logo on personal accounts or posts, "
    "including in lawful protest or in simply saying where one works. Fix: limit it to uses that "
    "impersonate the company, suggest an official account or endorsement, or are commercial."
)
_MONITOR_PERSONAL = (
    "This says the organisation may monitor employees' personal accounts, which can look like "
    "surveillance of protected activity (and in some US states and the UK raises privacy law "
    "issues). Fix: limit monitoring to official accounts, company systems and public mentions "
    "of the brand, and say personal accounts are not monitored."
)
_ACCESS_PERSONAL = (
    "This requires employees to give access to (or passwords for) their personal accounts, "
    "which many US states prohibit and which chills protected discussion. Fix: remove it; "
    "supervise business communications through approved, archived channels instead."
)
_BLANKET_APPROVAL = (
    "This requires approval of every post that mentions the organisation, which covers personal "
    "posts about work and is overbroad. Fix: require approval only for posts on official "
    "accounts or made on the company's behalf (and regulated promotions), and ask employees to "
    "identify themselves when they post about the company's products."
)
_OFF_DUTY = (
    "This extends the policy to off-duty, personal posts whenever they relate to the "
    "organisation, with no limiting language. Fix: say which off-duty conduct is covered "
    "(harassment of colleagues, disclosure of confidential information, speaking as the "
    "company) and that the policy does not restrict protected activity."
)
_BREAKS = (
    "This time rule reaches breaks, meal periods or time on the premises rather than working "
    "time. Fix: confine it to working time and company equipment, unless the use is work-related."
)
_REPORT_COLLEAGUES = (
    "This asks employees to report colleagues' posts or every unsolicited contact, which can "
    "turn coworkers into monitors of protected discussion. Fix: ask employees to route issues "
    "(threats, leaks, crises) to the right team, not to report colleagues' speech."
)
_LEGAL_BAN = (
    "This bans commenting on legal matters or claims in general, which can stop employees "
    "discussing claims about their own employment. Fix: ground the rule in a specific law "
    "(securities tipping, privilege, court orders) and say what it covers."
)
_ADVOCACY_UNDISCLOSED = (
    "The policy invites employees to promote the company or its products but never asks them "
    "to disclose that they work there. Under the FTC Endorsement Guides such posts are "
    "endorsements, and the company can be liable when the connection is not disclosed in the "
    "post. Fix: require a clear and conspicuous disclosure in each post (e.g. #employee or "
    "'I work at ...'); a bio mention is not enough, and monitor advocacy posts."
)


@dataclass(frozen=True)
class _Law:
    """Which law a red flag rests on, and where it applies: every flag here is a reading of US
    law (the NLRA as the NLRB and its General Counsel applied it, the FTC's Endorsement Guides,
    state statutes). Whether it matters for a client in another country is decided elsewhere."""

    jurisdiction: str
    law: str


_NLRA = "NLRA Section 7 (National Labor Relations Act)"
_LAW_CONFIDENTIALITY = _Law(
    "US", f"{_NLRA}; NLRB Acting General Counsel OM 12-31 and OM 12-59; Giant Food advice memo"
)
_LAW_NON_DISPARAGEMENT = _Law(
    "US", f"{_NLRA}; NLRB Acting General Counsel OM 12-31 and OM 12-59; Stericycle (NLRB 2023)"
)
_LAW_MEDIA = _Law("US", f"{_NLRA}; NLRB Acting General Counsel OM 12-59")
_LAW_LOGO = _Law("US", f"{_NLRA}; NLRB Giant Food advice memo")
_LAW_MONITORING = _Law("US", "NLRA Section 8(a)(1) (surveillance of protected concerted activity)")
_LAW_ACCOUNT_ACCESS = _Law(
    "US", "state social media privacy laws (e.g. California Labor Code section 980); " + _NLRA
)
_LAW_OVERBREADTH = _Law(
    "US", f"{_NLRA}; NLRB Acting General Counsel reports 2011-12; Stericycle (NLRB 2023)"
)
_LAW_ENDORSEMENT = _Law("US", "FTC Act Section 5; FTC Endorsement Guides (16 CFR Part 255)")


@dataclass(frozen=True)
class _FlagRule:
    """A risky wording: `words` (a cheap first test), then every pattern of `risky`, and none of
    `unless` (wording that narrows the rule enough, or negates it)."""

    element: str
    words: re.Pattern[str]
    risky: tuple[re.Pattern[str], ...]
    unless: re.Pattern[str] | None
    reason: str
    law: _Law
    carve_out_cures: bool = False  # no flag when the policy has a protected-activity carve-out
    supports: frozenset[str] = frozenset()  # the sentence must score on one of these elements


def _rule(
    element_id: str,
    words: str,
    risky: str | tuple[str, ...],
    unless: str | None,
    reason: str,
    law: _Law,
    **options: Any,
) -> _FlagRule:
    patterns = (risky,) if isinstance(risky, str) else risky
    if "supports" in options:
        options["supports"] = frozenset(options["supports"])
    return _FlagRule(
        element=element_id,
        words=re.compile(words),
        risky=tuple(re.compile(r) for r in patterns),
        unless=re.compile(unless) if unless else None,
        reason=reason,
        law=law,
        **options,
    )


_CONFIDENTIAL_BAN = re.compile(
    rf"(?:{NEG}|(?:must|should|shall) (?:not|"
    rf"never))\b[^.]{{0,60}}\b{DISCLOSE}\b[^.]{{0,40}}\b(?:{CONF}(?: (?:or|and|and/or) {CONF})?"
    rf"(?: \w+)?(?: \w+)? (?:{INFO}|business|affairs)|{INFO} (?:that|which) (?:is|are) "
    rf"(?:\w+ )?{CONF}|{INFO} (?:that|which) (?:has|have) not (?:yet )?been (?:made )?"
    r"(?:public|published|announced|released))|"
    rf"(?:{NEG})\b[^.]{{0,30}}\bunauthori[sz]ed (?:disclosures?|release)|"
    # "keep internal matters to yourself", "keep everything you learn at work confidential"
    rf"\bkeep (?:all |any )?(?:everything|anything|(?:{CONF} )?(?:company |business |work )?"
    rf"{INFO})\b[^.]{{0,40}}\b(?:to yourself|private|secret|(?:strictly )?confidential)\b"
)
_EMPLOYEE_INFO = re.compile(
    r"(?:information|details|data) (?:about|on|concerning) (?:employees|colleagues|co-?workers|"
    r"coworkers|staff|other employees|fellow)|(?:employee|personnel|staff) (?:information|records|"
    r"data|details)"
)
_EXAMPLES = re.compile(EXAMPLES)
_LABOUR_RIGHTS = re.compile(
    PROTECTED.replace(r"whistle-?blow\w*|", "").replace(
        r"protected disclosures?|public interest disclosure|", ""
    )
)
_COMMERCIAL = re.compile(
    r"\b(?:products?|services?|brands?|offers?|deals?|discounts?|launch\w*|sales?|stores?|shop\w*|"
    r"menus?|reviews?|promotions?|campaigns?|apps?|devices?|gear|collections?)\b"
)
# Monitoring confined to company systems, official accounts or public mentions.
_MONITORING_LIMITED = (
    r"(?:company|firm|work|corporate|our|business|\w+-issued|\w+-owned|approved) (?:systems?|"
    r"networks?|devices?|equipment|computers?|accounts?)|publicly available|public(?:ly)? (?:posts|"
    r"content|information|conversations)|official accounts?"
)
_NOT_DONE = (
    r"(?:do not|don't|does not|doesn't|will not|won't|never|not) (?:\w+ ){0,2}(?:monitor|track|"
    r"review|access|ask|request|surveil|watch)"
)

# Whom a non-disparagement rule protects from criticism.
_CRITICISED = (
    rf"(?:{ORG}|management|managers?|supervisors?|leadership|executives?|colleagues?|co-?workers?|"
    r"coworkers?|fellow (?:employees|associates)|elected members|its (?:policies|services|products|"
    r"physicians|leaders|employees|officers)|our (?:products|services|policies))"
)

# What opens a rule against criticism: a prohibition, or advice to stay away from it.
_BAN_OPENER = rf"(?:{NEG}|refrain|avoid|steer clear|do nothing)"

_FLAG_RULES: tuple[_FlagRule, ...] = (
    _rule(  # non-disparagement
        "E12",
        "disparag|critici|bad|negative|derogator|insult|defam|embarrass|reputation|detriment|"
        "fun|ridicul|complain|unflatter|disrepute|slander|goodwill|belittl|demean|mock|down|"
        "ill of|image|reflect|light|standing|good name",
        rf"(?:{_BAN_OPENER}\b[^.]{{0,60}}\b(?:disparag\w*|criticis\w*|critici[sz]\w*|"
        r"bad-?mouth\w*|negative (?:comments?|things?|remarks?|posts?|statements?)|"
        r"anything negative|derogatory|insult\w*|defam\w*|embarrass\w*|detrimental|make fun|"
        r"ridicul\w*|belittl\w*|demean\w*|mock\w*|(?:run|put|talk)\w* down|speak\w* ill of|"
        rf"complain\w*|unflattering|slander\w*)\b[^.]{{0,40}}\b{_CRITICISED}|"
        rf"{_BAN_OPENER}\b[^.]{{0,60}}\b(?:damag|harm|hurt|tarnish|slander|undermin|undercut|"
        rf"discredit|sull(?:y|ie)|besmirch)\w* (?:or \w+ )?(?:the |our )?{_CRITICISED}'?s? "
        rf"(?:\w+ )?(?:reputation|image|brand|good name|standing|goodwill)|"
        rf"(?:{NEG})\b[^.]{{0,60}}\b(?:undermin|"
        rf"damag|harm|hurt|tarnish|injur)\w* (?:the |our )?(?:goodwill|reputation|good name)"
        rf"\b[^.]{{0,80}}\b{_CRITICISED}|{_BAN_OPENER}\b[^.]{{0,60}}\bbring\w* "
        rf"(?:{ORG}|\w+ ){{0,4}}into "
        rf"disrepute|{_BAN_OPENER}\b[^.]{{0,60}}\breflect\w* (?:poorly|badly|negatively|"
        rf"unfavou?rably) (?:on|upon) (?:the |our )?{_CRITICISED}|{_CRITICISED}\b[^.]{{0,20}}\bin "
        r"a (?:negative|bad|poor|unfavou?rable) light\b[^.]{0,30}\b(?:not (?:be )?(?:allowed|"
        rf"permitted|acceptable|tolerated)|prohibited|forbidden)|{_BAN_OPENER}\b[^.]{{0,60}}\b"
        rf"{_CRITICISED}\b[^.]{{0,20}}\bin a (?:negative|bad|poor|unfavou?rable) light)",
        r"\b(?:remov|delet|hid(?:e|den)|moderat)\w*|(?:people|those|anyone|others|users|someone|"
        r"commenters|customers|critics|members of the public) (?:who|that) (?:\w+ )?(?:critici|"
        r"disparag|complain|insult|attack)",  # others' words, not a rule on employees
        _NON_DISPARAGEMENT,
        _LAW_NON_DISPARAGEMENT,
        supports=("E12",),
        carve_out_cures=True,
    ),
    _rule(  # media ban
        "E06",
        r"press|journalist|reporter|news|(?<!social )media",
        rf"(?:{NEG})\b[^.]{{0,40}}\b(?:speak|talk|communicate|comment|respond|give (?:an )?"
        r"interviews?|make (?:statements?|comments?)|contact|engage|"
        r"answer questions)\w*\b[^.]{0,30}?\b(?:to|with|for)? ?(?:the |any )?(?:(?<!social )media|"
        r"press|journalists?|reporters?|news (?:media|outlets|organi[sz]ations))\b|(?:all|any) "
        r"(?:contact|communications?|dealings|interactions?) with (?:the )?(?:media|press|"
        r"journalists|reporters)\b[^.]{0,40}\b(?:approv|authori[sz]|prohibit|not permitted)",
        rf"on behalf|for {ORG}|official|represent|in (?:an|your) official capacity|as a "
        r"(?:spokes|representative)|spokes\w*|as (?:if|though) you|speak for|company "
        r"(?:position|view)|about (?:company business|the company's business)",
        _MEDIA_BAN,
        _LAW_MEDIA,
    ),
    _rule(  # ban on the company's name or logo in personal posts
        "E17",
        "logo|name|trademark|mark|seal|brand|insignia|crest|image|photo|uniform",
        rf"(?:{NEG})\b[^.]{{0,40}}\b(?:use|using|post|posting|display|displaying|include|"
        r"including|reproduce|feature|show|wear)\b[^.]{0,40}\b(?:company|our|corporate|firm|"
        rf"university|council|employer|brand|{ORG})(?:'s)? (?:\w+ )?(?:names?|logos?|"
        r"trademarks?|marks?|seal|branding|brand|insignia|crest|images?|photos?|uniforms?)",
        r"in a way|so that|such that|handles?|user ?names?|screen ?names?|display names?|"
        r"account names?|profile (?:picture|photo|image)s?|avatars?|to (?:create|set up|open|"
        r"register|start) (?:\w+ ){0,3}(?:own )?(?:\w+ )?(?:page|account|group|website|site|"
        r"campaign|fundraiser)|fundrais|merchandise|which (?:could|might|may|would)|that (?:could|"
        r"might|may|would|suggests?|implies?)|impl(?:y|ies)|suggest|give the impression|mislead|"
        r"imperson|commercial|endorse|official|on behalf|advertis|\bsell|promot(?:e|ional) (?:a |"
        r"your )?(?:own |personal )?(?:business|products)|mistake|confus",
        _LOGO_BAN,
        _LAW_LOGO,
        supports=("E17", "E10"),
    ),
    _rule(  # monitoring of personal accounts
        "E23",
        "monitor|surveil|track|review|watch|inspect|audit",
        r"(?:monitor\w*|surveil\w*|track\w*|review\w*|watch\w*|inspect\w*|"
        r"audit\w*)\b[^.]{0,60}\b(?:personal|private|employees?'?|staff|your|associates?'?|"
        r"workforce members?'?|their) (?:own )?(?:personal )?(?:social media )?(?:accounts?|"
        r"profiles?|pages?|social media(?: activity| use| posts)?|online activity|posts)|"
        r"(?:monitor\w*|surveil\w*|track\w*|watch\w*)\b[^.]{0,40}\b(?:activity|accounts?|posts|"
        r"profiles?|use of social media) of (?:its |our |all |the )?(?:employees|staff|associates|"
        r"workers|personnel)",
        _NOT_DONE
        + "|"
        + _MONITORING_LIMITED
        + r"|\bto monitor your|\byou (?:should|must|need to|can|"
        r"may) (?:\w+ )?monitor",
        _MONITOR_PERSONAL,
        _LAW_MONITORING,
        supports=("E23",),
    ),
    _rule(  # access to personal accounts
        "E19",
        "password|credential|log-?in|log in|access|user ?name|friend|follow|connect|accept",
        r"(?:provide|disclose|share|give|hand over|surrender|reveal|grant|supply|request|require|"
        r"ask for|demand)\w*\b[^.]{0,50}\b(?:passwords?|log-?ins?|credentials|access|"
        r"user ?names?)\b[^.]{0,50}\b(?:personal|private) (?:social media )?(?:accounts?|profiles?|"
        r"pages?)|(?:must|required to|shall) (?:accept|add|friend|follow|connect with) "
        r"(?:\w+ ){0,5}(?:managers?|supervisors?)",
        _NOT_DONE,
        _ACCESS_PERSONAL,
        _LAW_ACCOUNT_ACCESS,
        supports=("E19", "E23", "E11"),
    ),
    _rule(  # every post about the company needs approval
        "E06",
        "approv|sign-off|sign off|signed off|authori|vetted|checked|permission|clearance|"
        "cleared|reviewed",
        r"(?:all|any|every)\b[^.]{0,20}\b(?:posts?|content|comments?|communications?|references?|"
        r"mentions?|tweets?|updates?|statements?)\b[^.]{0,60}\b(?:about|regarding|relating to|"
        r"related to|concerning|that (?:mentions?|refers? to|references?|discuss\w*|relates? to)|"
        r"mentioning|referring to|referencing|involving)\b[^.]{0,20}\b(?:"
        rf"{ORG}|our (?:products?|customers|services|brand))[^.]{{0,80}}\b(?:must|need to|needs "
        r"to|has to|have to|shall|should|requires?|required)\b[^.]{0,30}\b(?:be )?(?:approv|"
        rf"pre-?approv|clear|review|sign(?:ed)? off|authori[sz]|vetted|checked)|(?:{NEG})\b"
        r"[^.]{0,20}\b(?:post|mention|discuss|write|talk|publish|comment)\w*\b[^.]{0,30}\b"
        rf"(?:anything|about|on)\b[^.]{{0,20}}\b{ORG}\b[^.]{{0,60}}\bwithout (?:prior |first |"
        r"written )?(?:getting |obtaining |receiving )?(?:approval|permission|authori[sz]ation|"
        r"sign-?off|clearance)",
        r"official|on behalf|company accounts|corporate accounts|business accounts?|static content|"
        r"approved business|branded|advertis|financial promotions?|marketing materials?|"
        r"press releases?",
        _BLANKET_APPROVAL,
        _LAW_OVERBREADTH,
        supports=("E06", "E18"),
    ),
    _rule(  # off-duty reach
        "E01",
        "duty|outside|own time|personal time|all times|24/7|clock",
        (
            r"off[- ]duty|outside (?:of )?(?:work|working hours|the workplace|office hours)|(?:in|"
            r"on) (?:your|their) own time|personal time|at all times|24/7|off the clock",
            r"appl(?:y|ies)|cover(?:s|ed)?|govern(?:s|ed)?|extends?|reach(?:es)?|relevant",
            r"social|online|post|personal|conduct|activit|internet|blog|comment",
        ),
        r"only (?:where|when|if|to the extent)|to the extent|unlawful|illegal|harass\w*|threat\w*|"
        r"discriminat\w*|confidential|proprietary|trade secrets?|identify yourself|(?:purport|"
        r"claim) to (?:speak|represent)",
        _OFF_DUTY,
        _LAW_OVERBREADTH,
        supports=("E01",),
    ),
    _rule(  # a time rule reaching breaks
        "E04",
        "break|meal|lunch|personal time|non-working|premises",
        (
            rf"(?:{NEG})\b[^.]{{0,80}}\b(?:breaks?|meal periods?|lunch|personal time|"
            r"non-working time|premises)",
            r"social",
        ),
        r"except|other than|outside (?:of )?(?:your )?(?:breaks|working)|apart from|unless|\bonly "
        r"(?:during|on|in)",
        _BREAKS,
        _LAW_OVERBREADTH,
        supports=("E04",),
    ),
    _rule(  # reporting colleagues' posts
        "E20",
        r"report|notify|\binform\b|tell|unsolicited",
        (
            r"(?:must|are required to|shall|should|expected to|need to)\b[^.]{0,20}\b(?:report|"
            r"notify|inform|tell)\w*\b[^.]{0,60}\b(?:colleagues?'?|co-?workers?'?|coworkers?'?|"
            r"other (?:employees|associates|staff)|fellow (?:employees|associates|staff)|"
            r"another employee'?s?)|(?:all|any|every) unsolicited (?:communications?|contacts?|"
            r"messages?)",
            r"posts?|comments?|activity|content|social media|unsolicited",
        ),
        r"harass|threat|violen|unlawful|illegal|discriminat|safety|confidential information|"
        r"self-harm|abuse",
        _REPORT_COLLEAGUES,
        _LAW_MEDIA,
    ),
    _rule(  # blanket ban on discussing legal matters
        "E09",
        "legal|litigation|lawsuit|claims",
        rf"(?:{NEG})\b[^.]{{0,40}}\b(?:comment|discuss|post|talk|"
        rf"write)\w*\b[^.]{{0,30}}\b(?:legal matters|litigation|lawsuits?|legal proceedings|"
        rf"legal claims|claims against {ORG}|pending legal)",
        r"securities|insider|\bftc\b|privilege|court order|sub judice|contempt|on behalf|official",
        _LEGAL_BAN,
        _LAW_MEDIA,
        supports=("E09",),
    ),
)


def _red_flags(
    scored: Sequence[_Scored], present: set[str], disclosure: str | None
) -> list[RedFlag]:
    # A carve-out anywhere in the policy limits its confidentiality and civility rules when it
    # protects what those rules could be read to forbid (pay, working conditions, Section 7
    # rights, protected activity); one for whistleblowing alone does not.
    carve_out = "E15" in present and any(
        s.own.get("E15", 0.0) >= WEAK and _LABOUR_RIGHTS.search(s.lowered) for s in scored
    )
    # A ban on "confidential information" is defined if some confidentiality sentence gives
    # examples of what is meant.
    defined_confidentiality = any(
        _EXAMPLES.search(s.lowered) for s in scored if s.scores.get("E08", 0.0) >= WEAK
    )
    flags: list[RedFlag] = []
    seen: set[tuple[str, str]] = set()

    def add(element_id: str, s: _Scored, reason: str, law: _Law) -> None:
        key = (element_id, s.sentence.text)
        if key not in seen:
            seen.add(key)
            text = _reason(element_id, reason)
            flags.append(RedFlag(element_id, s.sentence.text, text, law.jurisdiction, law.law))

    for s in scored:
        text = s.lowered
        positive = {id_ for id_, value in s.scores.items() if value > 0}
        if not carve_out and "E08" in positive and _CONFIDENTIAL_BAN.search(text):
            if _EMPLOYEE_INFO.search(text):
                add("E08", s, _CONFIDENTIAL_EMPLOYEES, _LAW_CONFIDENTIALITY)
            elif not defined_confidentiality and not _EXAMPLES.search(text):
                add("E08", s, _CONFIDENTIAL_UNDEFINED, _LAW_CONFIDENTIALITY)
        for rule in _FLAG_RULES:
            if rule.carve_out_cures and carve_out:
                continue
            if rule.supports and rule.supports.isdisjoint(positive):
                continue
            if not rule.words.search(text):
                continue
            if all(r.search(text) for r in rule.risky) and not (
                rule.unless and rule.unless.search(text)
            ):
                element_id = rule.element
                if element_id == "E17" and "E17" not in present and "E10" in present:
                    element_id = "E10"  # a logo rule in a policy that treats it as trademarks
                add(element_id, s, rule.reason, rule.law)

    if "E05" in present and disclosure is None:
        # The FTC's concern is endorsement of what the company sells, not sharing its news.
        commercial = [s for _, s in _supporting(scored, "E05") if _COMMERCIAL.search(s.lowered)]
        if commercial:
            add("E05", commercial[0], _ADVOCACY_UNDISCLOSED, _LAW_ENDORSEMENT)
    return flags


def _reason(element_id: str, specific: str) -> str:
    basis = element(element_id).red_flag
    return f"{specific} Basis: {basis}" if basis else specific
