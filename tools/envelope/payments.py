"""Payment mechanisms from the B&NES business case: capitation, and multilateral gain/loss sharing.

Both work in exact `Decimal` and round once, half up to two decimal places of the stated unit, with
cohort budgets and parties' amounts that add to the rounded budget and pool (largest remainder).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tools.envelope.money import POUNDS, Money
from tools.envelope.rounding import allocate, round_half_up, rule
from tools.envelope.schema import Unit
from tools.errors import InputError
from tools.types import MAX_POUNDS, Percent, Pounds, parse_percent, parse_pounds

PLACES = 2
ZERO = Decimal(0)
HUNDRED = Decimal(100)
MONTHS = Decimal(12)


class Cohort(BaseModel):
    """A part of the capitated population with its risk weight (1 is average need)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    population: int = Field(ge=1)
    weight: Decimal = Field(Decimal(1), gt=0, le=1000)


class CohortAmount(BaseModel):
    name: str
    population: int
    weight: Money
    budget: Money
    per_person_per_year: Money
    per_person_per_month: Money


class CapitationResult(BaseModel):
    """A capitated budget per person, and split between cohorts by risk weight."""

    unit: str
    budget: Money
    population: int
    per_person_per_year: Money
    per_person_per_month: Money
    per_person_per_year_pounds: Money
    per_person_per_month_pounds: Money
    cohorts: list[CohortAmount]
    rounding: str


def capitation(
    budget: Pounds,
    population: Annotated[int, Field(ge=1, le=100_000_000)],
    unit: Unit = "£",
    cohorts: list[Cohort] | None = None,
) -> CapitationResult:
    """Capitation: a population's budget per person per year and month, by cohort if given.

    Use it when a paper weighs paying a provider a lump sum per person in a target group (for example
    everyone aged 85 and over in a locality). With cohorts, the budget is split by risk weight: each cohort's
    share is its population × weight over the sum for all cohorts, so a cohort of weight 2 is paid twice as
    much per person as one of weight 1. Cohort budgets add to the whole budget to the penny.

    Args:
        budget: the annual budget, in unit.
        population: people covered; cohorts add up to it.
        unit: the unit of budget and results.
        cohorts: [{name, population, weight}].

    Returns:
        per_person_per_year and per_person_per_month for the whole population, and each cohort's budget
        and per-person rates, rounded to 2 decimal places of the unit.
    """
    budget = parse_pounds(budget, field="budget", negative=True)
    if budget < 0:
        raise InputError(f"budget = {budget}: a budget cannot be negative")
    if population < 1:
        raise InputError(f"population = {population}: give the number of people covered (at least 1)")
    cohorts = cohorts or []
    counted = sum(cohort.population for cohort in cohorts)
    if cohorts and counted != population:
        raise InputError(
            f"cohorts = {counted:,} people: the cohorts' populations must add to population ({population:,})"
        )
    weighted = [cohort.weight * cohort.population for cohort in cohorts]
    whole = sum(weighted, ZERO)
    exact = [budget * part / whole for part in weighted]
    budgets = allocate(exact, PLACES, total=round_half_up(budget, PLACES))
    yearly = budget / population
    return CapitationResult(
        unit=unit,
        budget=round_half_up(budget, PLACES),
        population=population,
        per_person_per_year=round_half_up(yearly, PLACES),
        per_person_per_month=round_half_up(yearly / MONTHS, PLACES),
        per_person_per_year_pounds=round_half_up(yearly * POUNDS[unit], PLACES),
        per_person_per_month_pounds=round_half_up(yearly * POUNDS[unit] / MONTHS, PLACES),
        cohorts=[
            CohortAmount(
                name=cohort.name,
                population=cohort.population,
                weight=cohort.weight,
                budget=amount,
                per_person_per_year=round_half_up(share / cohort.population, PLACES),
                per_person_per_month=round_half_up(share / cohort.population / MONTHS, PLACES),
            )
            for cohort, amount, share in zip(cohorts, budgets, exact, strict=True)
        ],
        rounding=rule(unit, PLACES),
    )


class GainShareResult(BaseModel):
    """A gain or loss pool from expected spend against outturn, and each party's part of it."""

    unit: str
    expected: Money
    actual: Money
    difference: Money
    dead_band: Money
    cap: Money | None
    collar: Money | None
    pool: Money
    outcome: str
    limited_by: str | None
    outside_pool: Money
    share_percent: dict[str, Money]
    shares: dict[str, Money]
    rounding: str


