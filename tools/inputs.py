"""Reading the YAML and JSON files officers write into validated pydantic models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tools.errors import InputError, UnreadableFileError, describe_validation_error
from tools.textfiles import read_text_file

Model = TypeVar("Model", bound=BaseModel)


def load_data(path: Path) -> Any:
    """The parsed content of a `.yaml`, `.yml` or `.json` file.

    The file may be saved as UTF-8, UTF-16 or Windows-1252 (see `tools.textfiles`).

    Raises:
        UnreadableFileError: the file is missing, a folder, binary, empty, too large or not valid YAML/JSON.
    """
    path = Path(path)
    text = read_text_file(path).text
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise UnreadableFileError(path, f"is not valid {kind}{line}") from None


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
