"""What the checklist tools return: pydantic models whose JSON is the contract, with readable Markdown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from tools.formatting import long_date, pounds
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

    def markdown_lines(self, heading: str) -> list[str]:
        lines = [f"### {heading}. {self.question}", ""]
        lines.append(f"**{STATUS_LABEL[self.status]}** · {self.regulation}")
        lines.append("")
        lines.extend(f'- "{item.quote}" ({item.location})' for item in self.evidence)
        lines.extend(f"- Missing: {item}" for item in self.missing)
        return [*lines, ""]


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

    def to_markdown(self) -> str:
        counts = {status: sum(q.status == status for q in self.questions) for status in STATUS_LABEL}
        lines = [f"# Monitor questions: {self.source}", ""]
        if self.historical:
            lines += [f"> **Historical.** {self.historical}", ""]
        lines.append(
            f"{counts['evidenced']} of 7 questions evidenced, {counts['partial']} partly evidenced, "
            f"{counts['missing']} not evidenced."
        )
        lines += ["", *(f"- {note}" for note in self.notes), ""] if self.notes else [""]
        lines += ["## The seven questions (regulations 2 and 3)", ""]
        for question in self.questions:
            lines += question.markdown_lines(f"Question {question.number}")
        lines += ["## Wider checks of the 2013 regulations", ""]
        for check in self.regulation_checks:
            lines += check.markdown_lines(f"Check {check.number}")
        lines.append(
            "Found by matching the words and phrases kept in tools/checklist/monitor.yaml: a quote shows "
            "the paper mentions an element, not that the element is sound. Read each quote in context."
        )
        return "\n".join(lines)


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

    def to_markdown(self) -> str:
        value = f", value {pounds(self.value)}" if self.value is not None else ""
        framework = (
            f", call-off from a framework awarded {long_date(self.framework_awarded)}"
            if self.framework_awarded
            else ""
        )
        lines = [
            f"# Which regime applies: {self.buyer} buyer, {self.service} services, starting "
            f"{long_date(self.start)}{value}{framework}",
            "",
        ]
        for regime in self.regimes:
            light = " (light touch regime)" if regime.light_touch else ""
            lines += [f"## {regime.name}{light}", "", regime.reason, ""]
            lines += [f"- Regulation: {regime.regulation}", f"- Source: {regime.source}", ""]
        if self.threshold_note:
            lines += [f"**Light touch threshold.** {self.threshold_note}", ""]
        lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines)


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

    def to_markdown(self) -> str:
        must = "must" if len(self.permitted) == 1 else "may"
        lines = [f"# PSR route: {PROCESS_NAME[self.process]}", ""]
        others = [PROCESS_NAME[item] for item in self.permitted if item != self.process]
        lines.append(f"Process the authority {must} use: **{PROCESS_NAME[self.process]}**.")
        if others:
            lines.append(f"Also open to it: {', '.join(others)}.")
        if self.considerable_change is not None:
            lines.append(f"Considerable change threshold met: {'yes' if self.considerable_change else 'no'}.")
        lines += ["", "## Reasoning", ""]
        for number, step in enumerate(self.steps, start=1):
            lines.append(f"{number}. {step.question} **{step.answer}** {step.outcome} ({step.regulation})")
        lines += ["", "## Notices and standstill", "", *(f"- {notice}" for notice in self.notices)]
        lines.append(f"- Standstill: {self.standstill or 'none for Direct Award Processes A and B.'}")
        lines += ["", "## The five key criteria the decision record must address", ""]
        lines += [f"{number}. {item}" for number, item in enumerate(self.key_criteria, start=1)]
        lines += ["", self.key_criteria_rule]
        return "\n".join(lines)
