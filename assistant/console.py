"""The terminal: one rich console for output, and helpers for how officers expect to read it."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markdown import Markdown

# soft_wrap: a message is one logical line, so piped output and pasted text are not broken mid-sentence.
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_markdown(text: str) -> None:
    """Rendered Markdown on a terminal; the Markdown itself when output is piped to a file."""
    if console.is_terminal:
        console.print(Markdown(text))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
