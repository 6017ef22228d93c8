"""Errors of the assistant's own concerns: configuration, the index, the language model.

They extend `tools.errors.CommissionError`, so the CLI turns every one into a one-line message::

    CommissionError
    ├── InputError (tools)        bad input to a tool (exit 2)
    ├── ConfigError               a setting is missing or wrong: names the variable (exit 2)
    ├── KnowledgeIndexError       the index is missing or corrupt: names the command that fixes it
    └── ModelError                the model endpoint failed: says which variable or server to check
"""

from __future__ import annotations

from tools.errors import CommissionError, InputError, UnreadableFileError

__all__ = [
    "CommissionError",
    "ConfigError",
    "InputError",
    "KnowledgeIndexError",
    "ModelError",
    "UnreadableFileError",
]


class ConfigError(CommissionError):
    """A configuration value is missing or wrong."""

    exit_code = 2


class KnowledgeIndexError(CommissionError):
    """The paper index is missing, corrupt or unreachable."""


class ModelError(CommissionError):
    """The language-model endpoint could not give an answer."""
