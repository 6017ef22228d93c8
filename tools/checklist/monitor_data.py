"""The Monitor questions and the wider checks of the 2013 regulations, as data.

The questions, the evidence each expects (elements and their phrases) and the rules they serve are the
table in `monitor.yaml` beside this module, which says where the wording comes from and how phrases are
written; this module validates it once, at import. What stays here is how matching treats a paper's own
wording: names of bodies that are not evidence, and sentences that restate a duty.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.rules import Rule, load_table


class Element(BaseModel):
    """One piece of evidence a question expects.

    Attributes:
        name: what it is, as an officer would say it.
        phrases: the words that show it (see monitor.yaml for the syntax).
        suggestion: what to add to the paper when it is missing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    phrases: tuple[str, ...] = Field(min_length=1)
    suggestion: str = Field(min_length=1)


class Check(BaseModel):
    """A question (or a wider regulation check), its rule and the evidence it expects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1)
    key: str
    question: str
    elements: tuple[Element, ...] = Field(min_length=1)
    rule: Rule


class MonitorTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question_source: str
    elements: dict[str, Element]
    questions: tuple[Check, ...]
    regulation_checks: tuple[Check, ...]

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any) -> Any:
        """Each check's element names replaced by the elements; each question's rule completed."""
        if not isinstance(data, dict):
            return data
        elements = data.get("elements") or {}
        resolved = {**data}
        for part in ("questions", "regulation_checks"):
            resolved[part] = [_check(check, elements, data, part) for check in data.get(part) or []]
        return resolved

    @model_validator(mode="after")
    def _numbered(self) -> MonitorTable:
        for part in (self.questions, self.regulation_checks):
            if [check.number for check in part] != list(range(1, len(part) + 1)):
                raise ValueError("checks must be numbered 1, 2, 3, … in order")
        return self


def _check(check: Any, elements: dict[str, Any], data: dict[str, Any], part: str) -> Any:
    if not isinstance(check, dict):
        return check
    names = check.get("elements") or []
    unknown = [name for name in names if name not in elements]
    if unknown:
        raise ValueError(f"{part} {check.get('key')}: elements {unknown} are not under `elements`")
    resolved = {**check, "elements": [elements[name] for name in names]}
    rule = check.get("rule")
    if isinstance(rule, dict):
        defaults: dict[str, Any] = {"regime": "pccr2013"}
        if part == "questions":
            defaults |= {
                "id": f"pccr2013.monitor.q{check.get('number')}",
                "summary": check.get("question"),
                "source": data.get("question_source"),
            }
        resolved["rule"] = {**defaults, **rule}
    return resolved


TABLE = load_table(__package__ or "tools.checklist", "monitor.yaml", MonitorTable)
QUESTIONS: tuple[Check, ...] = TABLE.questions
REGULATION_CHECKS: tuple[Check, ...] = TABLE.regulation_checks
RULES: dict[str, Rule] = {check.rule.id: check.rule for check in (*QUESTIONS, *REGULATION_CHECKS)}

# Wording rewritten before matching, so that names of bodies and regulations do not count as evidence.
NORMALISE: tuple[tuple[str, str], ...] = (
    (r"clinical commissioning (group|committee|executive)s?|clinical commissioners", "CCG"),
    (r"procurement,? patient choice and competition", "PCCR"),
)

# A sentence that restates a duty ("must", "will still have to comply") says what is required, not that it
# was done, so it is not evidence.
DUTY_WORDING = r"\b(must|should|will (still )?(have|need) to|needs? to|(is|are) required to)\b"
