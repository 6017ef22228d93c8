"""The canonical procurement stages and the words officers use for them.

A stage here is global (the same `standstill` in every route); each route in `tools.timeline.rules`
says which stages it has, in what order and under which rule. Synonyms are matched as whole words in a
stage name as written, the longest phrase winning, so "Publication of final tender documentation" is
final tenders rather than the tender notice, and "Contract award notice" is not the contract award.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class StageType:
    """A canonical stage: its id, its name in plans, and the names officers give it."""

    id: str
    name: str
    synonyms: tuple[str, ...]


def _stage(id: str, name: str, synonyms: str) -> StageType:
    return StageType(id, name, tuple(word.strip() for word in synonyms.split("|")))


_STAGES = (
    _stage(
        "strategy-approval",
        "Procurement strategy approval",
        "procurement strategy|strategy approval|approval to procure|business case|sign off|signs off|"
        "approve approach|procurement approach|key decision|procurement plan|decision to procure|"
        "scope approval|approve scope|funding envelope|approval of strategy",
    ),
    _stage(
        "statement-of-intent",
        "Statement of intent issued",
        "statement of intent|commissioner requirements|statement of commissioner requirements",
    ),
    _stage(
        "provider-response",
        "Provider response",
        "provider response|providers respond|response from providers|initial response|method statement|"
        "confirm views|provider views|providers views",
    ),
    _stage("co-design", "Co-design", "co-design|codesign|co-production|design workshops|design phase"),
    _stage(
        "psr-msp-notice",
        "Notice of intention to follow the most suitable provider process",
        "most suitable provider|msp notice|intention to follow",
    ),
    _stage(
        "conflicts-assessment",
        "Conflicts assessment",
        "conflicts assessment|conflict assessment|conflicts of interest assessment|"
        "conflict of interest assessment|assess conflicts",
    ),
    _stage(
        "transparency-notice",
        "Transparency notice",
        "transparency notice|uk5|voluntary transparency notice|veat|intention to award directly",
    ),
    _stage(
        "contract-notice",
        "Contract notice published",
        "contract notice|tender notice|publication of tender|publish tender|tender published|advert|"
        "advertise|advertisement|ojeu|find a tender|contracts finder|itt issued|issue itt|"
        "invitation to tender|publication of the tender|go to market|launch tender|notice published|"
        "tender launch|uk4",
    ),
    _stage(
        "participation-period",
        "Requests to participate",
        "requests to participate|request to participate|participation period|participation|"
        "selection questionnaire|sq|pqq|expression of interest|expressions of interest|eoi",
    ),
    _stage(
        "shortlisting",
        "Selection and shortlisting",
        "shortlisting|shortlist|selection|sq evaluation|pqq evaluation|invitation to participate",
    ),
    _stage(
        "tender-period",
        "Tender period",
        "tender period|tendering period|tender return|tender submission|tenders submitted|tender deadline|"
        "bids|bid submission|itt return|response period|initial tenders|tender|tenders|bidding|tenders due|"
        "competitive selection process|call off competition|mini competition|further competition",
    ),
    _stage("dialogue", "Dialogue", "dialogue|dialog|dialogue sessions|dialog sessions"),
    _stage("negotiation", "Negotiation", "negotiation|negotiations|negotiate"),
    _stage(
        "final-tenders",
        "Final tenders",
        "final tender|final tenders|call for final tenders|isft|final offers|best and final",
    ),
    _stage(
        "provider-assessment",
        "Assessment against the key criteria",
        "key criteria|provider assessment|assess provider|assessment of provider|assessment",
    ),
    _stage(
        "evaluation",
        "Evaluation",
        "evaluation|evaluate|moderation|scoring|clarification|presentations|interviews|tender evaluation|"
        "evaluation of tenders|evaluation of bids|evaluation of final tenders",
    ),
    _stage(
        "award-approval",
        "Award approval",
        "award approval|approval of award|approve award|award recommendation|award report|approval to award|"
        "board approval|cabinet approval|governing body approval|approval|final decision|decision",
    ),
    _stage(
        "award-decision",
        "Award decision notices",
        "award decision|award decision notice|intention to award|notice of intention|intention notice|"
        "outcome letters|notification of award|award notification|preferred bidder|outcome|"
        "assessment summaries|assessment summary|debrief",
    ),
    _stage("standstill", "Standstill", "standstill|stand still|alcatel|representations"),
    _stage(
        "contract-signature",
        "Contract award and signature",
        "contract award|award of contract|award contract|contract signature|contract signed|sign contract|"
        "contract let|contract agreed|contract|contracts signed|award|contract signing|framework concluded|"
        "framework agreement concluded|conclude framework|framework awarded",
    ),
    _stage(
        "contract-award-notice",
        "Contract award notice",
        "contract award notice|award notice|notice of award|award published|record of contract|"
        "confirmation of award|award confirmation|uk6|confirmation of contract award|notice of urgent award|"
        "urgent award notice",
    ),
    _stage(
        "contract-details-notice",
        "Contract details notice",
        "contract details notice|contract details|publish contract|uk7",
    ),
    _stage(
        "mobilisation",
        "Mobilisation",
        "mobilisation|mobilization|implementation|transition|tupe|handover|mobilise",
    ),
    _stage(
        "service-start",
        "Service start",
        "service start|service starts|service commences|service commencement|commence|commencement|go live|"
        "contract start|start of service|start of contract|new service|launch|service begins|live|"
        "services commence|contract commences",
    ),
)

STAGE_TYPES: dict[str, StageType] = {stage.id: stage for stage in _STAGES}

_CONJUNCTION = re.compile(r"\s+(?:and|&|then|plus)\s+|\s*[/+;]\s*")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower case, words only, single spaces: `Co-design` -> `co design`."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _phrases() -> dict[str, tuple[int, int, str]]:
    """Each synonym, normalised, with what ranks it: longer phrases first, then the stage listed first."""
    phrases: dict[str, tuple[int, int, str]] = {}
    for order, stage in enumerate(_STAGES):
        for phrase in (stage.name, *stage.synonyms):
            words = normalise(phrase)
            phrases.setdefault(words, (-len(words), order, stage.id))
    return phrases


_PHRASES = _phrases()
_LONGEST = max(len(phrase.split()) for phrase in _PHRASES)


def match_one(text: str) -> str | None:
    """The canonical stage id whose longest synonym appears, as whole words, in `text`; or None."""
    words = normalise(text).split()
    found = [
        _PHRASES[phrase]
        for size in range(1, min(_LONGEST, len(words)) + 1)
        for start in range(len(words) - size + 1)
        if (phrase := " ".join(words[start : start + size])) in _PHRASES
    ]
    return min(found)[2] if found else None


def match_stages(text: str) -> list[str]:
    """The canonical stages a stage name describes: two for "Evaluation and contract award".

    The name is split at "and", "&", "/" and the like only when every part names a different stage;
    otherwise the whole name is matched as one ("Evaluation and moderation" is one stage).
    """
    parts = [part for part in _CONJUNCTION.split(text) if part.strip()]
    if len(parts) > 1:
        matched = [match_one(part) for part in parts]
        if all(matched) and len(set(matched)) == len(matched):
            return [stage for stage in matched if stage]
    whole = match_one(text)
    return [whole] if whole else []
