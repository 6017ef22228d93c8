"""Funding envelopes and payment mechanisms, in exact money.

`compute_envelope` turns a baseline and planning assumptions into a year-by-year envelope (provider
envelope, pass-through, ring-fences, one-off funds, savings against a target, printed totals reconciled);
`capitation` and `gain_loss_share` work out the payment mechanisms the B&NES business case weighs. All
three are agent tools. `envelope_from_file` reads the YAML/JSON file officers write (see `template`).
"""

from __future__ import annotations

from tools.envelope.api import compute_envelope, envelope_from_file
from tools.envelope.model import Check, EnvelopeResult, YearResult
from tools.envelope.payments import CapitationResult, Cohort, GainShareResult, capitation, gain_loss_share
from tools.envelope.rounding import display_places
from tools.envelope.schema import EnvelopeSpec, load_spec

AGENT_TOOLS = [compute_envelope, capitation, gain_loss_share]

__all__ = [
    "AGENT_TOOLS",
    "CapitationResult",
    "Check",
    "Cohort",
    "EnvelopeResult",
    "EnvelopeSpec",
    "GainShareResult",
    "YearResult",
    "capitation",
    "compute_envelope",
    "display_places",
    "envelope_from_file",
    "gain_loss_share",
    "load_spec",
]
