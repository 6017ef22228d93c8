"""The procurement approach each route calls for, as data (`approach.yaml`): the words that follow the route.

The statement's procurement approach, its right to revert and whether it may say providers collaborate
"instead of competing" all come from the route the timeline gives, so a statement planned under the PSR's
competitive process never offers to "revert to a competitive procurement" it is already running.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from tools.rules import load_table


class Approach(BaseModel):
    """How a statement describes one route."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    competitive: bool = Field(description="the route is itself a competition")
    process: str = Field(min_length=1, description="the route in words, after 'follows'")
    approach: str = Field(min_length=1, description="the procurement approach in a sentence or two")
    revert: str = Field(min_length=1, description="the right to revert or to stop, ending with {condition}")

    @field_validator("revert")
    @classmethod
    def _ends_with_the_condition(cls, revert: str) -> str:
        if not revert.endswith("{condition}."):
            raise ValueError("ends with '{condition}.', where the officer's condition goes")
        return revert


class ApproachTable(RootModel[dict[str, Approach]]):
    pass


APPROACHES: dict[str, Approach] = load_table(
    __package__ or "tools.intent", "approach.yaml", ApproachTable
).root


def approach_for(route: str | None) -> Approach | None:
    """The wording for a route id the timeline gives; None for no route or one this table lacks."""
    return APPROACHES.get(route) if route else None
