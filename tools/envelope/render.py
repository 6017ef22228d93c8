"""The envelope and payment results as Markdown, CSV, JSON and an Excel workbook.

CSV opens in Excel (amounts as plain numbers, no separators); the workbook keeps numbers as numbers with
a thousands format, the totals in bold, and the checks and assumptions under the table.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel

from tools.envelope.model import EnvelopeResult, Row
from tools.envelope.money import figure, in_words
from tools.envelope.payments import PLACES, CapitationResult, GainShareResult
from tools.envelope.rounding import round_half_up
from tools.formatting import pounds

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

BOM = "\ufeff"
_COHORT_HEADINGS = "| Cohort | People | Weight | Budget | Per person a year | Per person a month |"


def to_json(result: BaseModel) -> str:
    """The result's JSON, with pound signs as themselves."""
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _plain(value: Decimal | None, places: int) -> str:
    return "" if value is None else f"{round_half_up(value, places):f}"


def _outcome_words(difference: Decimal) -> str:
    if difference > 0:
        return "a gain: spend came in under expectation"
    if difference < 0:
        return "a loss: spend came in over expectation"
    return "spend was as expected"


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _places(result: EnvelopeResult, row: Row) -> int:
    return 2 if row.kind == "percent" else result.decimal_places


def envelope_csv(result: EnvelopeResult) -> str:
    """The table (one column a year), then the checks, assumptions and rounding rule, one a row."""
    rows = [result.headings()]
    rows += [
        [row.label, *(_plain(value, _places(result, row)) for value in row.values)] for row in result.rows()
    ]
    rows += [[], ["Checks"], *([f"{check.severity.upper()}: {check.message}"] for check in result.checks)]
    rows += [[], ["Assumptions"], *([text] for text in result.assumptions), [result.rounding]]
    return _csv(rows)


def capitation_csv(result: CapitationResult) -> str:
    """Whole-population rates, then one row per cohort."""
    rows = [
        ["measure", f"amount ({result.unit})"],
        ["budget", _plain(result.budget, 2)],
        ["population", str(result.population)],
        ["per person per year", _plain(result.per_person_per_year, 2)],
        ["per person per month", _plain(result.per_person_per_month, 2)],
    ]
    if result.cohorts:
        rows += [
            [],
            ["cohort", "population", "weight", "budget", "per person per year", "per person per month"],
        ]
        rows += [
            [
                c.name,
                str(c.population),
                f"{c.weight:f}",
                _plain(c.budget, 2),
                _plain(c.per_person_per_year, 2),
                _plain(c.per_person_per_month, 2),
            ]
            for c in result.cohorts
        ]
    return _csv([*rows, [], [result.rounding]])


def gainshare_csv(result: GainShareResult) -> str:
    """The pool and how it was reached, then each party's share and amount."""
    rows = [
        ["measure", f"amount ({result.unit})"],
        ["expected", _plain(result.expected, 2)],
        ["actual", _plain(result.actual, 2)],
        ["difference", _plain(result.difference, 2)],
        ["pool", _plain(result.pool, 2)],
        ["outside pool", _plain(result.outside_pool, 2)],
        [],
        ["party", "share (%)", f"amount ({result.unit})"],
    ]
    rows += [
        [party, f"{result.share_percent[party]:f}", _plain(amount, 2)]
        for party, amount in result.shares.items()
    ]
    return _csv([*rows, [], [result.rounding]])


