"""From the exact plan to the rounded result: one rounding rule, totals that add, checks, assumptions."""

from __future__ import annotations

from decimal import Decimal

from tools.envelope.compute import HUNDRED, ExactPlan, plan
from tools.envelope.model import Band, Check, EnvelopeResult, LineInfo, RingFenceAmount, YearResult
from tools.envelope.money import in_words
from tools.envelope.rounding import adjustment, allocate, display_places, round_half_up, rule
from tools.envelope.schema import EnvelopeSpec
from tools.envelope.wording import assumptions
from tools.errors import InputError
from tools.formatting import financial_year
from tools.types import Severity

ZERO = Decimal(0)
CEILING = Decimal(10) ** 18
"""The largest yearly total rounded exactly (to 2 places, within the 28 digits of Decimal's context)."""


def compute(spec: EnvelopeSpec, *, places: int = 2) -> EnvelopeResult:
    """The rounded envelope for a checked spec, to `places` decimal places of its unit.

    Whatever `places`, the checks and `table` are for people: rounded to `display_places` of the unit.

    Raises:
        InputError: growth and inflation compounded over the years take a year's total past `CEILING`.
    """
    exact = plan(spec)
    _check_size(exact)
    people = display_places(spec.unit)
    shown = _result(exact, people)
    shown.table = shown.printed()
    if places == people:
        return shown
    return _result(exact, places).model_copy(update={"checks": shown.checks, "table": shown.table})


def _result(exact: ExactPlan, places: int) -> EnvelopeResult:
    spec = exact.spec
    years = [_year(exact, k, places) for k in range(exact.years + 1)]
    checks = (
        reconcile(exact, places)
        + _savings_checks(exact, years, places)
        + _rounding_checks(exact, years, places)
    )
    negative = "the recurrent total is negative; check the disinvestments"
    checks += [Check(severity="error", message=f"{y.year}: {negative}") for y in years if y.total < 0]
    return EnvelopeResult(
        title=spec.title,
        unit=spec.unit,
        base_year=spec.base_year,
        decimal_places=places,
        rounding=rule(spec.unit, places),
        savings_scope=spec.savings_target_per_year.commissioner if spec.savings_target_per_year else None,
        lines=[
            LineInfo(
                commissioner=line.commissioner,
                category=line.category,
                label=line.label,
                pass_through=line.pass_through,
            )
            for line in exact.lines
        ],
        years=years,
        checks=checks,
        assumptions=assumptions(spec),
    )


def _check_size(exact: ExactPlan) -> None:
    for k in range(exact.years + 1):
        if sum((abs(line.values[k]) for line in exact.lines), ZERO) > CEILING:
            year = financial_year(exact.spec.start_year + k)
            raise InputError(
                f"years: growth and inflation compounded to {year} take the envelope past "
                f"1,000,000,000,000,000,000 (in {exact.spec.unit}); check growth_percent_per_year, "
                "inflation_percent_per_year and years"
            )


def _year(exact: ExactPlan, k: int, places: int) -> YearResult:
    spec = exact.spec
    rounded = allocate([line.values[k] for line in exact.lines], places)
    total = sum(rounded, ZERO)
    by_commissioner = _sums(exact, rounded, "commissioner", spec.commissioners)
    by_category = _sums(exact, rounded, "category", spec.categories)
    retained = sum(
        (amount for line, amount in zip(exact.lines, rounded, strict=True) if line.pass_through), ZERO
    )
    provider_exact = sum((line.values[k] for line in exact.lines if not line.pass_through), ZERO)
    funds = exact.one_offs(k)
    non_recurrent = dict(
        zip([f.name for f in funds], allocate([f.amount for f in funds], places), strict=True)
    )
    non_recurrent_total = sum(non_recurrent.values(), ZERO)
    cumulative = [round_half_up(exact.cumulative_savings(j), places) for j in range(k + 1)]
    shortfall, surplus = _against_target(exact, k, places)
    return YearResult(
        year=financial_year(spec.start_year + k),
        plan_year=k,
        total=total,
        provider_envelope=total - retained,
        retained=retained,
        by_commissioner=by_commissioner,
        by_category=by_category,
        ring_fences=[
            RingFenceAmount(
                name=f.name,
                min_percent=f.min_percent,
                amount=round_half_up(provider_exact * f.min_percent / HUNDRED, places),
            )
            for f in spec.ring_fences
        ],
        third_sector=_third_sector(spec, provider_exact, places),
        non_recurrent=non_recurrent,
        non_recurrent_total=non_recurrent_total,
        total_with_non_recurrent=total + non_recurrent_total,
        commissioner_shares_percent=_shares(by_commissioner, total),
        category_shares_percent=_shares(by_category, total),
        # In-year savings are differences of rounded cumulative savings, so they add up to them.
        savings_in_year=cumulative[k] - cumulative[k - 1] if k else ZERO,
        cumulative_savings=cumulative[k],
        savings_shortfall=shortfall,
        savings_surplus=surplus,
        line_amounts=rounded,
    )


