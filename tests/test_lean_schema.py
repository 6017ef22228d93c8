"""The lean schema a model is offered: smaller than the contract, never different from it."""

from __future__ import annotations

import re
from typing import Annotated, Literal

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field

from assistant.lean_schema import lean_schema, nested_fields
from assistant.llm.budget import tool_tokens
from assistant.registry import all_specs
from assistant.toolkit import get_tools
from tests.test_toolkit import invoke
from tools.types import NOT_FOR_MODELS, Pounds

SPECS = {spec.name: spec for spec in all_specs()}


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")
    street: str = Field(description="the street")
    town: str | None = Field(None, description="the town")


class Order(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: Annotated[str, Field(max_length=20)] = Field(description="the order's reference")
    kind: Literal["goods", "services"] = Field("goods", description="what is bought")
    value: Pounds = Field(description="what it costs")
    notes: list[Annotated[str, Field(max_length=500)]] = Field([], max_length=10, description="free text")
    deliver_to: Address | None = Field(None, description="{street, town}")
    rounding: int = Field(2, description="decimal places", json_schema_extra=NOT_FOR_MODELS)


def test_a_model_is_offered_names_types_choices_and_what_is_required_without_what_validation_needs():
    assert lean_schema(Order.model_json_schema()) == {
        "type": "object",
        "properties": {
            "reference": {"type": "string", "description": "the order's reference"},
            "kind": {"description": "what is bought", "enum": ["goods", "services"]},
            "value": {"type": "number", "description": "what it costs"},
            "notes": {"type": "array", "description": "free text"},
            "deliver_to": {"description": "{street, town}"},
        },
        "required": ["reference", "value"],
    }


def test_the_full_schema_still_has_what_the_lean_one_leaves_out():
    full = Order.model_json_schema()
    assert full["properties"]["reference"]["maxLength"] == 20
    assert "rounding" in full["properties"]
    assert "$defs" in full and full["additionalProperties"] is False


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_tool_offers_a_subset_of_its_contract(name):
    spec = SPECS[name]
    full, lean = spec.json_schema(), spec.lean_schema()
    assert set(lean["properties"]) <= set(full["properties"])
    assert set(lean.get("required", [])) <= set(full.get("required", []))
    assert set(full.get("required", [])) <= set(lean["properties"]), "a required argument is hidden"
    text = str(lean)
    for leftover in ("$ref", "$defs", "maxLength", "additionalProperties", "'title'", "x-not-for-models"):
        assert leftover not in text


@pytest.mark.parametrize("name", sorted(SPECS))
def test_an_object_argument_the_lean_form_leaves_out_is_described_by_its_fields(name):
    spec = SPECS[name]
    for argument, required in nested_fields(spec.json_schema()).items():
        offered = spec.lean_schema()["properties"].get(argument)
        if offered is None:  # not offered to models at all
            continue
        description = offered.get("description", "")
        from_a_tool = any(other in description for other in SPECS)
        named = re.findall(r"\{([^{}]*)\}", description)
        assert from_a_tool or named, f"{name}.{argument}: describe its fields in braces"
        fields = {field.strip(" ?") for group in named for field in re.split(r"[,:|]", group)}
        missing = [field for field in required if field not in fields]
        assert from_a_tool or not missing, f"{name}.{argument}: its description leaves out {missing}"


def test_a_description_that_only_repeats_the_name_is_left_out():
    offered = SPECS["draft_statement_of_intent"].lean_schema()["properties"]
    assert "description" not in offered["services_in_scope"]  # "the services in scope"
    assert offered["providers"]["description"] == "invited to respond"


def test_the_whole_tool_list_fits_the_budget_a_small_model_leaves_for_tools():
    """Under 2,500 tokens, so an 8,192-token model keeps most of its window for the papers."""
    sizes = {tool.name: tool_tokens(convert_to_openai_tool(tool)) for tool in get_tools()}
    assert sum(sizes.values()) < 2500, sizes


def test_an_argument_not_offered_to_models_is_still_accepted():
    plan = next(tool for tool in get_tools() if tool.name == "plan_timeline")
    assert "today" not in plan.args
    message = invoke(plan, {"route": "pa-open", "go_live": "2027-04-01", "today": "2026-06-01"})
    assert message.status == "success", message.content
    assert message.artifact.stages[0].start.year == 2026


def test_pounds_are_offered_as_a_number_and_still_read_as_an_officer_writes_them():
    regime = next(tool for tool in get_tools() if tool.name == "which_regime")
    assert regime.args["value"]["type"] == "number"
    message = invoke(regime, {"start": "2026-01-05", "buyer": "council", "service": "other", "value": "1.2m"})
    assert message.status == "success", message.content
    assert "£1,200,000" in message.content


def test_a_wrong_argument_is_refused_by_the_full_contract_with_what_to_fix():
    draft = next(tool for tool in get_tools() if tool.name == "draft_statement_of_intent")
    message = invoke(draft, {"response": {"asks": ["a plan"], "deadlines": "soon"}})
    assert message.status == "error"
    assert "unknown field 'response.deadlines'" in message.content
    assert message.content.endswith("Correct the arguments and call draft_statement_of_intent again.")
