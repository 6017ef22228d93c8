"""The statement of intent drafter: a complete, structured draft from the officer's facts, inventing none.

Sections come in the order officers expect (Southern Derbyshire's Appendix 2 and Sheffield's statement of
commissioner requirements); a missing input is marked `[To complete: ...]` in place and listed as a gap.
The draft renders as Markdown and as a Word document.
"""

from __future__ import annotations

from pathlib import Path

from tools.inputs import validate
from tools.intent.draft import SECTIONS, build_draft
from tools.intent.inputs import Envelope, LoadedStatement, Timeline, load_statement
from tools.intent.model import Gap, StatementDraft
from tools.intent.render_docx import render_docx
from tools.intent.render_md import render_gaps, render_markdown
from tools.intent.schema import (
    DEFAULT_PRINCIPLES,
    Characteristic,
    Impact,
    Kind,
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


def draft_statement_of_intent(
    *,
    kind: Kind = "statement of intent",
    title: str | None = None,
    date: str | None = None,
    commissioners: list[str] | None = None,
    providers: list[str] | None = None,
    area: str | None = None,
    population: str | int | None = None,
    background: list[str] | None = None,
    services_in_scope: list[str] | None = None,
    services_out_of_scope: list[str] | None = None,
    vision: list[str] | None = None,
    guiding_principles: list[str] | None = None,
    key_characteristics: list[Characteristic | str] | None = None,
    impact_on_flows_and_pathways: Impact | None = None,
    impact_on_peoples_experience: Impact | None = None,
    impact_on_cost_and_efficiency: Impact | None = None,
    envelope: Envelope | None = None,
    envelope_notes: list[str] | None = None,
    timeline: Timeline | None = None,
    governance: list[str] | None = None,
    response: Response | None = None,
    right_to_revert: str | None = None,
    procurement: Procurement | None = None,
) -> StatementDraft:
    """Draft a statement of intent (or of commissioner requirements) inviting providers to collaborate.

    Use it when an officer wants a statement that invites providers to work together instead of competing
    (the Southern Derbyshire pattern) or a statement of commissioner requirements (Sheffield's next step).
    Pass only facts the officer or another tool gave: every field left out becomes a `[To complete: ...]`
    placeholder and a gap; never fill a field with a guess. The sections come in a fixed order: Background;
    Vision; Guiding principles; Key characteristics of a transformed system; Impact on flows and pathways;
    Impact on people's experience; Impact on cost and efficiency; Financial envelope; Governance; Timetable;
    What we ask of providers; Procurement approach and the right to revert.

    Returns the structured draft (sections of numbered paragraphs, bullets and tables), its Markdown, and
    the gaps (section, what is needed, the field that fills it) to ask the officer about.

    Args:
        kind: "statement of intent" (default) or "statement of commissioner requirements".
        title: the document's title; default "Statement of intent".
        date: the date of issue, as 2025-09-03 or 3 September 2025; also the procurement start by default.
        commissioners: the commissioning organisations, as named in the statement.
        providers: the providers invited to respond.
        area: the place the statement covers.
        population: the population served, as the officer states it (e.g. "about 250,000 people").
        background: paragraphs of background and the case for change.
        services_in_scope: the services in scope.
        services_out_of_scope: the services out of scope.
        vision: paragraphs of the vision for services.
        guiding_principles: the principles; leave out to use the Southern Derbyshire defaults.
        key_characteristics: the key characteristics of the transformed system, each with a title, text
            and points (or just the text).
        impact_on_flows_and_pathways: the desired impact on flows and pathways: statements and metrics
            (name, baseline, target, by, source).
        impact_on_peoples_experience: the desired impact on people's experience: statements and metrics.
        impact_on_cost_and_efficiency: the desired impact on cost and efficiency: statements and metrics.
        envelope: the JSON the envelope tool returned (unit, years, checks), carried through exactly.
        envelope_notes: paragraphs about the money that the envelope does not say.
        timeline: the JSON the timeline tool returned (route, regime, stages, notes).
        governance: paragraphs on governance: who decides, how the parties meet, how progress is reported.
        response: what providers are asked to send back (asks), the deadline, and who it goes to (send_to).
        right_to_revert: the condition on which commissioners would revert to a competitive process,
            e.g. "if sufficient progress is not evident".
        procurement: who buys (nhs, nhs-trust, council or joint), the service (health, social-care or
            other) and the start date, which decide the procurement regime stated in the last section.
    """
    # Every argument but the two tools' outputs is a field of StatementInput, validated as the YAML is.
    given = {name: value for name, value in locals().items() if value is not None}
    source = "draft_statement_of_intent arguments"
    linked_envelope = given.pop("envelope", None)
    linked_timeline = given.pop("timeline", None)
    return build_draft(
        validate(given, StatementInput, source=source),
        envelope=None if linked_envelope is None else validate(linked_envelope, Envelope, source=source),
        timeline=None if linked_timeline is None else validate(linked_timeline, Timeline, source=source),
    )


AGENT_TOOLS = [draft_statement_of_intent]
