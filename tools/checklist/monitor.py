"""The Monitor questions check: a paper (or a YAML of answers) against the 2013 regulations."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from tools import file_access
from tools.checklist.evidence import Sentence, evaluate, split_sentences
from tools.checklist.model import MonitorResult
from tools.checklist.monitor_data import QUESTIONS, REGULATION_CHECKS
from tools.checklist.regime import (
    BUYERS,
    LA_NOT_BOUND,
    LIGHT_TOUCH_ADVERTISING,
    NHS_EXEMPTION,
    NHS_UNDER_2006,
    RELEVANT_BODIES,
    RELEVANT_BODY_BUYERS,
    SERVICES,
    Buyer,
    Service,
    check_choice,
    cited,
)
from tools.documents import read_document
from tools.errors import InputError
from tools.formatting import long_date, pounds
from tools.inputs import load_model
from tools.regimes import PCCR_IN_FORCE, PSR_IN_FORCE, REGIMES, light_touch_threshold
from tools.types import parse_date, printed_date

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
MAX_PAPER_CHARS = 2_000_000
"""The most characters of text the check reads (about 2 MB): a long committee paper is 100,000."""
_DATE_SEARCH_LINES = 60


class MonitorAnswers(BaseModel):
    """A YAML of answers per question: the seven questions, the wider checks, and optional context."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    start: date | None = None
    buyer: Buyer | None = None
    service: Service | None = None
    needs_assessment: str | None = None
    holistic_needs: str | None = None
    sustainability: str | None = None
    integration: str | None = None
    patient_choice: str | None = None
    other_providers: str | None = None
    transparency: str | None = None
    value_for_money: str | None = None
    single_capable_provider: str | None = None
    conflicts_of_interest: str | None = None
    award_record: str | None = None
    anti_competitive: str | None = None


def check_monitor_questions(
    paper: str, start: date | None = None, buyer: Buyer | None = None, service: Service | None = None
) -> MonitorResult:
    """Check a paper against the seven Monitor questions of the 2013 regulations.

    Use it when a paper justifies a direct award or a procurement approach for NHS health care under
    the 2013 regulations (before 1 January 2024; use psr_route after). It quotes the sentences that
    evidence each question's elements; no model is involved. A file may be .txt, .md, .docx, .pdf or
    .html, or .yaml or .json answers per question.

    Args:
        paper: the paper's text or file path.
        start: the procurement's start; default the paper's first date.
        buyer: who buys, if known.
        service: the service, if known.

    Returns:
        Per question: number, question, regulation, status (evidenced, partial, missing), the quoted
        evidence with its location (paragraph or line), and what is missing with a suggestion.
    """
    path = _as_path(paper)
    if path is not None:
        return check_monitor_file(path, start=start, buyer=buyer, service=service)
    if not paper.strip():
        raise InputError(
            "paper: is empty; give the paper's text or the path of a .txt, .md, .docx or .pdf file"
        )
    return _check_text(paper, "the paper's text", start, buyer, service)


def check_monitor_file(
    path: Path, *, start: date | str | None = None, buyer: str | None = None, service: str | None = None
) -> MonitorResult:
    """The Monitor questions check of a paper file, or of a YAML of answers per question."""
    path = Path(path)
    if path.suffix.lower() in ANSWER_SUFFIXES:
        return _check_answers(path, start, buyer, service)
    return _check_text(read_document(path), str(path), start, buyer, service)


def _check_text(
    text: str, source: str, start: date | str | None, buyer: str | None, service: str | None
) -> MonitorResult:
    _check_length(len(text), source)
    day = _context(start, buyer, service)
    sentences = split_sentences(text)
    found = _paper_date(text) if day is None else None
    result = MonitorResult(
        source=source,
        procurement_date=day or (found[0] if found else None),
        date_source="given" if day else (f"printed in the paper, line {found[1]}" if found else None),
        questions=[evaluate(check, sentences) for check in QUESTIONS],
        regulation_checks=[evaluate(check, sentences) for check in REGULATION_CHECKS],
    )
    return _with_applicability(result, buyer, service)


def _check_length(characters: int, source: str) -> None:
    if characters > MAX_PAPER_CHARS:
        raise InputError(
            f"paper: {source} has {characters:,} characters; the check reads at most "
            f"{MAX_PAPER_CHARS:,} (about 2 MB); give the part of the paper that justifies the approach"
        )


def _context(start: date | str | None, buyer: str | None, service: str | None) -> date | None:
    if buyer is not None:
        check_choice(buyer, BUYERS, "buyer")
    if service is not None:
        check_choice(service, SERVICES, "service")
    return parse_date(start, field="start") if start is not None else None


