"""Other tools' figures as the statement prints them: the envelope's table, regimes by name.

Money follows the envelope tool's one rounding rule for people (`tools.envelope.rounding`): whole £000 (or
£, tenths of £m) in a table whose first heading states the unit, lines adding to the totals as printed.
The envelope tool's own printed table (`table` in its JSON) is quoted cell for cell, so the statement shows
exactly what `commission envelope` prints; JSON without it is rounded here by the same rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from tools.checklist import which_regime
from tools.checklist.regime import Buyer, Service
from tools.envelope.model import PrintedRow, PrintedTable, RowKind
from tools.envelope.money import figure
from tools.envelope.rounding import allocate, display_places, round_half_up, rule
from tools.errors import InputError
from tools.intent.inputs import Envelope, EnvelopeYear
from tools.regimes import REGIMES, Regime

UNITS = {
    "£": "pounds",
    "£000": "thousands of pounds (£000)",
    "£m": "millions of pounds (£m)",
}
BOLD_KINDS = ("subtotal", "total")


def printed_table(envelope: Envelope) -> PrintedTable:
    """The envelope as people read it: the tool's own printed table, or one rounded here by its rule."""
    if envelope.table is not None:
        return envelope.table
    places = display_places(envelope.unit)
    labels: dict[str, tuple[RowKind, dict[str, Decimal]]] = {}
    for year in envelope.years:
        for label, kind, amount in _rounded(year, places):
            labels.setdefault(label, (kind, {}))[1][year.year] = amount
    return PrintedTable(
        unit=envelope.unit,
        decimal_places=places,
        headings=[envelope.unit, *(year.year for year in envelope.years)],
        rows=[
            PrintedRow(
                label=label, kind=kind, cells=[figure(amounts.get(y.year), places) for y in envelope.years]
            )
            for label, (kind, amounts) in labels.items()
        ],
        rounding=rule(envelope.unit, places),
    )


def _rounded(year: EnvelopeYear, places: int) -> list[tuple[str, RowKind, Decimal]]:
    """One year's lines rounded for people, each group adding to the printed total."""
    total = round_half_up(year.total, places)
    commissioners = _parts(list(year.by_commissioner.values()), year.total, total, places)
    categories = _parts(list(year.by_category.values()), year.total, total, places)
    retained, provider = _parts([year.retained, year.provider_envelope], year.total, total, places)
    rows: list[tuple[str, RowKind, Decimal]] = [
        (f"{name} total", "subtotal", amount)
        for name, amount in zip(year.by_commissioner, commissioners, strict=True)
    ]
    rows += [(name, "line", amount) for name, amount in zip(year.by_category, categories, strict=True)]
    rows.append(("Total recurrent", "total", total))
    if year.retained:
        rows.append(("Retained by commissioners (pass-through)", "line", retained))
    rows.append(("Provider envelope", "subtotal", provider))
    rows += [(f"Ring-fence: {f.name}", "line", round_half_up(f.amount, places)) for f in year.ring_fences]
    return rows


def _parts(parts: Sequence[Decimal], exact: Decimal, total: Decimal, places: int) -> list[Decimal]:
    """Parts of a total rounded so they add to it as printed; one by one if they never added up."""
    if parts and sum(parts, Decimal(0)) == exact:
        return allocate(parts, places, total=total)
    return [round_half_up(part, places) for part in parts]


def regime_sentences(start: date, buyer: Buyer, service: Service) -> list[tuple[str, str]]:
    """Each regime the regime check finds on the date (id, and its name, regulation and reason)."""
    try:
        found = which_regime(start, buyer, service).regimes
    except InputError:  # a date before the regimes the check knows: a gap, not a failed draft
        return []
    return [(entry.id, f"{cited(entry.name, _plain(entry.regulation))}: {entry.reason}") for entry in found]


def cited(name: str, regulation: str) -> str:
    """`Name (S.I. 2023/1348)`; the regulation alone when it starts with the name (`Procurement Act 2023
    (c. 54)`), so the name is not said twice."""
    return regulation if regulation.startswith(name) else f"{name} ({regulation})"


def find_regime(regime: str) -> Regime | None:
    """The regime a timeline names, by id (`psr2023`), name or short name; None if it is none of them."""
    return next((known for known in REGIMES.values() if regime in (known.id, known.name, known.short)), None)


def _plain(regulation: str) -> str:
    """A citation without the labels the rule tables add for officers checking them."""
    from tools.rules import SECONDARY_LABEL, UNCONFIRMED_LABEL

    for label in (SECONDARY_LABEL, UNCONFIRMED_LABEL):
        regulation = regulation.replace(f" [{label}]", "")
    return regulation
