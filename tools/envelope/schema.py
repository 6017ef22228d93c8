"""The envelope file officers write: a baseline by category and commissioner, and the plan applied to it.

The core (`unit`, `base_year`, `years`, `lines`, `reduction`, growth and inflation, `ring_fences`,
`one_off`, `third_sector_share_percent`, `savings_target_per_year`, `printed_totals`) is fixed by the
issue; the rest (deflator, investments, protected lines, a title, stated assumptions) sits around it.
Unknown keys are refused so that a typo fails loudly. Checks that span fields are in `check_spec`,
which names the field and the value in a one-line `InputError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from tools.errors import InputError
from tools.formatting import financial_year
from tools.inputs import load_data, validate
from tools.types import NOT_FOR_MODELS, Pounds, SignedPounds, parse_financial_year, shown
from tools.types import Percent as SharedPercent

MAX_LINES = 2000
"""The most entries in any list (lines, investments, ring-fences, one-off funds, printed totals)."""
MAX_YEARS = 50
"""The most plan years after the base year; a year named anywhere is from 1 to this."""
MAX_NAME = 200
"""The most characters in a name (a category, a commissioner, a fund) or the title."""
MAX_TEXT = 2000
"""The most characters in one stated assumption."""

Unit = Literal["£", "£000", "£m"]
# Bounded where exact rounding still works, and saying so in the schema.
# Amounts and percentages as officers write them ("£1,234", "1.2m", "7%"): the shared types.
Amount = Pounds
SignedAmount = SignedPounds
Percent = SharedPercent
PerYear = Annotated[list[Percent], Field(max_length=MAX_YEARS)]
PerYearPercent = Percent | PerYear
Profile = Literal["even", "compound", "front-loaded"]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
ZERO = Decimal(0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Line(_Strict):
    """One baseline line: what a commissioner spends on a category in the base year."""

    category: Name
    commissioner: Name
    amount: Amount = Field(description="base-year spend in the file's unit")
    pass_through: bool = Field(False, description="retained by commissioners, outside the provider envelope")
    protected: bool = Field(False, description="kept out of the reduction (growth and inflation still apply)")


class Reduction(_Strict):
    """An efficiency or reduction: a total over the plan with a profile, or a percentage for each year."""

    total_percent: Percent | None = None
    profile: Profile | None = None
    per_year_percent: PerYear | None = None


class Investment(_Strict):
    """New recurrent investment (or, negative, a disinvestment) from a plan year onwards, in cash."""

    name: Name
    commissioner: Name
    category: Name
    amount: SignedAmount
    from_year: int = Field(1, ge=1, le=MAX_YEARS)
    pass_through: bool = False


class RingFence(_Strict):
    """A minimum share of the provider envelope kept for a purpose."""

    name: Name
    min_percent: Percent


class OneOff(_Strict):
    """A non-recurrent fund in one plan year, kept apart from the recurrent envelope."""

    name: Name
    amount: Amount
    year: int = Field(ge=1, le=MAX_YEARS)
    commissioner: str | None = None


class PercentRange(_Strict):
    min: Percent
    max: Percent


class SavingsTarget(_Strict):
    """Recurrent savings wanted each year, optionally for one commissioner's lines only.

    A target a paper sets across a commissioner's whole allocation (B&NES: the CCG's 10% efficiency
    requirement) cannot be tested against the few lines in an envelope: `applies_to: allocation` reports
    what the lines save beside it instead of a shortfall.
    """

    min: Amount
    max: Amount
    commissioner: str | None = None
    applies_to: Literal["lines", "allocation"] = Field(
        "lines",
        description="lines: tested against this envelope's lines; allocation: the target is across the "
        "commissioner's whole allocation, so the lines' savings are reported beside it, not tested",
    )


class EnvelopeSpec(_Strict):
    """A whole envelope file."""

    title: Annotated[str, Field(max_length=MAX_NAME)] | None = Field(
        None, description="a heading for the table", json_schema_extra=NOT_FOR_MODELS
    )
    unit: Unit = Field(
        validation_alias=AliasChoices("unit", "currency_unit"),
        description="of every amount",
    )
    base_year: str = Field(description='e.g. "2015/16"')
    years: int | None = Field(
        None,
        le=MAX_YEARS,
        description="plan years after the base year",
    )
    lines: list[Line] = Field(
        min_length=1,
        max_length=MAX_LINES,
        description="[{category, commissioner, amount, pass_through, protected}]",
    )
    reduction: Reduction | None = Field(
        None,
        description="{total_percent, profile: even|compound|front-loaded} or {per_year_percent}",
    )
    reduction_by_commissioner: dict[Name, Reduction] = Field(
        {},
        max_length=MAX_LINES,
        description="a reduction for one commissioner's lines, in place of `reduction` for them, e.g. "
        "{Council: {total_percent: 7, profile: even}}",
        json_schema_extra=NOT_FOR_MODELS,
    )
    growth_percent_per_year: PerYearPercent = Field(ZERO, description="% a year, or a list")
    inflation_percent_per_year: PerYearPercent = Field(ZERO, description="% a year, or a list")
    deflator_percent_per_year: PerYearPercent = Field(
        ZERO,
        description="a contract deflator taken off each year: one percentage, or a list",
        json_schema_extra=NOT_FOR_MODELS,
    )
    investments: list[Investment] = Field(
        [],
        max_length=MAX_LINES,
        description="[{name, commissioner, category, amount, from_year}]",
    )
    ring_fences: list[RingFence] = Field([], max_length=MAX_LINES, description="[{name, min_percent}]")
    one_off: list[OneOff] = Field([], max_length=MAX_LINES, description="[{name, amount, year}]")
    third_sector_share_percent: PercentRange | None = Field(
        None,
        description="{min, max} percentage of the provider envelope for third sector and SMEs",
        json_schema_extra=NOT_FOR_MODELS,
    )
    savings_target_per_year: SavingsTarget | None = Field(
        None,
        description="{min, max} savings wanted each year, optionally for one {commissioner}",
        json_schema_extra=NOT_FOR_MODELS,
    )
    printed_totals: dict[str, Amount] = Field(
        {}, max_length=MAX_LINES, description='{commissioner, category or "total": amount} as printed'
    )
    stated_assumptions: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(
        [],
        max_length=MAX_LINES,
        description="the paper's assumptions, in words",
        json_schema_extra=NOT_FOR_MODELS,
    )

    @field_validator("base_year", mode="before")
    @classmethod
    def _financial_year(cls, value: Any) -> str:
        try:
            return financial_year(parse_financial_year(str(value)))
        except InputError:
            raise PydanticCustomError(
                "financial_year", "is not a financial year; write it like 2015/16"
            ) from None

    @field_validator(
        "growth_percent_per_year", "inflation_percent_per_year", "deflator_percent_per_year", mode="before"
    )
    @classmethod
    def _percentages(cls, value: Any) -> Any:
        # Checked here so the error names the field, not the branch of the union it failed in.
        for item in value if isinstance(value, list) else [value]:
            try:
                number = Decimal(str(item))
            except ArithmeticError:
                raise PydanticCustomError(
                    "percent", "give a percentage, or a list with one for each year"
                ) from None
            if not number.is_finite() or not 0 <= number <= 100:
                raise PydanticCustomError("percent", "a percentage must be from 0 to 100")
        return value

    @field_validator("years")
    @classmethod
    def _at_least_one_year(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise PydanticCustomError(
                "years", "a plan needs at least one year; leave years out to report the base year only"
            )
        return value

    @property
    def start_year(self) -> int:
        return parse_financial_year(self.base_year)

    @property
    def plan_years(self) -> int:
        return self.years or 0

    @property
    def commissioners(self) -> list[str]:
        return _unique(
            [line.commissioner for line in self.lines] + [i.commissioner for i in self.investments]
        )

    def reduction_for(self, commissioner: str) -> Reduction | None:
        """The reduction a commissioner's lines take: its own, else the one for every line."""
        return self.reduction_by_commissioner.get(commissioner, self.reduction)

    @property
    def categories(self) -> list[str]:
        return _unique([line.category for line in self.lines] + [i.category for i in self.investments])


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def load_spec(path: Path) -> EnvelopeSpec:
    """An envelope file (YAML or JSON), validated and checked across fields."""
    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of field: value at the top level")
    return spec_from(data, source=path)