def gain_loss_share(
    expected: Pounds,
    actual: Pounds,
    shares: dict[str, Percent],
    dead_band: Pounds = ZERO,
    cap: Pounds | None = None,
    collar: Pounds | None = None,
    unit: Unit = "£",
) -> GainShareResult:
    """Gain/loss share: split the gain or loss against expected spend between the parties.

    Use it for a risk-share or gain-share agreement between commissioners and providers. The pool is
    expected spend minus actual outturn (positive is a gain, negative a loss). A dead band is taken off
    first: only the amount beyond it, either way, is shared. Then a gain pool is capped at `cap` and a
    loss pool limited to `collar`. Each party's amount is the pool × its share and carries the pool's sign;
    the amounts add to the pool. What the dead band, cap or collar keep out of the pool is reported as
    outside_pool.

    Args:
        expected: planned spend, in unit.
        actual: outturn spend, in unit.
        shares: {party: percent}, adding to 100.
        dead_band: the amount either side of expected not shared.
        cap: the largest gain pool.
        collar: the largest loss pool.
        unit: the unit of every amount.

    Returns:
        pool and shares (party: amount, signed), with the difference, outside_pool and which limit applied,
        rounded to 2 decimal places of the unit.
    """
    # Negatives pass the parser so the checks below can say why each is wrong in this tool's words.
    expected = parse_pounds(expected, field="expected", negative=True)
    actual = parse_pounds(actual, field="actual", negative=True)
    dead_band = parse_pounds(dead_band, field="dead_band", negative=True)
    cap = None if cap is None else parse_pounds(cap, field="cap", negative=True)
    collar = None if collar is None else parse_pounds(collar, field="collar", negative=True)
    shares = {
        party: parse_percent(share, field=f"shares.{party}", lowest=-MAX_POUNDS, highest=MAX_POUNDS)
        for party, share in shares.items()
    }
    _check_gain_share(expected, actual, shares, dead_band, cap, collar)
    difference = expected - actual
    sign = Decimal(1) if difference >= 0 else Decimal(-1)
    pool = sign * max(abs(difference) - dead_band, ZERO)
    limited_by = "dead band" if pool == 0 and difference else None
    if cap is not None and pool > cap:
        pool, limited_by = cap, "cap"
    if collar is not None and pool < -collar:
        pool, limited_by = -collar, "collar"
    rounded_pool = round_half_up(pool, PLACES)
    parts = allocate(
        [abs(pool) * share / HUNDRED for share in shares.values()], PLACES, total=abs(rounded_pool)
    )
    return GainShareResult(
        unit=unit,
        expected=round_half_up(expected, PLACES),
        actual=round_half_up(actual, PLACES),
        difference=round_half_up(difference, PLACES),
        dead_band=round_half_up(dead_band, PLACES),
        cap=None if cap is None else round_half_up(cap, PLACES),
        collar=None if collar is None else round_half_up(collar, PLACES),
        pool=rounded_pool,
        outcome="gain" if pool > 0 else "loss" if pool < 0 else "nothing to share",
        limited_by=limited_by,
        outside_pool=round_half_up(difference, PLACES) - rounded_pool,
        share_percent=shares,
        shares={party: sign * amount for party, amount in zip(shares, parts, strict=True)},
        rounding=rule(unit, PLACES),
    )


def _check_gain_share(
    expected: Decimal,
    actual: Decimal,
    shares: dict[str, Decimal],
    dead_band: Decimal,
    cap: Decimal | None,
    collar: Decimal | None,
) -> None:
    for field, value in (
        ("expected", expected),
        ("actual", actual),
        ("dead_band", dead_band),
        ("cap", cap),
        ("collar", collar),
    ):
        if value is not None and value < 0:
            raise InputError(
                f"{field} = {value}: give a positive amount (the pool's sign comes from expected less actual)"
            )
    if not shares:
        raise InputError("shares = {}: name at least one party and its percentage share, e.g. Provider=50")
    for party, share in shares.items():
        if not str(party).strip():
            raise InputError(f"shares = {share}: a share needs a party name")
        if not ZERO <= share <= HUNDRED:
            raise InputError(f"shares.{party} = {share}: a share is a percentage from 0 to 100")
    total = sum(shares.values(), ZERO)
    if total != HUNDRED:
        raise InputError(f"shares = {total}% in all: the parties' shares must add up to 100%")
