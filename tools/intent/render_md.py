"""The draft as Markdown: a title, the title block, numbered sections, bullets and pipe tables."""

from __future__ import annotations

import re

from tools.intent.model import Bullets, Paragraph, StatementDraft, Table


def render_markdown(draft: StatementDraft) -> str:
    """The whole draft as Markdown (British English, paragraph numbers as in committee papers)."""
    lines = [f"# {draft.title}", ""]
    lines += [f"**{label}:** {value}  " for label, value in draft.title_block]
    for section in [*draft.sections, *draft.appendices]:
        lines += ["", f"## {section.heading}"]
        for block in section.blocks:
            lines.append("")
            if isinstance(block, Paragraph):
                lead = f"**{block.lead}** " if block.lead else ""
                lines.append(f"{block.number} {lead}{block.text}".rstrip())
            elif isinstance(block, Bullets):
                lines += [f"- {item}" for item in block.items]
            elif isinstance(block, Table):
                lines += _table(block)
    return "\n".join(lines) + "\n"


def render_gaps(draft: StatementDraft) -> str:
    """The gaps as a Markdown list, or a line saying there are none."""
    if not draft.gaps:
        return "No gaps: every input was given."
    count = len(draft.gaps)
    heading = f"{count} gap{'' if count == 1 else 's'} to complete:"
    return "\n".join([heading, *(f"- {gap.line()}" for gap in draft.gaps)])


def _table(table: Table) -> list[str]:
    def row(cells: list[str], bold: bool = False) -> str:
        shown = [_cell(cell) for cell in cells]
        return "| " + " | ".join(f"**{cell}**" if bold and cell else cell for cell in shown) + " |"

    rule = (
        "| " + " | ".join("---:" if _figures(table, c) else "---" for c in range(len(table.columns))) + " |"
    )
    lines = [f"*{table.caption}*", "", row(table.columns), rule]
    lines += [row(cells, index in table.bold_rows) for index, cells in enumerate(table.rows)]
    if table.footnote:
        lines += ["", _escaped(table.footnote)]
    return lines


# Money and counts line up on the right, as in a finance table.
_FIGURE = re.compile(r"^-?£?-?[\d,]+(\.\d+)?(k|m|%)?$")


def _figures(table: Table, column: int) -> bool:
    """Whether a column (never the first, the labels) holds only figures."""
    cells = [row[column] for row in table.rows if row[column]]
    return column > 0 and bool(cells) and all(_FIGURE.match(cell) for cell in cells)


def _escaped(text: str) -> str:
    """A line that starts with `*` or `-` would read as a list item; escape it."""
    return f"\\{text}" if text[:1] in "*-+" else text


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