def _sums(exact: ExactPlan, rounded: list[Decimal], key: str, names: list[str]) -> dict[str, Decimal]:
    totals = dict.fromkeys(names, ZERO)
    for line, amount in zip(exact.lines, rounded, strict=True):
        totals[getattr(line, key)] += amount
    return totals


def _shares(amounts: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """Each amount as a percentage of the total, to 2 places, adding to 100."""
    if total <= 0 or any(amount < 0 for amount in amounts.values()):
        return {}
    exact = [amount * HUNDRED / total for amount in amounts.values()]
    return dict(zip(amounts, allocate(exact, 2, total=HUNDRED), strict=True))


def _third_sector(spec: EnvelopeSpec, provider: Decimal, places: int) -> Band | None:
    band = spec.third_sector_share_percent
    if band is None:
        return None
    return Band(
        min=round_half_up(provider * band.min / HUNDRED, places),
        max=round_half_up(provider * band.max / HUNDRED, places),
    )


def _savings_in_year(exact: ExactPlan, k: int) -> Decimal:
    target = exact.spec.savings_target_per_year
    who = target.commissioner if target else None
    return exact.cumulative_savings(k, who) - exact.cumulative_savings(k - 1, who)


def _against_target(exact: ExactPlan, k: int, places: int) -> tuple[Decimal | None, Decimal | None]:
    target = exact.spec.savings_target_per_year
    if target is None or target.applies_to == "allocation" or k == 0:
        return None, None
    saved = _savings_in_year(exact, k)
    shortfall, surplus = max(target.min - saved, ZERO), max(saved - target.max, ZERO)
    return round_half_up(shortfall, places), round_half_up(surplus, places)


def reconcile(exact: ExactPlan, places: int) -> list[Check]:
    """Printed totals against the base-year lines: agreed, near enough for a paper's rounding, or not."""
    spec = exact.spec
    checks = []
    for key, printed in spec.printed_totals.items():
        whole = key.lower() == "total"
        chosen = [line for line in spec.lines if whole or key in (line.commissioner, line.category)]
        added = sum((line.amount for line in chosen), ZERO)
        what = "the whole envelope" if whole else key
        lines = f"{len(chosen)} line{'s' if len(chosen) != 1 else ''}"
        if added == printed:
            amount = in_words(printed, spec.unit, places)
            message = f"Printed total for {what} ({amount}) reconciles with its {lines}."
            checks.append(Check(severity="info", message=message))
            continue
        # A paper that rounds each line can be out by up to half a unit a line.
        near = abs(added - printed) <= Decimal("0.5") * len(chosen)
        message = (
            f"Printed total for {what} is {in_words(printed, spec.unit, places)} but its {lines} add to "
            f"{in_words(added, spec.unit, places)} "
            f"(difference {in_words(printed - added, spec.unit, places)}); "
            + (
                "within what rounding in the paper could explain."
                if near
                else "correct the lines or the total."
            )
        )
        checks.append(Check(severity="warning" if near else "error", message=message))
    return checks


def _savings_checks(exact: ExactPlan, years: list[YearResult], places: int) -> list[Check]:
    target = exact.spec.savings_target_per_year
    if target is None:
        return []

    def money(amount: Decimal) -> str:
        return in_words(amount, exact.spec.unit, places)

    scope = f" ({target.commissioner} lines)" if target.commissioner else ""
    band = f"{money(target.min)}–{money(target.max)} target"
    if target.applies_to == "allocation":
        whose = f"the {target.commissioner}'s" if target.commissioner else "the commissioners'"
        lines = f"the {target.commissioner} lines" if target.commissioner else "the lines"
        saved = "; ".join(
            f"{year.year} {money(_savings_in_year(exact, year.plan_year))}" for year in years[1:]
        )
        message = (
            f"The {money(target.min)}–{money(target.max)} a year savings target is across {whose} whole "
            f"allocation, so it is not tested against these lines; savings in year from {lines} here: "
            f"{saved}."
        )
        return [Check(severity="info", message=message)] if saved else []
    checks = []
    for year in years[1:]:
        severity: Severity = "info"
        if year.savings_shortfall:
            severity, outcome = "warning", f"fall short of the {band} by {money(year.savings_shortfall)}"
        elif year.savings_surplus:
            outcome = f"exceed the {band} by {money(year.savings_surplus)}"
        else:
            outcome = f"meet the {band}"
        saved = money(_savings_in_year(exact, year.plan_year))
        checks.append(Check(severity=severity, message=f"{year.year}: savings of {saved}{scope} {outcome}."))
    return checks


def _rounding_checks(exact: ExactPlan, years: list[YearResult], places: int) -> list[Check]:
    checks = []
    for year in years:
        moved = adjustment([line.values[year.plan_year] for line in exact.lines], places)
        if moved:
            amount = in_words(abs(moved), exact.spec.unit, places)
            message = (
                f"{year.year}: rounded one by one, the lines would add to {amount} "
                f"{'less' if moved > 0 else 'more'} than the rounded total; that rounding adjustment "
                "went to the lines with the largest remainders."
            )
            checks.append(Check(severity="info", message=message))
    return checks
