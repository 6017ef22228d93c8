"""Build the structured draft from the officer's input, the envelope and the timeline, inventing nothing.

Every sentence is either fixed wording (the Southern Derbyshire and Sheffield patterns, carrying no figure,
date or name) or the officer's own text and figures; a missing input becomes a placeholder and a gap.
"""

from __future__ import annotations

from collections.abc import Callable

from tools.formatting import long_date
from tools.intent import sections as text
from tools.intent.inputs import Envelope, Timeline
from tools.intent.model import Block, Bullets, Gap, Paragraph, Section, StatementDraft, Table, placeholder
from tools.intent.schema import StatementInput


class Gaps:
    """The inputs a draft still needs, in the order they first show, each listed once."""

    def __init__(self) -> None:
        self.found: list[Gap] = []
        self._keys: set[tuple[str, str]] = set()  # a look-up, not a scan of every gap so far

    def add(self, section: str, needed: str, field: str) -> None:
        if (needed, field) not in self._keys:
            self._keys.add((needed, field))
            self.found.append(Gap(section=section, needed=needed, field=field))


class Writer:
    """Collects one section's blocks, numbering paragraphs and recording each placeholder as a gap."""

    def __init__(self, number: int | str, title: str, gaps: Gaps) -> None:
        self.section = Section(number=number, title=title)
        self._gaps = gaps
        self._paragraphs = 0  # counted as they are added: counting the blocks each time is quadratic

    def need(self, needed: str, field: str) -> str:
        """The placeholder for a missing input; each missing input is listed once, where it first shows."""
        self._gaps.add(self.section.title, needed, field)
        return placeholder(needed)

    def paragraph(self, body: str, *, lead: str | None = None) -> None:
        self._paragraphs += 1
        self._add(Paragraph(number=f"{self.section.number}.{self._paragraphs}", text=body, lead=lead))

    def paragraphs(self, bodies: list[str], *, needed: str, field: str) -> None:
        for body in bodies or [self.need(needed, field)]:
            self.paragraph(body)

    def bullets(self, items: list[str]) -> None:
        if items:
            self._add(Bullets(items=items))

    def table(
        self,
        caption: str,
        columns: list[str],
        rows: list[list[str]],
        *,
        bold_rows: list[int] | None = None,
        footnote: str | None = None,
    ) -> None:
        table = Table(
            caption=caption, columns=columns, rows=rows, bold_rows=bold_rows or [], footnote=footnote
        )
        self._add(table)

    def _add(self, block: Block) -> None:
        self.section.blocks.append(block)


SectionBuilder = Callable[[Writer, StatementInput, Envelope | None, Timeline | None], None]

# The order officers expect (issue 6), each with the function that writes it.
SECTIONS: tuple[tuple[str, SectionBuilder], ...] = (
    ("Background", text.background),
    ("Vision", text.vision),
    ("Guiding principles", text.principles),
    ("Key characteristics of a transformed system", text.characteristics),
    ("Impact on flows and pathways", text.impact("impact_on_flows_and_pathways", "flows and pathways")),
    ("Impact on people's experience", text.impact("impact_on_peoples_experience", "people's experience")),
    ("Impact on cost and efficiency", text.impact("impact_on_cost_and_efficiency", "cost and efficiency")),
    ("Financial envelope", text.envelope),
    ("Governance", text.governance),
    ("Timetable", text.timetable),
    ("What we ask of providers", text.asks),
    ("Procurement approach and the right to revert", text.procurement),
)
# After the sections, lettered; an appendix with nothing to say is left out.
APPENDICES: tuple[tuple[str, SectionBuilder], ...] = (
    ("How this timetable was built", text.how_the_timetable_was_built),
)


def build_draft(
    statement: StatementInput, *, envelope: Envelope | None = None, timeline: Timeline | None = None
) -> StatementDraft:
    """The structured draft: every section in order, with a placeholder and a gap for each missing input."""
    gaps = Gaps()
    title_block = _title_block(statement, Writer(0, "Title block", gaps))
    sections = []
    for number, (title, build) in enumerate(SECTIONS, start=1):
        writer = Writer(number, title, gaps)
        build(writer, statement, envelope, timeline)
        sections.append(writer.section)
    appendices: list[Section] = []
    for title, build in APPENDICES:
        writer = Writer(chr(ord("A") + len(appendices)), title, gaps)
        build(writer, statement, envelope, timeline)
        if writer.section.blocks:
            appendices.append(writer.section)
    return StatementDraft(
        title=statement.title or statement.kind[0].upper() + statement.kind[1:],
        kind=statement.kind,
        title_block=title_block,
        sections=sections,
        appendices=appendices,
        gaps=gaps.found,
    )


def _title_block(statement: StatementInput, writer: Writer) -> list[tuple[str, str]]:
    commissioners = text.names(statement.commissioners) or writer.need("the commissioners", "commissioners")
    providers = text.names(statement.providers) or writer.need("the providers invited", "providers")
    area = statement.area or writer.need("the area covered", "area")
    issued = long_date(statement.date) if statement.date else writer.need("the date of issue", "date")
    return [
        ("Commissioners", commissioners),
        ("Providers invited", providers),
        ("Area", area),
        ("Date", issued),
    ]