def spec_from(data: dict[str, Any], *, source: object = "arguments") -> EnvelopeSpec:
    """`data` validated as an `EnvelopeSpec` and checked across fields."""
    spec = validate(data, EnvelopeSpec, source=source)
    check_spec(spec, source=source)
    return spec


def check_spec(spec: EnvelopeSpec, *, source: object = "arguments") -> None:
    """Raise a one-line `InputError` for the first problem that spans fields."""
    problem = next(_problems(spec), None)
    if problem is not None:
        field, value, fix = problem
        # Text is cut to 40 characters; other values (numbers, short lists, small mappings, bounded by
        # the schema) are shown whole and in their own order.
        quoted = shown(value) if isinstance(value, str) else repr(value)
        raise InputError(f"{source}: {field} = {quoted}: {fix}")


_NEEDS_YEARS = (
    "reduction",
    "reduction_by_commissioner",
    "growth_percent_per_year",
    "inflation_percent_per_year",
    "deflator_percent_per_year",
    "investments",
    "one_off",
    "savings_target_per_year",
)


def _problems(spec: EnvelopeSpec) -> Iterator[tuple[str, Any, str]]:
    years = spec.plan_years
    if not spec.years:
        for field in _NEEDS_YEARS:
            value = getattr(spec, field)
            if value not in (None, [], {}, ZERO):
                yield field, _plain(value), "needs years (how many plan years follow the base year)"
    yield from _reduction_problems(spec.reduction, years)
    for name, reduction in spec.reduction_by_commissioner.items():
        if name not in spec.commissioners:
            yield "reduction_by_commissioner", name, _known("commissioners", spec)
        yield from _reduction_problems(reduction, years, field=f"reduction_by_commissioner.{name}")
    for field in ("growth_percent_per_year", "inflation_percent_per_year", "deflator_percent_per_year"):
        value = getattr(spec, field)
        if isinstance(value, list) and years and len(value) != years:
            yield field, _plain(value), f"give one percentage for each of the {years} years, or one for all"
    for index, item in enumerate(spec.investments):
        if years and item.from_year > years:
            yield f"investments.{index}.from_year", item.from_year, f"the plan has only {years} years"
    named: set[str] = set()
    for index, fund in enumerate(spec.one_off):
        if years and fund.year > years:
            yield f"one_off.{index}.year", fund.year, f"the plan has only {years} years"
        if fund.name in named:
            yield f"one_off.{index}.name", fund.name, "each one-off fund needs a name of its own"
        named.add(fund.name)
    fenced = sum((fence.min_percent for fence in spec.ring_fences), ZERO)
    if fenced > 100:
        yield (
            "ring_fences",
            f"{fenced}%",
            "the minimum shares add up to more than 100% of the provider envelope",
        )
    for field in ("third_sector_share_percent", "savings_target_per_year"):
        band = getattr(spec, field)
        if band is not None and band.min > band.max:
            yield f"{field}.min", _plain(band.min), f"is more than max ({_plain(band.max)})"
    target = spec.savings_target_per_year
    if target and target.commissioner and target.commissioner not in spec.commissioners:
        yield "savings_target_per_year.commissioner", target.commissioner, _known("commissioners", spec)
    known = {*spec.commissioners, *spec.categories, "total"}
    for key in spec.printed_totals:
        if key not in known and key.lower() != "total":
            yield "printed_totals", key, "is not a commissioner, a category or 'total' in the lines"


