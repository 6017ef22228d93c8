"""The terminal: one rich console for output, and helpers for how officers expect to read it.

Text that came from a document, a model or a tool result is untrusted: a paper can carry terminal escape
sequences (an OSC 52 clipboard write, a window title, a clear screen, a hidden hyperlink) or rich markup
such as `[bold]`. `clean` strips the first; `safe` does that and makes the text a rich `Text`, which is
never read as markup. Every place that prints such text uses one of them.
"""

from __future__ import annotations

import re
import sys

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

# Whole sequences first, so their parameters go with them: strings (OSC, DCS, SOS, PM, APC) up to their
# terminator (BEL or ST), CSI with its parameters, then any other escape with its intermediates and final
# byte; 8-bit (C1) introducers too. An unterminated string loses only its introducer; the rest is then
# harmless text. The character classes stop at the next ESC, so the scan stays linear on hostile input.
_SEQUENCES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]"
)
# Then every control character left: C0 but tab and newline, DEL, and C1 (U+0080 to U+009F).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """`text` without terminal escape sequences or control characters; tabs and line breaks are kept."""
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


def safe(text: str, style: str = "") -> Text:
    """Untrusted `text` ready to print: `clean`ed, and a `Text`, so `[bold]` in it prints as it is."""
    return Text(clean(text), style=style)


def print_markdown(text: str) -> None:
    """Rendered Markdown on a terminal; the Markdown itself when output is piped to a file."""
    text = clean(text)
    if console.is_terminal:
        console.print(Markdown(text))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