def envelope_xlsx(result: EnvelopeResult) -> bytes:
    """An Excel workbook: the table with totals in bold, then the checks and assumptions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Envelope"
    sheet.append([result.title or f"Funding envelope from {result.base_year}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"All amounts in {result.unit}."])
    sheet.append([])
    sheet.append(result.headings())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="right" if cell.column > 1 else "left")
    money_format = "#,##0" if result.decimal_places == 0 else "#,##0." + "0" * result.decimal_places
    for row in result.rows():
        sheet.append([row.label, *row.values])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = "0.00" if row.kind == "percent" else money_format
        if row.kind in ("subtotal", "total"):
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    _notes(sheet, "Checks", [f"{check.severity.upper()}: {check.message}" for check in result.checks])
    _notes(sheet, "Assumptions", [*result.assumptions, result.rounding])
    sheet.column_dimensions["A"].width = max(24, *(len(row.label) + 2 for row in result.rows()))
    for column in range(2, len(result.years) + 2):
        sheet.column_dimensions[sheet.cell(row=4, column=column).column_letter].width = 16
    sheet.freeze_panes = "B5"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _notes(sheet: Worksheet, heading: str, lines: list[str]) -> None:
    from openpyxl.styles import Font

    if not lines:
        return
    sheet.append([])
    sheet.append([heading])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for line in lines:
        sheet.append([line])


def envelope_markdown(result: EnvelopeResult) -> str:
    """The table, the checks and the assumptions, ready for a paper."""
    title = result.title or f"Funding envelope from {result.base_year}"
    lines = [f"## {title}", "", f"All amounts in {result.unit}.", ""]
    lines.append("| " + " | ".join(result.headings()) + " |")
    lines.append("|" + "---|" + "---:|" * len(result.years))
    for row in result.rows():
        cells = [result.cell(row, value) for value in row.values]
        if row.kind in ("subtotal", "total"):
            cells = [f"**{cell}**" if cell else cell for cell in cells]
            label = f"**{row.label}**"
        else:
            label = row.label
        lines.append("| " + " | ".join([label, *cells]) + " |")
    if result.checks:
        lines += ["", "### Checks", ""]
        lines += [f"- **{check.severity.upper()}**: {check.message}" for check in result.checks]
    lines += ["", "### Assumptions", ""]
    lines += [f"- {text}" for text in result.assumptions]
    lines += [f"- {result.rounding}"]
    return "\n".join(lines) + "\n"


def capitation_markdown(result: CapitationResult) -> str:
    """The rates, the cohort split and the rounding rule."""
    unit = result.unit
    yearly, monthly = (
        in_words(result.per_person_per_year, unit, PLACES),
        in_words(result.per_person_per_month, unit, PLACES),
    )
    if unit != "£":
        yearly += f" ({pounds(result.per_person_per_year_pounds, places=2)})"
        monthly += f" ({pounds(result.per_person_per_month_pounds, places=2)})"
    lines = [
        "## Capitation",
        "",
        f"A budget of {in_words(result.budget, unit, PLACES)} for {result.population:,} people is "
        f"{yearly} per person per year, {monthly} per person per month.",
    ]
    if result.cohorts:
        lines += ["", f"All amounts in {unit}.", "", _COHORT_HEADINGS, "|---|---:|---:|---:|---:|---:|"]
        lines += [
            f"| {c.name} | {c.population:,} | {c.weight:f} | {figure(c.budget, PLACES)} | "
            f"{figure(c.per_person_per_year, PLACES)} | {figure(c.per_person_per_month, PLACES)} |"
            for c in result.cohorts
        ]
        lines += [
            "",
            "A cohort's budget is the budget × its people × its weight ÷ (the sum of people × weight).",
        ]
    lines += ["", result.rounding]
    return "\n".join(lines) + "\n"


def gainshare_markdown(result: GainShareResult) -> str:
    """The pool, how it was reached, and each party's amount."""
    unit = result.unit

    def money(value: Decimal) -> str:
        return in_words(value, unit, PLACES)

    lines = [
        "## Gain/loss share",
        "",
        f"Expected spend {money(result.expected)} against actual outturn {money(result.actual)}: "
        f"a difference of {money(result.difference)} ({_outcome_words(result.difference)}).",
    ]
    terms = []
    if result.dead_band:
        terms.append(f"the first {money(result.dead_band)} either way is a dead band and is not shared")
    if result.cap is not None:
        terms.append(f"the gain pool is capped at {money(result.cap)}")
    if result.collar is not None:
        terms.append(f"the loss pool is limited by a collar of {money(result.collar)}")
    if terms:
        lines.append(f"Terms: {'; '.join(terms)}.")
    limited = f", limited by the {result.limited_by}" if result.limited_by else ""
    lines += [
        "",
        f"**Pool: {money(result.pool)}** ({result.outcome}{limited}).",
        "",
        f"| Party | Share | Amount ({unit}) |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {party} | {result.share_percent[party]:f}% | {figure(amount, PLACES)} |"
        for party, amount in result.shares.items()
    ]
    if result.outside_pool:
        lines += [
            "",
            f"Outside the pool: {money(result.outside_pool)}, not shared; it falls where it would without "
            "the agreement.",
        ]
    lines += [
        "",
        "A positive amount is a gain paid to the party; a negative amount is a loss it bears.",
        "",
        result.rounding,
    ]
    return "\n".join(lines) + "\n"


RENDERERS = {
    EnvelopeResult: {"md": envelope_markdown, "csv": envelope_csv, "xlsx": envelope_xlsx},
    CapitationResult: {"md": capitation_markdown, "csv": capitation_csv},
    GainShareResult: {"md": gainshare_markdown, "csv": gainshare_csv},
}