def _as_path(paper: str) -> Path | None:
    """`paper` as a file path when it names a file or looks like a file name, else None: it is the text.

    Called from another assistant, only files inside the folders shared with it are read
    (`tools.file_access`): an argument written as a path must name one, and any other is the text.
    """
    candidate = paper.strip()
    if not candidate or "\n" in candidate or len(candidate) > 400:
        return None
    named = bool(re.fullmatch(r"\.[A-Za-z]{2,5}", Path(candidate).suffix))
    folders = file_access.current_folders()
    if folders is not None:
        if named or file_access.looks_like_path(candidate):
            return file_access.shared_file(candidate, argument="paper")
        return file_access.find_shared(candidate, folders) if folders else None
    path = Path(candidate).expanduser()
    if named:
        return path
    try:
        return path if path.is_file() else None
    except OSError:
        return None


def _check_answers(
    path: Path, start: date | str | None, buyer: str | None, service: str | None
) -> MonitorResult:
    day = _context(start, buyer, service)
    answers = load_model(path, MonitorAnswers)
    given = answers.model_dump()
    if not any(given[check.key] for check in (*QUESTIONS, *REGULATION_CHECKS)):
        raise InputError(f"{path}: answers no question; add at least one answer, e.g. needs_assessment: ...")
    _check_length(sum(len(given[check.key] or "") for check in (*QUESTIONS, *REGULATION_CHECKS)), str(path))

    def sentences(key: str) -> list[Sentence]:
        return split_sentences(given[key] or "", where=f"answer {key}")

    day = day or answers.start
    result = MonitorResult(
        source=answers.title or str(path),
        procurement_date=day,
        date_source="given" if day else None,
        questions=[evaluate(check, sentences(check.key)) for check in QUESTIONS],
        regulation_checks=[evaluate(check, sentences(check.key)) for check in REGULATION_CHECKS],
    )
    return _with_applicability(result, buyer or answers.buyer, service or answers.service)


def _paper_date(text: str) -> tuple[date, int] | None:
    return printed_date(text.splitlines()[:_DATE_SEARCH_LINES])


def _with_applicability(result: MonitorResult, buyer: str | None, service: str | None) -> MonitorResult:
    day = result.procurement_date
    if service in ("social-care", "other"):
        result.notes.append("The 2013 regulations applied to NHS health care services only.")
    if buyer == "council":
        result.notes.append(cited(LA_NOT_BOUND))
    if buyer == "nhs-trust":
        result.notes.append(cited(RELEVANT_BODIES))
    if day is None:
        result.notes.append(
            f"No procurement date was given or found; the questions apply before {long_date(PSR_IN_FORCE)}."
        )
        return result
    when = f"{long_date(day)} ({result.date_source})"
    if day < PCCR_IN_FORCE:
        result.notes.append(
            f"{when} is before {long_date(PCCR_IN_FORCE)}, when the 2013 regulations came into force."
        )
    nhs_health = service in (None, "health") and buyer in (None, *RELEVANT_BODY_BUYERS)
    if day >= PSR_IN_FORCE and nhs_health:
        result.historical = (
            f"The procurement date is {when}: from {long_date(PSR_IN_FORCE)} NHS health care services fall "
            "under the Provider Selection Regime, so these questions are historical. Use `commission "
            "checklist psr` (the psr_route tool) to choose the process."
        )
    elif nhs_health:
        result.notes.extend(_public_contracts_notes(day))
    return result


def _public_contracts_notes(day: date) -> list[str]:
    """What the public contracts rules added to the 2013 regulations for a CCG's procurement from `day`."""
    if NHS_EXEMPTION.applies_on(day):
        return [f"{cited(NHS_EXEMPTION)} {cited(NHS_UNDER_2006)}"]
    exemption_end = NHS_EXEMPTION.applies_until
    threshold = light_touch_threshold(day)
    if exemption_end is None or day <= exemption_end or threshold is None:
        return []
    vat = "including VAT" if threshold.vat_inclusive else "excluding VAT"
    return [
        f"From {long_date(exemption_end + timedelta(days=1))} the {REGIMES['pcr2015'].short} light touch "
        "regime applied to CCG and NHS England procurements of health care alongside the 2013 "
        f"regulations, at or above its threshold ({pounds(threshold.amount)} {vat} on {long_date(day)}). "
        f"{cited(LIGHT_TOUCH_ADVERTISING)} Check the route with `commission checklist regime`."
    ]
