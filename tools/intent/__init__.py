"""The statement of intent drafter: a complete, structured draft from the officer's facts, inventing none.

Sections come in the order officers expect (Southern Derbyshire's Appendix 2 and Sheffield's statement of
commissioner requirements); a missing input is marked `[To complete: ...]` in place and listed as a gap.
The envelope's figures follow its one rounding rule for people (whole £000 in tables, the unit in the
heading); the procurement wording follows the regime and route the timeline gives (`approach.yaml`); the
timetable is stage, dates and duration, with how it was built in an appendix. The draft renders as Markdown
and as a Word document.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from tools.intent.draft import SECTIONS, build_draft
from tools.intent.inputs import Envelope, LoadedStatement, Timeline, load_statement
from tools.intent.model import Gap, StatementDraft
from tools.intent.render_docx import render_docx
from tools.intent.render_md import render_gaps, render_markdown
from tools.intent.schema import (
    DEFAULT_PRINCIPLES,
    Characteristic,
    Impact,
    Metric,
    Procurement,
    Response,
    StatementInput,
)
from tools.intent.template import template_yaml

__all__ = [
    "AGENT_TOOLS",
    "DEFAULT_PRINCIPLES",
    "SECTIONS",
    "Characteristic",
    "Envelope",
    "Gap",
    "Impact",
    "LoadedStatement",
    "Metric",
    "Procurement",
    "Response",
    "StatementDraft",
    "StatementInput",
    "Timeline",
    "build_draft",
    "draft_from_file",
    "draft_statement_of_intent",
    "load_statement",
    "render_docx",
    "render_gaps",
    "render_markdown",
    "template_yaml",
]


def draft_from_file(path: Path) -> StatementDraft:
    """The draft of a statement YAML, with the envelope and timeline files it names."""
    loaded = load_statement(path)
    return build_draft(loaded.statement, envelope=loaded.envelope, timeline=loaded.timeline)


class StatementRequest(StatementInput):
    """A statement as the agent and other assistants ask for it: the fields of a statement's YAML, with the
    envelope and timeline tools' JSON given directly rather than as files."""

    envelope_file: SkipJsonSchema[None] = Field(None, description="files are read by the CLI; give envelope")
    timeline_file: SkipJsonSchema[None] = Field(None, description="files are read by the CLI; give timeline")
    envelope: Envelope | None = Field(
        None,
        description="compute_envelope's result, as returned",
    )
    timeline: Timeline | None = Field(None, description="plan_timeline's result, as returned")


def draft_statement_of_intent(statement: StatementRequest) -> StatementDraft:
    """Draft a statement of intent (or of commissioner requirements) inviting providers to collaborate.

    Use it when an officer wants a statement that invites providers to work together instead of competing
    (the Southern Derbyshire pattern) or a statement of commissioner requirements (Sheffield's next step).
    Pass only facts the officer or another tool gave: every field left out becomes a `[To complete: ...]`
    placeholder and a gap; never fill a field with a guess. The sections come in a fixed order: Background;
    Vision; Guiding principles; Key characteristics of a transformed system; Impact on flows and pathways;
    Impact on people's experience; Impact on cost and efficiency; Financial envelope; Governance; Timetable;
    What we ask of providers; Procurement approach and the right to revert; then, with a timeline, Appendix A
    (how the timetable was built). The procurement approach, the right to revert and whether providers
    collaborate "instead of competing" follow the timeline's route and regime.

    Returns the structured draft (sections of numbered paragraphs, bullets and tables), its Markdown, and
    the gaps (section, what is needed, the field that fills it) to ask the officer about.
    """
    return build_draft(statement, envelope=statement.envelope, timeline=statement.timeline)


AGENT_TOOLS = [draft_statement_of_intent]
