"""The assumptions behind an envelope, in words, to print under the table in a paper."""

from __future__ import annotations

from collections.abc import Callable, Sized
from decimal import Decimal

from tools.envelope.compute import compound_rate_percent, even_step_percent, per_year
from tools.envelope.money import in_words
from tools.envelope.rounding import round_half_up
from tools.envelope.schema import EnvelopeSpec, PerYearPercent
from tools.formatting import financial_year

ZERO = Decimal(0)


def percent(value: Decimal) -> str:
    """`1.75%`, `7%`, `1.8%`: up to two decimals, no trailing zeros."""
    text = f"{round_half_up(value, 2):f}".rstrip("0").rstrip(".")
    return f"{text}%"


def assumptions(spec: EnvelopeSpec) -> list[str]:
    """Every assumption the figures rest on, one sentence each."""
    money = _money(spec)
    baseline = money(sum((line.amount for line in spec.lines), ZERO))
    lines = _count(spec.lines, "line")
    counted = (
        f"{_count(spec.commissioners, 'commissioner')}, {_count(spec.categories, 'category', 'categories')}"
    )
    said = [f"Base year {spec.base_year}: baseline of {baseline} across {lines} ({counted}), in {spec.unit}."]
    if spec.years:
        first, last = financial_year(spec.start_year + 1), financial_year(spec.start_year + spec.years)
        span = first if first == last else f"{first} to {last}"
        said.append(
            f"The plan runs for {_count(range(spec.years), 'year')}, {span}; year 1 already "
            "carries the first step."
        )
        said += _reduction(spec)
        said.append(_uplift(spec))
    said += _lines_set_apart(spec)
    said += [
        f"At least {percent(fence.min_percent)} of the provider envelope is ring-fenced for {fence.name}."
        for fence in spec.ring_fences
    ]
    band = spec.third_sector_share_percent
    if band:
        said.append(
            f"Third-sector and SME share: {percent(band.min)} to {percent(band.max)} of the provider "
            "envelope."
        )
    target = spec.savings_target_per_year
    if target:
        scope = f" from the {target.commissioner} lines" if target.commissioner else ""
        said.append(
            f"Savings target: {money(target.min)} to {money(target.max)} a year{scope}, checked each year."
        )
    if spec.years:
        said.append(
            "Savings are measured against the baseline uplifted for growth and inflation (the do-nothing "
            "position); savings in a year are the increase in cumulative savings over the year before."
        )
    said.append(
        "The provider envelope is the recurrent total less pass-through lines retained by commissioners."
    )
    said += [f"Stated in the source: {text}" for text in spec.stated_assumptions]
    return said


def _money(spec: EnvelopeSpec) -> Callable[[Decimal], str]:
    return lambda amount: in_words(amount, spec.unit, 2)


def _count(names: Sized, one: str, many: str | None = None) -> str:
    return f"{len(names)} {one if len(names) == 1 else (many or one + 's')}"


def _reduction(spec: EnvelopeSpec) -> list[str]:
    reduction, years = spec.reduction, spec.plan_years
    if reduction is None:
        return ["No efficiency or reduction is applied."]
    if reduction.per_year_percent is not None:
        steps = ", ".join(percent(p) for p in reduction.per_year_percent)
        total = percent(sum(reduction.per_year_percent, ZERO))
        said = f"Reduction of {total} of the base-year baseline over {years} years: {steps} of it a year."
    else:
        said = f"Reduction of {percent(reduction.total_percent or ZERO)} over {years} years, "
        profile = reduction.profile or "even"
        if profile == "compound":
            rate = percent(compound_rate_percent(reduction, years))
            said += f"compound: {rate} off the previous year's amount each year, reaching the same total."
        elif profile == "front-loaded":
            weights = ", ".join(str(years - k) for k in range(years))
            said += f"front-loaded: slices of the baseline in the proportions {weights}."
        else:
            step = percent(even_step_percent(reduction, years))
            said += f"in even steps: {step} of the base-year baseline a year."
    said += " It applies to every baseline line not marked protected, pass-through lines included."
    protected = [f"{line.commissioner} {line.category}" for line in spec.lines if line.protected]
    return [said] + ([f"Protected from the reduction: {', '.join(protected)}."] if protected else [])


def _uplift(spec: EnvelopeSpec) -> str:
    parts = [
        f"{label} {_rate(getattr(spec, field), spec.plan_years)}"
        for label, field in (
            ("demographic growth", "growth_percent_per_year"),
            ("inflation", "inflation_percent_per_year"),
            ("deflator", "deflator_percent_per_year"),
        )
        if any(per_year(getattr(spec, field), spec.plan_years))
    ]
    if not parts:
        return "No demographic growth, inflation or deflator is applied."
    return f"Applied each year, compounding on the reduced baseline: {'; '.join(parts)}."


def _rate(value: PerYearPercent, years: int) -> str:
    rates = per_year(value, years)
    if len(set(rates)) == 1:
        return f"{percent(rates[0])} a year"
    return "by year " + ", ".join(percent(rate) for rate in rates)


def _lines_set_apart(spec: EnvelopeSpec) -> list[str]:
    money, start = _money(spec), spec.start_year
    said = [
        f"{line.commissioner} {line.category} ({money(line.amount)} in the base year) is a pass-through "
        "retained by commissioners and kept out of the provider envelope."
        for line in spec.lines
        if line.pass_through
    ]
    for item in spec.investments:
        kind = "Disinvestment" if item.amount < 0 else "New investment"
        said.append(
            f"{kind} '{item.name}': {money(abs(item.amount))} a year from "
            f"{financial_year(start + item.from_year)} ({item.commissioner}, {item.category}), in cash, "
            "neither reduced nor uplifted."
        )
    said += [
        f"One-off '{fund.name}'{f' ({fund.commissioner})' if fund.commissioner else ''}: "
        f"{money(fund.amount)} in {financial_year(start + fund.year)}, non-recurrent "
        "and kept apart from the recurrent envelope."
        for fund in spec.one_off
    ]
    return said
