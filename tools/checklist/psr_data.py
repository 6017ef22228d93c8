"""The Provider Selection Regime decision as data: the questions, the rules, the notices and the criteria.

Sources are procurement-rules.md section B (S.I. 2023/1348). The 25% limb of the considerable change
threshold is confirmed for reg 13 but not for reg 6, so it is kept here as an unconfirmed assumption and
labelled wherever it is used.
"""

from __future__ import annotations

from decimal import Decimal

from tools.rules import Rule

PSR = "https://www.legislation.gov.uk/uksi/2023/1348/part/2/made"

# The questions asked, one per input key (the YAML key; the CLI flag is the key with dashes).
QUESTIONS: dict[str, str] = {
    "framework": "Is this a framework agreement?",
    "existing_provider": "Is there an existing provider of the services?",
    "only_existing_provider_capable": (
        "Can the services be provided only by the existing provider, because of the nature of the services?"
    ),
    "patient_choice_unrestricted": (
        "Are patients offered a choice of provider, with contracts offered to all providers that meet the "
        "requirements and no limit on their number?"
    ),
    "existing_contract_expiring": "Is the existing contract expiring, with a new contract to replace it?",
    "materially_different": (
        "Are the proposed arrangements materially different in character from the existing contract?"
    ),
    "change_attributable_to_authority": "Is the change attributable to a decision of the relevant authority?",
    "existing_lifetime_value": "What was the existing contract's lifetime value when entered into (£)?",
    "proposed_lifetime_value": "What is the proposed contract's lifetime value (£)?",
    "existing_provider_satisfactory": (
        "Is the existing provider satisfying the existing contract, and likely to satisfy the new one to a "
        "sufficient standard?"
    ),
    "most_suitable_provider_identifiable": (
        "Can the authority identify the most suitable provider without a competition?"
    ),
}

FRAMEWORK = Rule(
    "psr.reg6-8",
    "The Competitive Process must be used to conclude a framework agreement.",
    "PSR reg 6(8)",
    "Ward Hadaway, 'PSR – Competitive Process'",
    status="confirmed-2nd",
)
DIRECT_AWARD_A = Rule(
    "psr.reg6-3",
    "Direct Award Process A must be used where there is an existing provider, the services are capable of "
    "being provided only by it due to their nature, and it is not a framework.",
    "PSR reg 6(3)",
    PSR,
)
DIRECT_AWARD_B = Rule(
    "psr.reg6-4",
    "Direct Award Process B must be used where patients are offered a choice of provider, the number of "
    "providers is not restricted, contracts are offered to all providers meeting the requirements, and it is "
    "not a framework.",
    "PSR reg 6(4)",
    PSR,
)
DIRECT_AWARD_C = Rule(
    "psr.reg6-5",
    "Direct Award Process C may be used where A and B do not apply, the existing contract is due to expire "
    "and is to be replaced, the considerable change threshold is not met, and the existing provider is "
    "satisfying the contract and likely to satisfy the new one.",
    "PSR reg 6(5)",
    f"{PSR}; Burges Salmon, 'NHS PSR: guidance on Direct Award C'",
    status="confirmed-2nd",
)
MATERIALLY_DIFFERENT = Rule(
    "psr.considerable-change.character",
    "The considerable change threshold is met where the proposed arrangements are materially different in "
    "character from the existing contract as entered into.",
    "PSR reg 6 (considerable change threshold)",
    "Burges Salmon, 'NHS PSR: guidance on Direct Award C'",
    status="confirmed-2nd",
)
VALUE_INCREASE = Rule(
    "psr.considerable-change.value",
    "Or where the change is attributable to the authority and the lifetime value is at least £500,000 higher "
    "than the existing contract's when entered into.",
    "PSR reg 6 (considerable change threshold)",
    "Burges Salmon, 'NHS PSR: guidance on Direct Award C'",
    status="confirmed-2nd",
)
PERCENT_INCREASE = Rule(
    "psr.considerable-change.percent",
    "And at least 25% higher (the pair is confirmed for reg 13 modifications; for reg 6 the excerpt was "
    "cut off).",
    "PSR reg 6 (considerable change threshold, 25% limb)",
    "not confirmed in a source for reg 6",
    status="unconfirmed",
)
MSP_OR_COMPETITIVE = Rule(
    "psr.reg6-6-7",
    "Where no direct award applies, the authority follows the Most Suitable Provider Process or the "
    "Competitive Process, at its discretion in the circumstances regs 6(6)-(7) define (whether it can "
    "identify the most suitable provider without a competition).",
    "PSR reg 6(6)-(7)",
    "Freeths summary table; exact conditions not confirmed",
    status="unconfirmed",
)

VALUE_THRESHOLD = Decimal("500000")
PERCENT_THRESHOLD = Decimal("0.25")

AWARD_NOTICE_A_B = Rule(
    "psr.notice.award-ab",
    "No intention notice and no standstill. Publish a notice of the award within 30 days of the award "
    "(contents in Schedule 2).",
    "PSR Schedule 2",
    "Procurement Portal, 'The five routes to awarding contracts under the PSR'",
    status="confirmed-2nd",
)
INTENTION_NOTICE = Rule(
    "psr.notice.intention",
    "Publish a notice of intention to award (Direct Award C: Schedule 3; Competitive Process: Schedule 10), "
    "giving the decision-makers' reasons with reference to the key criteria; then observe the standstill "
    "before awarding.",
    "PSR reg 12; Schedules 3 and 10",
    "https://legislation.gov.uk/uksi/2023/1348/regulation/12/made",
)
MSP_NOTICE = Rule(
    "psr.notice.msp",
    "Publish a notice of the intention to follow the Most Suitable Provider Process before assessing "
    "providers.",
    "PSR (Most Suitable Provider Process)",
    "Ward Hadaway Panel nutshell; statutory detail not confirmed",
    status="confirmed-2nd",
)
CONFIRMATION_NOTICE = Rule(
    "psr.notice.confirmation",
    "After the award, publish a confirmation-of-award notice within 30 days.",
    "PSR (post-award notice)",
    "confirmed for Direct Award A and B only",
    status="unconfirmed",
)
STANDSTILL = Rule(
    "psr.standstill",
    "The standstill begins on the day after the day the intention notice is published; a provider may make "
    "written representations before midnight at the end of the 8th working day after the day it begins. The "
    "contract must not be entered into before the standstill ends.",
    "PSR reg 12",
    "https://legislation.gov.uk/uksi/2023/1348/regulation/12/made",
)
REPRESENTATIONS = Rule(
    "psr.standstill.representations",
    "If representations are made, the standstill stays open: review the decision, and if it stands, wait "
    "5 working days after telling the provider before awarding.",
    "PSR reg 12(4)",
    "NHS England, 'PSR: reviewing decisions during the standstill period'",
)
KEY_CRITERIA = Rule(
    "psr.reg5",
    "The five key criteria, to be considered in Direct Award C, the Most Suitable Provider Process and the "
    "Competitive Process, and described in the decision record (reg 24).",
    "PSR reg 5; reg 24(e)",
    "Procurement Portal; exact statutory wording not confirmed",
    status="confirmed-2nd",
)
KEY_CRITERIA_LIST: tuple[str, ...] = (
    "Quality and innovation",
    "Value",
    "Integration, collaboration and service sustainability",
    "Improving access, reducing health inequalities and facilitating choice",
    "Social value",
)
