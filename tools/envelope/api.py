"""The envelope calculator as a tool a language model can call with structured arguments."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from tools.envelope.model import EnvelopeResult
from tools.envelope.report import compute
from tools.envelope.schema import EnvelopeSpec, check_spec, load_spec
from tools.types import NOT_FOR_MODELS


class EnvelopeRequest(EnvelopeSpec):
    """An envelope as a tool call gives it: the fields of an envelope file, and the rounding wanted."""

    decimal_places: int = Field(
        2,
        ge=0,
        le=2,
        description="places of the unit to round to: 2 for data, 0 for a table in a paper",
        json_schema_extra=NOT_FOR_MODELS,
    )


def compute_envelope(envelope: EnvelopeRequest) -> EnvelopeResult:
    """Compute a funding envelope year by year from a baseline, reductions, growth and ring-fences.

    Use it to turn a paper's baseline (spend by category and commissioner in the base year) and planning
    assumptions into a year-by-year envelope: totals by commissioner and category, the provider envelope
    (recurrent total less pass-through lines retained by commissioners), ring-fenced amounts, non-recurrent
    funds kept apart, each commissioner's share of the pooled budget, savings against a target, and a
    check that any totals printed in the paper reconcile with the lines. A reduction can be set for each
    commissioner (`reduction_by_commissioner`), and a savings target can apply to a commissioner's whole
    allocation rather than to these lines (`applies_to: allocation`). Money is exact and rounded once;
    rounded lines add to the rounded totals. Without `years`, only the base year and the reconciliation are
    reported.

    Returns:
        unit, years (each with year, total, provider_envelope, retained, by_commissioner, by_category,
        ring_fences, non-recurrent amounts, shares and savings), checks (severity and message), the
        assumptions in words, and `table`: the table exactly as a paper prints it (whole £000, tenths of
        £m), to quote figures from.
    """
    check_spec(envelope, source="compute_envelope arguments")
    return compute(envelope, places=envelope.decimal_places)


def envelope_from_file(path: Path, *, places: int = 2) -> EnvelopeResult:
    """The envelope for a YAML or JSON envelope file."""
    return compute(load_spec(path), places=places)
