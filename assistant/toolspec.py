"""One contract per tool, derived from the plain function: its name, description and argument schema.

A tool in `tools/` is a typed function with a Google-style docstring. `spec_for` reads both once and builds
a pydantic argument model (unknown arguments forbidden, every argument described), which the agent
(`assistant.toolkit`), the MCP server (`assistant.mcp_server`) and `commission tools` all use, so no tool
is described twice. `ToolSpec.invoke` validates arguments and turns a bad one into an `InputError` whose
message a model can act on.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from assistant.lean_schema import lean_schema
from tools.errors import describe_validation_error


@dataclass(frozen=True)
class ToolSpec:
    """A tool as models and other assistants see it."""

    name: str
    description: str
    function: Callable[..., Any]
    args_model: type[BaseModel]
    hints: ToolHints = field(default_factory=lambda: ToolHints())
    origin: str = "commission"
    """Where the tool came from: "commission" for the built-in tools, else the package that added it."""

    @property
    def title(self) -> str:
        """The tool's name for people: its declared title, or its name in words."""
        return self.hints.title or self.name.replace("_", " ").capitalize()

    @property
    def brief(self) -> str:
        """The description's first paragraph: when to use the tool, which is what a model is offered."""
        return self.description.split("\n\n", 1)[0].strip()

    def json_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()

    def lean_schema(self) -> dict[str, Any]:
        """The argument schema a model is offered (`assistant.lean_schema`); calls still validate fully."""
        return lean_schema(self.json_schema())

    def invoke(self, arguments: dict[str, Any]) -> Any:
        """Validate `arguments` and call the function.

        Raises:
            InputError: an argument is missing, unknown or of the wrong type (the model may correct it).
        """
        return self.call(self.validate(arguments))

    def validate(self, arguments: dict[str, Any] | None) -> BaseModel:
        """The arguments checked against the full argument model.

        Raises:
            InputError: an argument is missing, unknown or of the wrong type (the model may correct it).
        """
        try:
            return self.args_model.model_validate(arguments or {})
        except ValidationError as error:
            raise describe_validation_error(error, source=f"{self.name} arguments") from None

    def call(self, validated: BaseModel) -> Any:
        """Call the function with arguments `validate` returned."""
        if self.takes_model:
            return self.function(validated)
        values = {name: getattr(validated, name) for name in type(validated).model_fields}
        return self.function(**values)

    @property
    def takes_model(self) -> bool:
        """Whether the function takes its inputs as one model (declared once, in the model's fields)."""
        return _input_model(self.function) is self.args_model


@dataclass(frozen=True)
class ToolHints:
    """What a host may assume about a tool before calling it (MCP's tool annotations), and its title.

    The defaults describe every built-in tool: it reads what it is given and returns a result, changing
    nothing, so calling it twice gives the same answer and it reaches nothing outside this program.
    """

    title: str | None = None
    read_only: bool = True
    destructive: bool = False
    idempotent: bool = True
    open_world: bool = False


def _input_model(function: Callable[..., Any]) -> type[BaseModel] | None:
    """The model a function takes as its only parameter, if it is declared that way."""
    parameters = list(inspect.signature(function).parameters)
    if len(parameters) != 1:
        return None
    hint = get_type_hints(function).get(parameters[0])
    return hint if isinstance(hint, type) and issubclass(hint, BaseModel) else None


def spec_for(function: Callable[..., Any]) -> ToolSpec:
    """The `ToolSpec` of a documented, typed function, or of one that takes a single input model.

    A function taking one pydantic model has that model as its argument schema: the model's fields, with
    their `Field(description=...)`, are the one declaration of the tool's inputs. Otherwise the parameters
    and the docstring's Args section are.
    """
    description, arg_docs = parse_docstring(inspect.getdoc(function) or "")
    model = _input_model(function)
    if model is not None:
        undescribed = [name for name, field in model.model_fields.items() if not field.description]
        if undescribed:
            raise TypeError(
                f"{function.__qualname__}: fields {undescribed} of {model.__name__} have no description"
            )
        if model.model_config.get("extra") != "forbid":
            raise TypeError(f"{function.__qualname__}: {model.__name__} must forbid unknown fields")
        return ToolSpec(function.__name__, description, function, model)
    hints = get_type_hints(function, include_extras=True)
    fields: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name not in arg_docs:
            raise TypeError(f"{function.__qualname__}: argument {name!r} is not described in its docstring")
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[name] = (hints.get(name, Any), Field(default, description=arg_docs[name]))
    model_name = "".join(part.title() for part in function.__name__.split("_")) + "Arguments"
    model = create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)
    return ToolSpec(function.__name__, description, function, model)


_SECTION = re.compile(r"^(Args|Arguments|Returns|Raises|Yields|Examples?|Notes?):\s*$")


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """The description (everything before the first section) and each argument's description."""
    doc = inspect.cleandoc(doc)
    description: list[str] = []
    args: dict[str, str] = {}
    section, current = None, None
    for line in doc.splitlines():
        header = _SECTION.match(line.strip()) if not line.startswith(" ") else None
        if header:
            section, current = header.group(1), None
            continue
        if section is None:
            description.append(line)
        elif section in ("Args", "Arguments") and line.strip():
            match = re.match(r"^\s{2,8}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", line)
            if match and (current is None or _indent(line) <= _indent_of_args(doc)):
                current = match.group(1)
                args[current] = match.group(2).strip()
            elif current:
                args[current] = f"{args[current]} {line.strip()}".strip()
    return textwrap.dedent("\n".join(description)).strip(), args


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _indent_of_args(doc: str) -> int:
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        if line.strip() in ("Args:", "Arguments:"):
            for following in lines[index + 1 :]:
                if following.strip():
                    return _indent(following)
    return 4
