"""Contract modifications: whether a change of value (and term) may be made without a new procurement, and
which notice it needs, under the Provider Selection Regime, the Procurement Act 2023 and PCR 2015.

The rules and their figures are `modification.yaml` (validated by `modification_data`). The check works
from the figures alone, so `permitted` answers only what the figures decide:
- true: a ground with a value limit is met; the conditions the figures cannot show (not materially
  different in character, overall nature unchanged) are listed in the reasons;
- false: no ground with a value limit is open; the grounds without one (provided for in the contract, and
  so on) are listed, and only they could allow the change;
- null: the answer turns on facts the check cannot know; the reasons say what to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from tools.checklist.modification_data import (
    MODIFICATION_REGIMES,
    RULES,
    TABLE,
    Entry,
    ModificationRegime,
    PaRules,
    PcrRules,
)
from tools.checklist.modification_model import ModificationResult, Reason
from tools.errors import InputError, shown
from tools.formatting import pounds
from tools.regimes import LIGHT_TOUCH_THRESHOLDS, REGIMES, Threshold
from tools.rules import Rule
from tools.types import Pounds, parse_pounds

__all__ = ["RULES", "check_modification", "modification_regime"]

MAX_MONTHS = 1200
"""A century: longer than any public contract's term."""


def check_modification(
    regime: ModificationRegime,
    original_value: Pounds,
    new_value: Pounds,
    original_term_months: int | None = None,
    new_term_months: int | None = None,
    works: bool = False,
    light_touch: bool = False,
) -> ModificationResult:
    """Check whether a contract's value (and term) may change without a new procurement.

    Use it when an officer proposes to vary, extend or add to a contract: it applies the value and term
    limits of the PSR (reg 13), the Procurement Act 2023 (s.74, Schedule 8) or PCR 2015 (reg 72) and says
    which notice is needed. `permitted` is null where it turns on facts the figures cannot show.

    Args:
        regime: psr2023 (PSR), pa2023 (the Act) or pcr2015.
        original_value: £ on award (pa2023: just before this change).
        new_value: £ after the change, with any added term.
        original_term_months: maximum term on award (give with new_term_months).
        new_term_months: term after the change.
        works: a works contract.
        light_touch: a light touch contract.

    Returns:
        regime, permitted (true, false or null), notice_required, notice (its name, or null) and reasons,
        each naming the rule, the regulation (labelled UNCONFIRMED unless quoted from the statute) and
        what it says about these figures.
    """
    regime = modification_regime(regime)
    change = _Change(
        original=_amount(original_value, "original_value"),
        new=_amount(new_value, "new_value"),
        original_term=_months(original_term_months, "original_term_months"),
        new_term=_months(new_term_months, "new_term_months"),
        works=works,
        light_touch=light_touch,
    )
    if change.original < 1:
        raise InputError(
            f"original_value: {shown(original_value)} is less than £1; give the value before the change"
        )
    if (change.original_term is None) != (change.new_term is None):
        missing = "new_term_months" if change.new_term is None else "original_term_months"
        raise InputError(f"{missing} is missing: give both terms in months, or neither")
    if works and light_touch:
        raise InputError("works and light_touch: a light touch contract is for services; give one or neither")
    return {"psr2023": _psr, "pa2023": _pa, "pcr2015": _pcr}[regime](change)


def modification_regime(value: object) -> ModificationRegime:
    """`value` as one of the regimes this check covers, or an `InputError` naming them."""
    if value not in MODIFICATION_REGIMES:
        choices = ", ".join(MODIFICATION_REGIMES)
        raise InputError(f"regime: {value!r} is not one of {choices}; use one of those")
    return cast(ModificationRegime, value)


def _amount(value: object, field: str) -> Decimal:
    if value is None:
        raise InputError(f"{field} is required: give an amount in pounds, e.g. 1000000")
    return parse_pounds(value, field=field)


