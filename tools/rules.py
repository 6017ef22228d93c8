"""A rule of law or practice as data: what it says, where it comes from, and when it applies.

Every table in `tools/` (time limits, standstills, thresholds, notices, checklist questions) is made of
these, loaded from the YAML files beside the code (`load_table`) and validated once, at import: an
unknown key, a misspelt status or a confirmed rule without the statute's words fails there, naming the
file and the key. So each figure a tool prints can say which regulation it applied, the public source, how
firmly it is known, and the dates it applies between.

How firmly:
- `confirmed`: the statute's own words were read; the rule carries them in `quote`.
- `confirmed-2nd`: a named secondary source (a law firm's or the Cabinet Office's guidance) says so, but the
  statute text was not quoted; labelled UNCONFIRMED in output.
- `unconfirmed`: an editable assumption (a typical duration, a remembered value); labelled UNCONFIRMED.
- `officer`: not law but a fact the officer supplies (the go-live date); no label.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tools.errors import InputError
from tools.inputs import BoundedLoader, load_yaml_text

Status = Literal["confirmed", "confirmed-2nd", "unconfirmed", "officer"]

UNCONFIRMED_LABEL = "UNCONFIRMED assumption: check it and edit it if it is wrong"
SECONDARY_LABEL = "UNCONFIRMED against the statute: from a secondary source"

# Sources users can check: never a file of this repository's tooling or its reference notes.
_PRIVATE_SOURCE = re.compile(
    r"shared/|reference section|procurement-rules\.md|knowledge/|\breference [A-G]\d", re.I
)


class Rule(BaseModel):
    """One sourced rule.

    Attributes:
        id: a stable identifier, e.g. `pcr2015.open.tender`.
        summary: the rule in plain words.
        regulation: the provision, e.g. `PCR 2015 reg 27`.
        source: where it can be checked: a legislation.gov.uk address or a named public briefing.
        status: `confirmed`, `confirmed-2nd` or `unconfirmed` (see the module docstring).
        quote: the statute's own words, required for a `confirmed` rule.
        applies_from: the first date it applies to (None: always has).
        applies_until: the last date it applies to (None: still in force).
        regime: the regime id (`pa2023`) the rule belongs to, or None for practice and general rules.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    regulation: str = Field(min_length=1)
    source: str = Field(min_length=1)
    status: Status
    quote: str | None = None
    applies_from: date | None = None
    applies_until: date | None = None
    regime: str | None = Field(None, description="the regime the rule belongs to, when it belongs to one")

    @field_validator("source")
    @classmethod
    def _public(cls, source: str) -> str:
        if _PRIVATE_SOURCE.search(source):
            raise ValueError("cite the regulation or a public source, not a file of this project")
        return source

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.status == "confirmed" and not (self.quote or "").strip():
            raise ValueError("a confirmed rule carries the statute's words in `quote`")
        if self.applies_from and self.applies_until and self.applies_until < self.applies_from:
            raise ValueError("applies_until is before applies_from")
        return self

    @property
    def unconfirmed(self) -> bool:
        """Whether output labels it: anything not confirmed from the statute's own words."""
        return self.status in ("confirmed-2nd", "unconfirmed")

    def applies_on(self, day: date) -> bool:
        """Whether the rule is in force for a procurement that starts on `day`."""
        after_start = self.applies_from is None or day >= self.applies_from
        before_end = self.applies_until is None or day <= self.applies_until
        return after_start and before_end

    @property
    def label(self) -> str | None:
        """The label output carries, or None for a rule confirmed from the statute."""
        return {"confirmed-2nd": SECONDARY_LABEL, "unconfirmed": UNCONFIRMED_LABEL}.get(self.status)

    def citation(self) -> str:
        """`PCR 2015 reg 27`, with its label when the rule is not confirmed from the statute."""
        return f"{self.regulation} [{self.label}]" if self.label else self.regulation


class RuleDataError(Exception):
    """A bundled rule table that does not validate: a defect in the data, named by file and key."""


Table = TypeVar("Table", bound=BaseModel)


# The one bounded loader every YAML goes through (aliases refused, nesting bounded): see tools/inputs.py.
_BoundedLoader = BoundedLoader


@cache
def read_table(package: str, name: str) -> Any:
    """The parsed YAML of the data file `name` shipped in `package`.

    Raises:
        RuleDataError: the file is not valid YAML, or uses what the bounded loader refuses.
    """
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    try:
        return load_yaml_text(text, source=f"{package.replace('.', '/')}/{name}")
    except InputError as error:
        raise RuleDataError(str(error)) from None


def load_table(package: str, name: str, model: type[Table]) -> Table:
    """The data file `name` in `package`, validated as `model`.

    Raises:
        RuleDataError: naming the file and the key of every value that does not fit.
    """
    return parse_table(read_table(package, name), model, where=f"{package.replace('.', '/')}/{name}")


def parse_table(data: Any, model: type[Table], *, where: str) -> Table:
    """`data` (left unchanged) validated as `model`; `where` names the file in the error.

    Raises:
        RuleDataError: naming the file and the key of every value that does not fit.
    """
    try:
        return model.model_validate(copy.deepcopy(data))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        raise RuleDataError(f"{where}: {problems}") from None
