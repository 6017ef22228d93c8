"""The wording of each section: fixed sentences from the papers' pattern around the officer's own facts.

Fixed wording carries no figure, date or name; those come only from the input, the envelope and the
timeline, formatted as officers read them (`pounds`, `long_date`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.formatting import long_date
from tools.intent.approach import Approach, approach_for
from tools.intent.figures import BOLD_KINDS, UNITS, cited, find_regime, printed_table, regime_sentences
from tools.intent.inputs import Envelope, Timeline
from tools.intent.schema import Impact, StatementInput
from tools.intent.timetable import ASSUMED, FOOTNOTE, assumed, basis, dates, duration, planning_notes

if TYPE_CHECKING:
    from tools.intent.draft import SectionBuilder, Writer

INTENT_OPENING = (
    "This statement of intent is issued by {commissioners}. It invites {providers} to work collaboratively "
    "with each other and with the commissioners{instead} to agree a different approach to providing the "
    "services in scope."
)
# Said only where the route is not itself a competition.
INSTEAD_OF_COMPETING = ", instead of competing,"
REQUIREMENTS_OPENING = (
    "This statement of commissioner requirements is issued by {commissioners} to {providers}. It sets out "
    "the commissioners' thoughts on the scope of the service, the key likely outcome measures, the essential "
    "features and the financial envelope."
)
DIALOGUE = (
    "We believe this approach will need ongoing dialogue and the testing of ideas between commissioners and "
    "providers, which will become worked-up plans with milestones and metrics to track progress."
)
# The approach without a route, and on the collaborative route, where it depends on the kind of statement.
APPROACH = {
    "statement of intent": "The commissioners intend to agree the future provision of these services with "
    "providers collaboratively, instead of through a competitive tender.",
    "statement of commissioner requirements": "The commissioners intend to co-design the service with "
    "providers; if that succeeds, a contract may be awarded without a competitive tender where the "
    "regime allows it.",
}
REVERT = "The commissioners reserve the right to revert to a competitive procurement process {condition}."

BUYERS = {
    "nhs": "the NHS",
    "nhs-trust": "the NHS trust",
    "council": "the council",
    "joint": "the NHS and the council jointly",
}
SERVICES = {
    "health": "health care services",
    "social-care": "social care services",
    "other": "other services",
}


def names(items: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`; empty when there are none."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}" if items else ""


def _listed(w: Writer, intro: str, items: list[str], needed: str, field: str) -> None:
    if items:
        w.paragraph(f"{intro}:")
        w.bullets(items)
    else:
        w.paragraph(f"{intro}: {w.need(needed, field)}")


def _route(timeline: Timeline | None) -> Approach | None:
    return approach_for(timeline.route) if timeline else None


def background(w: Writer, s: StatementInput, _e: Envelope | None, tl: Timeline | None) -> None:
    opening = INTENT_OPENING if s.kind == "statement of intent" else REQUIREMENTS_OPENING
    commissioners = names(s.commissioners) or w.need("the commissioners", "commissioners")
    providers = names(s.providers) or w.need("the providers invited", "providers")
    route = _route(tl)
    instead = "" if route and route.competitive else INSTEAD_OF_COMPETING
    w.paragraph(opening.format(commissioners=commissioners, providers=providers, instead=instead))
    area = s.area or w.need("the area covered", "area")
    population = s.population or w.need("the population served", "population")
    if population.isdigit():
        population = f"{int(population):,}"
    w.paragraph(f"It covers {area}, with a population of {population}.")
    w.paragraphs(s.background, needed="the background and the case for change", field="background")
    _listed(w, "The services in scope are", s.services_in_scope, "the services in scope", "services_in_scope")
    _listed(
        w,
        "The services out of scope are",
        s.services_out_of_scope,
        "the services out of scope, or that none are excluded",
        "services_out_of_scope",
    )


def vision(w: Writer, s: StatementInput, _e: Envelope | None, _t: Timeline | None) -> None:
    w.paragraphs(s.vision, needed="the vision for services in the area", field="vision")


def principles(w: Writer, s: StatementInput, _e: Envelope | None, _t: Timeline | None) -> None:
    intro = "These principles will guide how commissioners and providers work together"
    _listed(w, intro, s.principles(), "the guiding principles", "guiding_principles")


def characteristics(w: Writer, s: StatementInput, _e: Envelope | None, _t: Timeline | None) -> None:
    if not s.key_characteristics:
        w.paragraph(w.need("the key characteristics of the transformed system", "key_characteristics"))
        return
    w.paragraph("We believe a transformed system will have these key characteristics.")
    for item in s.key_characteristics:
        lead = f"{item.title}." if item.title else None
        body = item.text or (
            "" if item.points else w.need(f"what is wanted under {item.title}", "key_characteristics")
        )
        w.paragraph(body, lead=lead)
        w.bullets(item.points)


def impact(field: str, label: str) -> SectionBuilder:
    """The builder of one impact section: the impact in words, then its metrics as a table."""

    def build(w: Writer, s: StatementInput, _e: Envelope | None, _t: Timeline | None) -> None:
        wanted: Impact = getattr(s, field)
        _listed(
            w, f"We want to see this impact on {label}", wanted.statements, f"the impact on {label}", field
        )
        if not wanted.metrics:
            w.paragraph(w.need(f"metrics for {label}, with baselines and targets", f"{field}.metrics"))
            return
        optional = [("By when", "by"), ("Source", "source")]
        shown = [(title, key) for title, key in optional if any(getattr(m, key) for m in wanted.metrics)]
        rows = [
            [
                m.name,
                m.baseline or w.need(f"the baseline for {m.name}", f"{field}.metrics.baseline"),
                m.target or w.need(f"the target for {m.name}", f"{field}.metrics.target"),
                *(getattr(m, key) or "" for _, key in shown),
            ]
            for m in wanted.metrics
        ]
        w.table(
            f"Measures of impact on {label}", ["Measure", "Baseline", "Target", *(t for t, _ in shown)], rows
        )

    return build


def envelope(w: Writer, s: StatementInput, env: Envelope | None, _t: Timeline | None) -> None:
    if env is None:
        w.paragraph(w.need("the financial envelope for each year", "envelope_file"))
    else:
        years = [y.year for y in env.years]
        span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
        w.paragraph(
            f"The financial envelope for {span} is set out below, in {UNITS[env.unit]}, from the envelope "
            "calculation."
        )
        table = printed_table(env)
        w.table(
            f"Financial envelope by financial year ({env.unit})",
            table.headings,
            [[row.label, *row.cells] for row in table.rows],
            bold_rows=[index for index, row in enumerate(table.rows) if row.kind in BOLD_KINDS],
        )
        if env.assumptions:
            w.paragraph("The envelope rests on these assumptions:")
            w.bullets(env.assumptions)
        w.paragraph(table.rounding)
        # Information-only checks (a reconciled total) are for the officer, not the providers.
        flagged = [
            f"{check.severity.capitalize()}: {check.message}"
            for check in env.checks
            if check.severity != "info"
        ]
        if flagged:
            w.paragraph("The envelope calculation reported:")
            w.bullets(flagged)
    for note in s.envelope_notes:
        w.paragraph(note)


def governance(w: Writer, s: StatementInput, _e: Envelope | None, _t: Timeline | None) -> None:
    needed = "the governance arrangements: who decides, how the parties meet, how progress is reported"
    w.paragraphs(s.governance, needed=needed, field="governance")


def timetable(w: Writer, s: StatementInput, _e: Envelope | None, tl: Timeline | None) -> None:
    if tl is None:
        w.paragraph(w.need("the timetable", "timeline_file"))
        return
    route = _route(tl)
    w.paragraph(f"The timetable below follows {route.process if route else f'the {tl.route} route'}.")
    rows = []
    for stage in tl.stages:
        if stage.start and stage.end:
            marker = ASSUMED if assumed(stage) else ""
            rows.append(
                [stage.name, dates(stage.start, stage.end), duration(stage.start, stage.end) + marker]
            )
            continue
        start = (
            long_date(stage.start) if stage.start else w.need(f"the start of {stage.name}", "timeline_file")
        )
        end = long_date(stage.end) if stage.end else w.need(f"the end of {stage.name}", "timeline_file")
        rows.append([stage.name, f"{start} to {end}", ""])
    marked = any(row[2].endswith(ASSUMED) for row in rows)
    w.table("Timetable", ["Stage", "Dates", "Duration"], rows, footnote=FOOTNOTE if marked else None)
    w.paragraph(
        "Appendix A sets out how the timetable was built: the rule or assumption behind each stage, and the "
        "planning notes."
    )


def how_the_timetable_was_built(
    w: Writer, s: StatementInput, _e: Envelope | None, tl: Timeline | None
) -> None:
    """Appendix A: the route, the rule or assumption behind each stage, and the timeline tool's notes."""
    if tl is None:
        return
    w.paragraph(
        f"The timetable was planned with the timeline tool for the route {tl.route}. Statutory periods are "
        "counted as the law counts them and never shortened; typical durations are assumptions to confirm."
    )
    w.bullets(
        [
            f"{stage.name}: {basis(stage.rule).removeprefix(f'{stage.name}: ')}"
            for stage in tl.stages
            if stage.rule
        ]
    )
    notes = planning_notes(tl)
    if notes:
        w.paragraph("Planning notes:")
        w.bullets(notes)


