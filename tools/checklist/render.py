"""The checklist results as officers read them: Markdown for each check.

`RENDERERS` lists the writers by result type for `assistant.render`; the results themselves are data.
"""

from __future__ import annotations

from tools.checklist.model import (
    PROCESS_NAME,
    STATUS_LABEL,
    CheckResult,
    MonitorResult,
    PsrResult,
    RegimeResult,
)
from tools.checklist.modification_model import ModificationResult
from tools.formatting import long_date, pounds
from tools.regimes import REGIMES


def check_lines(check: CheckResult, heading: str) -> list[str]:
    lines = [f"### {heading}. {check.question}", ""]
    lines.append(f"**{STATUS_LABEL[check.status]}** · {check.regulation}")
    lines.append("")
    lines.extend(f'- "{item.quote}" ({item.location})' for item in check.evidence)
    lines.extend(f"- Missing: {item}" for item in check.missing)
    return [*lines, ""]


def monitor_markdown(result: MonitorResult) -> str:
    counts = {status: sum(q.status == status for q in result.questions) for status in STATUS_LABEL}
    lines = [f"# Monitor questions: {result.source}", ""]
    if result.historical:
        lines += [f"> **Historical.** {result.historical}", ""]
    lines.append(
        f"{counts['evidenced']} of 7 questions evidenced, {counts['partial']} partly evidenced, "
        f"{counts['missing']} not evidenced."
    )
    lines += ["", *(f"- {note}" for note in result.notes), ""] if result.notes else [""]
    lines += ["## The seven questions (regulations 2 and 3)", ""]
    for question in result.questions:
        lines += check_lines(question, f"Question {question.number}")
    lines += ["## Wider checks of the 2013 regulations", ""]
    for check in result.regulation_checks:
        lines += check_lines(check, f"Check {check.number}")
    lines.append(
        "Found by matching the words and phrases kept in tools/checklist/monitor.yaml: a quote shows "
        "the paper mentions an element, not that the element is sound. Read each quote in context."
    )
    return "\n".join(lines)


def regime_markdown(result: RegimeResult) -> str:
    value = f", value {pounds(result.value)}" if result.value is not None else ""
    framework = (
        f", call-off from a framework awarded {long_date(result.framework_awarded)}"
        if result.framework_awarded
        else ""
    )
    lines = [
        f"# Which regime applies: {result.buyer} buyer, {result.service} services, starting "
        f"{long_date(result.start)}{value}{framework}",
        "",
    ]
    for regime in result.regimes:
        light = " (light touch regime)" if regime.light_touch else ""
        lines += [f"## {regime.name}{light}", "", regime.reason, ""]
        lines += [f"- Regulation: {regime.regulation}", f"- Source: {regime.source}", ""]
    if result.threshold_note:
        lines += [f"**Light touch threshold.** {result.threshold_note}", ""]
    lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines)


def psr_markdown(result: PsrResult) -> str:
    must = "must" if len(result.permitted) == 1 else "may"
    lines = [f"# PSR route: {PROCESS_NAME[result.process]}", ""]
    others = [PROCESS_NAME[item] for item in result.permitted if item != result.process]
    lines.append(f"Process the authority {must} use: **{PROCESS_NAME[result.process]}**.")
    if others:
        lines.append(f"Also open to it: {', '.join(others)}.")
    if result.considerable_change is not None:
        lines.append(f"Considerable change threshold met: {'yes' if result.considerable_change else 'no'}.")
    lines += ["", "## Reasoning", ""]
    for number, step in enumerate(result.steps, start=1):
        lines.append(f"{number}. {step.question} **{step.answer}** {step.outcome} ({step.regulation})")
    lines += ["", "## Notices and standstill", "", *(f"- {notice}" for notice in result.notices)]
    lines.append(f"- Standstill: {result.standstill or 'none for Direct Award Processes A and B.'}")
    lines += ["", "## The five key criteria the decision record must address", ""]
    lines += [f"{number}. {item}" for number, item in enumerate(result.key_criteria, start=1)]
    lines += ["", result.key_criteria_rule]
    return "\n".join(lines)


def modification_markdown(result: ModificationResult) -> str:
    verdict = {
        True: "yes, on the conditions below.",
        False: "no, unless one of the grounds without a value limit below applies.",
        None: "not decided: it turns on facts this check cannot know (see what to check below).",
    }[result.permitted]
    notice = f"{result.notice}." if result.notice_required and result.notice else "none needed."
    lines = [f"# Contract modification: {REGIMES[result.regime].short}", ""]
    lines += [f"**Permitted without a new procurement:** {verdict}", ""]
    lines += [f"**Notice:** {notice}", "", "## Reasons", ""]
    lines += [f"- {reason.message} ({reason.regulation})" for reason in result.reasons]
    return "\n".join(lines)


RENDERERS = {
    MonitorResult: {"md": monitor_markdown},
    RegimeResult: {"md": regime_markdown},
    PsrResult: {"md": psr_markdown},
    ModificationResult: {"md": modification_markdown},
}
