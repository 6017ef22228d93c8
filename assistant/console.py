"""The terminal: one rich console for output, and helpers for how officers expect to read it."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markdown import Markdown

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def print_markdown(text: str) -> None:
    """Rendered Markdown on a terminal; the Markdown itself when output is piped to a file."""
    if console.is_terminal:
        console.print(Markdown(text))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