def asks(w: Writer, s: StatementInput, _e: Envelope | None, _t: Timeline | None) -> None:
    reply = s.response
    _listed(
        w,
        "In return, we ask providers to set out",
        reply.asks,
        "what providers are asked to send back",
        "response.asks",
    )
    send_to = reply.send_to or w.need("who responses go to", "response.send_to")
    deadline = (
        long_date(reply.deadline)
        if reply.deadline
        else w.need("the date responses are due", "response.deadline")
    )
    w.paragraph(f"Please send your response to {send_to} by {deadline}.")
    if s.kind == "statement of intent":
        w.paragraph(DIALOGUE)


def procurement(w: Writer, s: StatementInput, _e: Envelope | None, tl: Timeline | None) -> None:
    route = _route(tl)
    collaborative = route is None or (tl is not None and tl.route == "collaborative")
    w.paragraph(APPROACH[s.kind] if collaborative or route is None else route.approach)
    governing = _regime(w, s)
    planned = find_regime(tl.regime) if tl is not None else None
    if planned and governing is None:
        w.paragraph(f"The timetable was planned under the {cited(planned.name, planned.rule.regulation)}.")
    elif planned and governing and planned.id not in governing:
        needed = f"a timetable under the regime that governs the procurement, not the {planned.short}"
        w.paragraph(w.need(needed, "timeline_file"))
    if s.right_to_revert:
        condition = s.right_to_revert.rstrip(".")
        w.paragraph((route.revert if route else REVERT).format(condition=condition))
    elif route and route.competitive:
        w.paragraph(w.need("whether, and when, the commissioners may end the process", "right_to_revert"))
    else:
        needed = "whether, and when, the commissioners may revert to a competitive process"
        w.paragraph(w.need(needed, "right_to_revert"))


def _regime(w: Writer, s: StatementInput) -> list[str] | None:
    """The regimes governing the procurement, each named once with its regulation; None if not known."""
    p = s.procurement
    start = p.start or s.date
    if p.buyer and p.service and start:
        found = regime_sentences(start, p.buyer, p.service)
        intro = f"On {long_date(start)}, when this procurement starts, it is governed by"
        needed = "the regime that applied on that date, which the regime check does not cover"
        _listed(w, intro, [sentence for _, sentence in found], needed, "procurement")
        return [regime for regime, _ in found] or None
    buyer = (
        BUYERS[p.buyer]
        if p.buyer
        else w.need("who buys (nhs, nhs-trust, council or joint)", "procurement.buyer")
    )
    service = (
        SERVICES[p.service]
        if p.service
        else w.need("the kind of service (health, social-care or other)", "procurement.service")
    )
    when = long_date(start) if start else w.need("the date the procurement starts", "procurement.start")
    w.paragraph(
        "The regime that governs the procurement depends on who buys, the kind of service and the date "
        f"it starts. Who buys: {buyer}. Service: {service}. Start: {when}."
    )
    return None