def _reduction_problems(
    reduction: Reduction | None, years: int, *, field: str = "reduction"
) -> Iterator[tuple[str, Any, str]]:
    if reduction is None:
        return
    if (reduction.total_percent is None) == (reduction.per_year_percent is None):
        yield (
            field,
            _plain(reduction),
            ("give either total_percent (with a profile) or per_year_percent, not both or neither"),
        )
    elif reduction.per_year_percent is not None:
        per_year = reduction.per_year_percent
        if reduction.profile is not None:
            yield (
                f"{field}.profile",
                reduction.profile,
                "a profile goes with total_percent, not per_year_percent",
            )
        elif years and len(per_year) != years:
            yield (
                f"{field}.per_year_percent",
                _plain(per_year),
                f"give one percentage for each of the {years} years",
            )
        elif sum(per_year, ZERO) > 100:
            yield f"{field}.per_year_percent", _plain(per_year), "adds up to more than 100% of the baseline"


def _known(kind: str, spec: EnvelopeSpec) -> str:
    names = spec.commissioners if kind == "commissioners" else spec.categories
    more = f" and {len(names) - 10:,} more" if len(names) > 10 else ""
    return f"not one of the {kind} in the lines ({', '.join(names[:10])}{more})"


def _plain(value: Any) -> Any:
    """Decimals shown as numbers in messages, not `Decimal('7')`."""
    if isinstance(value, BaseModel):
        return _plain(value.model_dump(exclude_none=True, exclude_defaults=True))
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
