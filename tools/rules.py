"""A rule of law or practice as data: what it says, where it comes from, and when it applies.

Every table in `tools/` (time limits, standstills, thresholds, checklist questions) is made of these, so
each figure a tool prints can say which regulation it applied, the source, and how firmly it is known.
A rule marked `unconfirmed` is an editable assumption (see `shared/reference/procurement-rules.md`) and
is labelled so wherever it reaches the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Status = Literal["confirmed", "confirmed-2nd", "unconfirmed"]

UNCONFIRMED_LABEL = "UNCONFIRMED assumption: check it and edit it if it is wrong"


@dataclass(frozen=True)
class Rule:
    """One sourced rule.

    Attributes:
        id: a stable identifier, e.g. `pcr2015.open.tender-period`.
        summary: the rule in plain words.
        regulation: the provision, e.g. `PCR 2015 reg 27`.
        source: where it was confirmed (a URL or a named briefing).
        status: `confirmed` (seen in the source text), `confirmed-2nd` (a secondary source only), or
            `unconfirmed` (an editable assumption).
        applies_from: the first date it applies to (None: always has).
        applies_until: the last date it applies to (None: still in force).
    """

    id: str
    summary: str
    regulation: str
    source: str
    status: Status = "confirmed"
    applies_from: date | None = None
    applies_until: date | None = None

    @property
    def unconfirmed(self) -> bool:
        return self.status == "unconfirmed"

    def applies_on(self, day: date) -> bool:
        """Whether the rule is in force for a procurement that starts on `day`."""
        after_start = self.applies_from is None or day >= self.applies_from
        before_end = self.applies_until is None or day <= self.applies_until
        return after_start and before_end

    def citation(self) -> str:
        """`PCR 2015 reg 27`, with the unconfirmed label when the rule is an assumption."""
        return f"{self.regulation} [{UNCONFIRMED_LABEL}]" if self.unconfirmed else self.regulation
