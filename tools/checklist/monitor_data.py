"""The Monitor questions and the wider checks of the 2013 regulations, as data.

The seven questions are worded as the Sheffield CCG Governing Body paper (3 September 2015, Appendix 1)
puts them: "Questions for Commissioners to consider in relation to Regulations 2 and 3 as posed by
Monitor". Monitor's own verbatim list was not found (procurement-rules.md A4), so the wording is
`confirmed-2nd`. The regulation each serves, and the wider checks, come from the regulation text
(procurement-rules.md A3).

Each question names the evidence it expects as elements. An element is found when one sentence of the
paper matches one of its phrases. Phrase syntax (kept simple so an officer can edit it):
- a phrase is one or more terms joined by ` & `, all of which must appear in the same sentence;
- within a term, `|` separates synonyms (`impact|effect & providers`: impact or effect, and providers);
- a trailing `*` matches any word ending (`integrat*`: integrate, integrated, integration);
- a space matches a space or a hyphen (`person centred`: person-centred).
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.rules import Rule

SHEFFIELD = (
    "Sheffield CCG Governing Body, 'Active Support and Recovery: Procurement Approach' "
    "(3 September 2015), Appendix 1"
)
REGS = "https://www.legislation.gov.uk/uksi/2013/500/regulation/3/made"


@dataclass(frozen=True)
class Element:
    """One piece of evidence a question expects.

    Attributes:
        name: what it is, as an officer would say it.
        phrases: the words that show it (see the module docstring for the syntax).
        suggestion: what to add to the paper when it is missing.
    """

    name: str
    phrases: tuple[str, ...]
    suggestion: str


@dataclass(frozen=True)
class Check:
    """A question (or a wider regulation check), its rule and the evidence it expects."""

    number: int
    key: str
    question: str
    elements: tuple[Element, ...]
    rule: Rule


def _question(number: int, key: str, question: str, regulation: str, *elements: Element) -> Check:
    rule = Rule(
        f"pccr2013.monitor.q{number}",
        question,
        regulation,
        f"{SHEFFIELD}; {REGS}",
        status="confirmed-2nd",
    )
    return Check(number, key, question, elements, rule)


NEEDS = Element(
    "a needs assessment",
    (
        "needs assessment*|needs analysis|JSNA|health needs|healthcare needs|health care needs",
        "needs & population|demograph*|prevalence",
    ),
    "Summarise the needs assessment (for example the JSNA) and the population needs it found.",
)
ENGAGEMENT = Element(
    "engagement with the public or patients",
    (
        "engag*|consultation*|consulted|consulting|involvement|involved|involving|tested with|listen*|"
        "survey*|focus group*|co design*|co produc*"
        " & public|patient*|citizen*|communit*|service user*|carer*|resident*|Healthwatch",
    ),
    "Say how patients, carers or the public were engaged (who, when, how many) and what they said.",
)
CLINICAL = Element(
    "clinical input",
    (
        "clinician*|clinical|GP|GPs|general practi*|member practice*|LMC|consultant*|nurse*"
        " & input|advice|advis*|involv*|engag*|tested|view*|consult*|design*|workshop*|updates|"
        "reference group",
    ),
    "Name the clinical input: which clinicians or GP practices advised, and how it shaped the model.",
)
BEST_PRACTICE = Element(
    "evidence of best practice",
    (
        "best practice|good practice|national evidence|evidence base*|research|nice guid*|guidance|"
        "Five Year Forward View|benchmark*|evaluation of",
    ),
    "Cite the evidence of best practice relied on (national guidance, NICE, evaluations elsewhere).",
)
HOLISTIC = Element(
    "a holistic view of users' needs",
    (
        "holistic*|person centred|people focused|whole person|individual needs",
        "(patient*|person|people|individual*|user*|citizen*) (is |are )?at the (heart|centre)",
        "individual* & needs",
    ),
    "Show that the needs of the whole person (health, social care, carers) were considered together.",
)
EQUITABLE = Element(
    "equitable access for different groups",
    (
        "equitable|equality impact|equality analysis|inequalit*|equalit*|different groups|"
        "protected characteristic*|hard to reach|seldom heard|different communities|access for all",
    ),
    "Add the equality impact assessment and how access will be equitable for different groups.",
)
SUSTAINABILITY = Element(
    "the sustainability of services",
    ("sustainab*|unsustainab*|continuity of (care|service*)|longer term|long term contract*|viab*",),
    "Say how the decision keeps services sustainable over the contract term.",
)
PROVIDER_IMPACT = Element(
    "the impact on providers and other services",
    (
        "instabilit*|destabilis*|health and care economy|ability of providers|"
        "provider market|market stabilit*|knock on|"
        "(impact|effect) on (the )?(provider*|other services|market)",
    ),
    "Assess the impact of the decision on providers' ability to deliver other services people need.",
)
INTEGRATION = Element(
    "the integrated or collaborative model",
    ("integrat*|collaborat*|joined up|alliance|co ordinat*|coordinat*",),
    "Describe how the services will be integrated and why integration improves them.",
)
COMPETITION_KEPT = Element(
    "how competition is not prevented",
    (
        "not prevent*|does not prevent|without prevent*|further providers|new providers|new entrants|"
        "open to (new|other|further)",
    ),
    "Explain how the arrangement leaves room for other providers and does not prevent competition.",
)
CHOICE = Element(
    "a commitment to patient choice",
    ("patient choice|choice of provider", "choice & patient*|service user*|people|individual*"),
    "State how patient choice (of provider or of care) is kept, including any legal rights to choose.",
)
CHOICE_MEANS = Element(
    "how people choose or shape their care",
    (
        "care plan*|personal budget*|direct payment*|personalis*|bespoke|choose|e referral|"
        "any qualified provider",
    ),
    "Describe the means of choice: care plans, personal budgets or choice of provider at referral.",
)
OTHER_PROVIDERS = Element(
    "other potential providers considered",
    (
        "other potential providers|alternative providers|all (current|existing|potential) providers|"
        "new entrants|market testing|market sounding|market engagement|market analysis|"
        "providers in the (market|locality)|third sector providers|independent sector",
    ),
    "List the other potential providers considered (including any market testing) and what was found.",
)
OBJECTIVE_PROCESS = Element(
    "the objective process used to identify the most capable provider",
    (
        "most capable|options appraisal|option appraisal|procurement options|no single provider|"
        "only provider|sole provider|capable of providing",
        "evaluat*|criteria & provider*",
    ),
    "Set out the objective process (options appraisal, criteria, evaluation) that identified the provider.",
)
NO_FORMAL_PROCUREMENT = Element(
    "why formal procurement is not used",
    (
        "direct award|non competitive|without (a |going out to |going to )?(formal |competitive )?"
        "(procurement|tender*)",
        "competitive (tender*|procurement|process) & would|could|likely",
    ),
    "Explain why a formal procurement is not in patients' interests for this service.",
)
TRANSPARENCY = Element(
    "acting transparently",
    (
        "transparen*|openness|openly|advertis*|open and fair|fair and open",
        "publish* & notice*|intention|opportunit*|decision*",
        "express* & interest",
    ),
    "Show how the decision was made in the open: published papers, notices, or an invitation to all.",
)
EQUAL_TREATMENT = Element(
    "treating providers equally and without discrimination",
    (
        "equal opportunit*|equal treatment|equally|non discriminat*|same opportunit*|level playing field",
        "fair* & providers",
        "all providers & given|offered|invited",
    ),
    "Show that every provider was given the same information and opportunity, whatever its ownership.",
)

QUESTIONS: tuple[Check, ...] = (
    _question(
        1,
        "needs_assessment",
        "What steps the CCG has taken to evaluate and identify the healthcare needs of the population "
        "(through health needs assessment, engagement of community, patients, clinicians and best practice)?",
        "PCCR 2013 reg 2(a)",
        NEEDS,
        ENGAGEMENT,
        CLINICAL,
        BEST_PRACTICE,
    ),
    _question(
        2,
        "holistic_needs",
        "Has the CCG taken a holistic view of the needs of healthcare users and ensured equitable access "
        "regarding different groups?",
        "PCCR 2013 reg 2(a)",
        HOLISTIC,
        EQUITABLE,
    ),
    _question(
        3,
        "sustainability",
        "Has the CCG considered the sustainability of services, including the impact that a procurement "
        "decision may have on the ability of providers to deliver other services that health care users "
        "require?",
        "PCCR 2013 reg 2(a) and (c)",
        SUSTAINABILITY,
        PROVIDER_IMPACT,
    ),
    _question(
        4,
        "integration",
        "How working on an integrated basis has not prevented competition.",
        "PCCR 2013 reg 3(4)(a) and (b); reg 10",
        INTEGRATION,
        COMPETITION_KEPT,
    ),
    _question(
        5,
        "patient_choice",
        "Evidence ongoing commitment to patient choice.",
        "PCCR 2013 reg 3(4)(c)",
        CHOICE,
        CHOICE_MEANS,
    ),
    _question(
        6,
        "other_providers",
        "Taken into consideration any other potential providers and provide evidence of the objective "
        "process undertaken to identify the most capable provider, without going out to formal procurement.",
        "PCCR 2013 reg 3(3)",
        OTHER_PROVIDERS,
        OBJECTIVE_PROCESS,
        NO_FORMAL_PROCUREMENT,
    ),
    _question(
        7,
        "transparency",
        "That the CCG has acted transparently, treating providers equally and in a non-discriminatory "
        "manner.",
        "PCCR 2013 reg 3(2)",
        TRANSPARENCY,
        EQUAL_TREATMENT,
    ),
)


def _check(number: int, key: str, question: str, rule: Rule, *elements: Element) -> Check:
    return Check(number, key, question, elements, rule)


REGULATION_CHECKS: tuple[Check, ...] = (
    _check(
        1,
        "value_for_money",
        "Is the chosen provider the most capable of meeting the objective, and does it give best value for "
        "money?",
        Rule("pccr2013.reg3-3", "Most capable provider, best value for money.", "PCCR 2013 reg 3(3)", REGS),
        Element(
            "best value for money",
            ("value for money|best value|benchmark*|cost effective*",),
            "Show how value for money was tested (benchmarking, open-book costings, comparison).",
        ),
    ),
    _check(
        2,
        "single_capable_provider",
        "If the contract is awarded without advertising, is the body satisfied that only this provider is "
        "capable of providing the services?",
        Rule(
            "pccr2013.reg5",
            "Award without advertising where the services are capable of being provided only by that "
            "provider.",
            "PCCR 2013 reg 5",
            "Lexology (reg 5 vs PCR reg 32); Spend Matters",
            status="confirmed-2nd",
        ),
        Element(
            "the single capable provider justification",
            (
                "single capable provider|only (one )?provider (capable|able)|capable of being provided only|"
                "no other provider*|sole provider|only provider",
            ),
            "If no advert is planned, record why only this provider (or alliance) can provide the services.",
        ),
    ),
    _check(
        3,
        "conflicts_of_interest",
        "Have conflicts of interest been identified and managed, so that none affects or appears to affect "
        "the integrity of the award?",
        Rule(
            "pccr2013.conflicts",
            "No award where conflicts affect, or appear to affect, the integrity of the award.",
            "PCCR 2013 conflicts of interest regulation (number not checked)",
            "Spend Matters (wording quoted)",
            status="unconfirmed",
        ),
        Element(
            "conflicts of interest identified and managed",
            ("conflict* of interest|declaration* of interest|register of interest*|conflicted",),
            "Record the conflicts of interest declared (for example GP members) and how each was managed.",
        ),
    ),
    _check(
        4,
        "award_record",
        "Will the award be recorded and published, with how the duties as to quality, efficiency and "
        "integration were met?",
        Rule(
            "pccr2013.reg9",
            "Record and publish each contract awarded (provider, services, value, dates, process); record "
            "how the award met the duties (reg 3(5)).",
            "PCCR 2013 reg 9; reg 3(5)",
            "http://www.legislation.gov.uk/uksi/2013/500/regulation/9/made/data.html",
        ),
        Element(
            "the award record and its publication",
            (
                "award notice|record of (the )?(award|contract*|decision)|contracts finder|"
                "register of contracts|decision record",
                "publish* & award|contract*",
            ),
            "Say where the award will be recorded and published (the reg 9 fields: provider, services, "
            "value, dates, process).",
        ),
    ),
    _check(
        5,
        "anti_competitive",
        "Is any restriction of competition justified in the interests of service users and necessary?",
        Rule(
            "pccr2013.reg10",
            "No anti-competitive behaviour unless in users' interests; no unnecessary restrictive terms.",
            "PCCR 2013 reg 10",
            "A. Sanchez-Graells, howtocrackanut.com (reg 10 quoted in full)",
            status="confirmed-2nd",
        ),
        Element(
            "anti-competitive behaviour weighed",
            ("anti competitive|restrict* competition|distort* competition|competition law",),
            "Explain why any restriction of competition is in service users' interests and no more than "
            "is needed.",
        ),
    ),
)

# Wording rewritten before matching, so that names of bodies and regulations do not count as evidence.
NORMALISE: tuple[tuple[str, str], ...] = (
    (r"clinical commissioning (group|committee|executive)s?|clinical commissioners", "CCG"),
    (r"procurement,? patient choice and competition", "PCCR"),
)

# A sentence that restates a duty ("must", "will still have to comply") says what is required, not that it
# was done, so it is not evidence.
DUTY_WORDING = r"\b(must|should|will (still )?(have|need) to|needs? to|(is|are) required to)\b"
