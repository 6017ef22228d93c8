"""The assumptions behind an envelope, in words, to print under the table in a paper."""

from __future__ import annotations

from collections.abc import Callable, Sized
from decimal import Decimal

from tools.envelope.compute import compound_rate_percent, even_step_percent, per_year
from tools.envelope.money import in_words
from tools.envelope.rounding import display_places, round_half_up
from tools.envelope.schema import EnvelopeSpec, PerYearPercent, Reduction
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
        said += _reductions(spec)
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
        wanted = f"Savings target: {money(target.min)} to {money(target.max)} a year"
        if target.applies_to == "allocation":
            whose = f"the {target.commissioner}'s" if target.commissioner else "the commissioners'"
            said.append(
                f"{wanted} across {whose} whole allocation, not only the lines here: what these lines save "
                "is reported beside it, not tested against it."
            )
        else:
            scope = f" from the {target.commissioner} lines" if target.commissioner else ""
            said.append(f"{wanted}{scope}, checked each year.")
    if spec.years:
        said.append(
            "Savings are measured against the baseline uplifted for growth and inflation only (the "
            "do-nothing position), so the reduction and any deflator both count as savings; savings in a "
            "year are the increase in cumulative savings over the year before."
        )
    said.append(
        "The provider envelope is the recurrent total less pass-through lines retained by commissioners."
    )
    said += [f"Stated in the source: {text}" for text in spec.stated_assumptions]
    return said


def _money(spec: EnvelopeSpec) -> Callable[[Decimal], str]:
    return lambda amount: in_words(amount, spec.unit, display_places(spec.unit))


def _count(names: Sized, one: str, many: str | None = None) -> str:
    return f"{len(names)} {one if len(names) == 1 else (many or one + 's')}"


def _reductions(spec: EnvelopeSpec) -> list[str]:
    """The shared reduction, then each commissioner's own, saying whose lines each applies to."""
    own, years = spec.reduction_by_commissioner, spec.plan_years
    if own:
        rest = [name for name in spec.commissioners if name not in own]
        said = [_reduction(reduction, years, [name]) for name, reduction in own.items()]
        said += [_reduction(spec.reduction, years, rest)] if rest else []
    else:
        said = [_reduction(spec.reduction, years, None)]
    protected = [f"{line.commissioner} {line.category}" for line in spec.lines if line.protected]
    return said + ([f"Protected from the reduction: {', '.join(protected)}."] if protected else [])


def _reduction(reduction: Reduction | None, years: int, owners: list[str] | None) -> str:
    """One reduction in words; `owners` are the commissioners whose lines take it (None: every line)."""
    lines = "every baseline line" if owners is None else ("its" if len(owners) == 1 else "their") + " lines"
    if reduction is None:
        said = f"no efficiency or reduction is applied to {lines}."
    elif reduction.per_year_percent is not None:
        steps = ", ".join(percent(p) for p in reduction.per_year_percent)
        total = percent(sum(reduction.per_year_percent, ZERO))
        said = f"reduction of {total} of the base-year baseline over {years} years: {steps} of it a year."
    else:
        said = f"reduction of {percent(reduction.total_percent or ZERO)} over {years} years, "
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
    if reduction is not None:
        said += f" It applies to {lines} not marked protected, pass-through lines included."
    return f"{_names(owners)}: {said}" if owners else said[0].upper() + said[1:]


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


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
