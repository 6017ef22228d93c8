"""A tool's argument schema as a model reads it: what to send, without what only validation needs.

The full schema (`ToolSpec.json_schema()`) is the contract: MCP hosts validate against it and `commission
tools` shows it. A small model pays for every token of it in its context window, so the agent and the
LangChain toolkit offer the lean form instead, and the full model still validates every call
(`ToolSpec.invoke`), its refusal naming the field and what to fix:

- `$ref`s are resolved in place and `$defs` dropped;
- an optional argument (`anyOf` with null) is just its type; a choice of simple types is a list of types;
- a described list of text is just an array: its description says what each item is;
- an object below the tool's own arguments is left to the argument's description, which names its fields
  in braces, `{buyer, service, start}` (`tests/test_lean_schema.py` holds every tool to that);
- what the schema marks `x-not-for-models` (`tools.types.NOT_FOR_MODELS`) is left out: an argument for
  files, flags and careful callers, or a form of a value written for people (pounds as "1.2m");
- a description that only repeats the argument's name ("the services in scope" for services_in_scope)
  is left out, and no description ends in a full stop;
- only `type`, `description`, `enum`, `format`, `items`, `properties` and `required` are kept, and no
  `type` beside an `enum`: bounds, titles and `additionalProperties` are checked on the call, and a
  default is what happens when the argument is left out, which the model need not know.
"""

from __future__ import annotations

import re
from typing import Any

from tools.types import NOT_FOR_MODELS_KEY

Schema = dict[str, Any]
KEPT = ("type", "description", "enum", "format", "items", "properties", "required")


def lean_schema(schema: Schema) -> Schema:
    """The lean form of a pydantic model's JSON schema (the tool's arguments)."""
    definitions = schema.get("$defs", {})
    lean = _lean(schema, definitions, depth=0)
    lean.pop("description", None)  # the tool's own description says what the arguments are for
    lean.setdefault("properties", {})
    return lean


def nested_fields(schema: Schema) -> dict[str, list[str]]:
    """Each argument whose object value the lean form leaves out: the required fields of that object."""
    definitions = schema.get("$defs", {})
    found: dict[str, list[str]] = {}
    for name, argument in schema.get("properties", {}).items():
        for option in _options(_resolve(argument, definitions), definitions):
            if option.get("type") == "array":
                option = _resolve(option.get("items", {}), definitions)
            if option.get("type") == "object" and option.get("properties"):
                found[name] = list(option.get("required", []))
    return found


def _resolve(node: Schema, definitions: Schema) -> Schema:
    if "$ref" in node:
        target = definitions[node["$ref"].rsplit("/", 1)[-1]]
        return {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    return node


_FILLER = frozenset({"the", "a", "an", "of", "in", "on", "to", "for", "and", "or", "is", "are", "there"})


def _named(name: str, argument: Schema) -> Schema:
    """The argument without a description that only repeats its name."""
    said = set(re.findall(r"[a-z]+", argument.get("description", "").lower())) - _FILLER
    if said and said <= set(name.lower().split("_")):
        argument = {key: value for key, value in argument.items() if key != "description"}
    return argument


def _offered(node: Schema, definitions: Schema) -> bool:
    return not _resolve(node, definitions).get(NOT_FOR_MODELS_KEY)


def _options(node: Schema, definitions: Schema) -> list[Schema]:
    choices = node.get("anyOf")
    if not choices:
        return [node]
    resolved = (_resolve(choice, definitions) for choice in choices if choice != {"type": "null"})
    return [choice for choice in resolved if _offered(choice, definitions)]


def _lean(node: Schema, definitions: Schema, depth: int) -> Schema:
    node = _resolve(node, definitions)
    if "anyOf" in node:
        options = _options(node, definitions)
        outer = {key: value for key, value in node.items() if key != "anyOf"}
        if len(options) == 1:
            described = outer.get("description") or options[0].get("description")
            node = {**options[0], **outer, **({"description": described} if described else {})}
        else:
            types = list(dict.fromkeys(option["type"] for option in options if "type" in option))
            node = {**outer, "type": types if len(types) > 1 else types[0]} if types else outer
    if node.get("type") == "object" and depth > 0:
        return (
            {"description": node["description"].rstrip(".")} if "description" in node else {"type": "object"}
        )
    lean: Schema = {}
    for key in KEPT:
        if key not in node:
            continue
        value = node[key]
        if key == "properties":
            value = {
                name: _named(name, _lean(child, definitions, depth + 1))
                for name, child in value.items()
                if _offered(child, definitions)
            }
        elif key == "required":
            arguments = node.get("properties", {})
            value = [name for name in value if _offered(arguments.get(name, {}), definitions)]
        elif key == "items":
            value = _lean(value, definitions, depth + 1)
            value.pop("description", None)  # the array's own description says what each item is
            if value.get("type", "string") == "string" and len(value) <= 1 and "description" in node:
                continue  # a list of text: the array's description says what each item is
        lean[key] = value.rstrip(".") if key == "description" else value
    if "enum" in lean:
        lean.pop("type", None)  # the choices say it
    return lean
