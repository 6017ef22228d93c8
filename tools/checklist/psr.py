"""The Provider Selection Regime route (reg 6): which process must or may be used, step by step.

The rules it cites, its questions, the considerable change figures, the notices and the standstill are the
table in `psr.yaml` (loaded by `psr_data`); this module only walks the route and words the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.checklist import psr_data as data
from tools.checklist.model import ProcessId, PsrResult, PsrStep
from tools.errors import InputError
from tools.formatting import pounds
from tools.inputs import validate
from tools.rules import Rule
from tools.types import Pounds

Ask = Callable[[str, str], Any]
"""Asks a person one question: given the input key and the question, returns the answer."""


def _asked(key: str, default: Any = None) -> Any:
    """A field whose description is its question in psr.yaml: the YAML key, tool argument and CLI flag."""
    return Field(default, description=data.QUESTIONS[key])


class PsrAnswers(BaseModel):
    """The facts the PSR decision turns on: each field is a question of reg 6, declared once.

    The same names are the YAML keys of an answers file, the arguments of the psr_route tool and, with
    dashes, the flags of `commission checklist psr`.
    """

    model_config = ConfigDict(extra="forbid")

    framework: bool = _asked("framework", False)
    existing_provider: bool | None = _asked("existing_provider")
    only_existing_provider_capable: bool | None = _asked("only_existing_provider_capable")
    patient_choice_unrestricted: bool | None = _asked("patient_choice_unrestricted")
    existing_contract_expiring: bool | None = _asked("existing_contract_expiring")
    materially_different: bool | None = _asked("materially_different")
    change_attributable_to_authority: bool | None = _asked("change_attributable_to_authority")
    existing_lifetime_value: Pounds | None = _asked("existing_lifetime_value")
    proposed_lifetime_value: Pounds | None = _asked("proposed_lifetime_value")
    existing_provider_satisfactory: bool | None = _asked("existing_provider_satisfactory")
    most_suitable_provider_identifiable: bool | None = _asked("most_suitable_provider_identifiable")


def decide_psr(answers: PsrAnswers, ask: Ask | None = None, *, tool: bool = False) -> PsrResult:
    """The process that must or may be used, asking `ask` for any answer the route needs and lacks.

    Args:
        answers: the answers given.
        ask: who to ask for a missing answer, or None to refuse.
        tool: a missing answer is named as the tool's argument, not as a YAML key and a flag.

    Raises:
        InputError: an answer the route needs is missing and there is no one to ask.
    """
    return _Route(answers, ask, tool=tool).decide()


class _Route:
    def __init__(self, answers: PsrAnswers, ask: Ask | None, *, tool: bool = False) -> None:
        self.values = answers.model_dump()
        self.ask = ask
        self.tool = tool
        self.steps: list[PsrStep] = []

    def need(self, key: str) -> Any:
        if self.values[key] is None:
            if self.ask is None:
                flag = key.replace("_", "-")
                where = (
                    f"give {key} and call psr_route again"
                    if self.tool
                    else f"give it in the YAML as {key}: or on the command line as --{flag}"
                )
                raise InputError(f"{key} is needed to decide the route ({data.QUESTIONS[key]}); {where}")
            answer = self.ask(key, data.QUESTIONS[key])
            self.values[key] = getattr(validate({key: answer}, PsrAnswers, source="answer"), key)
        return self.values[key]

    def step(self, question: str, answer: bool | str, rule: Rule, outcome: str) -> None:
        said = answer if isinstance(answer, str) else ("Yes." if answer else "No.")
        self.steps.append(
            PsrStep(question=question, answer=said, regulation=rule.citation(), outcome=outcome)
        )

    def asked(self, key: str, rule: Rule, yes: str, no: str) -> bool:
        value = bool(self.need(key))
        self.step(data.QUESTIONS[key], value, rule, yes if value else no)
        return value

    def decide(self) -> PsrResult:
        if self.asked(
            "framework", data.ROUTE.framework, "The Competitive Process must be used.", "Not a framework."
        ):
            return self.result("competitive", ["competitive"], None)
        existing = self.asked(
            "existing_provider",
            data.ROUTE.direct_award_a,
            "Direct Award A or C may be open.",
            "Direct Award A and C need an existing provider, so neither is available.",
        )
        if existing and self.asked(
            "only_existing_provider_capable",
            data.ROUTE.direct_award_a,
            "Direct Award Process A must be used.",
            "Direct Award Process A does not apply.",
        ):
            return self.result("direct-award-a", ["direct-award-a"], None)
        if self.asked(
            "patient_choice_unrestricted",
            data.ROUTE.direct_award_b,
            "Direct Award Process B must be used.",
            "Direct Award Process B does not apply.",
        ):
            return self.result("direct-award-b", ["direct-award-b"], None)
        considerable = self.direct_award_c() if existing else None
        if considerable is False and self.asked(
            "existing_provider_satisfactory",
            data.ROUTE.direct_award_c,
            "Direct Award Process C may be used.",
            "Direct Award Process C is not available.",
        ):
            return self.result(
                "direct-award-c", ["direct-award-c", "most-suitable-provider", "competitive"], False
            )
        return self.most_suitable_or_competitive(considerable)

    def direct_award_c(self) -> bool | None:
        """Whether the considerable change threshold is met, or None when the contract is not expiring."""
        if not self.asked(
            "existing_contract_expiring",
            data.ROUTE.direct_award_c,
            "Direct Award Process C may be open.",
            "Direct Award Process C needs an expiring contract to replace, so it is not available.",
        ):
            return None
        met = self.considerable_change()
        outcome = "Direct Award Process C is not available." if met else "Direct Award Process C may be open."
        self.step("Is the considerable change threshold met?", met, data.ROUTE.direct_award_c, outcome)
        return met

    def considerable_change(self) -> bool:
        if self.asked(
            "materially_different",
            data.CONSIDERABLE_CHANGE.character.rule,
            "The threshold is met.",
            "Not on character.",
        ):
            return True
        if not self.asked(
            "change_attributable_to_authority",
            data.CONSIDERABLE_CHANGE.value.rule,
            "The value limbs apply.",
            "The value limbs do not apply, so the threshold is not met.",
        ):
            return False
        existing = Decimal(self.need("existing_lifetime_value"))
        proposed = Decimal(self.need("proposed_lifetime_value"))
        increase = proposed - existing
        share = f" ({increase / existing:.1%})" if existing else ""
        change = f"From {pounds(existing)} to {pounds(proposed)}: {pounds(increase)} higher{share}."
        value, percent = data.CONSIDERABLE_CHANGE.value, data.CONSIDERABLE_CHANGE.percent
        by_value = increase >= value.amount
        by_percent = proposed >= existing * (1 + percent.fraction)
        self.step(
            f"Is the lifetime value at least {value.shown} higher?",
            "Yes." if by_value else "No.",
            value.rule,
            change,
        )
        self.step(
            f"Is it at least {percent.shown} higher?",
            by_percent,
            percent.rule,
            "Both value limbs are met." if by_value and by_percent else "The value limbs are not both met.",
        )
        return by_value and by_percent

    def most_suitable_or_competitive(self, considerable: bool | None) -> PsrResult:
        key = "most_suitable_provider_identifiable"
        identifiable = self.need(key) if self.ask else self.values[key]
        if identifiable is None:
            self.step(
                data.QUESTIONS[key],
                "Not answered.",
                data.ROUTE.most_suitable_or_competitive,
                "The Competitive Process; the Most Suitable Provider Process may be used instead if it can.",
            )
            return self.result("competitive", ["most-suitable-provider", "competitive"], considerable)
        if identifiable:
            self.step(
                data.QUESTIONS[key],
                True,
                data.ROUTE.most_suitable_or_competitive,
                "The Most Suitable Provider Process may be used.",
            )
            return self.result(
                "most-suitable-provider", ["most-suitable-provider", "competitive"], considerable
            )
        self.step(
            data.QUESTIONS[key],
            False,
            data.ROUTE.most_suitable_or_competitive,
            "The Competitive Process is used.",
        )
        return self.result("competitive", ["competitive"], considerable)

    def result(self, process: ProcessId, permitted: list[ProcessId], considerable: bool | None) -> PsrResult:
        notices = [notice for notice in data.NOTICES.values() if process in notice.processes]
        standstill = data.STANDSTILL
        stands_still = process in standstill.processes
        return PsrResult(
            process=process,
            permitted=permitted,
            considerable_change=considerable,
            reasons=[f"{s.question} {s.answer} {s.outcome} ({s.regulation})" for s in self.steps],
            steps=self.steps,
            notices=[_cited(*notice.rules) for notice in notices],
            standstill=_cited(*standstill.rules, standstill.working_day_rule) if stands_still else None,
            key_criteria=list(data.KEY_CRITERIA.criteria),
            key_criteria_rule=_cited(data.KEY_CRITERIA.rule),
        )


def _cited(*rules: Rule) -> str:
    """Each rule in words, followed by its citation."""
    return " ".join(f"{rule.summary} ({rule.citation()})" for rule in rules)


def psr_route(answers: PsrAnswers) -> PsrResult:
    """Decide the Provider Selection Regime process for an NHS health care contract (reg 6).

    Use it for health care services procured from 1 January 2024. Each argument answers one question of
    reg 6; leave out those the route does not reach (a needed one that is missing is named in the error).
    A change is considerable when the arrangements are materially different in character, or when it is
    the authority's and the lifetime value is at least {value} and at least {percent} higher{percent_note}.

    Returns:
        process, permitted processes, considerable_change, reasons (each with its regulation), the notices
        and standstill that follow, and the five key criteria the decision record must address.
    """
    return decide_psr(answers, tool=True)


def _with_thresholds(doc: str | None) -> str:
    """The tool's contract with the considerable change figures, and how firmly known, from the data."""
    value, percent = data.CONSIDERABLE_CHANGE.value, data.CONSIDERABLE_CHANGE.percent
    note = (
        f" (the {percent.shown} limb is not confirmed from the words of reg 6)"
        if percent.rule.unconfirmed
        else ""
    )
    return (doc or "").format(value=value.shown, percent=percent.shown, percent_note=note)


psr_route.__doc__ = _with_thresholds(psr_route.__doc__)
