"""What the checklist tools return: pydantic models whose JSON is the contract, with readable Markdown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from tools.regimes import RegimeId

EvidenceStatus = Literal["evidenced", "partial", "missing"]
ProcessId = Literal[
    "direct-award-a", "direct-award-b", "direct-award-c", "most-suitable-provider", "competitive"
]

STATUS_LABEL = {"evidenced": "Evidenced", "partial": "Partly evidenced", "missing": "Not evidenced"}
PROCESS_NAME = {
    "direct-award-a": "Direct Award Process A",
    "direct-award-b": "Direct Award Process B",
    "direct-award-c": "Direct Award Process C",
    "most-suitable-provider": "Most Suitable Provider Process",
    "competitive": "Competitive Process",
}


class Evidence(BaseModel):
    """A sentence of the paper that shows one or more expected elements."""

    quote: str
    location: str = Field(description="paragraph number where the paper numbers paragraphs, else the line")
    elements: list[str] = Field(default_factory=list, description="the expected elements this quote shows")


class CheckResult(BaseModel):
    """One Monitor question, or one wider regulation check, and how far the paper evidences it."""

    number: int
    key: str
    question: str
    regulation: str
    status: EvidenceStatus
    evidence: list[Evidence]
    found: list[str]
    missing: list[str] = Field(description="each missing element with a suggestion of what to add")


class MonitorResult(BaseModel):
    """The Monitor questions and the wider checks of the 2013 regulations, for one paper."""

    source: str
    procurement_date: date | None = None
    date_source: str | None = None
    historical: str | None = Field(
        default=None, description="set when the PSR, not the 2013 regulations, applies"
    )
    notes: list[str] = Field(default_factory=list)
    questions: list[CheckResult]
    regulation_checks: list[CheckResult]


class RegimeEntry(BaseModel):
    """One regime that governs the procurement."""

    id: RegimeId
    name: str
    light_touch: bool
    reason: str
    regulation: str
    source: str


class RegimeResult(BaseModel):
    """The regime or regimes that govern a procurement, with reasons and sources."""

    start: date
    buyer: str
    service: str
    value: Decimal | None = None
    framework_awarded: date | None = Field(
        default=None, description="for a call-off, the date its framework was awarded"
    )
    regimes: list[RegimeEntry]
    light_touch_threshold: Decimal | None = None
    threshold_note: str | None = None
    notes: list[str] = Field(default_factory=list)


class PsrStep(BaseModel):
    """One step of the PSR decision: the question, the answer given, the rule and what follows."""

    question: str
    answer: str
    regulation: str
    outcome: str


class PsrResult(BaseModel):
    """The Provider Selection Regime process that must or may be used, and what follows from it."""

    process: ProcessId
    permitted: list[ProcessId]
    considerable_change: bool | None
    reasons: list[str]
    steps: list[PsrStep]
    notices: list[str]
    standstill: str | None = Field(
        description="the standstill rule; null for Direct Award A and B, which have none"
    )
    key_criteria: list[str]
    key_criteria_rule: str
