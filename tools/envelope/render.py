"""The envelope and payment results as CSV, JSON and an Excel workbook (the Markdown is on the models).

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
from tools.envelope.payments import CapitationResult, GainShareResult
from tools.envelope.rounding import round_half_up

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

BOM = "\ufeff"


def to_json(result: BaseModel) -> str:
    """The result's JSON, with pound signs as themselves."""
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _plain(value: Decimal | None, places: int) -> str:
    return "" if value is None else f"{round_half_up(value, places):f}"


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
