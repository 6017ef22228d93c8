"""Reading the YAML and JSON officers write, in files or as text, into validated pydantic models.

Every officer-supplied YAML or JSON (and the bundled rule tables) is parsed here, by one bounded loader:

- YAML aliases (`&name` then `*name`) are refused: the data never needs them, and a few hundred bytes of
  nested aliases expand to gigabytes ("billion laughs").
- Nesting deeper than `MAX_DEPTH` levels is refused, in YAML and JSON, before Python's recursion limit
  is reached, so a file of 100,000 brackets is one line of error, not a traceback.
- A YAML document of more than `MAX_VALUES` values (each scalar, list and mapping counts one) is refused
  as it is read: building each value in Python is the slow part, so the bound is on them, not on bytes.
- A value YAML cannot turn into data (`2025-02-30`, a number of 5,000 digits) is named, not raised.

Every refusal is one `InputError` line that names the file (or the argument) and says what to write.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from tools.errors import InputError, UnreadableFileError, describe_validation_error
from tools.textfiles import read_text_file

Model = TypeVar("Model", bound=BaseModel)

MAX_DEPTH = 50
"""The most levels of lists and mappings inside one another; officers' files use three or four."""
MAX_VALUES = 100_000
"""The most values in one YAML document: a 2,000-line envelope has about 20,000."""
ALIASES = "YAML aliases (&name and *name) are not accepted; write the values out"
NESTED = f"nested more than {MAX_DEPTH} levels deep; no input needs more than a few levels"

try:  # libyaml's parser is about four times faster; the composer below stays in Python to bound it
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class NotYamlError(InputError):
    """Text that is not YAML (or JSON) at all, as opposed to YAML this loader refuses."""


class _Refused(ComposerError):
    """A construct the loader refuses; `reason` is the line an officer reads."""

    def __init__(self, problem: str, reason: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)
        self.reason = reason


class BoundedLoader(Composer, _Parser, SafeConstructor, Resolver):
    """PyYAML's safe loader with defined aliases refused, and nesting and size bounded.

    Each check is made before a node is built: Python's composer (listed first, so it replaces libyaml's)
    reads the parser's events one at a time.
    """

    depth = 0
    values = 0
    max_values = MAX_VALUES

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        mark = getattr(event, "start_mark", None)
        if isinstance(event, yaml.AliasEvent) and event.anchor in self.anchors:
            raise _Refused("aliases are not allowed", ALIASES, mark)  # an undefined one: a syntax error
        self.values += 1
        if self.values > self.max_values:
            many = f"holds more than {self.max_values:,} values; no input needs so many, so write fewer"
            raise _Refused("too many values", many, mark)
        nested = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if nested:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels", NESTED, mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self.depth -= 1


class _Unreadable(Exception):
    """Why text could not be read as data; `syntax` when it is not YAML or JSON at all."""

    def __init__(self, reason: str, *, syntax: bool = False) -> None:
        super().__init__(reason)
        self.syntax = syntax


def load_yaml_text(text: str, *, source: object, max_values: int = MAX_VALUES) -> Any:
    """The data in YAML (or JSON) `text`, read by the bounded loader.

    Args:
        text: the YAML as written.
        source: what is being read, named at the start of a refusal (a file, or an argument's name).
        max_values: the most values the document may hold, when a tighter bound than `MAX_VALUES` fits.

    Raises:
        NotYamlError: the text is not valid YAML (naming the line).
        InputError: it uses aliases, is nested more than `MAX_DEPTH` levels deep, holds more than
            `max_values` values, or holds a value YAML cannot read (naming which).
    """
    try:
        return _parse_yaml(text, max_values)
    except _Unreadable as error:
        raise (NotYamlError if error.syntax else InputError)(f"{source}: {error}") from None


def load_data(path: Path) -> Any:
    """The parsed content of a `.yaml`, `.yml` or `.json` file.

    The file may be saved as UTF-8, UTF-16 or Windows-1252 (see `tools.textfiles`).

    Raises:
        UnreadableFileError: the file is missing, a folder, binary, empty, too large, not valid YAML/JSON,
            uses YAML aliases or is nested more than `MAX_DEPTH` levels deep.
    """
    path = Path(path)
    text = read_text_file(path).text
    try:
        return _parse_json(text) if path.suffix.lower() == ".json" else _parse_yaml(text)
    except _Unreadable as error:
        raise UnreadableFileError(path, str(error)) from None


def _parse_yaml(text: str, max_values: int = MAX_VALUES) -> Any:
    try:
        return _load(text, max_values)
    except _Refused as error:
        raise _Unreadable(error.reason) from None
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(error):  # libyaml's own limit, met before ours in flow style
            raise _Unreadable(NESTED) from None
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise _Unreadable(f"is not valid YAML{line}", syntax=True) from None
    except RecursionError:
        raise _Unreadable(NESTED) from None
    except UnicodeError:
        raise _Unreadable("is not valid YAML: it holds characters that are not text", syntax=True) from None
    except ValueError as error:
        raise _Unreadable(_unreadable_value(error)) from None


def _load(text: str, max_values: int) -> Any:
    """What `yaml.load` does, with the bound on values set on this loader."""
    loader = BoundedLoader(text)  # libyaml encodes the text here: a lone surrogate fails at once
    loader.max_values = max_values
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _parse_json(text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Unreadable(f"is not valid JSON at line {error.lineno}", syntax=True) from None
    except RecursionError:
        raise _Unreadable(NESTED) from None
    except ValueError as error:
        raise _Unreadable(_unreadable_value(error)) from None
    if _deeper_than(data, MAX_DEPTH):
        raise _Unreadable(NESTED)
    return data


def _unreadable_value(error: ValueError) -> str:
    # YAML reads 2025-02-30 as a date and fails; Python refuses to read numbers of over 4,300 digits.
    if "integer string conversion" in str(error):
        return "holds a number of more than 4,300 digits; write a smaller one"
    reason = " ".join(str(error).split())[:80]
    return f"holds a value that cannot be read ({reason}); put it in quotes to keep it as text"


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists and mappings in `data` nest more than `limit` levels (without recursing)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def load_model(path: Path, model: type[Model]) -> Model:
    """A YAML or JSON file validated as `model`.

    Raises:
        UnreadableFileError: the file cannot be read or parsed.
        InputError: the content does not fit the model (naming the field and value).
    """
    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of field: value at the top level")
    return validate(data, model, source=path)


def validate(data: Any, model: type[Model], *, source: object = "arguments") -> Model:
    """`data` validated as `model`, with a one-line `InputError` on failure."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise describe_validation_error(error, source=source) from None
