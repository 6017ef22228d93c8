"""The envelope calculator as a tool a language model can call with structured arguments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tools.envelope.model import EnvelopeResult
from tools.envelope.report import compute
from tools.envelope.schema import (
    Amount,
    Investment,
    Line,
    OneOff,
    PercentRange,
    PerYearPercent,
    Reduction,
    RingFence,
    SavingsTarget,
    Unit,
    load_spec,
    spec_from,
)
from tools.errors import InputError


def compute_envelope(
    unit: Unit,
    base_year: str,
    lines: list[Line],
    years: int | None = None,
    reduction: Reduction | None = None,
    growth_percent_per_year: PerYearPercent = Decimal(0),
    inflation_percent_per_year: PerYearPercent = Decimal(0),
    deflator_percent_per_year: PerYearPercent = Decimal(0),
    investments: list[Investment] | None = None,
    ring_fences: list[RingFence] | None = None,
    one_off: list[OneOff] | None = None,
    third_sector_share_percent: PercentRange | None = None,
    savings_target_per_year: SavingsTarget | None = None,
    printed_totals: dict[str, Amount] | None = None,
    stated_assumptions: list[str] | None = None,
    title: str | None = None,
    decimal_places: int = 2,
) -> EnvelopeResult:
    """Compute a funding envelope year by year from a baseline, a reduction profile, growth and ring-fences.

    Use it to turn a paper's baseline (spend by category and commissioner in the base year) and planning
    assumptions into a year-by-year envelope: totals by commissioner and category, the provider envelope
    (recurrent total less pass-through lines retained by commissioners), ring-fenced amounts, non-recurrent
    funds kept apart, each commissioner's share of the pooled budget, savings against a target, and a
    check that any totals printed in the paper reconcile with the lines. Money is exact and rounded once;
    rounded lines add to the rounded totals. Without `years`, only the base year and the reconciliation are
    reported.

    Args:
        unit: the unit every amount is in: "£", "£000" or "£m".
        base_year: the financial year of the baseline, e.g. "2015/16"; plan year 1 is the year after.
        lines: baseline lines, each {category, commissioner, amount}, with optional pass_through (retained by
            commissioners, outside the provider envelope) and protected (kept out of the reduction).
        years: how many plan years follow the base year (1 to 50); omit to report the base year only.
        reduction: {total_percent, profile} with profile "even" (same slice of the baseline each year),
            "compound" (same percentage off the previous year) or "front-loaded"; or {per_year_percent: [..]},
            each a percentage of the baseline.
        growth_percent_per_year: demographic growth: one percentage for every year, or a list (one a year).
        inflation_percent_per_year: inflation: one percentage for every year, or a list (one a year).
        deflator_percent_per_year: a contract deflator taken off each year, one percentage or a list.
        investments: recurrent new investment (negative for disinvestment), each {name, commissioner,
            category, amount, from_year}, in cash.
        ring_fences: minimum shares of the provider envelope, each {name, min_percent}.
        one_off: non-recurrent funds, each {name, amount, year}, kept apart from the recurrent envelope.
        third_sector_share_percent: {min, max} percentage of the provider envelope for third sector and SMEs.
        savings_target_per_year: {min, max} savings wanted each year, optionally {commissioner} to check only
            that commissioner's lines.
        printed_totals: totals as the paper prints them, keyed by commissioner, category or "total".
        stated_assumptions: the paper's own planning assumptions, in words, carried into the output.
        title: a heading for the table.
        decimal_places: places of the unit to round to: 2 for data, 0 for a table in a paper.

    Returns:
        unit, years (each with year, total, provider_envelope, retained, by_commissioner, by_category,
        ring_fences, non-recurrent amounts, shares and savings), checks (severity and message) and the
        assumptions in words.
    """
    if decimal_places not in (0, 1, 2):
        raise InputError(f"decimal_places = {decimal_places}: choose 0, 1 or 2")
    given = {
        "unit": unit,
        "base_year": base_year,
        "lines": lines,
        "years": years,
        "reduction": reduction,
        "growth_percent_per_year": growth_percent_per_year,
        "inflation_percent_per_year": inflation_percent_per_year,
        "deflator_percent_per_year": deflator_percent_per_year,
        "investments": investments or [],
        "ring_fences": ring_fences or [],
        "one_off": one_off or [],
        "third_sector_share_percent": third_sector_share_percent,
        "savings_target_per_year": savings_target_per_year,
        "printed_totals": printed_totals or {},
        "stated_assumptions": stated_assumptions or [],
        "title": title,
    }
    return compute(spec_from(given, source="compute_envelope arguments"), places=decimal_places)


def envelope_from_file(path: Path, *, places: int = 2) -> EnvelopeResult:
    """The envelope for a YAML or JSON envelope file."""
    return compute(load_spec(path), places=places)


def display_places(unit: str) -> int:
    """Places for a table in a paper: whole units, except tenths for £m as papers print them (£96.4m)."""
    return 1 if unit == "£m" else 0
