"""The draft as Markdown: a title, the title block, numbered sections, bullets and pipe tables."""

from __future__ import annotations

from tools.intent.model import Bullets, Paragraph, StatementDraft, Table


def render_markdown(draft: StatementDraft) -> str:
    """The whole draft as Markdown (British English, paragraph numbers as in committee papers)."""
    lines = [f"# {draft.title}", ""]
    lines += [f"**{label}:** {value}  " for label, value in draft.title_block]
    for section in draft.sections:
        lines += ["", f"## {section.number}. {section.title}"]
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
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(_cell(cell) for cell in cells) + " |"

    return [f"*{table.caption}*", "", row(table.columns), row(["---"] * len(table.columns))] + [
        row(cells) for cells in table.rows
    ]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
