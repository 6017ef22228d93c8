"""The envelope result: rounded figures for each year, the checks and the assumptions in words.

`model_dump(mode="json")` is the shape the issue fixes (`unit`, `years[]` with `year`, `total`,
`provider_envelope`, `retained`, `by_commissioner`, `by_category`, `ring_fences[]`, and `checks[]`); the
other fields add to it. `rows()` lays the same figures out as a table (one column a year) for Markdown,
the terminal, CSV and Excel; `table` is that table as people read it, rounded for a paper whatever the
places of the figures in `years`, so the statement of intent quotes exactly what `commission envelope`
prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from tools.envelope.money import Money, figure
from tools.types import Severity

RowKind = Literal["line", "subtotal", "total", "percent"]


class Check(BaseModel):
    """Something the officer should see: a reconciliation, a savings gap, a rounding note."""

    severity: Severity
    message: str


class RingFenceAmount(BaseModel):
    name: str
    min_percent: Money
    amount: Money


class Band(BaseModel):
    min: Money
    max: Money


class LineInfo(BaseModel):
    """What a line is; its amount each year is in `YearResult.line_amounts`, in the same order."""

    commissioner: str
    category: str
    label: str
    pass_through: bool


class YearResult(BaseModel):
    """One financial year of the envelope, rounded; lines add to the totals."""

    year: str
    plan_year: int
    total: Money
    provider_envelope: Money
    retained: Money
    by_commissioner: dict[str, Money]
    by_category: dict[str, Money]
    ring_fences: list[RingFenceAmount]
    third_sector: Band | None
    non_recurrent: dict[str, Money]
    non_recurrent_total: Money
    total_with_non_recurrent: Money
    commissioner_shares_percent: dict[str, Money]
    category_shares_percent: dict[str, Money]
    savings_in_year: Money
    cumulative_savings: Money
    savings_shortfall: Money | None
    savings_surplus: Money | None
    line_amounts: list[Money]


class PrintedRow(BaseModel):
    label: str
    kind: RowKind
    cells: list[str]


class PrintedTable(BaseModel):
    """The table as people read it (`commission envelope` prints it, the statement of intent quotes it):
    figures rounded to the places for people (`rounding.display_places`), lines adding to the totals as
    printed, the unit in the first heading."""

    unit: str
    decimal_places: int
    headings: list[str]
    rows: list[PrintedRow]
    rounding: str


@dataclass(frozen=True)
class Row:
    label: str
    values: list[Decimal | None]
    kind: RowKind = "line"


class EnvelopeResult(BaseModel):
    """A funding envelope year by year, with its checks and the assumptions behind it."""

    title: str | None
    unit: str
    base_year: str
    decimal_places: int
    rounding: str
    savings_scope: str | None = None
    lines: list[LineInfo]
    years: list[YearResult]
    checks: list[Check]
    assumptions: list[str]
    table: PrintedTable | None = None

    def rows(self) -> list[Row]:
        """The table: lines by commissioner, totals, envelope, ring-fences, non-recurrent, shares, savings."""
        years = self.years
        rows: list[Row] = []
        commissioners = list(years[0].by_commissioner)
        for name in commissioners:
            for index, line in enumerate(self.lines):
                if line.commissioner == name:
                    rows.append(Row(f"{name}: {line.label}", [y.line_amounts[index] for y in years]))
            rows.append(Row(f"{name} total", [y.by_commissioner[name] for y in years], "subtotal"))
        if len(commissioners) > 1:
            for category in years[0].by_category:
                rows.append(Row(f"{category} (all commissioners)", [y.by_category[category] for y in years]))
        rows.append(Row("Total recurrent", [y.total for y in years], "total"))
        if any(y.retained for y in years):
            rows.append(Row("Retained by commissioners (pass-through)", [y.retained for y in years]))
        rows.append(Row("Provider envelope", [y.provider_envelope for y in years], "subtotal"))
        for index, fence in enumerate(years[0].ring_fences):
            label = f"Ring-fence: {fence.name} (at least {fence.min_percent:f}%)"
            rows.append(Row(label, [y.ring_fences[index].amount for y in years]))
        if years[0].third_sector is not None:
            rows.append(Row("Third sector and SME: minimum", [_band(y, "min") for y in years]))
            rows.append(Row("Third sector and SME: maximum", [_band(y, "max") for y in years]))
        rows.extend(self._non_recurrent_rows())
        rows.extend(self._share_rows(commissioners))
        if len(years) > 1:
            rows.append(Row("Savings in year", [y.savings_in_year for y in years]))
            rows.append(Row("Cumulative savings", [y.cumulative_savings for y in years]))
        scope = f" ({self.savings_scope} lines)" if self.savings_scope else ""
        if any(y.savings_shortfall for y in years):
            rows.append(Row(f"Savings shortfall against target{scope}", [y.savings_shortfall for y in years]))
        if any(y.savings_surplus for y in years):
            rows.append(Row(f"Savings above target{scope}", [y.savings_surplus for y in years]))
        return rows

    def _non_recurrent_rows(self) -> list[Row]:
        names = list(dict.fromkeys(name for y in self.years for name in y.non_recurrent))
        if not names:
            return []
        rows = [
            Row(f"Non-recurrent: {name}", [y.non_recurrent.get(name) for y in self.years]) for name in names
        ]
        rows.append(
            Row("Total including non-recurrent", [y.total_with_non_recurrent for y in self.years], "total")
        )
        return rows

    def _share_rows(self, commissioners: list[str]) -> list[Row]:
        if len(commissioners) > 1:
            return [
                Row(
                    f"{name} share of pooled budget (%)",
                    [y.commissioner_shares_percent.get(name) for y in self.years],
                    "percent",
                )
                for name in commissioners
            ]
        return [
            Row(
                f"{category} share of total (%)",
                [y.category_shares_percent.get(category) for y in self.years],
                "percent",
            )
            for category in self.years[0].by_category
        ]

    def headings(self) -> list[str]:
        """Column headings: the unit, then each financial year (the base year marked)."""
        return [self.unit, *(f"{y.year}{' (base)' if y.plan_year == 0 else ''}" for y in self.years)]

    def cell(self, row: Row, value: Decimal | None) -> str:
        """A value as printed in its row."""
        return figure(value, 2 if row.kind == "percent" else self.decimal_places)

    def printed(self) -> PrintedTable:
        """This result's own figures as a table of text, one column a year."""
        return PrintedTable(
            unit=self.unit,
            decimal_places=self.decimal_places,
            headings=self.headings(),
            rows=[
                PrintedRow(label=row.label, kind=row.kind, cells=[self.cell(row, v) for v in row.values])
                for row in self.rows()
            ],
            rounding=self.rounding,
        )


def _band(year: YearResult, end: str) -> Decimal | None:
    return getattr(year.third_sector, end) if year.third_sector is not None else None
