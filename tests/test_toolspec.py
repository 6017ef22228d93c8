from datetime import date
from typing import Literal

import pytest

from assistant.render import data, markdown
from assistant.toolspec import parse_docstring, spec_for
from tools.errors import InputError


def plan_something(route: Literal["open", "restricted"], start: date, *, weeks: int = 4) -> dict:
    """Plan something on a route.

    Longer explanation for the model.

    Args:
        route: the procurement route,
            as a short id.
        start: the first day.
        weeks: how long, in weeks.

    Returns:
        A plan.
    """
    return {"route": route, "start": start.isoformat(), "weeks": weeks}


def test_description_and_arguments_come_from_the_docstring():
    description, args = parse_docstring(plan_something.__doc__ or "")
    assert description == "Plan something on a route.\n\nLonger explanation for the model."
    assert args == {
        "route": "the procurement route, as a short id.",
        "start": "the first day.",
        "weeks": "how long, in weeks.",
    }


def test_schema_describes_every_argument_and_forbids_extras():
    spec = spec_for(plan_something)
    schema = spec.json_schema()
    assert spec.name == "plan_something"
    assert schema["required"] == ["route", "start"]
    assert schema["properties"]["route"]["enum"] == ["open", "restricted"]
    assert schema["properties"]["weeks"]["description"] == "how long, in weeks."
    assert schema["additionalProperties"] is False


def test_invoke_validates_and_converts():
    spec = spec_for(plan_something)
    assert spec.invoke({"route": "open", "start": "2025-09-03"}) == {
        "route": "open",
        "start": "2025-09-03",
        "weeks": 4,
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"route": "open"}, "start is required"),
        ({"route": "tender", "start": "2025-09-03"}, "route = 'tender'"),
        ({"route": "open", "start": "2025-09-03", "colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_invoke_turns_bad_arguments_into_one_line_input_errors(arguments, message):
    with pytest.raises(InputError, match=message):
        spec_for(plan_something).invoke(arguments)


def test_undocumented_argument_is_refused():
    def tool(x: int) -> int:
        """Does things."""
        return x

    with pytest.raises(TypeError, match="'x' is not described"):
        spec_for(tool)


def test_results_render_as_data_and_text():
    assert data([{"a": 1}]) == [{"a": 1}]
    assert '"a": 1' in markdown({"a": 1})
