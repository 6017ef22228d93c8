"""The exact arithmetic of an envelope: each line in each year, in `Decimal`, before any rounding.

Year 0 is the base year (the baseline as given). Plan year k carries the first k steps of the reduction and
k years of growth, inflation and deflator:

    line in year k = baseline × reduction multiplier(k) × uplift(k)
    uplift(k) = Π over years 1..k of (1 + growth)(1 + inflation)(1 − deflator)

Reduction multipliers for a total T over N years: "even" takes T/N of the baseline off each year
(1 − T·k/N); "compound" takes the same percentage off the previous year ((1 − T)^(k/N)), so both reach
1 − T in year N; "front-loaded" takes slices of the baseline in the proportions N, N−1, …, 1; an explicit
list gives each year's slice as a percentage of the baseline. A commissioner's own reduction
(`reduction_by_commissioner`) replaces the shared one for its lines; protected lines are not reduced.
Investments are cash amounts from their first year on, neither reduced nor uplifted.

Savings are exactly what the printed assumption says: measured against the baseline uplifted for growth and
inflation only (the do-nothing position), so the reduction and the deflator both count as savings:

    savings in year k = baseline × growth and inflation(k) − line in year k
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tools.envelope.schema import EnvelopeSpec, OneOff, PerYearPercent, Reduction

ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PlanLine:
    """One recurrent line's exact amount in each year (index 0 is the base year)."""

    commissioner: str
    category: str
    label: str
    pass_through: bool
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class ExactPlan:
    """Everything the result needs, exact."""

    spec: EnvelopeSpec
    lines: tuple[PlanLine, ...]
    uplift: tuple[Decimal, ...]
    savings: dict[str, tuple[Decimal, ...]]  # cumulative savings by commissioner, per year

    @property
    def years(self) -> int:
        return len(self.uplift) - 1

    def one_offs(self, year: int) -> list[OneOff]:
        return [fund for fund in self.spec.one_off if fund.year == year]

    def cumulative_savings(self, year: int, commissioner: str | None = None) -> Decimal:
        chosen = [commissioner] if commissioner else list(self.savings)
        return sum((self.savings[name][year] for name in chosen if name in self.savings), Decimal(0))


def plan(spec: EnvelopeSpec) -> ExactPlan:
    """The exact envelope for a checked `EnvelopeSpec`."""
    years = spec.plan_years
    multipliers = {
        name: reduction_multipliers(spec.reduction_for(name), years) for name in spec.commissioners
    }
    uplift = uplift_factors(spec, years)
    do_nothing = uplift_factors(spec, years, deflator=False)
    lines: list[PlanLine] = []
    savings: dict[str, list[Decimal]] = {name: [Decimal(0)] * (years + 1) for name in spec.commissioners}
    for line in spec.lines:
        reduced = multipliers[line.commissioner] if not line.protected else (ONE,) * (years + 1)
        values = tuple(line.amount * reduced[k] * uplift[k] for k in range(years + 1))
        label = f"{line.category} (pass-through)" if line.pass_through else line.category
        lines.append(PlanLine(line.commissioner, line.category, label, line.pass_through, values))
        for k in range(years + 1):
            savings[line.commissioner][k] += line.amount * do_nothing[k] - values[k]
    for item in spec.investments:
        values = tuple(item.amount if k >= item.from_year else Decimal(0) for k in range(years + 1))
        lines.append(PlanLine(item.commissioner, item.category, item.name, item.pass_through, values))
    frozen = {name: tuple(amounts) for name, amounts in savings.items()}
    return ExactPlan(spec, tuple(lines), uplift, frozen)


def reduction_multipliers(reduction: Reduction | None, years: int) -> tuple[Decimal, ...]:
    """What share of the baseline is left after each year's reduction, from the base year (1) on."""
    if reduction is None or years == 0:
        return (ONE,) * (years + 1)
    if reduction.per_year_percent is not None:
        return _cumulative_slices([percent / HUNDRED for percent in reduction.per_year_percent])
    total = (reduction.total_percent or Decimal(0)) / HUNDRED
    profile = reduction.profile or "even"
    if profile == "compound":
        return (ONE, *((ONE - total) ** (Decimal(k) / years) for k in range(1, years + 1)))
    if profile == "front-loaded":
        weights = [Decimal(years - k) for k in range(years)]
        whole = sum(weights, Decimal(0))
        return _cumulative_slices([total * weight / whole for weight in weights])
    return _cumulative_slices([total / years] * years)


def _cumulative_slices(slices: list[Decimal]) -> tuple[Decimal, ...]:
    left = [ONE]
    for piece in slices:
        left.append(left[-1] - piece)
    return tuple(left)


def uplift_factors(spec: EnvelopeSpec, years: int, *, deflator: bool = True) -> tuple[Decimal, ...]:
    """The compounded growth × inflation × deflator factor for each year (1 in the base year).

    Without the deflator it is the do-nothing uplift that savings are measured against.
    """
    growth = per_year(spec.growth_percent_per_year, years)
    inflation = per_year(spec.inflation_percent_per_year, years)
    taken = per_year(spec.deflator_percent_per_year, years) if deflator else [Decimal(0)] * years
    factors = [ONE]
    for k in range(years):
        factors.append(
            factors[-1]
            * (ONE + growth[k] / HUNDRED)
            * (ONE + inflation[k] / HUNDRED)
            * (ONE - taken[k] / HUNDRED)
        )
    return tuple(factors)


def per_year(value: PerYearPercent, years: int) -> list[Decimal]:
    """One percentage for each plan year, from a single figure or a list of them."""
    return list(value) if isinstance(value, list) else [value] * years


def even_step_percent(reduction: Reduction, years: int) -> Decimal:
    """The percentage of the baseline an even profile takes off each year."""
    return (reduction.total_percent or Decimal(0)) / years


def compound_rate_percent(reduction: Reduction, years: int) -> Decimal:
    """The percentage a compound profile takes off the previous year, each year."""
    total = (reduction.total_percent or Decimal(0)) / HUNDRED
    return (ONE - (ONE - total) ** (ONE / years)) * HUNDRED
