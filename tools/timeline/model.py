"""What the timeline tools return: pydantic models whose JSON is the shape issue 3 specifies.

Fields marked `exclude=True` are for the readable renderings (Markdown, CSV, the terminal table) and
stay out of `model_dump(mode="json")`, so the JSON is exactly the documented contract.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from tools.types import Finding


class PlanStage(BaseModel):
    """One stage of a generated plan."""

    model_config = ConfigDict(extra="forbid")

    name: str
    canonical: str
    start: date
    end: date
    rule: str = Field(description="The rule or assumption behind the stage's length, with its citation.")
    citation: str = Field("", exclude=True)
    duration: str = Field("", exclude=True)


class Plan(BaseModel):
    """A procurement timeline planned for one route."""

    model_config = ConfigDict(extra="forbid")

    route: str
    regime: str
    stages: list[PlanStage]
    notes: list[str]
    route_name: str = Field("", exclude=True)
    regime_name: str = Field("", exclude=True)
    rules: list[str] = Field(default_factory=list, exclude=True)


class CheckedStage(BaseModel):
    """A stage of a proposed timeline as read: the officer's name, the canonical stage, the date range."""

    model_config = ConfigDict(extra="forbid")

    name: str
    canonical: str
    start: date
    end: date


class CheckResult(BaseModel):
    """A proposed timeline checked against its route's stages and the law."""

    model_config = ConfigDict(extra="forbid")

    route: str
    regime: str
    stages: list[CheckedStage]
    findings: list[Finding]
    route_name: str = Field("", exclude=True)
    regime_name: str = Field("", exclude=True)

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)


class RouteSummary(BaseModel):
    """One route: its id (for `route=`), name, regime, one-line description and stages."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    regime: str
    description: str
    stages: list[str]


class RouteList(BaseModel):
    """Every route the timeline tools can plan and check."""

    model_config = ConfigDict(extra="forbid")

    routes: list[RouteSummary]
