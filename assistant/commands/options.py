"""CLI flags made from a tool's input model, so a tool's inputs are declared once.

`tool_command(spec, ...)` builds a typer command whose options are the fields of the tool's argument model
(`ToolSpec.args_model`): `--go-live` for `go_live`, `--existing-provider/--no-existing-provider` for a
yes/no field, a repeatable `--meetings` (commas allowed) for a list, and a repeatable `--durations
KEY=VALUE` for a mapping. Every value reaches the model as typed, so the flags accept exactly what the tool
schema accepts (`tools.types`), and a refusal names the flag. Commands add only what is theirs: a file
argument, and the output options of `assistant.emit`.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

import typer
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from tools.errors import InputError, describe_validation_error

Model = TypeVar("Model", bound=BaseModel)


def flag(name: str) -> str:
    """The flag for a field: `go_live` is `--go-live`."""
    return "--" + name.replace("_", "-")


def _bare(annotation: Any) -> Any:
    """The type inside `Annotated[...]` and `X | None`."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(inner) == 1:
            return _bare(inner[0])
    return annotation


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])\.\s+(?=[A-Z])")


def _help(field: FieldInfo, kind: str) -> str:
    text = (field.description or "").strip()
    first = _SENTENCE_END.split(text)[0].rstrip(".")
    extra = {"list": " (repeat it, or separate values with commas)", "dict": " as KEY=VALUE (repeat it)"}
    return first + extra.get(kind, "") + "."


def _kind(annotation: Any) -> str:
    bare = _bare(annotation)
    origin = get_origin(bare)
    if bare is bool:
        return "bool"
    if origin in (list, tuple, set):
        return "list"
    if origin is dict:
        return "dict"
    if origin is Literal:
        return "choice"
    return "text"


def model_parameters(model: type[BaseModel], *, skip: Iterable[str] = ()) -> list[inspect.Parameter]:
    """One keyword option per field of `model`, in field order, each defaulting to "not given"."""
    parameters = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        kind = _kind(field.annotation)
        help_text = _help(field, kind)
        option: Any
        if kind == "bool":
            option = Annotated[
                bool | None, typer.Option(f"{flag(name)}/--no-{flag(name)[2:]}", help=help_text)
            ]
        elif kind in ("list", "dict"):
            singular = flag(name).removesuffix("s")
            names = [flag(name)] + ([singular] if singular != flag(name) else [])
            option = Annotated[list[str] | None, typer.Option(*names, help=help_text)]
        else:
            if kind == "choice":
                help_text = (
                    help_text.rstrip(".") + f": {', '.join(map(str, get_args(_bare(field.annotation))))}."
                )
            option = Annotated[str | None, typer.Option(flag(name), help=help_text, show_default=False)]
        parameters.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=option)
        )
    return parameters


def model_values(model: type[BaseModel], given: dict[str, Any]) -> dict[str, Any]:
    """The options a person gave, shaped for the model: lists split at commas, mappings read as KEY=VALUE."""
    values: dict[str, Any] = {}
    for name, value in given.items():
        if value is None or name not in model.model_fields:
            continue
        kind = _kind(model.model_fields[name].annotation)
        if kind == "list":
            value = [part.strip() for item in value for part in str(item).split(",") if part.strip()]
        elif kind == "dict":
            value = dict(_pair(name, item) for item in value)
        values[name] = value
    return values


def _pair(name: str, item: str) -> tuple[str, str]:
    key, separator, value = str(item).partition("=")
    if not separator or not key.strip() or not value.strip():
        raise InputError(f"{flag(name)}: {str(item)[:40]!r} is not KEY=VALUE; write it like evaluation=20")
    return key.strip(), value.strip()


def validate_options(model: type[Model], values: dict[str, Any]) -> Model:
    """`values` validated as `model`, with every problem named by its flag."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise describe_validation_error(error, source=None, field_name=flag) from None


def command(
    model: type[BaseModel],
    run: Callable[..., None],
    *,
    before: Iterable[inspect.Parameter] = (),
    after: Iterable[inspect.Parameter] = (),
    skip: Iterable[str] = (),
    doc: str | None = None,
) -> Callable[..., None]:
    """A typer command: `before` (arguments), the model's options, then `after` (output options).

    `run` is called with the model's options as one dict (`model_values`) under the keyword `given`, and
    every other parameter by name.
    """
    own = model_parameters(model, skip=skip)
    names = {parameter.name for parameter in own}

    def invoke(**arguments: Any) -> None:
        given = model_values(model, {key: value for key, value in arguments.items() if key in names})
        rest = {key: value for key, value in arguments.items() if key not in names}
        run(given=given, **rest)

    invoke.__signature__ = inspect.Signature([*before, *own, *after])  # type: ignore[attr-defined]
    invoke.__doc__ = doc or run.__doc__
    return invoke


def parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    """A hand-made command parameter (a file argument, an output option)."""
    kind = (
        inspect.Parameter.POSITIONAL_OR_KEYWORD
        if default is inspect.Parameter.empty
        else inspect.Parameter.KEYWORD_ONLY
    )
    return inspect.Parameter(name, kind, default=default, annotation=annotation)


def output_parameters(format: Any = None) -> list[inspect.Parameter]:
    """The output options of `assistant.emit`: --format (or the command's own `format` option), --json,
    --out and --force."""
    from assistant.emit import Force, Format, Json, Out

    return [
        parameter("format", format or Format, None),
        parameter("as_json", Json, False),
        parameter("out", Out, None),
        parameter("force", Force, False),
    ]


def run_tool(spec: Any, given: dict[str, Any]) -> Any:
    """Call a tool with options a person gave: validated by its argument model, problems named by flag."""
    validated = validate_options(spec.args_model, given)
    if spec.takes_model:
        return spec.function(validated)
    return spec.function(**{name: getattr(validated, name) for name in type(validated).model_fields})