def _months(value: object, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MONTHS:
        raise InputError(f"{field}: {shown(value)} is not a term; give whole months from 1 to {MAX_MONTHS:,}")
    return value


def _money(amount: Decimal) -> str:
    return pounds(amount, places=0 if amount == amount.to_integral_value() else 2)


def _pct(share: Decimal, limit: Decimal | None = None) -> str:
    """`40%` or `12.5%`; `just over 10%` where rounding would make it look equal to `limit`."""
    shown = (share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if limit is not None and shown == limit * 100 and share != limit:
        return f"{'just over' if share > limit else 'just under'} {_pct(limit)}"
    return f"{shown.normalize():f}%"


@dataclass(frozen=True)
class _Change:
    original: Decimal
    new: Decimal
    original_term: int | None
    new_term: int | None
    works: bool
    light_touch: bool

    @property
    def change(self) -> Decimal:
        return abs(self.new - self.original)

    @property
    def share(self) -> Decimal:
        return self.change / self.original

    @property
    def rise(self) -> bool:
        return self.new > self.original

    @property
    def term_share(self) -> Decimal | None:
        if self.original_term is None or self.new_term is None:
            return None
        return Decimal(abs(self.new_term - self.original_term)) / self.original_term

    @property
    def kind(self) -> str:
        return "works" if self.works else "goods or services"

    def value_words(self, limit: Decimal | None = None) -> str:
        """`£1,000,000 to £1,400,000, a change of £400,000 (40%)`."""
        return (
            f"{_money(self.original)} to {_money(self.new)}, a change of {_money(self.change)} "
            f"({_pct(self.share, limit)})"
        )

    def term_words(self, limit: Decimal | None = None) -> str:
        """`36 to 48 months (33.3% of the maximum term on award)`."""
        share = _pct(self.term_share or Decimal(0), limit)
        return f"{self.original_term} to {self.new_term} months ({share} of the maximum term on award)"


@dataclass
class _Reasons:
    items: list[Reason] = field(default_factory=list)

    def add(self, entry: Entry | Rule, message: str) -> None:
        rule = entry.rule if isinstance(entry, Entry) else entry
        self.items.append(Reason(rule=rule.id, regulation=rule.citation(), message=message))


def _psr(c: _Change) -> ModificationResult:
    rules = TABLE.psr2023
    ground, notice = rules.value_ground, rules.notice
    reasons = _Reasons()
    below_amount, below_share = c.change < ground.amount, c.share < ground.share
    permitted = below_amount or below_share
    tests = (
        f"{'below' if below_amount else 'not below'} {_money(ground.amount)}, and "
        f"{'less' if below_share else 'not less'} than {_pct(ground.share)} of the original lifetime value"
    )
    verdict = (
        "so it is within the value limits for a modification the authority decides on (one is enough). "
        "It must also not make the contract materially different in character."
        if permitted
        else "so it is outside the value limits for a modification the authority decides on: it needs a "
        "new procurement unless a ground without a value limit applies."
    )
    reasons.add(ground, f"The lifetime value goes from {c.value_words(ground.share)}: {tests}, {verdict}")
    reasons.add(
        rules.other_grounds,
        "If the change is clearly and unambiguously provided for in the contract documents, is solely a "
        "change of provider by succession, or responds to external factors beyond the control of the "
        "authority and the provider (such as patient volumes or a price formula in the contract), the value "
        "limits do not apply; a change for external factors must still not make the contract materially "
        "different in character.",
    )
    reasons.add(
        rules.direct_award_ab,
        "If the contract was awarded under Direct Award Process A or B, a modification that does not make "
        "it materially different in character is permitted whatever its value.",
    )
    if c.new < c.original:
        reasons.add(rules.either_way, "The value falls; a fall is counted as a change, as a rise would be.")
    if c.term_share:
        reasons.add(
            rules.term,
            f"The term goes from {c.term_words()}: a change of term counts through the lifetime value, so "
            "the new value should include the value of any months added.",
        )
    if c.works or c.light_touch:
        reasons.add(
            REGIMES["psr2023"].rule,
            "The PSR covers health care services: the works and light touch settings make no difference.",
        )
    needs_notice = c.change >= notice.amount
    size = f"change of {_money(c.change)} is"
    if needs_notice:
        lead = "The" if permitted else "If it is made under another ground, the"
        message = f"{lead} {size} {_money(notice.amount)} or more: publish a {notice.notice}."
    else:
        message = f"The {size} under {_money(notice.amount)}: no {notice.notice} is needed."
    reasons.add(notice, message)
    return ModificationResult(
        regime="psr2023",
        permitted=permitted,
        notice_required=needs_notice,
        notice=notice.notice.capitalize() if needs_notice else None,
        reasons=reasons.items,
    )


def _pa(c: _Change) -> ModificationResult:
    rules = TABLE.pa2023
    reasons = _Reasons()
    if c.light_touch:
        reasons.add(
            rules.light_touch,
            "A light touch contract may be modified: the grounds and their value and term limits do not "
            "apply.",
        )
        reasons.add(
            rules.light_touch_notice,
            "The duty to publish a contract change notice does not apply to a light touch contract.",
        )
        return ModificationResult(
            regime="pa2023", permitted=True, notice_required=False, notice=None, reasons=reasons.items
        )
    _pa_grounds(c, rules, reasons)
    needs_notice = _pa_notice(c, rules, reasons)
    notice = f"{rules.notice.notice.capitalize()} ({rules.notice_code.notice}), before the change is made"
    return ModificationResult(
        regime="pa2023",
        permitted=None,
        notice_required=needs_notice,
        notice=notice if needs_notice else None,
        reasons=reasons.items,
    )


def _pa_grounds(c: _Change, rules: PaRules, reasons: _Reasons) -> None:
    reasons.add(
        rules.grounds,
        "Whether it may be made turns on facts the figures cannot show: it must be a permitted modification "
        "under Schedule 8, not a substantial modification, or a below-threshold modification.",
    )
    term_limit = rules.substantial_term.share
    unless = "unless it materially changes the scope or the economic balance in the supplier's favour"
    if c.term_share is None:
        message = (
            f"It is not a substantial modification if the term changes by no more than {_pct(term_limit)} "
            f"of the maximum term on award (give the terms to check), {unless}."
        )
    elif c.term_share > term_limit:
        message = (
            f"The term goes from {c.term_words(term_limit)}: more than {_pct(term_limit)}, so it is a "
            "substantial modification: the ground for modifications that are not substantial is closed."
        )
    else:
        message = (
            f"The term goes from {c.term_words(term_limit)}: not more than {_pct(term_limit)}, so it is "
            f"not a substantial modification, {unless}."
        )
    reasons.add(rules.substantial_term, message)
    limit = rules.below_threshold.for_contract(c.works)
    changes = f"The value changes by {_pct(c.share, limit)}"
    if c.share <= limit:
        message = (
            f"{changes}, not more than {_pct(limit)} for {c.kind}: it may be a below-threshold "
            "modification if the below-threshold modifications together stay under the contract's "
            "threshold amount and the scope does not materially change."
        )
    else:
        message = (
            f"{changes}, more than {_pct(limit)} for {c.kind}: it is not a below-threshold modification."
        )
    reasons.add(rules.below_threshold, message)
    cap = rules.unforeseeable.share
    if c.rise and c.share > cap:
        message = (
            f"The value rises by more than {_pct(cap)}, so the ground for unforeseeable circumstances is "
            "not open (unless it is a utilities contract)."
        )
    else:
        message = (
            "If the circumstances could not reasonably have been foreseen before award and the overall "
            f"nature of the contract does not change, a rise of up to {_pct(cap)} in its value is permitted."
        )
    reasons.add(rules.unforeseeable, message)
    reasons.add(
        rules.provided_or_urgent,
        "Whatever the value, it is permitted if it is unambiguously provided for in the contract and its "
        "tender or transparency notice without changing the contract's overall nature, or if its purpose "
        "could be met by a direct award for extreme and unavoidable urgency or to protect life.",
    )


def _pa_notice(c: _Change, rules: PaRules, reasons: _Reasons) -> bool:
    """Whether a contract change notice is needed (s.75), adding the reasons."""
    limbs: list[bool] = []
    if c.change:
        limit = rules.value_exemption.for_contract(c.works)
        limbs.append(c.share <= limit)
        within = f"{_pct(limit)} or less" if limbs[-1] else f"more than {_pct(limit)}"
        reasons.add(
            rules.value_exemption,
            f"The estimated value goes from {c.value_words(limit)}: {within} for a contract for {c.kind}.",
        )
    if c.term_share:
        limit = rules.term_exemption.share
        limbs.append(c.term_share <= limit)
        within = f"{_pct(limit)} or less" if limbs[-1] else f"more than {_pct(limit)}"
        reasons.add(rules.term_exemption, f"The term goes from {c.term_words(limit)}: {within}.")
    if len(limbs) != 1:
        both = "changes both the value and the term" if limbs else "changes neither the value nor the term"
        reasons.add(
            rules.both_limbs,
            f"The modification {both}: this check drops the notice only when every change is within its "
            "limit, and asks for one for a change of another kind.",
        )
    exempt = bool(limbs) and all(limbs)
    if exempt:
        reasons.add(
            rules.splitting,
            "No contract change notice is needed, unless the modification could reasonably have been made "
            "together with an earlier one that would then have needed a notice, or it is a novation or "
            "assignment on corporate restructuring (Sch 8 para 9).",
        )
    else:
        reasons.add(rules.notice, "Publish a contract change notice before the modification is made.")
        code = rules.notice_code.notice
        reasons.add(rules.notice_code, f"It is notice {code} on the Central Digital Platform.")
    if c.term_share is None:
        reasons.add(
            rules.term_exemption,
            f"No terms were given: a change of more than {_pct(rules.term_exemption.share)} of the maximum "
            "term on award also needs a notice; give the terms to check.",
        )
    return not exempt


def _pcr(c: _Change) -> ModificationResult:
    rules = TABLE.pcr2015
    reasons = _Reasons()
    limit = rules.de_minimis.for_contract(c.works)
    under_share = c.share < limit
    below, threshold_reasons = _pcr_threshold(c, rules)
    cap = rules.additional_or_unforeseen.share
    goes = f"The value goes from {c.value_words(limit)}"
    share_words = f"{_pct(limit)} of the initial value for a contract for {c.kind}"
    permitted: bool | None
    if under_share and below:
        permitted, needs_notice = True, False
        reasons.add(
            rules.de_minimis,
            f"{goes}: below {share_words} and below the threshold, so it may be made without a new "
            "procedure if it does not alter the overall nature of the contract (successive modifications "
            "count together).",
        )
    elif c.rise and c.share > cap:
        permitted, needs_notice = False, False
        reasons.add(rules.de_minimis, f"{goes}: not below {share_words}.")
        reasons.add(
            rules.additional_or_unforeseen,
            f"The price rises by more than {_pct(cap)} of the original value, so neither additional works, "
            "services or supplies nor unforeseeable circumstances can be relied on. If earlier "
            "modifications make up part of the rise, the cap applies to this one alone: check its own rise.",
        )
    else:
        permitted, needs_notice = None, not (under_share and below is None)
        if under_share and below is None:
            message = (
                f"{goes}: below {share_words}, so it may be made under the de minimis ground if the change "
                "is also below the threshold for the contract (held here only for light touch contracts) "
                "and does not alter the overall nature of the contract."
            )
        else:
            reach = "but not below the threshold" if under_share else "not below"
            message = f"{goes}: {reach} {share_words}, so the de minimis ground is not open."
        reasons.add(rules.de_minimis, message)
        reasons.add(
            rules.additional_or_unforeseen,
            f"The change is within the {_pct(cap)} cap on price rises: it may be made as additional works, "
            "services or supplies from the same contractor where a change of contractor cannot be made, "
            "or for circumstances a diligent authority could not foresee that do not alter the overall "
            "nature of the contract.",
        )
    reasons.items += threshold_reasons.items
    reasons.add(
        rules.other_grounds,
        "Whatever the value, it is permitted if provided for in clear, precise and unequivocal review "
        "clauses in the original procurement documents, on a permitted replacement of the contractor, or "
        "if it is not a substantial modification.",
    )
    if c.term_share:
        reasons.add(
            rules.de_minimis,
            f"The term goes from {c.term_words()}: an extension is valued by what it adds, so the new value "
            "should include the value of any months added.",
        )
    reasons.add(rules.notice, _pcr_notice_message(permitted, needs_notice))
    notice = "Modification notice on Find a Tender, if it is made under reg 72(1)(b) or (c)"
    return ModificationResult(
        regime="pcr2015",
        permitted=permitted,
        notice_required=needs_notice,
        notice=notice if needs_notice else None,
        reasons=reasons.items,
    )


def _pcr_notice_message(permitted: bool | None, needs_notice: bool) -> str:
    grounds = "as additional works, services or supplies or for unforeseeable circumstances"
    if needs_notice:
        return (
            f"If it is made {grounds}, publish a modification notice on Find a Tender; the other grounds "
            "need none."
        )
    if permitted is None:
        return (
            "No notice is needed under the de minimis ground; if the change is not below the threshold and "
            f"is made {grounds}, publish a modification notice."
        )
    return f"No modification notice is needed: one is needed only for a modification made {grounds}."


def _pcr_threshold(c: _Change, rules: PcrRules) -> tuple[bool | None, _Reasons]:
    """Whether the change is below the light touch threshold at every date under PCR 2015 (None: unknown)."""
    reasons = _Reasons()
    if not c.light_touch:
        return None, reasons
    low, high = _pcr_light_touch_range()
    below: bool | None
    if c.change < low.amount:
        below, used = True, low
        message = f"below the light touch threshold throughout (it was never less than {_money(low.amount)})"
    elif c.change >= high.amount:
        below, used = False, high
        message = f"never below the light touch threshold (it was never more than {_money(high.amount)})"
    else:
        below, used = None, low
        message = (
            f"between the lowest ({_money(low.amount)}) and highest ({_money(high.amount)}) light touch "
            "thresholds: check the threshold that applies to the contract"
        )
    reasons.add(used.rule, f"Under PCR 2015 the change of {_money(c.change)} is {message}.")
    reasons.add(
        rules.light_touch_threshold,
        "For a light touch contract, the de minimis threshold is taken to be the light touch threshold; "
        "compare like with like (thresholds include VAT from 1 January 2022).",
    )
    return below, reasons


def _pcr_light_touch_range() -> tuple[Threshold, Threshold]:
    """The lowest and highest light touch thresholds in force while PCR 2015 applied."""
    pcr = REGIMES["pcr2015"].rule
    during = [
        item
        for item in LIGHT_TOUCH_THRESHOLDS
        if item.rule.applies_from is not None and pcr.applies_on(item.rule.applies_from)
    ]
    by_amount = sorted(during, key=lambda item: item.amount)
    return by_amount[0], by_amount[-1]
