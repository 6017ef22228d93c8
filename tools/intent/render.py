"""How a draft statement is written out: Markdown (the draft, then the gaps still to complete) and Word.

`RENDERERS` lists them by format for `assistant.render`; the writers themselves are `render_md` and
`render_docx`.
"""

from __future__ import annotations

from tools.intent.model import StatementDraft
from tools.intent.render_docx import render_docx
from tools.intent.render_md import render_gaps, render_markdown


def draft_with_gaps(draft: StatementDraft) -> str:
    """The draft as Markdown, then the gaps still to complete (what a model or an officer reads)."""
    return f"{render_markdown(draft)}\n## Gaps to complete\n\n{render_gaps(draft)}\n"


RENDERERS = {StatementDraft: {"md": draft_with_gaps, "docx": render_docx}}
